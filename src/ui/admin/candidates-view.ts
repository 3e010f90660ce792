// Taxonomy candidates: tags authors typed that are not approved, most used first. Each can be proposed as a new
// approved tag or as an alias of one (picked from the approved list); a proposal waits for review, it changes
// nothing by itself.

import { ApiFailure } from "../api-client.js";
import { isolated, userText } from "../bidi.js";
import { TagCompletion } from "../tag-completion.js";
import type { TaxonomyCandidate, TaxonomyChange } from "./admin-types.js";
import { type ConsoleContext, type ConsoleSection, showLoadFailure } from "./console-context.js";
import { formatCount } from "./figures.js";
import { byId, element, showStatus, tableNote, tableRow } from "./nodes.js";

const LIMIT = 100;
const EXAMPLES = 3;
const COMPLETIONS = 10;

export class CandidatesView implements ConsoleSection {
  private loaded = false;

  private readonly body = byId<HTMLTableElement>("candidates-table").tBodies[0];
  private readonly status = byId("candidates-status");
  private readonly approved = byId<HTMLDataListElement>("approved-tags");
  private readonly completion = new TagCompletion(this.approved, COMPLETIONS);

  constructor(private readonly context: ConsoleContext) {
    byId("candidates-refresh").addEventListener("click", () => void this.load());
  }

  show(): void {
    if (!this.loaded) void this.load();
  }

  clear(): void {
    this.loaded = false;
    this.body.replaceChildren();
    showStatus(this.status, "");
  }

  private async load(): Promise<void> {
    this.loaded = true;
    showStatus(this.status, "Loading…");
    try {
      const { candidates } = await this.context.api().candidates(LIMIT);
      showStatus(this.status, "");
      if (candidates.length === 0) {
        tableNote(this.body, 5, "No candidates: every tag authors use is approved.");
        return;
      }
      const ranked = [...candidates].sort((a, b) => b.uses - a.uses || b.authors - a.authors);
      this.body.replaceChildren(...ranked.map((candidate) => this.row(candidate)));
    } catch (error) {
      this.loaded = false;
      showLoadFailure(this.status, error, "The candidates");
    }
  }

  private row(candidate: TaxonomyCandidate): HTMLTableRowElement {
    const examples = element("ul", "examples");
    for (const example of candidate.examples.slice(0, EXAMPLES)) {
      const item = userText(element("li"), example.title);
      item.title = `content #${example.content_id}`;
      examples.append(item);
    }
    const proposal = element("div", "proposal");
    if (candidate.proposal) proposal.append(proposed(candidate.proposal));
    else this.offer(proposal, candidate.tag);
    // The candidate is named by its key (case, spaces and hyphens folded, as approved names are written); what
    // authors actually typed is worth seeing before approving it, even when it is one spelling.
    const name = element("span");
    name.append(userText(element("span", "candidate-tag"), candidate.tag));
    const typed = candidate.spellings.filter((spelling) => spelling !== candidate.tag);
    if (typed.length)
      name.append(element("span", "spellings", `typed as ${typed.map(isolated).join(", ")}`));
    const row = tableRow(
      [name, formatCount(candidate.uses), formatCount(candidate.authors), examples, proposal],
      1,
      [1, 2],
    );
    row.dataset.candidate = candidate.tag;
    return row;
  }

  /**
   * The two proposals a candidate can get, as buttons. Each name starts with the button's visible words and then
   * says which candidate, so a reader who says what they see ("click Approve as new tag") reaches it (WCAG 2.5.3).
   */
  private offer(cell: HTMLElement, tag: string): { alias: HTMLButtonElement } {
    const approve = element("button", "secondary", "Approve as new tag");
    approve.type = "button";
    approve.setAttribute("aria-label", `Approve as new tag: ${tag}`);
    approve.addEventListener("click", () => void this.propose(cell, tag, { action: "approve" }));
    const alias = element("button", "secondary", "Alias of…");
    alias.type = "button";
    alias.setAttribute("aria-label", `Alias of…: make ${tag} an alias of an approved tag`);
    alias.addEventListener("click", () => this.pickAlias(cell, tag));
    cell.replaceChildren(approve, alias);
    return { alias };
  }

