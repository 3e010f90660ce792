// <tagsmith-suggestions>: suggests approved tags while the author writes, in the host page's own form. It reads
// the host's fields, never writes them except to append an accepted tag to a plain tags input, and fails quietly:
// whatever the service does, the form keeps working. A tag the host refuses (tagsmith:add's detail.refuse) is not
// accepted: it stays suggested, and the widget says why.

import type { ApiSuggestion, ModelRef, ReportReason } from "../api-types.js";
import { newId } from "../random-id.js";
import { tagKey } from "../tag-names.js";
import { readChosenTags, watchChosenTags } from "./chosen-tags.js";
import { ContentReports } from "./content-reports.js";
import { type Delivery, FeedbackQueue, type FeedbackReply, feedbackSender } from "./feedback.js";
import { feedbackEvent, type Happening, shownHappening } from "./feedback-event.js";
import { offerToHost } from "./host-add.js";
import { type SuggestInput, SuggestionPoller, textKey } from "./poller.js";
import { placePopups } from "./popup-placement.js";
import { CONTROLS, renderGroups } from "./render.js";
import { ReportMenu } from "./report-menu.js";
import { rovingTarget } from "./roving-focus.js";
import { groupByCategory, needsNewSuggestions, newlyChosen, shortlist } from "./shortlist.js";
import { ShownLog } from "./shown-log.js";
import { applyStyles } from "./styles.js";
import { requestSuggestions, type SuggestAnswer, suggestBody } from "./suggest-request.js";

export const UNAVAILABLE = "Suggestions unavailable; you can keep writing.";
/** What the author hears of a report, as its delivery goes. */
export const REPORT_STATUS: Record<Delivery, string> = {
  sent: "Thanks, reported.",
  retrying: "Your report is not sent yet: it will be retried.",
  failed: "Your report could not be sent.",
};
const DEFAULT_LIMIT = 5;
const DEFAULT_DEBOUNCE_MS = 300;
const TIMEOUT_MS = 3_000;

/** The answer on screen: what the service suggested, and which of it the author took (until the tag is removed). */
interface Answer {
  requestId: string;
  /** The text it answered (textKey): shown for other text only while the service answers. */
  text: string;
  model: ModelRef;
  suggestions: ApiSuggestion[];
  accepted: Set<string>;
}

/**
 * The control that had the focus, or the tab stop, before a redraw, by the tag it is for: it gets them back wherever
 * that tag's suggestion moved, or its neighbour gets them if the tag left the list. By position, a late answer that
 * put a tag first moved the focus to another tag, and Enter then added that one.
 */
interface FocusMark {
  tag: string;
  kind: "tag" | "report";
  focused: boolean;
}

interface Fields {
  title: Element | null;
  description: Element | null;
  tags: Element | null;
}

interface Parts {
  label: HTMLElement;
  groups: HTMLElement;
  status: HTMLElement;
  /** Visually hidden: says how many suggestions came when the set on screen changes. */
  announcer: HTMLElement;
}

const FIELD_ATTRIBUTES = ["title-input", "description-input", "tags-input", "debounce"];

/** The tags on screen as a set, to tell whether an answer changed it. */
function shownSet(suggestions: readonly ApiSuggestion[]): string {
  return suggestions
    .map((s) => tagKey(s.tag))
    .sort()
    .join("\u0000");
}

function countText(n: number): string {
  if (n === 0) return "No suggestions";
  return n === 1 ? "1 suggestion" : `${n} suggestions`;
}

function fieldText(el: Element | null): string {
  if (!el) return "";
  return "value" in el ? String(el.value) : (el.textContent ?? "");
}

export class TagsmithSuggestions extends HTMLElement {
  static observedAttributes = [...FIELD_ATTRIBUTES, "limit", "session", "content-id"];
  /** Where the service is when no `endpoint` attribute says: the origin widget.js came from (set at load). */
  static defaultEndpoint = "";

