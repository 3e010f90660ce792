// The author's chosen tags, read from the host page's tags field: a comma-separated <input> or <textarea>, or any
// element whose descendants carry [data-chosen-tag] (chips). Watched, so the suggestions follow every change.

import { splitTagList } from "../tag-names.js";

export type TagsField = HTMLInputElement | HTMLTextAreaElement;

export function isTextField(el: Element | null): el is TagsField {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

export function readChosenTags(field: Element | null): string[] {
  if (!field) return [];
  if (isTextField(field)) return splitTagList(field.value);
  const tags = Array.from(field.querySelectorAll("[data-chosen-tag]"), (el) =>
    el.getAttribute("data-chosen-tag"),
  );
  return splitTagList(tags.filter((t) => t !== null).join(","));
}

/** Calls `onChange` whenever the field's tags may have changed; returns the function that stops watching. */
export function watchChosenTags(field: Element | null, onChange: () => void): () => void {
  if (!field) return () => undefined;
  if (isTextField(field)) {
    field.addEventListener("input", onChange);
    field.addEventListener("change", onChange);
    return () => {
      field.removeEventListener("input", onChange);
      field.removeEventListener("change", onChange);
    };
  }
  const observer = new MutationObserver(onChange);
  observer.observe(field, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-chosen-tag"],
  });
  return () => observer.disconnect();
}
