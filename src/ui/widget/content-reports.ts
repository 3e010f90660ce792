// The tags the author reported on the content being edited, and which content that is. A report says a tag does not
// belong to that content, so its tags stay hidden there across page loads and tabs (ReportedTags keeps them), while a
// draft's reports, having no content-id yet, live here until the save that gives them one. Apart from the element
// because this bookkeeping (draft to saved content, another tab's reports, a host's own memory of them) is plain
// state over a store, testable without a page, and none of it is about drawing the list.

import { tagKey, tagKeys } from "../tag-names.js";
import { REPORTED_KEY, ReportedTags } from "./reported-tags.js";

export class ContentReports {
  /** The reported tags (tag keys) of the content now edited: hidden from its suggestions. */
  private reported = new Set<string>();
  /** The content-id they are kept under; "" for a draft, whose reports are for this draft only. */
  private current = "";
  /** A draft's reports once the content-id changed: kept for keepFor(id, {afterSave: true}), dropped by forgetDraft. */
  private draft = new Set<string>();

  /** `store`: where reports outlive the page (localStorage, through ReportedTags). */
  constructor(private readonly store: Pick<ReportedTags, "of" | "keep"> = new ReportedTags()) {}

  /** The tag keys reported on the content now edited (the draft's, before a save). */
  get tags(): ReadonlySet<string> {
    return this.reported;
  }

  /** The content-id the reports now held are for ("" for a draft). */
  get contentId(): string {
    return this.current;
  }

  /**
   * The reported tags of the content now edited: the ones kept for its content-id; after a save (`afterSave`), the
   * draft's too, now the content's. A new draft has none. Leaving a draft for a content-id keeps the draft's reports
   * aside until the reset that says whether it was saved (hosts set content-id first: editor.ts).
   */
  keepFor(contentId: string, { afterSave = false } = {}): void {
    if (contentId !== "" && contentId === this.current && !afterSave) return;
    if (this.current === "" && this.reported.size > 0) this.draft = this.reported;
    const reported =
      contentId === "" ? (afterSave ? this.reported : new Set<string>()) : this.store.of(contentId);
    if (afterSave && contentId !== "" && this.draft.size > 0) {
      for (const tag of this.draft) reported.add(tag);
      this.store.keep(contentId, reported);
    }
    this.reported = reported;
    this.current = contentId;
  }

  /** A new session that is not the draft's save: the draft's reports set aside are no one's now. */
  forgetDraft(): void {
    this.draft = new Set();
  }

  /** The author reported `tag` on the content now edited; a saved content's reports are kept for later loads. */
  report(tag: string): void {
    this.reported.add(tagKey(tag));
    if (this.current !== "") this.store.keep(this.current, this.reported);
  }

  /**
   * Keeps `tags` as reported for `contentId` (a saved draft the host has moved on from, or reports the service kept).
   * True when that is the content now edited, whose list must then hide them.
   */
  remember(contentId: string, tags: Iterable<string>): boolean {
    const reported = tagKeys(tags);
    if (contentId === "" || reported.size === 0) return false;
    this.store.keep(contentId, reported);
    if (contentId !== this.current) return false;
    for (const tag of reported) this.reported.add(tag);
    return true;
  }

  /**
   * A storage change in another tab (a StorageEvent's key): its reports on the content edited here are taken at once.
   * True when they may have changed what is hidden.
   */
  takeOtherTabs(key: string | null): boolean {
    if (key !== REPORTED_KEY || this.current === "") return false;
    for (const tag of this.store.of(this.current)) this.reported.add(tag);
    return true;
  }
}
