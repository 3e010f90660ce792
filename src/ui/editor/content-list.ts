// The list of saved content beside the form: newest first, each entry a button that opens it for editing.

import type { ApiContent } from "../api-types.js";
import { userText } from "../bidi.js";

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
      open.append(
        userText(span("entry-title", content.title)),
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