  private currentSession = newId();
  private fields: Fields = { title: null, description: null, tags: null };
  private chosen: string[] = [];
  private answer: Answer | null = null;
  /** Reported tags stay away from the content they were reported on: the author said they do not belong. */
  private readonly reports = new ContentReports();
  /** Another tab reported on the content edited here: hidden here too, at once. */
  private readonly onStorage = (event: StorageEvent) => {
    if (this.reports.takeOtherTabs(event.key)) this.renderList();
  };
  /** Escape anywhere on the page hides a tooltip shown by hover, wherever focus is: the pointer need not move. */
  private readonly onPageKeydown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && this.parts?.groups.querySelector(".item:hover"))
      this.parts.groups.classList.add("quiet");
  };
  /** Content ids the service said it does not know, warned about once each. */
  private readonly unknownContent = new Set<number>();
  private readonly shownLog = new ShownLog();
  private displayed: ApiSuggestion[] = [];
  private parts: Parts | null = null;
  private poller: SuggestionPoller<SuggestAnswer> | null = null;
  private readonly feedback = new FeedbackQueue(
    (events, keepalive) => feedbackSender(this.endpoint)(events, keepalive),
    (reply) => this.onFeedbackStored(reply),
  );
  private disconnectors: Array<() => void> = [];
  /** What the status says of the tag the host last refused, until the chosen tags change. */
  private refusal = "";
  private active = 0;
  /**
   * While a report menu is open the list stays as it is (a redraw would take the menu and the focus in it away): an
   * answer that comes meanwhile is held, and any other redraw is owed, until the menu closes (afterMenu).
   */
  private heldAnswer: { result: SuggestAnswer; input: SuggestInput } | null = null;
  private redrawOwed = false;
  /** The last request failed: the service is away until an answer comes. */
  private unavailable = false;
  /** The list is hidden as the answer is for earlier text (answerIsStale at the last redraw). */
  private staleHidden = false;
  private readonly menu = new ReportMenu(
    (tag, reason) => this.report(tag, reason),
    () => this.afterMenu(),
  );

  /** The editing session: send it with the saved content so these suggestion events are linked to it. */
  get session(): string {
    return this.currentSession;
  }

  /**
   * The tags reported on the content being edited (the draft's, before a save). A host whose form moves on before a
   * save returns takes them when it sends the save and hands them to rememberReported with the saved id.
   */
  get reportedTags(): string[] {
    return [...this.reports.tags];
  }

  /** Keeps `tags` as reported for `contentId` (the saved draft the form has moved on from), as reset({afterSave}) would. */
  rememberReported(contentId: string, tags: Iterable<string>): void {
    if (this.reports.remember(contentId, tags)) this.renderList();
  }
  set session(value: string) {
    if (value) this.currentSession = String(value);
  }

  get endpoint(): string {
    return (this.getAttribute("endpoint") ?? TagsmithSuggestions.defaultEndpoint).replace(
      /\/+$/,
      "",
    );
  }

  get limit(): number {
    const n = Number.parseInt(this.getAttribute("limit") ?? "", 10);
    return n >= 1 ? Math.min(n, 20) : DEFAULT_LIMIT;
  }

  /** The suggestions on screen now. */
  get suggestions(): ApiSuggestion[] {
    return [...this.displayed];
  }

  connectedCallback(): void {
    // A host may set .session before widget.js upgraded the element: that own property would hide the accessor.
    if (Object.getOwnPropertyDescriptor(this, "session")) {
      const early = (this as { session: string }).session;
      delete (this as { session?: string }).session;
      this.session = early;
    }
    if (!this.parts) this.build();
    // Editing saved content: what was reported on it before this page load stays hidden.
    const contentId = this.getAttribute("content-id") ?? "";
    if (contentId !== this.reports.contentId) this.reports.keepFor(contentId);
    window.addEventListener("storage", this.onStorage);
    // Capturing: a host that stops Escape for its own use still lets it reach the tooltip.
    document.addEventListener("keydown", this.onPageKeydown, true);
    this.feedback.start();
    // Before the host page is parsed its fields may not exist yet.
    if (document.readyState !== "loading") this.connectFields();
    else {
      const whenParsed = () => this.isConnected && this.connectFields();
      document.addEventListener("DOMContentLoaded", whenParsed, { once: true });
    }
  }

  /** Off the page: no timer of the widget's is left running, and its pending feedback is sent now, with keepalive. */
  disconnectedCallback(): void {
    window.removeEventListener("storage", this.onStorage);
    document.removeEventListener("keydown", this.onPageKeydown, true);
    this.disconnectFields();
    this.feedback.stop();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === "session") this.session = value ?? "";
    else if (name === "limit") {
      this.renderList();
      // More than the last answer held (the old limit and its spares): asked again, for the same text.
      if (this.answer && this.limit > this.answer.suggestions.length) this.ask({ force: true });
    } else if (name === "content-id") {
      // Other content (or the draft saved): its reported tags, not the last one's.
      this.reports.keepFor(value ?? "");
      if (this.parts) this.renderList();
    } else if (FIELD_ATTRIBUTES.includes(name) && this.poller) this.connectFields();
  }

  /** Read the fields again (the host set their values from script, which fires no input event). */
  refresh(): void {
    this.chosen = readChosenTags(this.fields.tags);
    this.renderList();
    this.ask();
  }

  /**
   * Start a new editing session (after a save, or for other content): a new session id, nothing accepted,
   * suggestions asked again. Reported tags stay hidden for the content they were reported on. `afterSave`: the
   * suggestions of the text just saved are not logged as shown again until the author acts on one or edits.
   */
  reset({ afterSave = false } = {}): void {
    this.removeAttribute("session");
    this.currentSession = newId();
    this.shownLog.newSession(afterSave ? textKey(this.input()) : null);
    this.reports.keepFor(this.getAttribute("content-id") ?? "", { afterSave });
    this.reports.forgetDraft();
    this.answer = null;
    this.heldAnswer = null;
    this.setStatus("");
    this.poller?.forget();
    this.refresh();
  }

  private build(): void {
    const root = this.attachShadow({ mode: "open" });
    applyStyles(root);
    const label = document.createElement("p");
    label.className = "label";
    label.textContent = "Suggested tags";
    label.setAttribute("aria-hidden", "true");
    label.hidden = true;
    const groups = document.createElement("div");
    groups.className = "groups";
    groups.setAttribute("role", "group");
    groups.setAttribute("aria-label", "Suggested tags");
    groups.tabIndex = -1;
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    // Apart from the status line, so a count never hides a message and a message never hides a count.
    const announcer = document.createElement("p");
    announcer.className = "vh";
    announcer.setAttribute("aria-live", "polite");
    announcer.setAttribute("aria-atomic", "true");
    root.append(label, groups, status, announcer);
    this.parts = { label, groups, status, announcer };
    root.addEventListener("click", (event) => this.onClick(event));
    root.addEventListener("keydown", (event) => this.onKeydown(event as KeyboardEvent));
    root.addEventListener("focusin", (event) => this.onFocusin(event));
    root.addEventListener("focusout", (event) => this.onFocusout(event as FocusEvent));
    groups.addEventListener("pointerover", () => groups.classList.remove("quiet"));
    for (const type of ["pointerover", "focusin"]) groups.addEventListener(type, placePopups);
  }

  private connectFields(): void {
    this.disconnectFields();
    const root = this.getRootNode() as Document | ShadowRoot;
    const find = (attribute: string): Element | null => {
      const selector = this.getAttribute(attribute);
      try {
        return selector ? root.querySelector(selector) : null;
      } catch {
        return null; // an invalid selector: the widget stays idle rather than throw into the host page
      }
    };
    this.fields = {
      title: find("title-input"),
      description: find("description-input"),
      tags: find("tags-input"),
    };
    const debounce = Number.parseInt(this.getAttribute("debounce") ?? "", 10);
    this.poller = new SuggestionPoller<SuggestAnswer>({
      debounceMs: debounce >= 0 ? debounce : DEFAULT_DEBOUNCE_MS,
      timeoutMs: TIMEOUT_MS,
      request: (input, signal) =>
        requestSuggestions(
          this.endpoint,
          suggestBody(input, this.limit, this.getAttribute("content-id")),
          signal,
        ),
      onStart: () => this.parts?.groups.setAttribute("aria-busy", "true"),
      onResult: (answer, input) => this.onAnswer(answer, input),
      onFailure: () => this.onFailure(),
      onEmpty: () => this.onEmpty(),
    });
    const listen = (target: EventTarget | null, type: string, listener: () => void) => {
      target?.addEventListener(type, listener);
      this.disconnectors.push(() => target?.removeEventListener(type, listener));
    };
    const onText = () => {
      this.ask();
      // The service is away: suggestions for text no longer there go at once, and come back if it comes back.
      if (this.answerIsStale() !== this.staleHidden) this.renderList();
    };
    listen(this.fields.title, "input", onText);
    listen(this.fields.description, "input", onText);
    this.disconnectors.push(watchChosenTags(this.fields.tags, () => this.onChosenTags()));
    // The page may be closing: feedback waiting for a retry is sent now, or never. A tab closed while hidden
    // fires pagehide alone.
    listen(document, "visibilitychange", () => {
      if (document.visibilityState === "hidden") this.feedback.flushAll();
    });
    listen(window, "pagehide", () => this.feedback.flushAll());
    this.refresh();
  }

  private disconnectFields(): void {
    for (const disconnect of this.disconnectors.splice(0)) disconnect();
    this.poller?.cancel();
    this.poller = null;
  }

  /** Suggestions for the fields as they are now (the poller skips text it already asked for). */
  private ask(options?: { force: boolean }): void {
    const input = this.input();
    this.shownLog.asked(textKey(input));
    this.poller?.schedule(input, options);
  }

  private input(): SuggestInput {
    return {
      title: fieldText(this.fields.title),
      description: fieldText(this.fields.description),
      tags: this.chosen,
    };
  }

  private onAnswer(result: SuggestAnswer, input: SuggestInput): void {
    this.unavailable = false;
    if (this.menu.isOpen) {
      this.heldAnswer = { result, input };
      this.parts?.groups.removeAttribute("aria-busy");
      return;
    }
    const { response, latencyMs } = result;
    const before = shownSet(this.displayed);
    this.answer = {
      requestId: response.request_id,
      text: textKey(input),
      model: response.model,
      suggestions: response.suggestions,
      accepted: new Set(),
    };
    this.shownLog.newAnswer();
    // The service answered: it is not unavailable. A report's outcome stays until the next one.
    if (this.parts?.status.textContent === UNAVAILABLE) this.setStatus("");
    this.renderList(latencyMs);
    // Said when the set on screen changes, not at every re-poll that brings the same suggestions.
    if (shownSet(this.displayed) !== before) this.announce(countText(this.displayed.length));
    this.dispatchEvent(
      new CustomEvent("tagsmith:shown", {
        detail: { requestId: response.request_id, tags: this.displayed.map((s) => s.tag) },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private onFailure(): void {
    this.parts?.groups.removeAttribute("aria-busy");
    this.unavailable = true;
    // The last suggestions stay while the text is the text they were for (approved tags, still worth a click while
    // the service is away); for other text they go: they may fit it no longer, and a click would log the tag as
    // accepted under a request for text that is gone.
    if (this.answerIsStale() !== this.staleHidden) this.renderList();
    // A report waiting for its retry keeps its words: replaced at every failed poll, a screen reader would hear the
    // two messages alternate, and the author asked about the report.
    if (this.parts?.status.textContent === REPORT_STATUS.retrying) return;
    this.setStatus(UNAVAILABLE);
  }

  private onEmpty(): void {
    this.answer = null;
    this.heldAnswer = null;
    this.setStatus("");
    this.renderList();
  }

  private onChosenTags(): void {
    const next = readChosenTags(this.fields.tags);
    const added = newlyChosen(this.chosen, next);
    const removed = newlyChosen(next, this.chosen);
    this.chosen = next;
    if (this.parts?.status.textContent === this.refusal) this.setStatus("");
    const answer = this.answer;
    // A tag taken from the list and then removed again is a suggestion again.
    for (const tag of removed) answer?.accepted.delete(tagKey(tag));
    this.renderList();
    if (!answer) return;
    // A new tag may be an alias only the service resolves; a removed tag none of the suggestions names (by name)
    // may be one the service left out because it was chosen.
    if (
      needsNewSuggestions(added, answer.suggestions) ||
      needsNewSuggestions(removed, answer.suggestions)
    )
      this.ask({ force: true });
  }

  /** Show the answer's best suggestions not chosen, accepted or reported; log the ones shown for the first time. */
  private renderList(latencyMs?: number): void {
    const parts = this.parts;
    if (!parts) return;
    parts.groups.removeAttribute("aria-busy");
    if (this.menu.isOpen) {
      this.redrawOwed = true;
      return;
    }
    this.redrawOwed = false;
    this.staleHidden = this.answerIsStale();
    const answer = this.staleHidden ? null : this.answer;
    const hidden = new Set([...this.reports.tags, ...(answer?.accepted ?? [])]);
    const mark = this.focusMark();
    const before = this.displayed.map((s) => s.tag);
    this.displayed = answer ? shortlist(answer.suggestions, this.chosen, hidden, this.limit) : [];
    const ended = !!answer && answer.suggestions.length > 0 && this.displayed.length === 0;
    renderGroups(parts.groups, groupByCategory(this.displayed), ended);
    parts.label.hidden = this.displayed.length === 0;
    this.restoreFocus(mark, before);
    if (!answer || this.shownLog.quiet) return;
    this.logShown(latencyMs);
  }

  /** The service is away and the answer on hand was for text the author has since changed. */
  private answerIsStale(): boolean {
    return this.unavailable && this.answer !== null && this.answer.text !== textKey(this.input());
  }

  /** The menu closed: the answer held and the redraw owed meanwhile come now. */
  private afterMenu(): void {
    if (this.menu.isOpen) return;
    const held = this.heldAnswer;
    this.heldAnswer = null;
    if (held) this.onAnswer(held.result, held.input);
    else if (this.redrawOwed) this.renderList();
  }

  /** The control focused in the list, else the list's tab stop, by tag; null when there is neither. */
  private focusMark(): FocusMark | null {
    const focused = this.shadowRoot?.activeElement;
    const stop =
      focused instanceof HTMLElement && this.controls().includes(focused as HTMLButtonElement);
    const control = stop ? (focused as HTMLElement) : this.controls()[this.active];
    if (!control) return null;
    const { tag, report } = control.dataset;
    if (tag !== undefined) return { tag, kind: "tag", focused: stop };
    if (report !== undefined) return { tag: report, kind: "report", focused: stop };
    return null;
  }

  /**
   * After a redraw: the marked control again, or, its tag gone, the tag button of the nearest suggestion after it
   * (before it at the end) in `before`, the order the tags were in. Focus is given back only if it was in the list.
   */
  private restoreFocus(mark: FocusMark | null, before: readonly string[]): void {
    const controls = this.controls();
    if (!mark) {
      this.setActive(Math.min(this.active, controls.length - 1), false);
      return;
    }
    const indexOf = (tag: string, kind: "tag" | "report") =>
      controls.findIndex((c) => c.dataset[kind] === tag);
    let index = indexOf(mark.tag, mark.kind);
    const at = before.indexOf(mark.tag);
    const neighbours = [...before.slice(at + 1), ...before.slice(0, Math.max(at, 0)).reverse()];
    for (const tag of neighbours) {
      if (index >= 0) break;
      index = indexOf(tag, "tag");
    }
    this.setActive(Math.max(index, 0), mark.focused);
  }

  /** Logs the suggestions on screen not logged yet for this answer as shown. */
  private logShown(latencyMs?: number): void {
    const fresh = this.shownLog.fresh(this.displayed);
    if (fresh.length > 0) this.post(shownHappening(fresh, this.chosen, latencyMs));
  }

  /**
   * Hands the tag to the host (host-add). An added tag is logged as accepted; a refused one is not accepted, stays in
   * the list, and the status says why.
   */
  private accept(tag: string): void {
    const suggestion = this.displayed.find((s) => s.tag === tag);
    const answer = this.answer;
    if (!suggestion || !answer) return;
    // Out of the list first: a host that adds the tag synchronously then sees a list without it.
    answer.accepted.add(tagKey(tag));
    const refusal = offerToHost(
      this,
      tag,
      suggestion,
      () => this.fields.tags,
      // Logged before the widget's own append, whose input event may bring the next suggestion's shown event.
      () => {
        this.endQuiet();
        this.post({ type: "accepted", tag });
      },
    );
    if (refusal !== undefined) {
      answer.accepted.delete(tagKey(tag));
      this.refusal = refusal;
      this.setStatus(refusal);
    }
    this.renderList();
  }

  /** The author acts on a suggestion of the text just saved: what is on screen is shown in this session now. */
  private endQuiet(): void {
    if (this.shownLog.acted()) this.logShown();
  }

  private report(tag: string, reason: ReportReason): void {
    this.endQuiet();
    this.reports.report(tag);
    // Thanked once the service has it, not before: a report that cannot be delivered says so.
    this.post({ type: "reported", tag, reason }, (delivery) =>
      this.setStatus(REPORT_STATUS[delivery]),
    );
    this.renderList();
  }

  private post(happening: Happening, onDelivery?: (delivery: Delivery) => void): void {
    const context = {
      session: this.currentSession,
      contentId: this.getAttribute("content-id"),
      answer: this.answer,
    };
    this.feedback.add(feedbackEvent(happening, context), onDelivery);
  }

  /** The service kept events naming content it does not know (a host's own id), without it: tell the developer. */
  private onFeedbackStored({ body }: FeedbackReply): void {
    for (const id of body?.unknown_content_ids ?? []) {
      if (this.unknownContent.has(id)) continue;
      this.unknownContent.add(id);
      console.warn(
        `<tagsmith-suggestions>: content-id="${id}" is no content saved in tagsmith, so its feedback is kept without it. Send the element's session with the saved content (POST /v1/content) to link the feedback, or leave content-id out.`,
      );
    }
  }

  private setStatus(text: string): void {
    // The same text again is no news: rewriting it could have a screen reader say it again.
    if (this.parts && this.parts.status.textContent !== text) this.parts.status.textContent = text;
  }

  /** Polite and brief. The same words as last time get a trailing no-break space, so they are said again. */
  private announce(text: string): void {
    const announcer = this.parts?.announcer;
    if (announcer) announcer.textContent = announcer.textContent === text ? `${text}\u00a0` : text;
  }

  private controls(): HTMLButtonElement[] {
    return this.parts
      ? Array.from(this.parts.groups.querySelectorAll<HTMLButtonElement>(CONTROLS))
      : [];
  }

  /** One tab stop for the whole list: only the active control is in the tab order. */
  private setActive(index: number, focus: boolean): void {
    const controls = this.controls();
    if (controls.length === 0) {
      this.active = 0;
      // The focused suggestion is gone and no other is left: keep focus in the widget, not lost to the page.
      if (focus) this.parts?.groups.focus();
      return;
    }
    this.active = Math.min(index, controls.length - 1);
    controls.forEach((c, i) => {
      c.tabIndex = i === this.active ? 0 : -1;
    });
    if (focus) controls[this.active].focus();
  }

  private onClick(event: Event): void {
    const button = (event.target as Element).closest("button");
    if (!button) return;
    const { tag, report, reason } = button.dataset;
    if (tag !== undefined) this.accept(tag);
    else if (report !== undefined) this.menu.toggle(button, report);
    else if (reason !== undefined) this.menu.choose(reason as ReportReason);
  }

  private onKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (this.menu.contains(target)) {
      this.menu.onKeydown(event);
      return;
    }
    if (event.key === "Escape") {
      // Hover and focus tooltips must be dismissable without moving.
      this.parts?.groups.classList.add("quiet");
      return;
    }
    const controls = this.controls();
    const index = controls.indexOf(target as HTMLButtonElement);
    if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const next = rovingTarget(event.key, index, controls.length);
    if (next === null) return;
    event.preventDefault();
    this.setActive(next, true);
  }

  private onFocusin(event: Event): void {
    const index = this.controls().indexOf(event.target as HTMLButtonElement);
    if (index >= 0 && index !== this.active) this.setActive(index, false);
  }

  private onFocusout(event: FocusEvent): void {
    this.parts?.groups.classList.remove("quiet");
    this.menu.onFocusout(event.relatedTarget as Node | null);
  }
}
