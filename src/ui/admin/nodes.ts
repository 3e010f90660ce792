// Building the console's DOM from service data: text goes in as textContent only, never as markup, so a title or
// tag holding "<script>" is shown, not run.

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = "",
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the admin page has no #${id}`);
  return node as T;
}

/**
 * A table row of text cells (a cell given as a node is put in as is): the first `header` cells name the row, the
 * columns in `numbers` are right-aligned.
 */
export function tableRow(
  cells: readonly (string | Node)[],
  header = 0,
  numbers: readonly number[] = [],
): HTMLTableRowElement {
  const row = element("tr");
  cells.forEach((cell, i) => {
    const td = element(i < header ? "th" : "td", numbers.includes(i) ? "number" : "");
    if (i < header) td.scope = "row";
    if (typeof cell === "string") td.textContent = cell;
    else td.append(cell);
    row.append(td);
  });
  return row;
}

/** One line in place of a table's rows: "Nothing yet", "Could not load". */
export function tableNote(body: HTMLTableSectionElement, columns: number, text: string): void {
  const cell = element("td", "note", text);
  cell.colSpan = columns;
  const row = element("tr");
  row.append(cell);
  body.replaceChildren(row);
}

export function showStatus(node: HTMLElement, text: string, kind: "ok" | "error" | "" = ""): void {
  node.textContent = text;
  node.dataset.kind = kind;
}
