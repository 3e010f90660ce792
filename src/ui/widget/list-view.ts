// The widget's shadow DOM: the suggestion list with its one tab stop, the status line and the count announcer. A
// redraw keeps the focus on the tag it was on, not on the position, and the status line says what its state says.
// Apart from the element because this is all about what is on screen and where the focus is; the element decides
// which suggestions to show and when, and asks here only about the status state, never about the words on screen.

import type { ApiSuggestion } from "../api-types.js";
import { tagKey } from "../tag-names.js";
import type { Delivery } from "./feedback.js";
import { placePopups } from "./popup-placement.js";
import { CONTROLS, el, renderGroups } from "./render.js";
import { rovingTarget } from "./roving-focus.js";
import { groupByCategory } from "./shortlist.js";

export const UNAVAILABLE = "Suggestions unavailable; you can keep writing.";
/** What the author hears of a report, as its delivery goes. */
export const REPORT_STATUS: Record<Delivery, string> = {
  sent: "Thanks, reported.",
  retrying: "Your report is not sent yet: it will be retried.",
  failed: "Your report could not be sent.",
};

/**
 * What the status line is saying, if anything: the service is away, how the delivery of the author's last report
 * went, or that the host refused a tag (its words given to setStatus).
 */
export type Status = "unavailable" | Delivery | "refused" | null;

/**
 * The control that had the focus, or the tab stop, before a redraw, by the tag it is for: it gets them back wherever
 * that tag's suggestion moved, or its neighbour gets them if the tag left the list. By position, a late answer that
 * put a tag first moved the focus to another tag, and Enter then added that one.
 */
interface FocusMark {
  tag: string;
  kind: "tag" | "report";
  focused: boolean;
}

function statusText(status: Status, refusal: string): string {
  if (status === "refused") return refusal;
  if (status === "unavailable") return UNAVAILABLE;
  return status ? REPORT_STATUS[status] : "";
}

function countText(n: number): string {
  if (n === 0) return "No suggestions";
  return n === 1 ? "1 suggestion" : `${n} suggestions`;
}

