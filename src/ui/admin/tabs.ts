// The console's sections as an ARIA tablist: arrow keys, Home and End move between tabs (one tab stop for the
// list), and the open section is kept in the address (#metrics) so a reload or a shared link opens it again.
// No element of the page may have a tab's name as its id: the browser would take #models as a link to it and move
// the focus there from the token field when the page opens (the tables are #models-table and #candidates-table).

export class Tabs<Name extends string> {
  private readonly tabs: HTMLButtonElement[];
  private current: Name | null = null;

  constructor(
    list: HTMLElement,
    private readonly onShow: (name: Name) => void,
  ) {
    this.tabs = Array.from(list.querySelectorAll<HTMLButtonElement>("[role=tab]"));
    list.addEventListener("click", (event) => {
      const tab = (event.target as Element).closest<HTMLButtonElement>("[role=tab]");
      if (tab) this.show(tab.dataset.tab as Name);
    });
    list.addEventListener("keydown", (event) => this.onKeydown(event));
  }

  get active(): Name | null {
    return this.current;
  }

  /** The tab named in the address, if it is one of ours. */
  fromAddress(fallback: Name): Name {
    const named = location.hash.slice(1);
    return (this.tabs.some((tab) => tab.dataset.tab === named) ? named : fallback) as Name;
  }

  show(name: Name, focus = false): void {
    for (const tab of this.tabs) {
      const selected = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      if (panel) panel.hidden = !selected;
      if (selected && focus) tab.focus();
    }
    this.current = name;
    history.replaceState(null, "", `#${name}`);
    this.onShow(name);
  }

  /** Focus on the open section's tab: somewhere to stand when what had it goes away. */
  focusActive(): void {
    this.tabs.find((tab) => tab.dataset.tab === this.current)?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    const at = Math.max(
      this.tabs.findIndex((tab) => tab.dataset.tab === this.current),
      0,
    );
    const count = this.tabs.length;
    const moves: Record<string, number> = {
      ArrowRight: (at + 1) % count,
      ArrowLeft: (at - 1 + count) % count,
      Home: 0,
      End: count - 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.show(this.tabs[to].dataset.tab as Name, true);
  }
}
