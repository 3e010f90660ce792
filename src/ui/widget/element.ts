// <tagsmith-suggestions>: suggests approved tags while the author writes, in the host page's own form. It reads
// the host's fields, never writes them except to append an accepted tag to a plain tags input, and fails quietly:
// whatever the service does, the form keeps working. A tag the host refuses (tagsmith:add's detail.refuse) is not
// accepted: it stays suggested, and the widget says why. The element ties the pieces beside it together: the host's
// fields and attributes, the poller's answers, and which suggestions to show; the screen (list-view), the host's
// tags (host-add), reports (content-reports) and feedback (shown-log, feedback-event) are theirs.

import type { ApiSuggestion, ModelRef, ReportReason } from "../api-types.js";
import { newId } from "../random-id.js";
import { tagKey } from "../tag-names.js";
import { readChosenTags, watchChosenTags } from "./chosen-tags.js";
import { ContentReports } from "./content-reports.js";
import { type Delivery, FeedbackQueue, type FeedbackReply, feedbackSender } from "./feedback.js";
import { feedbackEvent, type Happening, shownHappening } from "./feedback-event.js";
import { offerToHost } from "./host-add.js";
import { ListView } from "./list-view.js";
import { type SuggestInput, SuggestionPoller, textKey } from "./poller.js";
import { ReportMenu } from "./report-menu.js";
import { needsNewSuggestions, newlyChosen, shortlist } from "./shortlist.js";
import { ShownLog } from "./shown-log.js";
import { applyStyles } from "./styles.js";
import { requestSuggestions, type SuggestAnswer, suggestBody } from "./suggest-request.js";

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

interface Fields {
  title: Element | null;
  description: Element | null;
  tags: Element | null;
}

