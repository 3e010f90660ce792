// The editor's tags field: the author types a tag and presses Enter or comma to make it a chip. Chips carry
// [data-chosen-tag], which is how the suggestions widget reads them; tags not on the approved list are flagged.

import { searchTags } from "../api-client.js";
import { userText } from "../bidi.js";
import { TagCompletion } from "../tag-completion.js";
import { cleanTag, splitTagList, tagKey } from "../tag-names.js";

const COMPLETIONS = 8;

export class TagChips {
  private readonly completion: TagCompletion;

  constructor(
    private readonly chips: HTMLElement,
    private readonly entry: HTMLInputElement,
    private readonly completions: HTMLDataListElement,
  ) {
    this.completion = new TagCompletion(completions, COMPLETIONS, (tag) =>
      this.tags().some((chosen) => tagKey(chosen) === tagKey(tag)),
    );
    entry.addEventListener("keydown", (event) => this.onKeydown(event));
    entry.addEventListener("input", (event) => this.onInput(event as InputEvent));
    chips.addEventListener("click", (event) => {
      const remove = (event.target as Element).closest<HTMLElement>("[data-remove-tag]");
      if (!remove?.dataset.removeTag) return;
      this.remove(remove.dataset.removeTag);
      this.entry.focus();
    });
  }

  tags(): string[] {
    return Array.from(
      this.chips.querySelectorAll<HTMLElement>("[data-chosen-tag]"),
      (chip) => chip.dataset.chosenTag ?? "",
    );
  }

  /** Replace every chip: saved content's approved tags, then its unapproved ones, flagged. */
  set(approved: readonly string[], unapproved: readonly string[] = []): void {
    this.chips.replaceChildren();
    for (const tag of approved) this.add(tag, true);
    for (const tag of unapproved) this.add(tag, false);
  }

  /**
   * Adds a chip unless the tag is already chosen (in any spelling). `approved` when known (a suggestion, saved
   * content); otherwise the approved list is asked, and the chip flagged if the tag is not on it.
   */
  add(text: string, approved?: boolean): void {
    const tag = cleanTag(text);
    if (!tag || this.tags().some((t) => tagKey(t) === tagKey(tag))) return;
    const chip = document.createElement("li");
    chip.className = "chip";
    chip.dataset.chosenTag = tag;
    const name = userText(document.createElement("span"), tag);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.dataset.removeTag = tag;
    remove.setAttribute("aria-label", `Remove ${tag}`);
    remove.textContent = "×";
    chip.append(name, remove);
    this.chips.append(chip);
    if (approved === false) flag(chip);
    else if (approved === undefined) void this.checkApproved(chip, tag);
  }

  remove(tag: string): void {
    for (const chip of this.chips.querySelectorAll<HTMLElement>("[data-chosen-tag]"))
      if (chip.dataset.chosenTag === tag) chip.remove();
  }

  /** Turn what is left in the entry into chips (the author pressed Save without Enter). */
  commitEntry(): void {
    for (const tag of splitTagList(this.entry.value)) this.add(tag);
    this.entry.value = "";
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" || event.key === ",") {
      // Enter here makes a chip, never a half-finished save.
      event.preventDefault();
      this.commitEntry();
    } else if (event.key === "Backspace" && this.entry.value === "") {
      const tags = this.tags();
      if (tags.length > 0) this.remove(tags[tags.length - 1]);
    }
  }

  private onInput(event: InputEvent): void {
    const value = this.entry.value;
    // Pasted "a, b, c": every finished tag becomes a chip, the unfinished rest stays in the entry.
    if (value.includes(",")) {
      const rest = value.slice(value.lastIndexOf(",") + 1);
      for (const tag of splitTagList(value.slice(0, value.lastIndexOf(",")))) this.add(tag);
      this.entry.value = rest.trimStart();
      return;
    }
    // A completion picked from the list arrives whole: choose it at once.
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
      const picked = Array.from(this.completions.options).some((o) => o.value === value);
      if (picked) {
        this.add(value, true);
        this.entry.value = "";
        return;
      }
    }
    this.completion.offer(value);
  }

  /** Flag a typed tag that is neither an approved tag nor one of its aliases. */
  private async checkApproved(chip: HTMLElement, tag: string): Promise<void> {
    try {
      const { tags } = await searchTags(tag, 10);
      const key = tagKey(tag);
      const known = tags.some(
        (t) => tagKey(t.tag) === key || t.aliases.some((alias) => tagKey(alias) === key),
      );
      if (!known) flag(chip);
    } catch {
      // Unknown is not unapproved: the flag waits for the saved content's unapproved_tags.
    }
  }
}

function flag(chip: HTMLElement): void {
  chip.classList.add("unapproved");
  chip.title = "Not on the approved tag list: kept, but not used for search";
  const note = document.createElement("span");
  note.className = "chip-flag";
  note.textContent = "not approved";
  chip.firstElementChild?.after(note);
}
