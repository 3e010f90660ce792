// The report menu of a suggestion: four reasons under its ⚑ button. It owns its keyboard (arrows, Escape) and
// closes when focus or a click goes elsewhere; choosing a reason, and the menu's closing, are handed back to the
// element (which leaves the list as it is while a menu is open, and redraws it once the menu is gone).

import type { ReportReason } from "../api-types.js";

export const REPORT_REASONS: ReadonlyArray<[ReportReason, string]> = [
  ["not_relevant", "Not relevant"],
  ["wrong", "Wrong"],
  ["offensive", "Offensive"],
  ["other", "Other"],
];

function renderMenu(tag: string): HTMLElement {
  const menu = document.createElement("div");
  menu.className = "menu";
  menu.id = "report-menu";
  menu.setAttribute("role", "menu");
  menu.setAttribute("aria-label", `Report ${tag}`);
  for (const [reason, label] of REPORT_REASONS) {
    const item = document.createElement("button");
    item.type = "button";
    item.tabIndex = -1;
    item.setAttribute("role", "menuitem");
    item.dataset.reason = reason;
    item.textContent = label;
    menu.append(item);
  }
  return menu;
}

/** Calls `then` once the pointer pressed now is released, after that release's click. */
function afterRelease(then: () => void): void {
  const released = () => {
    document.removeEventListener("pointerup", released, true);
    document.removeEventListener("pointercancel", released, true);
    setTimeout(then, 0);
  };
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
}

interface OpenMenu {
  element: HTMLElement;
  report: HTMLButtonElement;
  tag: string;
  stopWatching(): void;
}

export class ReportMenu {
  private open: OpenMenu | null = null;

  constructor(
    private readonly onChoose: (tag: string, reason: ReportReason) => void,
    private readonly onClose: () => void,
  ) {}

  get isOpen(): boolean {
    return this.open !== null;
  }

  contains(node: Node | null): boolean {
    return !!node && !!this.open?.element.contains(node);
  }

  /** The ⚑ button was pressed: open its menu, or close it if it is the one open. */
  toggle(report: HTMLButtonElement, tag: string): void {
    const same = this.open?.report === report;
    this.close(same);
    if (!same) this.show(report, tag);
  }

  /** A reason was pressed. */
  choose(reason: ReportReason): void {
    const open = this.open;
    if (!open) return;
    // Focus back on ⚑, so the element moves it on from the reported suggestion; onClose after the report, so a
    // redraw waiting for the menu does not come first and file the report under a newer answer.
    this.dismiss(open, true);
    this.onChoose(open.tag, reason);
    this.onClose();
  }

  close(refocus: boolean): void {
    const open = this.open;
    if (!open) return;
    this.dismiss(open, refocus);
    this.onClose();
  }

  private dismiss(open: OpenMenu, refocus: boolean): void {
    this.open = null;
    open.stopWatching();
    // Before the menu leaves: the focus moves from its item to ⚑, never through the page's body.
    if (refocus) open.report.focus();
    open.element.remove();
    open.report.setAttribute("aria-expanded", "false");
    open.report.removeAttribute("aria-controls");
  }

  /** Keys inside the menu: arrows, Home and End move, Escape closes back to ⚑, Tab leaves. */
  onKeydown(event: KeyboardEvent): void {
    const items = Array.from(this.open?.element.querySelectorAll("button") ?? []);
    const index = items.indexOf(event.target as HTMLButtonElement);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
    } else if (event.key === "Tab") this.close(false);
    else if (event.key in moves) {
      event.preventDefault();
      items[(moves[event.key] + items.length) % items.length]?.focus();
    }
  }

  /** Focus moved: a menu left for somewhere else closes. */
  onFocusout(next: Node | null): void {
    if (this.open && next && !this.contains(next) && next !== this.open.report) this.close(false);
  }

  private show(report: HTMLButtonElement, tag: string): void {
    const element = renderMenu(tag);
    report.after(element);
    report.setAttribute("aria-expanded", "true");
    report.setAttribute("aria-controls", element.id);
    // A click anywhere else closes it: focusout alone misses clicks on things that take no focus (and Safari
    // does not focus buttons on click).
    const outside = (event: Event) => {
      const path = event.composedPath();
      if (path.includes(element) || path.includes(report)) return;
      this.dismiss(open, false);
      // The press may be on another suggestion: a redraw now would replace its button under the pointer and the
      // click would reach nothing. The element hears of the close once the click is dispatched.
      afterRelease(() => this.onClose());
    };
    document.addEventListener("pointerdown", outside, true);
    const stopWatching = () => document.removeEventListener("pointerdown", outside, true);
    const open: OpenMenu = { element, report, tag, stopWatching };
    this.open = open;
    element.querySelector("button")?.focus();
  }
}
