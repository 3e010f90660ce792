// The widget's feedback events on their way to POST /v1/feedback: gathered per tick into one request, and retried
// with backoff, same ids, while the service cannot take them (the service stores an id once). The author is never
// bothered; only a report, which the author asked for, hears how its delivery went. When the page is hidden or
// closed, or the widget leaves it, what still waits for a retry, or is on its way without keepalive, is sent at once
// with keepalive, so it outlives the page: an early send that fails changes nothing of the retries; a retry timer never
// outlives the widget; an event's listener hears it was sent (or failed) once, however many of its sends answer.
//
// The queue backs off as a whole, not batch by batch: a page that keeps adding events during an outage would
// otherwise send one request per batch per retry, a storm against a recovering service. Once a send fails, the queue
// waits 2 s, 4 s ... 30 s (or the Retry-After) between rounds, and each round is one request: the events waiting,
// oldest first, merged up to the request's limits (MAX_FEEDBACK_EVENTS, BATCH_BYTES). Events queued meanwhile are
// not sent on their own: they wait for the next round (their listener hears "retrying" at once, as a failed send
// would have said). The first answer from the service (stored, or refused) ends the backoff, and everything waiting
// is sent at once, cut into requests as usual.
//
// An event is given up after about two minutes of its own waiting, whatever the queue's step when it joined: it
// counts the time it waits for rounds from when it was queued, each wait counted up to the backoff step (so a longer
// Retry-After stretches its life rather than using it up, and an event waiting behind a round's one request ages as
// those in it do), and it is given up at a failed round once that reaches GIVE_UP_MS, the waits between MAX_ATTEMPTS
// sends of one event alone. Time in flight and flushAll's early sends count for nothing, as before.

import { MAX_FEEDBACK_EVENTS } from "../../serve/limits.js";
import { retryAfterMs } from "../api-client.js";
import type { FeedbackEvent } from "../api-types.js";
import { mayRecover, retryDelay } from "./backoff.js";

/** Timed sends of an event alone before it is given up, flushAll's aside: about two minutes of an unreachable service. */
export const MAX_ATTEMPTS = 8;
/** The waits between MAX_ATTEMPTS sends (2 s + 4 s + ... + 30 s): how long an event waits for retries (see above). */
export const GIVE_UP_MS = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) =>
  retryDelay(i + 1),
).reduce((sum, wait) => sum + wait, 0);
/**
 * Bodies a page may have in flight with keepalive, all its keepalive requests together (Fetch's quota, enforced by
 * browsers: a request past it fails at once). Batches are cut to a quarter of it so that several fit, and sent with
 * keepalive only while this queue's own keepalive requests leave room for them. The host page's share is unknown:
 * an event whose keepalive request was rejected is retried without keepalive (but for flushAll).
 */
export const KEEPALIVE_BYTES = 64 * 1024;
export const BATCH_BYTES = KEEPALIVE_BYTES / 4;

/** What the service answered a batch; a network failure rejects instead. */
export interface FeedbackReply {
  status: number;
  /** The Retry-After of a 429 or 503, in ms (0: none). */
  retryAfterMs: number;
  /** The JSON body of a 2xx answer, else null. */
  body: { unknown_content_ids?: number[] } | null;
}

/** `keepalive`: the request must outlive the page (the browser refuses it past KEEPALIVE_BYTES). */
export type SendFeedback = (events: FeedbackEvent[], keepalive: boolean) => Promise<FeedbackReply>;

/** sent: stored (or stored before); retrying: not yet, sent again later; failed: given up, the events are lost. */
export type Delivery = "sent" | "retrying" | "failed";

