// The reference content editor: the integration a platform copies. A plain form, the tags field as chips, the
// <tagsmith-suggestions> widget wired to it, and saves that never lose what the author typed.

import { MAX_CONTENT_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "../../serve/limits.js";
import { ApiFailure } from "../api-client.js";
import type { ApiContent, ContentSave } from "../api-types.js";
import { newId } from "../random-id.js";
import { readStored, writeStored } from "../storage.js";
import { contentMadeBefore, getContent, saveContent } from "./content-api.js";
import { SavedContentList } from "./content-list.js";
import { type FormField, saveFailureMessage } from "./save-messages.js";
import { chipTags, TagChips } from "./tag-chips.js";

/** What the editor uses of the widget; absent if widget.js failed to load (the form works without it). */
interface SuggestionsWidget extends HTMLElement {
  session?: string;
  reportedTags?: string[];
  reset?(options?: { afterSave?: boolean }): void;
  rememberReported?(contentId: string, tags: Iterable<string>): void;
}

/** The detail of the widget's tagsmith:add event (refuse: from the widget version that takes refusals). */
interface TagsmithAdd {
  tag: string;
  refuse?(reason: string): void;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the editor page has no #${id}`);
  return node as T;
}

const form = byId<HTMLFormElement>("content-form");
const heading = byId<HTMLHeadingElement>("editor-heading");
const title = byId<HTMLInputElement>("title");
const titleNotice = byId<HTMLElement>("title-notice");
const description = byId<HTMLTextAreaElement>("description");
const descriptionNotice = byId<HTMLElement>("description-notice");
const entry = byId<HTMLInputElement>("tag-entry");
const author = byId<HTMLInputElement>("author");
const saveButton = byId<HTMLButtonElement>("save");
const saveStatus = byId<HTMLElement>("save-status");
const saveProgress = byId<HTMLElement>("save-progress");
const saveError = byId<HTMLElement>("save-error");
const contentList = byId<HTMLElement>("content-list");
const widget = document.querySelector<SuggestionsWidget>("tagsmith-suggestions");
const chips = new TagChips(
  byId("chosen-tags"),
  entry,
  byId<HTMLDataListElement>("tag-completions"),
  byId("tag-notice"),
);
const savedList = new SavedContentList(
  contentList,
  byId<HTMLButtonElement>("show-more"),
  byId("content-count"),
);

/**
 * The content being edited: saved content by its id and the version the author opened or last saved; new content by
 * the key of its creation (Idempotency-Key), one per new content, kept for every try of its first save.
 */
let editing: { id: number; version: number } | { id: null; createKey: string } = {
  id: null,
  createKey: newId(),
};
/** One more each time the form is filled with other content (opened, or New): a late answer for the old is stale. */
let loaded = 0;

interface FormValues {
  title: string;
  description: string;
  tags: string[];
  /** A tag being typed, not yet a chip. */
  entry: string;
}
const formValues = (): FormValues => ({
  title: title.value,
  description: description.value,
  tags: chips.tags(),
  entry: entry.value,
});
const stateOf = (values: FormValues) =>
  JSON.stringify([values.title, values.description, values.tags, values.entry.trim()]);

/** The form as last loaded or saved: anything else is the author's unsaved work. */
let savedState = "";
const hasUnsavedWork = () => stateOf(formValues()) !== savedState;

/**
 * Whether the author's unsaved work may be dropped (asked only when there is some). A draft never saved is all
 * unsaved work, and no content yet: the question says so. One whose first save is on its way is about to be content.
 */
function mayDiscard(): boolean {
  if (!hasUnsavedWork()) return true;
  const newDraft = editing.id === null && !saveInFlight;
  return window.confirm(
    newDraft ? "Discard this new draft?" : "Discard your unsaved changes to this content?",
  );
}

/** One line under the form: an error in the alert (it interrupts), anything else in the polite status. */
function showStatus(text: string, kind: "ok" | "error" | "" = ""): void {
  saveProgress.textContent = kind === "error" ? "" : text;
  saveError.textContent = kind === "error" ? text : "";
  saveStatus.dataset.kind = kind;
}

/** Say which content the form edits: heading, widget and list. */
function showEditing(content: ApiContent | null): void {
  editing = content
    ? { id: content.id, version: content.version }
    : { id: null, createKey: newId() };
  heading.textContent = content ? `Edit content #${content.id}` : "New content";
  if (content) widget?.setAttribute("content-id", String(content.id));
  else widget?.removeAttribute("content-id");
  savedList.setCurrent(content?.id ?? null);
}

/** Fill the form from content (or empty it), and start a new suggestion session for the next edit. */
function load(content: ApiContent | null): void {
  loaded++;
  showEditing(content);
  title.value = content?.title ?? "";
  description.value = content?.description ?? "";
  chips.set(content?.tags ?? [], content?.unapproved_tags ?? []);
  entry.value = "";
  titleNotice.textContent = "";
  descriptionNotice.textContent = "";
  widget?.reset?.();
  savedState = stateOf(formValues());
}

/**
 * Take in the answer to a save. The author may have gone on typing while it was on its way: a field changed since
 * the save was sent keeps the author's text (and so stays unsaved work); an untouched one shows what the service
 * stored (a title trimmed, tags under their approved names). The saved id and version are adopted either way, so
 * the next save updates this version.
 */
function adoptSaved(saved: ApiContent, sent: FormValues): boolean {
  const before = stateOf(formValues());
  showEditing(saved);
  if (title.value === sent.title) title.value = saved.title;
  if (description.value === sent.description) description.value = saved.description;
  if (JSON.stringify(chips.tags()) === JSON.stringify(sent.tags))
    chips.set(saved.tags, saved.unapproved_tags);
  // The entry was emptied into chips when the save was sent: anything in it now was typed since. The suggestions of
  // the text saved are not counted shown again in the new session unless the author acts on one.
  widget?.reset?.({ afterSave: true });
  savedState = stateOf({
    title: saved.title,
    description: saved.description,
    tags: chipTags(saved.tags, saved.unapproved_tags),
    entry: "",
  });
  // An open clicked meanwhile compares the form with what it was then: this change is not the author's.
  if (opening?.state === before) opening.state = stateOf(formValues());
  return hasUnsavedWork();
}

const FIELDS: Record<FormField, HTMLElement> = { title, description, tags: entry };

/**
 * A save on its way. Save is then aria-disabled, not disabled: a disabled button drops focus to the page, so the
 * author pressing Enter on it lost their place. This flag makes it do nothing meanwhile.
 */
let saveInFlight = false;
/** A save not answered by then is given up (a hung connection kept Save unusable for minutes). */
const SAVE_TIMEOUT_MS = 15_000;

async function save(): Promise<void> {
  if (saveInFlight) return;
  if (!chips.commitEntry()) {
    showStatus(`Not saved: ${chips.refusal()}`, "error");
    entry.focus();
    return;
  }
  if (!title.value.trim()) {
    showStatus("Not saved: add a title first.", "error");
    title.focus();
    return;
  }
  const sent = formValues();
  const draft: ContentSave = {
    title: sent.title,
    description: sent.description,
    tags: sent.tags,
  };
  if (widget?.session) draft.session = widget.session;
  // Should the author move on before the answer, the draft's reports still go to the content it becomes.
  const reported = widget?.reportedTags ?? [];
  const name = author.value.trim();
  if (name) draft.author = name;
  if (editing.id !== null) draft.version = editing.version;
  const saving = loaded;
  saveInFlight = true;
  saveButton.setAttribute("aria-disabled", "true");
  showStatus("Saving…");
  try {
    // Given up, it fails as if the service could not be reached: the author's text is kept, and Save works again.
    const signal = AbortSignal.timeout(SAVE_TIMEOUT_MS);
    const saved = await saveContent(editing, draft, signal).catch((failure: unknown) => {
      // An earlier try made the content, its answer lost, and the form changed since: a new version of it.
      const made = contentMadeBefore(failure);
      if (!made) throw failure;
      return saveContent({ id: made.id }, { ...draft, version: made.version }, signal);
    });
    if (loaded !== saving) {
      // The author moved on to other content while this was saving: the form is theirs now.
      widget?.rememberReported?.(String(saved.id), reported);
      showStatus(`Content #${saved.id} saved (version ${saved.version}).`, "ok");
    } else if (adoptSaved(saved, sent)) {
      showStatus(
        `Saved (version ${saved.version}). What you changed while it was saving is not saved yet.`,
        "ok",
      );
    } else showStatus(`Saved (version ${saved.version})`, "ok");
    void savedList.refresh();
  } catch (error) {
    const failure = error instanceof ApiFailure ? error : new ApiFailure(0, null);
    const { message, field } = saveFailureMessage(failure.status, failure.body);
    showStatus(message, "error");
    if (field && loaded === saving) FIELDS[field].focus();
  } finally {
    saveInFlight = false;
    saveButton.removeAttribute("aria-disabled");
  }
}

/** The open waiting for its answer: the form as it was when clicked, and the way to abandon the request. */
let opening: { controller: AbortController; state: string } | null = null;

function abandonOpen(): void {
  opening?.controller.abort();
  opening = null;
}

/**
 * Open saved content for editing. Only the latest click may fill the form (an earlier one's answer, however late, is
 * dropped), and never over edits the author made while it was loading.
 */
async function open(id: number): Promise<void> {
  abandonOpen();
  const request = { controller: new AbortController(), state: stateOf(formValues()) };
  opening = request;
  const loadedAtClick = loaded;
  const entryButton = contentList.querySelector(`[data-content-id="${id}"]`);
  entryButton?.setAttribute("aria-busy", "true");
  try {
    const content = await getContent(id, request.controller.signal);
    if (opening !== request) return;
    opening = null;
    if (loaded !== loadedAtClick || stateOf(formValues()) !== request.state) {
      showStatus(
        `Content #${id} was not opened: the form changed while it was loading. Open it again from the list to leave these edits.`,
        "error",
      );
      return;
    }
    load(content);
    // Reported on another device, or in a browser that has forgotten: hidden here too.
    widget?.rememberReported?.(String(content.id), content.reported_tags);
    showStatus("");
    title.focus();
  } catch (error) {
    if (opening !== request) return;
    opening = null;
    const status = error instanceof ApiFailure ? error.status : 0;
    showStatus(
      status === 404
        ? `Content #${id} no longer exists.`
        : `Content #${id} could not be opened: the service is unavailable. Try again in a moment.`,
      "error",
    );
  } finally {
    entryButton?.removeAttribute("aria-busy");
  }
}

/**
 * A field at its maxlength cuts what is pasted or typed into it without a word: say so beside it. The length is
 * reckoned before the insertion, from the text inserted and the selection it replaces.
 */
function noticeCuts(
  field: HTMLInputElement | HTMLTextAreaElement,
  notice: HTMLElement,
  name: string,
): void {
  field.addEventListener("beforeinput", (beforeInput) => {
    const event = beforeInput as InputEvent;
    if (!event.inputType.startsWith("insert")) return;
    let text = event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
    if (event.inputType === "insertLineBreak" || event.inputType === "insertParagraph") text = "\n";
    // What the field will keep of it: an <input> drops line breaks, a <textarea> keeps CRLF as one.
    text =
      field instanceof HTMLInputElement
        ? text.replace(/[\r\n]/g, "")
        : text.replace(/\r\n?/g, "\n");
    const selected = (field.selectionEnd ?? 0) - (field.selectionStart ?? 0);
    if (field.value.length - selected + text.length > field.maxLength)
      notice.textContent = `The ${name} was cut to ${field.maxLength.toLocaleString("en")} characters, the most it can hold.`;
  });
  field.addEventListener("input", () => {
    if (field.value.length < field.maxLength) notice.textContent = "";
  });
}

title.maxLength = MAX_TITLE_CHARS;
description.maxLength = MAX_CONTENT_DESCRIPTION_CHARS;
noticeCuts(title, titleNotice, "title");
noticeCuts(description, descriptionNotice, "description");

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void save();
});
// The page comes with Save disabled, so the form cannot be submitted natively before this script runs.
saveButton.disabled = false;

byId("new-content").addEventListener("click", () => {
  if (!mayDiscard()) return;
  abandonOpen();
  load(null);
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

// An accepted suggestion becomes a chip like a typed tag, already known to be approved; one the tags field cannot
// take (a 101st tag) is refused, so the widget neither counts it as accepted nor drops it from its list.
widget?.addEventListener("tagsmith:add", (event) => {
  event.preventDefault();
  const { tag, refuse } = (event as CustomEvent<TagsmithAdd>).detail;
  const refusal = chips.addSuggestion(tag);
  if (refusal) refuse?.(refusal);
});

savedState = stateOf(formValues());
void savedList.refresh();

// The author's name is the person's, not the content's: kept in this browser across content and visits (storage
// refused: the field simply starts empty).
const AUTHOR_KEY = "tagsmith.author";
author.value = readStored(() => localStorage, AUTHOR_KEY) ?? "";
author.addEventListener("change", () => {
  writeStored(() => localStorage, AUTHOR_KEY, author.value.trim() || null);
});
