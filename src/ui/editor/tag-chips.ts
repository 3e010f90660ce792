// The editor's tags field: the author types a tag and presses Enter or comma to make it a chip. Chips carry
// [data-chosen-tag], which is how the suggestions widget reads them; tags not on the approved list are flagged, and
// approved ones typed by another spelling or an alias are shown by their name, once, as the save keeps them.
// A tag the service would refuse (too long, one too many) never becomes a chip: it stays in the entry, and the
// notice beside the field says why.

import { MAX_AUTHOR_TAGS, MAX_TAG_CHARS, MAX_TAG_QUERY_CHARS } from "../../serve/limits.js";
import { searchTags } from "../api-client.js";
import type { TagsResponse } from "../api-types.js";
import { isolated, userText } from "../bidi.js";
import { TagCompletion } from "../tag-completion.js";
import { cleanTag, splitTagList, tagKey, tagKeys } from "../tag-names.js";

const COMPLETIONS = 8;
/** A refused tag is named in the notice by its opening only: the whole of a 300-character tag helps no one. */
const NAMED_CHARS = 40;

/** The chips saved content shows: its approved tags, then its unapproved ones, without repeats. */
export function chipTags(
  approved: readonly string[],
  unapproved: readonly string[] = [],
): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const text of [...approved, ...unapproved]) {
    const tag = cleanTag(text);
    if (!tag || seen.has(tagKey(tag))) continue;
    seen.add(tagKey(tag));
    tags.push(tag);
  }
  return tags;
}

export class TagChips {
  private readonly completion: TagCompletion;
  /** What the notice last said of refused tags (still in the entry): a later word about a repeat adds to it. */
  private refused = "";