interface Pending {
  event: FeedbackEvent;
  onDelivery?: (delivery: Delivery) => void;
  /** Its share of a body: the event and the comma before it. */
  bytes: number;
  /** When it was queued, and how long it has waited for rounds since (GIVE_UP_MS). */
  queuedAt: number;
  waited: number;
  /** Its sends not answered yet (a timed one and flushAll's keepalive copy can be out together), and the timed ones. */
  inFlight: number;
  timed: number;
  /** On its way only without keepalive: a page closing would cancel it, so flushAll copies it with keepalive, once. */
  unkept: boolean;
  /** A keepalive send of it was rejected: it may be the page's quota, so its timed sends go without. */
  rejected: boolean;
  /** A timed send of it failed while its copy was out: if the copy fails too, that failure counts then. */
  owed?: { round: number; askedMs: number };
  /** Stored or given up: the answers of its other sends in flight change nothing. */
  settled: boolean;
  /** Refused (4xx) in a request with others: sent alone from then on, so only an event the service refuses fails. */
  alone?: boolean;
}

interface Send {
  items: Pending[];
  /** flushAll's copy: ahead of the rounds, not one of them. */
  early: boolean;
  /** The round it went out in: the failures of one round count once. */
  round: number;
}

const bytesOf = (value: unknown) => new Blob([JSON.stringify(value)]).size;
/** `{"events":[]}` less the comma its first event does not have. */
const EMPTY_BODY_BYTES = bytesOf({ events: [] }) - 1;
const bodyBytes = (items: Pending[]) =>
  items.reduce((sum, item) => sum + item.bytes, EMPTY_BODY_BYTES);

/** Events in order, cut into requests of at most MAX_FEEDBACK_EVENTS events and BATCH_BYTES; one sent alone alone. */
function batches(items: Pending[]): Pending[][] {
  const cut: Pending[][] = [];
  let bytes = 0;
  for (const item of items) {
    const batch = cut[cut.length - 1];
    // A lone event past the limit still makes a batch of its own.
    if (
      !batch ||
      item.alone ||
      batch[0]?.alone ||
      batch.length === MAX_FEEDBACK_EVENTS ||
      bytes + item.bytes > BATCH_BYTES
    ) {
      cut.push([item]);
      bytes = EMPTY_BODY_BYTES + item.bytes;
    } else {
      batch.push(item);
      bytes += item.bytes;
    }
  }
  return cut;
}

export class FeedbackQueue {
  private queued: Array<{ event: FeedbackEvent; onDelivery?: (delivery: Delivery) => void }> = [];
  private scheduled = false;
  /** Events neither stored nor given up, in the order queued: waiting for a round, or on their way. */
  private pending: Pending[] = [];
  /** Failed rounds in a row: above 0, the service is failing and events wait for the next round. */
  private failures = 0;
  /** Counts the rounds (and the recoveries); `counted`: the last one whose failure was counted. */
  private round = 0;
  private counted = -1;
  /** The wait before the next round (Retry-After included), its backoff step, and when it started and ends. */
  private delay = 0;
  private step = 0;
  private waitFrom = 0;
  private due = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** The round's one request, while it is out: no other round starts meanwhile. */
  private probe: Send | null = null;
  /** Bytes of this queue's keepalive requests in flight. */
  private keptAlive = 0;
  /** The widget left the page: waiting events wait without a timer until start(). */
  private stopped = false;

  constructor(
    private readonly send: SendFeedback,
    /** A batch was stored: what the service said of it (unknown content ids). */
    private readonly onStored: (reply: FeedbackReply) => void = () => undefined,
  ) {}

