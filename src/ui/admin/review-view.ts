// The review queue, the console's main work: one pending item at a time, large, with two big answers and a key
// for each. A decision moves on to the next item, with Undo (u) beside the word that it was recorded, to take a stray
// key back; one someone else decided first is skipped with a word.

import { ApiFailure } from "../api-client.js";
import { bidiControlsShown, isolated, userText } from "../bidi.js";
import type { ReviewItem } from "./admin-types.js";
import { type ConsoleContext, type ConsoleSection, showLoadFailure } from "./console-context.js";
import { formatCount } from "./figures.js";
import { byId, element, showStatus } from "./nodes.js";
import { ReviewCursor } from "./review-cursor.js";
import { whyQueued } from "./review-reasons.js";
import { REVIEW_SHORTCUTS, type ReviewAction, reviewShortcut } from "./review-shortcuts.js";

/**
 * Pending items fetched at once; the next page is fetched when the reviewer steps past the last one held, or when
 * these are all decided.
 */
const PAGE = 50;

/**
 * How long the shown item must stay before it is announced: j held down, or pressed several times, says the item
 * the reviewer stopped on once, not every item passed on the way.
 */
const ANNOUNCE_AFTER_MS = 300;

/** An answer or undo not answered after this long is shown on its way; a quicker one would only flash it. */
const SLOW_MS = 300;

/** A decision made here, as the item was and as deciding answered. */
interface Decision {
  item: ReviewItem;
  decided: ReviewItem;
}

/** An answer or an undo on its way to the service: what the status line says of it, and which it is, for styles. */
interface Work {
  said: string;
  kind: "belongs" | "not_belongs" | "undo";
}

export class ReviewView implements ConsoleSection {
  private readonly cursor = new ReviewCursor<ReviewItem>();
  private counts: { pending: number; decided: number } | null = null;
  private loaded = false;
  /** The first page (or, once those held are decided, the next) is being fetched. */
  private loading = false;
  /** What is on its way to the service; null when nothing is. */
  private working: Work | null = null;
  private slow: ReturnType<typeof setTimeout> | undefined;
  /** The next page is being fetched: a j held down meanwhile asks for it once. */
  private fetching = false;
  /** The decision the status line offers to undo: the last one made here, while the line still speaks of it. */
  private undoable: Decision | null = null;

