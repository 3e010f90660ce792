// The reference content editor: the integration a platform copies. A plain form, the tags field as chips, the
// <tagsmith-suggestions> widget wired to it, and saves that never lose what the author typed.

import { ApiFailure } from "../api-client.js";
import type { ApiContent, ContentSave } from "../api-types.js";
import { getContent, listContent, saveContent } from "./content-api.js";
import { renderContentList, renderListNote } from "./content-list.js";
import { type FormField, saveFailureMessage } from "./save-messages.js";
import { TagChips } from "./tag-chips.js";

/** What the editor uses of the widget; absent if widget.js failed to load (the form works without it). */
interface SuggestionsWidget extends HTMLElement {
  session?: string;
  reset?(): void;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the editor page has no #${id}`);
  return node as T;
}

const form = byId<HTMLFormElement>("content-form");
const heading = byId<HTMLHeadingElement>("editor-heading");
const title = byId<HTMLInputElement>("title");
const description = byId<HTMLTextAreaElement>("description");
const entry = byId<HTMLInputElement>("tag-entry");
const saveButton = byId<HTMLButtonElement>("save");
const saveStatus = byId<HTMLElement>("save-status");
const contentList = byId<HTMLElement>("content-list");
const widget = document.querySelector<SuggestionsWidget>("tagsmith-suggestions");
const chips = new TagChips(
  byId("chosen-tags"),
  entry,
  byId<HTMLDataListElement>("tag-completions"),
);

/** The content being edited: null id for new content; the version is the one the author opened. */
let editing: { id: number | null; version: number | null } = { id: null, version: null };

/** The form as last loaded or saved: anything else is the author's unsaved work. */
let savedState = "";
const formState = () =>
  JSON.stringify([title.value, description.value, chips.tags(), entry.value.trim()]);
const hasUnsavedWork = () => formState() !== savedState;

/** Whether the author's unsaved work may be dropped (asked only when there is some). */
function mayDiscard(): boolean {
  return !hasUnsavedWork() || window.confirm("Discard your unsaved changes to this content?");
}

function showStatus(text: string, kind: "ok" | "error" | "" = ""): void {
  saveStatus.textContent = text;
  saveStatus.dataset.kind = kind;
}

/** Fill the form from content (or empty it), and start a new suggestion session for the next edit. */
function edit(content: ApiContent | null): void {
  editing = content ? { id: content.id, version: content.version } : { id: null, version: null };
  heading.textContent = content ? `Edit content #${content.id}` : "New content";
  title.value = content?.title ?? "";
  description.value = content?.description ?? "";
  chips.set(content?.tags ?? [], content?.unapproved_tags ?? []);
  entry.value = "";
  if (content) widget?.setAttribute("content-id", String(content.id));
  else widget?.removeAttribute("content-id");
  widget?.reset?.();
  savedState = formState();
  for (const open of contentList.querySelectorAll<HTMLElement>("[data-content-id]"))
    if (open.dataset.contentId === String(content?.id)) open.setAttribute("aria-current", "true");
    else open.removeAttribute("aria-current");
}

async function refreshList(): Promise<void> {
  try {
    const page = await listContent();
    renderContentList(contentList, page.items, editing.id);
  } catch {
    renderListNote(
      contentList,
      "Saved content could not be loaded. Saving still works when the service is back.",
    );
  }
}

const FIELDS: Record<FormField, HTMLElement> = { title, description, tags: entry };

async function save(): Promise<void> {
  chips.commitEntry();
  if (!title.value.trim()) {
    showStatus("Not saved: add a title first.", "error");
    title.focus();
    return;
  }
  const draft: ContentSave = {
    title: title.value,
    description: description.value,
    tags: chips.tags(),
  };
  if (widget?.session) draft.session = widget.session;
  if (editing.id !== null && editing.version !== null) draft.version = editing.version;
  saveButton.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const saved = await saveContent(editing.id, draft);
    edit(saved);
    showStatus(`Saved (version ${saved.version})`, "ok");
    void refreshList();
  } catch (error) {
    const failure = error instanceof ApiFailure ? error : new ApiFailure(0, null);
    const { message, field } = saveFailureMessage(failure.status, failure.body);
    showStatus(message, "error");
    if (field) FIELDS[field].focus();
  } finally {
    saveButton.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

async function open(id: number): Promise<void> {
  try {
    edit(await getContent(id));
    showStatus("");
    title.focus();
  } catch (error) {
    const status = error instanceof ApiFailure ? error.status : 0;
    showStatus(
      status === 404
        ? `Content #${id} no longer exists.`
        : `Content #${id} could not be opened: the service is unavailable. Try again in a moment.`,
      "error",
    );
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void save();
});

byId("new-content").addEventListener("click", () => {
  if (!mayDiscard()) return;
  edit(null);
  showStatus("");
  title.focus();
});

contentList.addEventListener("click", (event) => {
  const entryButton = (event.target as Element).closest<HTMLElement>("[data-content-id]");
  if (entryButton && mayDiscard()) void open(Number(entryButton.dataset.contentId));
});

// Closing or reloading the page with unsaved work: the browser asks first.
window.addEventListener("beforeunload", (event) => {
  if (hasUnsavedWork()) event.preventDefault();
});

// An accepted suggestion becomes a chip like a typed tag, already known to be approved.
widget?.addEventListener("tagsmith:add", (event) => {
  event.preventDefault();
  const { tag } = (event as CustomEvent<{ tag: string }>).detail;
  chips.add(tag, true);
});

savedState = formState();
void refreshList();