  constructor(
    private readonly chips: HTMLElement,
    private readonly entry: HTMLInputElement,
    private readonly completions: HTMLDataListElement,
    private readonly notice: HTMLElement,
  ) {
    this.completion = new TagCompletion(completions, COMPLETIONS, (tag) =>
      this.tags().some((chosen) => tagKey(chosen) === tagKey(tag)),
    );
    entry.addEventListener("keydown", (event) => this.onKeydown(event));
    entry.addEventListener("input", (event) => this.onInput(event as InputEvent));
    chips.addEventListener("click", (event) => {
      const remove = (event.target as Element).closest<HTMLElement>("[data-remove-tag]");
      if (!remove?.dataset.removeTag) return;
      this.removeSaying(remove.dataset.removeTag);
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
    this.refused = "";
    this.notice.textContent = "";
    const approvedKeys = tagKeys(approved);
    for (const tag of chipTags(approved, unapproved))
      this.append(tag, approvedKeys.has(tagKey(tag)));
  }

  /**
   * Adds each tag as a chip unless it is already chosen (in any spelling). `approved` when known (a suggestion,
   * saved content); otherwise the approved list is asked, and the chip flagged if the tag is not on it. Returns the
   * tags refused for the service's limits, having said why in the notice.
   */
  add(texts: readonly string[], approved?: boolean): string[] {
    const [tooLong, tooMany] = this.place(texts, approved);
    this.refused = refusal(tooLong, tooMany);
    this.notice.textContent = this.refused;
    return [...tooLong, ...tooMany];
  }

  /**
   * Adds an accepted suggestion as a chip; returns why it was refused, or "". The notice is left as it is: it
   * speaks of the entry, and the widget says why where the author clicked.
   */
  addSuggestion(tag: string): string {
    return refusal(...this.place([tag], true));
  }

  /** Chips for the tags the service's limits allow; returns the tags refused, too long and one too many. */
  private place(texts: readonly string[], approved?: boolean): [string[], string[]] {
    const tooLong: string[] = [];
    const tooMany: string[] = [];
    let count = this.tags().length;
    for (const text of texts) {
      const tag = cleanTag(text);
      if (!tag || this.tags().some((t) => tagKey(t) === tagKey(tag))) continue;
      if (tag.length > MAX_TAG_CHARS) tooLong.push(tag);
      else if (count >= MAX_AUTHOR_TAGS) tooMany.push(tag);
      else {
        this.append(tag, approved);
        count++;
      }
    }
    return [tooLong, tooMany];
  }

  private append(tag: string, approved?: boolean): void {
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

  /** Shows `chip` as `tag`, the name of the approved tag its text is a spelling or an alias of. */
  private rename(chip: HTMLElement, tag: string): void {
    chip.dataset.chosenTag = tag;
    const name = chip.firstElementChild;
    if (name) name.textContent = tag;
    const remove = chip.querySelector<HTMLElement>("[data-remove-tag]");
    remove?.setAttribute("data-remove-tag", tag);
    remove?.setAttribute("aria-label", `Remove ${tag}`);
  }

  remove(tag: string): void {
    for (const chip of this.chips.querySelectorAll<HTMLElement>("[data-chosen-tag]"))
      if (chip.dataset.chosenTag === tag) chip.remove();
  }

  /**
   * Turn what is in the entry into chips (Enter, or Save pressed without it). Tags refused stay in the entry for the
   * author to shorten or drop; returns whether the entry is now empty.
   */
  commitEntry(): boolean {
    this.entry.value = this.add(splitTagList(this.entry.value)).join(", ");
    return this.entry.value === "";
  }

  /** Why tags were last refused, or "". */
  refusal(): string {
    return this.notice.textContent ?? "";
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" || event.key === ",") {
      // Enter here makes a chip, never a half-finished save.
      event.preventDefault();
      this.commitEntry();
    } else if (event.key === "Backspace" && this.entry.value === "") {
      const last = this.tags().at(-1);
      if (last !== undefined) this.removeSaying(last);
    }
  }

  /**
   * The author removes a chip (its × or Backspace): said in the field's live notice, as focus is then in the entry
   * and a screen reader user does not see the chip go.
   */
  private removeSaying(tag: string): void {
    this.remove(tag);
    this.refused = "";
    this.notice.textContent = `Removed ${tag}`;
  }

  private onInput(event: InputEvent): void {
    const value = this.entry.value;
    // Pasted "a, b, c": every finished tag becomes a chip, the unfinished rest stays in the entry.
    if (value.includes(",")) {
      const rest = value.slice(value.lastIndexOf(",") + 1).trimStart();
      const refused = this.add(splitTagList(value.slice(0, value.lastIndexOf(","))));
      this.entry.value = [...refused, rest].filter(Boolean).join(", ");
      return;
    }
    // A completion picked from the list arrives whole: choose it at once.
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
      const picked = Array.from(this.completions.options).some((o) => o.value === value);
      if (picked) {
        this.add([value], true);
        this.entry.value = "";
        return;
      }
    }
    // No tag is longer than a search may be (the service refuses a longer query): nothing to complete.
    this.completion.offer(value.trim().length > MAX_TAG_QUERY_CHARS ? "" : value);
  }

  /**
   * A typed tag as the save will keep it, once the approved list answers: flagged if it is neither an approved tag nor
   * one of its aliases; otherwise shown by the approved tag's name, and kept once. Until then (or with the service
   * away) chips are told apart by spelling only, and `gan` and `GANs` would be two chips of one tag. Of the chips that
   * are the same approved tag, the first keeps its place; the others go, and the notice says so.
   */
  private async checkApproved(chip: HTMLElement, tag: string): Promise<void> {
    let found: TagsResponse["tags"];
    try {
      ({ tags: found } = await searchTags(tag, 10));
    } catch {
      // Unknown is not unapproved: the flag waits for the saved content's unapproved_tags.
      return;
    }
    // Replaced meanwhile (other content opened, a save's answer adopted) or removed by the author.
    if (!chip.isConnected) return;
    const key = tagKey(tag);
    const approved = found.find(
      (t) => tagKey(t.tag) === key || t.aliases.some((alias) => tagKey(alias) === key),
    );
    if (!approved) {
      flag(chip);
      return;
    }
    const names = tagKeys([approved.tag, ...approved.aliases]);
    const same = Array.from(this.chips.querySelectorAll<HTMLElement>("[data-chosen-tag]")).filter(
      (c) => names.has(tagKey(c.dataset.chosenTag ?? "")),
    );
    const [kept, ...repeats] = same;
    if (kept) this.rename(kept, approved.tag);
    const dropped = repeats[0]?.dataset.chosenTag;
    if (dropped === undefined) return;
    for (const repeat of repeats) repeat.remove();
    const name = isolated(approved.tag);
    const repeated =
      tagKey(dropped) === tagKey(approved.tag)
        ? `${name} is already chosen.`
        : `“${isolated(dropped)}” is ${name}, already chosen.`;
    this.notice.textContent = [this.refused, repeated].filter(Boolean).join(" ");
  }
}

/** What the notice says of refused tags, naming the first of each kind (kept in the entry to shorten or drop). */
function refusal(tooLong: readonly string[], tooMany: readonly string[]): string {
  const named = (tags: readonly string[]) => {
    const first = tags[0] ?? "";
    const name = isolated(first.length > NAMED_CHARS ? `${first.slice(0, NAMED_CHARS)}…` : first);
    return tags.length === 1 ? `“${name}” was` : `“${name}” and ${tags.length - 1} more were`;
  };
  const reasons: string[] = [];
  if (tooLong.length > 0)
    reasons.push(
      `${named(tooLong)} not added: a tag has at most ${MAX_TAG_CHARS} characters${
        tooLong.length === 1 ? ` (this one has ${tooLong[0]?.length})` : ""
      }.`,
    );
  if (tooMany.length > 0)
    reasons.push(
      `${named(tooMany)} not added: content has at most ${MAX_AUTHOR_TAGS} tags. Remove one to add another.`,
    );
  return reasons.join(" ");
}

function flag(chip: HTMLElement): void {
  chip.classList.add("unapproved");
  chip.title = "Not on the approved tag list: kept, but not used for search";
  const note = document.createElement("span");
  note.className = "chip-flag";
  note.textContent = "not approved";
  chip.firstElementChild?.after(note);
}