export class ListView {
  private readonly label = el(
    "p",
    { class: "label", "aria-hidden": "true", hidden: "" },
    "Suggested tags",
  );
  private readonly groups = el("div", {
    class: "groups",
    role: "group",
    "aria-label": "Suggested tags",
    tabindex: "-1",
  });
  private readonly statusLine = el("p", { class: "status", role: "status", "aria-live": "polite" });
  /**
   * Visually hidden: says how many suggestions came when the set on screen changes. Apart from the status line, so a
   * count never hides a message and a message never hides a count.
   */
  private readonly announcer = el("p", {
    class: "vh",
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  private note: Status = null;
  private active = 0;
  private onScreen: readonly ApiSuggestion[] = [];

  /** Puts the list, the status line and the announcer in `root` (the element's shadow root, styles applied). */
  constructor(private readonly root: ShadowRoot) {
    const groups = this.groups;
    root.append(this.label, groups, this.statusLine, this.announcer);
    root.addEventListener("focusin", (event) => this.focusIn(event));
    root.addEventListener("focusout", () => groups.classList.remove("quiet"));
    groups.addEventListener("pointerover", () => groups.classList.remove("quiet"));
    for (const type of ["pointerover", "focusin"]) groups.addEventListener(type, placePopups);
  }

  /** The suggestions on screen now. */
  get shown(): readonly ApiSuggestion[] {
    return this.onScreen;
  }

  get status(): Status {
    return this.note;
  }

  /** `refusal`: what the status says of a "refused" tag. */
  setStatus(status: Status, refusal = ""): void {
    this.note = status;
    const text = statusText(status, refusal);
    // The same text again is no news: rewriting it could have a screen reader say it again.
    if (this.statusLine.textContent !== text) this.statusLine.textContent = text;
  }

  setBusy(busy: boolean): void {
    if (busy) this.groups.setAttribute("aria-busy", "true");
    else this.groups.removeAttribute("aria-busy");
  }

  /**
   * Shows `suggestions` grouped by category, the focus kept by tag. `ended`: the text's suggestions were all taken,
   * chosen or reported, and the list says so.
   */
  show(suggestions: readonly ApiSuggestion[], ended: boolean): void {
    const mark = this.focusMark();
    const before = this.onScreen.map((s) => s.tag);
    this.onScreen = suggestions;
    renderGroups(this.groups, groupByCategory(suggestions), ended);
    this.label.hidden = suggestions.length === 0;
    this.restoreFocus(mark, before);
  }

  /** The tags on screen as a set, to tell whether an answer changed it. */
  shownSet(): string {
    return this.onScreen
      .map((s) => tagKey(s.tag))
      .sort()
      .join("\u0000");
  }

  /** Says how many suggestions are on screen if they are not the set `before` (a shownSet). */
  announceCount(before?: string): void {
    if (this.shownSet() !== before) this.announce(countText(this.onScreen.length));
  }

  /** Hides the tooltips shown by hover or focus until the pointer or the focus moves (Escape). */
  quiet(): void {
    this.groups.classList.add("quiet");
  }

  /** Escape on the page, wherever the focus is: a tooltip shown by hover hides, the pointer need not move. */
  quietHovered(): void {
    if (this.groups.querySelector(".item:hover")) this.quiet();
  }

  /** Arrow keys, Home and End on a control move the focus through the list. */
  rove(event: KeyboardEvent): void {
    const controls = this.controls();
    const index = controls.indexOf(event.target as HTMLButtonElement);
    if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const rtl = getComputedStyle(this.groups).direction === "rtl";
    const next = rovingTarget(event.key, index, controls.length, rtl);
    if (next === null) return;
    event.preventDefault();
    this.setActive(next, true);
  }

  /** A control focused by pointer or by the host: it becomes the tab stop. */
  private focusIn(event: Event): void {
    const index = this.controls().indexOf(event.target as HTMLButtonElement);
    if (index >= 0 && index !== this.active) this.setActive(index, false);
  }

  /** Polite and brief. The same words as last time get a trailing no-break space, so they are said again. */
  private announce(text: string): void {
    const announcer = this.announcer;
    announcer.textContent = announcer.textContent === text ? `${text}\u00a0` : text;
  }

  /** The control focused in the list, else the list's tab stop, by tag; null when there is neither. */
  private focusMark(): FocusMark | null {
    const focused = this.root.activeElement;
    const stop =
      focused instanceof HTMLElement && this.controls().includes(focused as HTMLButtonElement);
    const control = stop ? (focused as HTMLElement) : this.controls()[this.active];
    if (!control) return null;
    const { tag, report } = control.dataset;
    if (tag !== undefined) return { tag, kind: "tag", focused: stop };
    if (report !== undefined) return { tag: report, kind: "report", focused: stop };
    return null;
  }

  /**
   * After a redraw: the marked control again, or, its tag gone, the tag button of the nearest suggestion after it
   * (before it at the end) in `before`, the order the tags were in. Focus is given back only if it was in the list.
   */
  private restoreFocus(mark: FocusMark | null, before: readonly string[]): void {
    const controls = this.controls();
    if (!mark) {
      this.setActive(Math.min(this.active, controls.length - 1), false);
      return;
    }
    const indexOf = (tag: string, kind: "tag" | "report") =>
      controls.findIndex((c) => c.dataset[kind] === tag);
    let index = indexOf(mark.tag, mark.kind);
    const at = before.indexOf(mark.tag);
    const neighbours = [...before.slice(at + 1), ...before.slice(0, Math.max(at, 0)).reverse()];
    for (const tag of neighbours) {
      if (index >= 0) break;
      index = indexOf(tag, "tag");
    }
    this.setActive(Math.max(index, 0), mark.focused);
  }

  private controls(): HTMLButtonElement[] {
    return Array.from(this.groups.querySelectorAll<HTMLButtonElement>(CONTROLS));
  }

  /** One tab stop for the whole list: only the active control is in the tab order. */
  private setActive(index: number, focus: boolean): void {
    const controls = this.controls();
    if (controls.length === 0) {
      this.active = 0;
      // The focused suggestion is gone and no other is left: keep focus in the widget, not lost to the page.
      if (focus) this.groups.focus();
      return;
    }
    this.active = Math.min(index, controls.length - 1);
    controls.forEach((c, i) => {
      c.tabIndex = i === this.active ? 0 : -1;
    });
    if (focus) controls[this.active].focus();
  }
}