  private readonly panel = byId("panel-review");
  private readonly card = byId("review-card");
  private readonly empty = byId("review-empty");
  private readonly status = byId("review-status");
  private readonly countsLine = byId("review-counts");
  private readonly tabCount = byId("tab-review-count");
  private readonly help = byId<HTMLDialogElement>("shortcut-help");
  private readonly announcer = byId("review-announcer");
  private announcing: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly context: ConsoleContext) {
    byId("decide-belongs").addEventListener("click", () => void this.decide(true));
    byId("decide-not").addEventListener("click", () => void this.decide(false));
    byId("review-next").addEventListener("click", () => void this.step("next"));
    byId("review-previous").addEventListener("click", () => void this.step("previous"));
    renderShortcuts(byId("review-shortcuts"), byId("shortcut-list"));
  }

  show(): void {
    if (!this.loaded) void this.load();
  }

  clear(): void {
    this.loaded = false;
    this.counts = null;
    this.cursor.reset([]);
    this.say("");
    clearTimeout(this.announcing);
    this.announcer.textContent = "";
    this.end();
    this.render();
  }

  /** Focus on the answers when an item is shown; false when none is. */
  focusAnswers(): boolean {
    if (this.card.hidden || !this.cursor.current) return false;
    byId("decide-belongs").focus();
    return true;
  }

  /** The queue's keys, from the page's keydown listener while this section is open. */
  onKeydown(event: KeyboardEvent): void {
    if (this.help.open) return;
    const action = reviewShortcut({
      key: event.key,
      code: event.code,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      target: event.target as HTMLElement | null,
    });
    if (!action) return;
    event.preventDefault();
    this.act(action);
  }

  private act(action: ReviewAction): void {
    if (action === "belongs") void this.decide(true);
    else if (action === "not_belongs") void this.decide(false);
    else if (action === "undo") void this.undo();
    else if (action === "help") this.help.showModal();
    else void this.step(action);
  }

  private async load(): Promise<void> {
    this.loaded = true;
    this.loading = true;
    this.card.setAttribute("aria-busy", "true");
    this.render();
    try {
      const api = this.context.api();
      const [pending, decided] = await Promise.all([
        api.reviewQueue("pending", PAGE),
        api.reviewQueue("decided", 1),
      ]);
      this.cursor.reset(pending.items);
      this.counts = { pending: pending.total, decided: decided.total };
    } catch (error) {
      this.loaded = false;
      this.undoable = null;
      showLoadFailure(this.status, error, "The review queue", "Try again");
    } finally {
      this.loading = false;
      this.card.removeAttribute("aria-busy");
      this.render();
    }
  }

  private async step(direction: "next" | "previous"): Promise<void> {
    if (this.working) return this.ignored();
    if (direction === "next" && this.fetching) return;
    let moved = direction === "next" ? this.cursor.next() : this.cursor.previous();
    if (!moved && direction === "next" && this.morePending()) {
      const more = await this.loadMore();
      if (more === null) return;
      moved = more > 0 && this.cursor.next();
    }
    const edge =
      direction === "next" ? "This is the last pending item." : "This is the first item.";
    // An offer to undo stays while the reviewer looks around.
    if (!this.undoable) this.say(moved ? "" : edge);
    this.render();
    if (moved) this.announceItem();
  }

  /** The queue holds more pending items than are loaded here. */
  private morePending(): boolean {
    return this.counts !== null && this.cursor.position.of < this.counts.pending;
  }

  /**
   * The pending items after those held, appended to them; how many, or null when they could not be fetched (the
   * status line says so). The page starts up to a page before the end of those held, not at their count: items
   * decided elsewhere since shift the queue back, and an offset from the count would skip as many. The overlap is
   * dropped by id.
   */
  private async loadMore(): Promise<number | null> {
    this.fetching = true;
    this.card.setAttribute("aria-busy", "true");
    try {
      const held = this.cursor.position.of;
      const page = await this.context
        .api()
        .reviewQueue("pending", 2 * PAGE, Math.max(held - PAGE, 0));
      if (this.counts) this.counts.pending = page.total;
      return this.cursor.extend(page.items);
    } catch (error) {
      const status = error instanceof ApiFailure ? error.status : 0;
      if (status !== 401)
        this.say(
          `More items could not be loaded: ${failure(error)}. Press j to try again.`,
          "error",
        );
      return null;
    } finally {
      this.fetching = false;
      this.card.removeAttribute("aria-busy");
      this.render();
    }
  }

  private async decide(applies: boolean): Promise<void> {
    if (this.working) return this.ignored();
    const item = this.cursor.current;
    if (!item) return;
    const reviewer = this.context.reviewer();
    if (!reviewer) {
      this.context.askReviewer("Add your name first: it is recorded with each decision.");
      return;
    }
    const focused = this.focusInQueue();
    const answer = `${isolated(item.tag)} ${applies ? "belongs" : "does not belong"} to “${isolated(item.title)}”`;
    this.begin({ said: `Recording: ${answer}…`, kind: applies ? "belongs" : "not_belongs" });
    try {
      const decided = await this.context.api().decide(item.id, { applies, reviewer });
      this.settle(item, true);
      this.say(`Recorded: ${answer}.`, "ok", { item, decided });
    } catch (error) {
      const status = error instanceof ApiFailure ? error.status : 0;
      if (status === 409) {
        this.settle(item, true);
        this.say("Someone already decided this one; here is the next.");
      } else if (status === 404) {
        this.settle(item, false);
        this.say("This item is no longer in the queue; here is the next.");
      } else if (status !== 401) {
        this.say(`Not recorded: ${failure(error)}. Press the answer again to retry.`, "error");
      }
    } finally {
      this.end();
      this.render();
    }
    this.keepFocus(focused);
    // The loaded page is done but the queue is not: fetch the next items.
    if (!this.cursor.current && (this.counts?.pending ?? 0) > 0) {
      await this.load();
      this.keepFocus(focused);
    }
    // The status line said what happened to this item; the one now shown is announced after it.
    if (this.cursor.current && this.cursor.current.id !== item.id) this.announceItem();
  }

  /**
   * Takes back the decision the status line offers to undo: the item is pending again and shown, to be answered anew.
   * A refusal (decided again since, over the service's undo window) is the service's own words: what and what now.
   */
  private async undo(): Promise<void> {
    if (this.working) return this.ignored();
    const last = this.undoable;
    if (!last) {
      this.say("Nothing to undo: u takes back the last decision made here, while it is offered.");
      return;
    }
    const focused = this.focusInQueue();
    const { item, decided } = last;
    this.begin({
      said: `Undoing: ${isolated(item.tag)} on “${isolated(item.title)}”…`,
      kind: "undo",
    });
    try {
      const pending = await this.context.api().undo(item.id, {
        reviewer: decided.reviewer ?? "",
        decided_at: decided.decided_at ?? "",
      });
      this.cursor.restore(pending);
      if (this.counts) {
        this.counts.pending++;
        this.counts.decided = Math.max(this.counts.decided - 1, 0);
      }
      this.say(
        `Undone: ${isolated(item.tag)} on “${isolated(item.title)}” is pending again.`,
        "ok",
      );
    } catch (error) {
      const status = error instanceof ApiFailure ? error.status : 0;
      if (status === 404 || status === 409) this.say(`Not undone: ${failure(error)}.`, "error");
      else if (status !== 401)
        this.say(`Not undone: ${failure(error)}. Press Undo again to retry.`, "error", last);
    } finally {
      this.end();
      this.render();
    }
    this.keepFocus(focused);
  }

  /**
   * `work` is on its way: the card is busy (not its buttons disabled: disabling the focused one would drop the
   * reviewer's focus to the page), and once it is slow the status line says what is being recorded and the pressed
   * answer shows it, rather than nothing for as long as the service takes.
   */
  private begin(work: Work): void {
    this.working = work;
    this.card.setAttribute("aria-busy", "true");
    this.slow = setTimeout(() => this.showWorking(), SLOW_MS);
  }

  private end(): void {
    clearTimeout(this.slow);
    this.working = null;
    delete this.card.dataset.working;
    this.card.removeAttribute("aria-busy");
  }

  private showWorking(more = ""): void {
    if (!this.working) return;
    clearTimeout(this.slow);
    this.card.dataset.working = this.working.kind;
    this.say(`${this.working.said}${more}`);
  }

  /**
   * An answer, undo or step asked for while another is on its way is ignored, and the status line says so; it is not
   * queued. The item stays on the card until the service has answered, so that a failure ("press the answer
   * again") is about the item in front of the reviewer and an Undo takes back what its line names: a j that moved on
   * meanwhile would leave that failure speaking of an item no longer shown, and a second answer queued for the same
   * item would be a duplicate (409) or a change of mind, which is u's work once the first is recorded.
   */
  private ignored(): void {
    this.showWorking(" Ignored: one thing at a time, press it again once this is done.");
  }

  /** The focus is in the queue's panel (an answer, the Undo button, the empty queue's message), or nowhere. */
  private focusInQueue(): boolean {
    const active = document.activeElement;
    return !active || active === document.body || this.panel.contains(active);
  }

  /**
   * After the card changed: a focus lost with what had it (an answer on the card hidden as the last item was
   * decided, the Undo button gone with its line, the empty queue's message hidden as an undone item came back) goes
   * to what is shown now, the answers or the message that the queue is empty, rather than falling to the page,
   * where a screen reader says nothing of where the reviewer is. A focus that was elsewhere (a tab, the name field)
   * is left there.
   */
  private keepFocus(wasInQueue: boolean): void {
    if (!wasInQueue) return;
    const active = document.activeElement;
    const lost =
      !active ||
      active === document.body ||
      !active.isConnected ||
      (this.card.hidden && this.card.contains(active)) ||
      (this.empty.hidden && active === this.empty);
    if (lost && !this.focusAnswers() && !this.empty.hidden) this.empty.focus();
  }

  /**
   * Says the item now shown in a polite live region: the card changes silently under the focused answer, whose
   * name stays the same. After ANNOUNCE_AFTER_MS, and only the item shown then. Not after an undo, whose status
   * line names the item it brings back.
   */
  private announceItem(): void {
    clearTimeout(this.announcing);
    this.announcing = setTimeout(() => {
      const item = this.cursor.current;
      if (!item) return;
      const { at, of } = this.position();
      this.announcer.textContent = `Item ${at} of ${of}: does ${isolated(item.tag)} belong to “${isolated(item.title)}”?`;
    }, ANNOUNCE_AFTER_MS);
  }

  /** The shown item's place, of the pending items (more than are loaded, when the queue is longer than a page). */
  private position(): { at: string; of: string } {
    const { at, of } = this.cursor.position;
    return { at: formatCount(at), of: formatCount(Math.max(of, this.counts?.pending ?? 0)) };
  }

  /** `text` in the status line, with an Undo button when it speaks of a decision that can be taken back. */
  private say(
    text: string,
    kind: "ok" | "error" | "" = "",
    undoable: Decision | null = null,
  ): void {
    // The Undo button goes with the line it is in: the focus on it moves to the answers, not to the page.
    const focused = this.status.contains(document.activeElement);
    showStatus(this.status, text, kind);
    if (focused) this.keepFocus(true);
    this.undoable = undoable;
    if (!undoable) return;
    const button = element("button", "link", "Undo ");
    button.type = "button";
    button.id = "review-undo";
    button.append(element("kbd", "", "u"));
    button.addEventListener("click", () => void this.undo());
    this.status.append(" ", button);
  }

  /** The item left the pending queue; `decided` when it went to the decided side. */
  private settle(item: ReviewItem, decided: boolean): void {
    this.cursor.settle(item.id);
    if (!this.counts) return;
    this.counts.pending = Math.max(this.counts.pending - 1, 0);
    if (decided) this.counts.decided++;
  }

  private render(): void {
    const counts = this.counts;
    this.countsLine.textContent = counts
      ? `${formatCount(counts.pending)} pending · ${formatCount(counts.decided)} decided`
      : "";
    this.tabCount.textContent = counts ? formatCount(counts.pending) : "";
    const item = this.cursor.current;
    this.card.hidden = !item;
    // In the card's place: the queue loading (the first page, or the next once those held are all decided), or
    // empty. Nothing when the first load failed: the status line says what went wrong.
    this.empty.hidden = Boolean(item) || !(this.loading || counts);
    this.empty.textContent = this.loading
      ? counts
        ? "Loading the next items…"
        : "Loading the review queue…"
      : "Nothing to review. New items arrive as authors use suggestions.";
    if (!item) {
      // Hidden is not enough: after sign-out no content may stay in the page.
      for (const id of ["review-position", "review-tag", "review-title", "review-description"])
        byId(id).textContent = "";
      byId("review-why").replaceChildren();
      delete this.card.dataset.reviewId;
      return;
    }
    const { at, of } = this.position();
    byId("review-position").textContent =
      `Item ${at} of ${of} pending · content #${item.content_id}`;
    // The author's text in elements of its own direction, its bidirectional formatting written out: a reviewer
    // judges what the text says, which an override would show reversed.
    userText(byId("review-tag"), item.tag);
    userText(byId("review-title"), bidiControlsShown(item.title));
    const description = userText(
      byId("review-description"),
      bidiControlsShown(item.description.trim()) || "No description.",
    );
    description.classList.toggle("muted", !item.description.trim());
    byId("review-why").replaceChildren(
      ...whyQueued(item).flatMap(({ term, detail, authored }) => [
        element("dt", "", term),
        authored
          ? userText(element("dd", "authored"), bidiControlsShown(detail))
          : element("dd", "", detail),
      ]),
    );
    this.card.dataset.reviewId = String(item.id);
  }
}

/** Why a call failed, for the status line: the service's message, or that it could not be reached. */
function failure(error: unknown): string {
  return error instanceof ApiFailure && error.status
    ? error.message
    : "the service could not be reached";
}

/** The keys on screen under the card, and in the help dialog that `?` opens. */
function renderShortcuts(line: HTMLElement, list: HTMLElement): void {
  line.replaceChildren("Keys: ");
  REVIEW_SHORTCUTS.forEach(({ key, label }, i) => {
    if (i > 0) line.append(" · ");
    line.append(element("kbd", "", key), ` ${label}`);
    const term = element("dt");
    term.append(element("kbd", "", key));
    list.append(term, element("dd", "", label));
  });
}