const FIELD_ATTRIBUTES = ["title-input", "description-input", "tags-input", "debounce"];

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
    if (event.key === "Escape") this.view?.quietHovered();
  };
  /** Content ids the service said it does not know, warned about once each. */
  private readonly unknownContent = new Set<number>();
  private readonly shownLog = new ShownLog();
  private view: ListView | null = null;
  private poller: SuggestionPoller<SuggestAnswer> | null = null;
  private readonly feedback = new FeedbackQueue(
    (events, keepalive) => feedbackSender(this.endpoint)(events, keepalive),
    (reply) => this.onFeedbackStored(reply),
  );
  private disconnectors: Array<() => void> = [];
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
    return [...(this.view?.shown ?? [])];
  }

  connectedCallback(): void {
    // A host may set .session before widget.js upgraded the element: that own property would hide the accessor.
    if (Object.getOwnPropertyDescriptor(this, "session")) {
      const early = (this as { session: string }).session;
      delete (this as { session?: string }).session;
      this.session = early;
    }
    if (!this.view) this.build();
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
      if (this.view) this.renderList();
    } else if (FIELD_ATTRIBUTES.includes(name) && this.poller) this.connectFields();
  }

  /** Read the fields again (the host set their values from script, which fires no input event). */
  refresh(): void {
    this.chosen = readChosenTags(this.fields.tags);
    this.renderList();
    this.ask();
  }

  /**
   * Start a new editing session (after a save, or for other content): a new session id, suggestions asked again.
   * Reported tags stay hidden for the content they were reported on. `afterSave`: the suggestions of the text just
   * saved stay on screen until the new answer comes (emptied meanwhile, the list blinked and its count was said
   * again at every save) and are not logged as shown again until the author acts on one or edits; a click on one
   * meanwhile is logged under the request that brought it.
   */
  reset({ afterSave = false } = {}): void {
    this.removeAttribute("session");
    this.currentSession = newId();
    const saved = textKey(this.input());
    this.shownLog.newSession(afterSave ? saved : null);
    this.reports.keepFor(this.getAttribute("content-id") ?? "", { afterSave });
    this.reports.forgetDraft();
    if (!afterSave || this.answer?.text !== saved) this.answer = null;
    this.heldAnswer = null;
    this.view?.setStatus(null);
    this.poller?.forget();
    this.refresh();
  }

  private build(): void {
    const root = this.attachShadow({ mode: "open" });
    applyStyles(root);
    this.view = new ListView(root);
    root.addEventListener("click", (event) => this.onClick(event));
    root.addEventListener("keydown", (event) => this.onKeydown(event as KeyboardEvent));
    root.addEventListener("focusout", (event) => this.onFocusout(event as FocusEvent));
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
      onStart: () => this.view?.setBusy(true),
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
      this.view?.setBusy(false);
      return;
    }
    const { response, latencyMs } = result;
    const before = this.view?.shownSet();
    this.answer = {
      requestId: response.request_id,
      text: textKey(input),
      model: response.model,
      suggestions: response.suggestions,
      accepted: new Set(),
    };
    this.shownLog.newAnswer();
    // The service answered: it is not unavailable. A report's outcome stays until the next one.
    if (this.view?.status === "unavailable") this.view.setStatus(null);
    this.renderList(latencyMs);
    // Said when the set on screen changes, not at every re-poll that brings the same suggestions.
    this.view?.announceCount(before);
    this.dispatchEvent(
      new CustomEvent("tagsmith:shown", {
        detail: { requestId: response.request_id, tags: this.suggestions.map((s) => s.tag) },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private onFailure(): void {
    const view = this.view;
    view?.setBusy(false);
    this.unavailable = true;
    // The last suggestions stay while the text is the text they were for (approved tags, still worth a click while
    // the service is away); for other text they go: they may fit it no longer, and a click would log the tag as
    // accepted under a request for text that is gone.
    if (this.answerIsStale() !== this.staleHidden) this.renderList();
    if (!view) return;
    // A report waiting for its retry keeps its words: replaced at every failed poll, a screen reader would hear the
    // two messages alternate, and the author asked about the report.
    if (view.status !== "retrying") view.setStatus("unavailable");
  }

  private onEmpty(): void {
    this.answer = null;
    this.heldAnswer = null;
    this.view?.setStatus(null);
    this.renderList();
  }

  private onChosenTags(): void {
    const next = readChosenTags(this.fields.tags);
    const added = newlyChosen(this.chosen, next);
    const removed = newlyChosen(next, this.chosen);
    this.chosen = next;
    // The same tags (the change event of a field the author leaves, a comma typed): nothing to redraw. A redraw here
    // would replace the suggestion being pressed or tabbed to, and the click or the focus would reach nothing.
    if (added.length === 0 && removed.length === 0) return;
    // What the status said of the tag the host last refused holds until the chosen tags change.
    if (this.view?.status === "refused") this.view.setStatus(null);
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
    const view = this.view;
    if (!view) return;
    view.setBusy(false);
    if (this.menu.isOpen) {
      this.redrawOwed = true;
      return;
    }
    this.redrawOwed = false;
    this.staleHidden = this.answerIsStale();
    const answer = this.staleHidden ? null : this.answer;
    const hidden = new Set([...this.reports.tags, ...(answer?.accepted ?? [])]);
    const shown = answer ? shortlist(answer.suggestions, this.chosen, hidden, this.limit) : [];
    view.show(shown, !!answer && answer.suggestions.length > 0 && shown.length === 0);
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

  /** Logs the suggestions on screen not logged yet for this answer as shown. */
  private logShown(latencyMs?: number): void {
    const fresh = this.shownLog.fresh(this.view?.shown ?? []);
    if (fresh.length > 0) this.post(shownHappening(fresh, this.chosen, latencyMs));
  }

  /**
   * Hands the tag to the host (host-add). An added tag is logged as accepted; a refused one is not accepted, stays in
   * the list, and the status says why.
   */
  private accept(tag: string): void {
    const suggestion = this.view?.shown.find((s) => s.tag === tag);
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
      this.view?.setStatus("refused", refusal);
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
    this.post({ type: "reported", tag, reason }, (delivery) => this.view?.setStatus(delivery));
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

  private onClick(event: Event): void {
    const button = (event.target as Element).closest("button");
    if (!button) return;
    const { tag, report, reason } = button.dataset;
    if (tag !== undefined) this.accept(tag);
    else if (report !== undefined) this.menu.toggle(button, report);
    else if (reason !== undefined) this.menu.choose(reason as ReportReason);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (this.menu.contains(event.target as HTMLElement)) {
      this.menu.onKeydown(event);
      return;
    }
    // Hover and focus tooltips must be dismissable without moving.
    if (event.key === "Escape") this.view?.quiet();
    else this.view?.rove(event);
  }

  private onFocusout(event: FocusEvent): void {
    this.menu.onFocusout(event.relatedTarget as Node | null);
  }
}
