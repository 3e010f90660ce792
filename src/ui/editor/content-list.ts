// The list of saved content beside the form: newest first, each entry a button that opens it for editing. It shows
// a page at a time and says how many there are; Show more shows a page more, the newest loaded again (the API pages by
// limit and offset).

import { MAX_CONTENT_PAGE } from "../../serve/limits.js";
import type { ApiContent } from "../api-types.js";
import { userText } from "../bidi.js";
import { listContent } from "./content-api.js";

/** Entries shown at first, and added by each Show more. */
const PAGE = 50;

function span(className: string, text: string): HTMLSpanElement {
  const node = document.createElement("span");
  node.className = className;
  node.textContent = text;
  return node;
}

export function renderContentList(
  list: HTMLElement,
  items: readonly ApiContent[],
  currentId: number | null,
): void {
  if (items.length === 0) {
    renderListNote(list, "Nothing saved yet.");
    return;
  }
  const newest = [...items].sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id);
  list.replaceChildren(
    ...newest.map((content) => {
      const open = document.createElement("button");
      open.type = "button";
      open.className = "entry";
      open.dataset.contentId = String(content.id);
      if (content.id === currentId) open.setAttribute("aria-current", "true");
      const tags = document.createElement("span");
      tags.className = "entry-tags";
      for (const tag of content.tags) tags.append(userText(span("entry-tag", tag)));
      for (const tag of content.unapproved_tags)
        tags.append(userText(span("entry-tag unapproved", tag)));
      if (tags.childElementCount === 0) tags.append(span("entry-none", "no tags"));
      const updated = new Date(content.updated_at);
      const when = Number.isNaN(updated.getTime())
        ? ""
        : ` · ${updated.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}`;
      // A long title is clamped to a few lines (editor.css): the whole of it is still the button's text, so its
      // accessible name, and the tooltip shows it to the pointer.
      const heading = userText(span("entry-title", content.title));
      heading.title = content.title;
      open.append(
        heading,
        tags,
        span("entry-meta", `#${content.id} · version ${content.version}${when}`),
      );
      const item = document.createElement("li");
      item.append(open);
      return item;
    }),
  );
}

export function renderListNote(list: HTMLElement, text: string): void {
  const note = document.createElement("li");
  note.className = "note";
  note.textContent = text;
  list.replaceChildren(note);
}

/** The saved-content list as the editor keeps it: the entries loaded so far, the total, and Show more. */
export class SavedContentList {
  private items = new Map<number, ApiContent>();
  private total = 0;
  private currentId: number | null = null;
  /** One load at a time: a refresh after a save and a Show more never interleave their pages. */
  private loading: Promise<void> = Promise.resolve();
  private showingMore = false;

  constructor(
    private readonly list: HTMLElement,
    private readonly more: HTMLButtonElement,
    private readonly count: HTMLElement,
  ) {
    more.addEventListener("click", () => void this.showMore());
  }

  /** Marks the entry of the content being edited. */
  setCurrent(id: number | null): void {
    this.currentId = id;
    for (const open of this.list.querySelectorAll<HTMLElement>("[data-content-id]"))
      if (open.dataset.contentId === String(id)) open.setAttribute("aria-current", "true");
      else open.removeAttribute("aria-current");
  }

  /** Loads the newest content again, as many entries as are shown (at least a page): at start and after a save. */
  refresh(): Promise<void> {
    return this.queue(async () => {
      if (await this.load(Math.max(PAGE, this.items.size))) return;
      if (this.items.size === 0)
        renderListNote(
          this.list,
          "Saved content could not be loaded. Saving still works when the service is back.",
        );
      else this.count.textContent = "The list could not be brought up to date just now.";
    });
  }

  /**
   * Shows a page more, loaded afresh from the top as refresh does, then moves focus to the first entry added below
   * those shown before, so the keyboard carries on from there. Not the next page by offset: content saved meanwhile
   * goes to the top and pushes older entries down, so that page repeated entries already shown, the count never
   * reached the total, and what was saved meanwhile never appeared.
   */
  async showMore(): Promise<void> {
    if (this.showingMore) return;
    this.showingMore = true;
    await this.queue(async () => {
      try {
        const shown = new Set(this.items.keys());
        if (!(await this.load(this.items.size + PAGE))) {
          this.count.textContent =
            "More could not be loaded: the service is unavailable. Try Show more again in a moment.";
          return;
        }
        const entries = Array.from(this.list.querySelectorAll<HTMLElement>("[data-content-id]"));
        const isNew = (open: HTMLElement) => !shown.has(Number(open.dataset.contentId));
        let lastShown = -1;
        entries.forEach((open, i) => {
          if (!isNew(open)) lastShown = i;
        });
        const added = entries.slice(lastShown + 1).find(isNew) ?? entries.find(isNew);
        added?.focus();
      } finally {
        this.showingMore = false;
      }
    });
  }

  /**
   * The newest `wanted` entries, in pages, replacing those shown; false, and nothing replaced, if the service could
   * not be reached. Content saved between two pages pushes entries down: one may come twice (kept once), none is
   * skipped.
   */
  private async load(wanted: number): Promise<boolean> {
    const items = new Map<number, ApiContent>();
    let total = 0;
    try {
      for (let offset = 0; offset < wanted; ) {
        const limit = Math.min(MAX_CONTENT_PAGE, wanted - offset);
        const page = await listContent(limit, offset);
        for (const item of page.items) items.set(item.id, item);
        total = page.total;
        offset += page.items.length;
        if (page.items.length < limit) break;
      }
    } catch {
      return false;
    }
    this.items = items;
    this.total = total;
    this.render();
    return true;
  }

  private render(): void {
    // A refresh (after a save) rebuilds the entries: the one the keyboard was on keeps the focus, else it fell to the
    // page and Tab started over from the top.
    const focused = this.list.contains(document.activeElement)
      ? document.activeElement?.closest<HTMLElement>("[data-content-id]")?.dataset.contentId
      : undefined;
    renderContentList(this.list, [...this.items.values()], this.currentId);
    if (focused !== undefined)
      this.list.querySelector<HTMLElement>(`[data-content-id="${focused}"]`)?.focus();
    const left = this.total - this.items.size;
    this.more.hidden = left <= 0;
    this.more.textContent = `Show ${Math.min(PAGE, left)} more`;
    this.count.textContent = left > 0 ? `Showing ${this.items.size} of ${this.total}.` : "";
  }

  private queue(load: () => Promise<void>): Promise<void> {
    this.loading = this.loading.then(load);
    return this.loading;
  }
}
