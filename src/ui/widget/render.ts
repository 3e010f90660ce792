// The widget's DOM: suggestion chips under category headings, each with its tooltip and report button. Every piece
// of data goes in as textContent or an attribute value, never as markup: titles and tags may contain HTML.

import type { ApiSuggestion } from "../api-types.js";
import { type CategoryGroup, describeEvidence } from "./shortlist.js";

/** The suggestion controls, tag and report buttons in pairs (the roving focus moves through these). */
export const CONTROLS = "button.tag,button.report";

/** An element with its attributes and text (as textContent: never parsed as markup). */
export function el<K extends keyof HTMLElementTagNameMap>(
  name: K,
  attributes: Record<string, string>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The line the list shows when every suggestion of the text was taken, chosen or reported. */
export const NO_MORE = "No more suggestions for this text";

/**
 * `ended`: the text's suggestions were all taken, chosen or reported; the list says so, as the focus may be left on it
 * (a screen reader would hear an empty group, and a sighted author see nothing focused).
 */
export function renderGroups(
  container: HTMLElement,
  groups: readonly CategoryGroup[],
  ended = false,
): void {
  if (groups.length === 0) {
    container.replaceChildren(...(ended ? [el("p", { class: "empty" }, NO_MORE)] : []));
    return;
  }
  // Headings only help when there is more than one kind of tag to tell apart.
  const headed = groups.some((g) => g.category !== null);
  const nodes: HTMLElement[] = [];
  let n = 0;
  groups.forEach((group, g) => {
    const list = el("ul", { class: "list" });
    if (headed) {
      const id = `category-${g}`;
      nodes.push(el("p", { class: "category", id }, group.category ?? "Other"));
      list.setAttribute("aria-labelledby", id);
    }
    for (const suggestion of group.suggestions) list.append(renderItem(suggestion, n++));
    nodes.push(list);
  });
  container.replaceChildren(...nodes);
}

function renderItem(suggestion: ApiSuggestion, n: number): HTMLLIElement {
  const { tag, source } = suggestion;
  const button = el("button", { type: "button", class: `tag ${source}`, "data-tag": tag }, tag);
  const tip = el("span", { class: "tip", role: "tooltip", id: `tip-${n}` });
  if (source === "explicit") {
    tip.textContent = describeEvidence(suggestion) ?? "named in the text";
    button.setAttribute("aria-describedby", tip.id);
  } else {
    // The dashed border shows it; this says it to screen readers, in the button's name.
    button.append(el("span", { class: "vh" }, " (implied)"));
    tip.textContent = "implied by the text, not named in it";
    tip.setAttribute("aria-hidden", "true");
  }
  const report = el(
    "button",
    {
      type: "button",
      class: "report",
      "data-report": tag,
      "aria-label": `Report ${tag}`,
      "aria-haspopup": "menu",
      "aria-expanded": "false",
      title: "Report this suggestion",
    },
    "⚑",
  );
  const item = el("li", { class: "item" });
  item.append(button, report, tip);
  return item;
}