  /** Queues `event`; `onDelivery` hears how it went at each try (sent and failed are final). */
  add(event: FeedbackEvent, onDelivery?: (delivery: Delivery) => void): void {
    this.queued.push({ event, onDelivery });
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 0);
  }

  /** Send what is queued now, not at the next tick; while the service is failing, it waits for the next round. */
  flush(): void {
    this.scheduled = false;
    const now = Date.now();
    const added = this.queued.splice(0).map(
      ({ event, onDelivery }): Pending => ({
        event,
        onDelivery,
        bytes: bytesOf(event) + 1,
        queuedAt: now,
        waited: 0,
        inFlight: 0,
        timed: 0,
        unkept: false,
        rejected: false,
        settled: false,
      }),
    );
    this.pending.push(...added);
    if (this.failures > 0) for (const item of added) item.onDelivery?.("retrying");
    this.pump();
  }

  /**
   * The page is being hidden or closed: send what is queued, and every event waiting for a round or in flight without
   * keepalive that keepalive's quota still has room for, now rather than at a round that may never come (the service
   * stores an event id once, so an event stored twice counts once). Such an early send is no round: stored, its events
   * are never sent again (and the backoff ends); failed, they wait for the same round, at the same time (no sooner
   * than a Retry-After), and their listeners hear nothing new. The rest wait for the rounds.
   */
  flushAll(): void {
    this.flush();
    const due = this.pending.filter((item) => item.inFlight === 0 || item.unkept);
    for (const batch of batches(due)) {
      if (!this.fits(batch)) continue;
      // Copied once: a second flushAll (visibilitychange, then pagehide) does not spend the quota on it again.
      for (const item of batch) item.unkept = false;
      this.post(batch, true, true);
    }
  }

  /** The widget left the page: everything pending is sent once now (flushAll), and no retry timer is left. */
  stop(): void {
    this.flushAll();
    this.stopped = true;
    this.unschedule();
  }

  /** The widget is on a page (again): events still waiting are retried after the queue's wait. */
  start(): void {
    this.stopped = false;
    if (this.failures > 0) {
      this.waitFrom = Date.now();
      this.due = Math.max(this.due, this.waitFrom + this.delay);
    }
    this.pump();
  }

  private fits(batch: Pending[]): boolean {
    return this.keptAlive + bodyBytes(batch) <= KEEPALIVE_BYTES;
  }

  private unschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sends or schedules what waits: all of it while the service answers, else one round at the queue's time. */
  private pump(): void {
    this.pending = this.pending.filter((item) => !item.settled);
    const waiting = this.pending.filter((item) => item.inFlight === 0);
    if (waiting.length === 0) this.unschedule();
    else if (this.failures === 0) {
      this.unschedule();
      for (const batch of batches(waiting)) this.post(batch, this.mayKeepAlive(batch), false);
    } else if (this.stopped) this.unschedule();
    else if (!this.timer && !this.probe)
      this.timer = setTimeout(() => this.retryRound(), Math.max(0, this.due - Date.now()));
  }

  private mayKeepAlive(batch: Pending[]): boolean {
    return !batch.some((item) => item.rejected) && this.fits(batch);
  }

  /** One request: the oldest events waiting, as many as it takes. Every event waiting has waited one more step. */
  private retryRound(): void {
    this.timer = undefined;
    const waiting = this.pending.filter((item) => !item.settled && item.inFlight === 0);
    // All of it is on its way in flushAll's copies: if one fails, pump brings the round back.
    if (waiting.length === 0) return;
    const now = Date.now();
    this.round += 1;
    for (const item of this.pending) {
      if (item.settled || item.timed > 0) continue;
      const waited = now - Math.max(this.waitFrom, item.queuedAt);
      item.waited += Math.max(0, Math.min(waited, this.step));
    }
    const [first] = batches(waiting);
    if (first) this.probe = this.post(first, this.mayKeepAlive(first), false);
  }

  /** `early`: flushAll's send, ahead of the rounds. */
  private post(items: Pending[], keepalive: boolean, early: boolean): Send {
    const sent: Send = { items, early, round: this.round };
    const bytes = bodyBytes(items);
    if (keepalive) this.keptAlive += bytes;
    for (const item of items) {
      item.inFlight += 1;
      if (!early) item.timed += 1;
      if (!keepalive) item.unkept = true;
    }
    // Its events are back, or not, in the same step as its answer is taken: another answer between the two would
    // find them waiting and send them again.
    const done = () => {
      if (keepalive) this.keptAlive -= bytes;
      if (this.probe === sent) this.probe = null;
      for (const item of items) {
        item.inFlight -= 1;
        if (!early) item.timed -= 1;
        if (!keepalive) item.unkept = false;
      }
    };
    this.send(
      items.map((item) => item.event),
      keepalive,
    ).then(
      (reply) => {
        done();
        if (reply.status >= 200 && reply.status < 300) this.answered(sent, "sent", reply);
        else if (mayRecover(reply.status)) this.failed(sent, reply.retryAfterMs);
        // Refused (4xx): the same events would be refused again. A request of several (a round merges up to 100)
        // may be refused for one of them, a tag no longer approved say: each is sent again alone, and only what
        // the service refuses alone fails.
        else if (items.filter((item) => !item.settled).length > 1) this.refusedTogether(sent);
        else this.answered(sent, "failed", reply);
      },
      () => {
        done();
        // The browser rejects a keepalive request past the quota as it does a network failure.
        for (const item of items) item.rejected ||= keepalive;
        this.failed(sent, 0);
      },
    );
    return sent;
  }

  /** The service answered (stored, or refused): the backoff ends and what waits goes now. */
  private answered({ items }: Send, delivery: "sent" | "failed", reply: FeedbackReply): void {
    const fresh = items.filter((item) => !item.settled);
    for (const item of fresh) this.settle(item, delivery);
    if (delivery === "sent" && fresh.length > 0) this.onStored(reply);
    this.recovered();
  }

  /** Several events refused together: each goes again alone, now (the service answered). */
  private refusedTogether({ items }: Send): void {
    for (const item of items) item.alone = true;
    this.recovered();
  }

  private recovered(): void {
    this.failures = 0;
    this.round += 1;
    this.due = 0;
    this.unschedule();
    this.pump();
  }

  private failed(sent: Send, askedMs: number): void {
    let round = sent.early ? -1 : sent.round;
    let asked = askedMs;
    /** The events this failure is a try of: they hear how it went. */
    const tried: Pending[] = [];
    for (const item of sent.items) {
      if (item.settled) continue;
      // Another send of it is still out: that one's answer decides (a timed failure is kept for it).
      if (item.inFlight > 0) {
        if (!sent.early)
          item.owed = { round: sent.round, askedMs: Math.max(item.owed?.askedMs ?? 0, askedMs) };
        continue;
      }
      if (!sent.early) tried.push(item);
      else if (item.owed) {
        tried.push(item);
        round = Math.max(round, item.owed.round);
        asked = Math.max(asked, item.owed.askedMs);
      }
      item.owed = undefined;
    }
    const now = Date.now();
    // A round's failure counts once, however many of its requests fail; so does the first since the service answered.
    if (
      tried.length > 0 &&
      (this.failures === 0 || (round === this.round && this.counted !== round))
    ) {
      this.failures += 1;
      this.counted = this.round;
      this.step = retryDelay(this.failures);
      this.delay = retryDelay(this.failures, asked);
      this.waitFrom = now;
      this.due = now + this.delay;
      this.unschedule();
    } else if (now + asked > this.due) {
      // Never sooner than the service asked, whichever request it answered.
      this.due = now + asked;
      this.unschedule();
    }
    for (const item of tried) if (item.waited < GIVE_UP_MS) item.onDelivery?.("retrying");
    if (tried.length > 0)
      for (const item of this.pending)
        if (!item.settled && item.inFlight === 0 && item.waited >= GIVE_UP_MS)
          this.settle(item, "failed");
    this.pump();
  }

  private settle(item: Pending, delivery: "sent" | "failed"): void {
    item.settled = true;
    item.owed = undefined;
    item.onDelivery?.(delivery);
  }
}

/** POST a batch. Rejects when the network failed (or the browser refused a keepalive request). */
export function feedbackSender(endpoint: string): SendFeedback {
  return async (events, keepalive) => {
    const res = await fetch(`${endpoint}/v1/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events }),
      keepalive,
    });
    return {
      status: res.status,
      retryAfterMs: retryAfterMs(res),
      body: res.ok ? await res.json().catch(() => null) : null,
    };
  };
}
