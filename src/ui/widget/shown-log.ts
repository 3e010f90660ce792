// Which suggestions were logged as shown, so each "shown" feedback event counts a suggestion once per answer: a
// re-poll or a redraw that brings the same suggestions back is not another showing, and neither is the new session
// that follows a save, for the text just saved. Apart from the element because what counts as shown is the input of
// every model's precision figures, and as plain state over tags and texts it is tested without a page.

import type { ApiSuggestion } from "../api-types.js";
import { tagKey } from "../tag-names.js";

export class ShownLog {
  /** Tags already logged as shown for the current answer (tag keys). */
  private readonly logged = new Set<string>();
  /**
   * After a save: the text saved, whose suggestions the saved session already logged as shown. The new session logs
   * them only once the author acts on one or the text changes; else every save would count them shown once more.
   */
  private quietText: string | null = null;

  /** A new answer: its suggestions are shown afresh, whatever the last one showed. */
  newAnswer(): void {
    this.logged.clear();
  }

  /** Of `shown`, the suggestions not logged yet for this answer, now counted as logged. */
  fresh(shown: readonly ApiSuggestion[]): ApiSuggestion[] {
    const fresh = shown.filter((s) => !this.logged.has(tagKey(s.tag)));
    for (const s of fresh) this.logged.add(tagKey(s.tag));
    return fresh;
  }

  /** Nothing is logged as shown: the suggestions on screen are those of the text just saved. */
  get quiet(): boolean {
    return this.quietText !== null;
  }

  /** A new session: `afterSave`, the suggestions of `text` (a textKey) were logged by the session just saved. */
  newSession(text: string | null): void {
    this.quietText = text;
  }

  /** The text now asked about (a textKey): other text than the one saved ends the quiet. */
  asked(text: string): void {
    if (text !== this.quietText) this.quietText = null;
  }

  /** The author acts on a suggestion: what is on screen is shown in this session now. True if that ended a quiet. */
  acted(): boolean {
    if (this.quietText === null) return false;
    this.quietText = null;
    return true;
  }
}