  /**
   * "Alias of…" opens a field completing approved tags in the cell. Cancel, or Escape in the form, puts the buttons
   * back with the focus on "Alias of…", where it was: the field and its buttons go, and the focus would fall to the
   * page.
   */
  private pickAlias(cell: HTMLElement, tag: string): void {
    const form = element("form", "alias-form");
    form.noValidate = true;
    const input = element("input");
    input.type = "text";
    input.setAttribute("list", this.approved.id);
    input.autocomplete = "off";
    input.placeholder = "approved tag";
    input.setAttribute("aria-label", `Approved tag that ${tag} is an alias of`);
    input.addEventListener("input", () => this.completion.offer(input.value));
    const submit = element("button", "primary", "Propose");
    submit.type = "submit";
    const cancel = element("button", "link", "Cancel");
    cancel.type = "button";
    const back = () => this.offer(cell, tag).alias.focus();
    cancel.addEventListener("click", back);
    // Were the browser's list of completions open, a first Escape would close it, not reach the page.
    form.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      back();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const target = input.value.trim();
      if (!target) {
        input.focus();
        return;
      }
      void this.propose(cell, tag, { action: "alias", alias_of: target });
    });
    form.append(input, submit, cancel);
    cell.replaceChildren(form);
    input.focus();
  }

  private async propose(
    cell: HTMLElement,
    tag: string,
    proposal: { action: "approve" } | { action: "alias"; alias_of: string },
  ): Promise<void> {
    const proposer = this.context.reviewer();
    if (!proposer) {
      this.context.askReviewer("Add your name first: it is recorded with each proposal.");
      return;
    }
    cell.setAttribute("aria-busy", "true");
    try {
      const change = await this.context.api().propose(tag, { ...proposal, proposer });
      const what =
        change.action === "alias" ? `an alias of ${isolated(change.alias_of ?? "")}` : "a new tag";
      settleProposal(
        cell,
        proposed(change),
        this.status,
        `${isolated(tag)} proposed as ${what}, pending review.`,
      );
    } catch (error) {
      const status = error instanceof ApiFailure ? error.status : 0;
      if (status === 401) return;
      if (status === 409)
        settleProposal(
          cell,
          element("span", "proposed", "Already proposed, pending review"),
          this.status,
          `${isolated(tag)} was already proposed: it is pending review.`,
        );
      else
        showStatus(
          this.status,
          `${isolated(tag)} was not proposed: ${error instanceof ApiFailure && status ? error.message : "the service could not be reached"}.`,
          "error",
        );
    } finally {
      cell.removeAttribute("aria-busy");
    }
  }
}

/**
 * The proposal cell's buttons or field give way to `note`. When the focus was in them (the button pressed, the
 * field Enter was pressed in) it goes to the note, in the same row, rather than falling to the page; the status
 * line (a live region) says what happened.
 */
function settleProposal(
  cell: HTMLElement,
  note: HTMLElement,
  status: HTMLElement,
  said: string,
): void {
  const focused = cell.contains(document.activeElement);
  note.tabIndex = -1;
  cell.replaceChildren(note);
  if (focused) note.focus();
  showStatus(status, said, "ok");
}

/** A proposal already made: what it is, and that it waits for review. */
function proposed(change: Pick<TaxonomyChange, "action" | "alias_of" | "proposer">): HTMLElement {
  const what = change.action === "alias" ? `Alias of ${change.alias_of}` : "New tag";
  const note = element("span", "proposed", `${what}: proposed, pending review`);
  note.title = `proposed by ${change.proposer}`;
  return note;
}
