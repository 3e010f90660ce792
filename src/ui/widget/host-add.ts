// Adding a clicked suggestion to the host's tags: the host hears of it first (tagsmith:add) and may add it itself
// (preventDefault) or refuse it (detail.refuse(reason), while the event is dispatched); else the widget appends it to
// a plain tags input, and with no such input nothing adds it. Apart from the element because this is the contract
// with the host page, the one place the widget writes to the host's form, and what a refusal means is decided here.

import type { ApiSuggestion } from "../api-types.js";
import { appendTag } from "../tag-names.js";
import { isTextField } from "./chosen-tags.js";

/** Widgets whose developer was told once that a clicked tag had no one to add it. */
const warnedUntaken = new WeakSet<HTMLElement>();

/**
 * Hands `tag` to the host (`widget` dispatches tagsmith:add); returns why it was not added, or undefined once it was.
 * `added` runs before the widget's own append, whose input event may bring the next suggestions. `tagsField` is read
 * after the event: a host's listener may have pointed the widget at another field meanwhile.
 */
export function offerToHost(
  widget: HTMLElement,
  tag: string,
  suggestion: ApiSuggestion,
  tagsField: () => Element | null,
  added: () => void,
): string | undefined {
  let refusal: string | undefined;
  const add = new CustomEvent("tagsmith:add", {
    detail: {
      tag,
      suggestion,
      refuse: (reason?: string) => {
        refusal = reason || `“${tag}” was not added.`;
      },
    },
    bubbles: true,
    composed: true,
    cancelable: true,
  });
  const taken = !widget.dispatchEvent(add);
  const field = tagsField();
  // Neither the host (preventDefault) nor the widget (a text field to append to) added it: it is not accepted.
  if (refusal === undefined && !taken && !isTextField(field)) {
    refusal = `“${tag}” was not added.`;
    if (!warnedUntaken.has(widget))
      console.warn(
        "<tagsmith-suggestions>: nothing added the tag clicked: tags-input is not a text input or textarea, so the page adds tags itself. Listen for tagsmith:add, call preventDefault() and add event.detail.tag.",
      );
    warnedUntaken.add(widget);
  }
  if (refusal !== undefined) return refusal;
  added();
  // As if the author had typed it: the input event tells the host, and the widget, of it.
  if (!taken && isTextField(field)) {
    field.value = appendTag(field.value, tag);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
