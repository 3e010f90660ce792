// The widget's feedback events on their way to POST /v1/feedback: gathered per tick into one request, and retried
// with backoff, same ids, while the service cannot take them (the service stores an id once). The author is never
// bothered; only a report, which the author asked for, hears how its delivery went. When the page is hidden or
// closed, or the widget leaves it, what still waits for a retry, or is on its way without keepalive, is sent at once
// with keepalive, so it outlives the page: an early send that fails changes nothing of the retries; a retry timer never
// outlives the widget; a batch's listeners hear it was sent (or failed) once, however many of its sends answer.

import { MAX_FEEDBACK_EVENTS } from "../../serve/limits.js";
import { retryAfterMs } from "../api-client.js";
import type { FeedbackEvent } from "../api-types.js";
import { mayRecover, retryDelay } from "./backoff.js";

/** Sends of one batch before it is given up, flushAll's aside: about two minutes of an unreachable service. */
export const MAX_ATTEMPTS = 8;
/**
 * Bodies a page may have in flight with keepalive, all its keepalive requests together (Fetch's quota, enforced by
 * browsers: a request past it fails at once). Batches are cut to a quarter of it so that several fit, and sent with
 * keepalive only while this queue's own keepalive requests leave room for them. The host page's share is unknown:
 * a batch whose keepalive request was rejected is retried without keepalive (but for flushAll).
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

interface Queued {
  event: FeedbackEvent;
  onDelivery?: (delivery: Delivery) => void;
}

interface Batch {
  events: FeedbackEvent[];
  listeners: Array<(delivery: Delivery) => void>;
  /** Of its body, as sent. */
  bytes: number;
  sends: number;
  /** The wait before its next timed send, when that is due (Date.now()), and its timer while the queue runs. */
  delay: number;
  due: number;
  timer?: ReturnType<typeof setTimeout>;
  /** A keepalive send of it was rejected: it may be the page's quota, so its timed sends go without. */
  rejected?: boolean;
  /** Stored or given up: the answers of its other sends in flight change nothing. */
  settled?: boolean;
  /** Its sends not answered yet: a timed one and flushAll's keepalive copy of it can be out together. */
  inFlight: number;
  /** A timed send failed while another send of it was out: the wait it asked for, for when that one fails too. */
  deferred?: number;
}

const bytesOf = (value: unknown) => new Blob([JSON.stringify(value)]).size;

/** Events in the order queued, cut into batches of at most MAX_FEEDBACK_EVENTS events and BATCH_BYTES. */
function batches(queued: Queued[]): Batch[] {
  const cut: Batch[] = [];
  for (const { event, onDelivery } of queued) {
    // An event and the comma before it; a lone event past the limit still makes a batch of its own.
    const bytes = bytesOf(event) + 1;
    let batch = cut[cut.length - 1];
    if (
      !batch ||
      batch.events.length === MAX_FEEDBACK_EVENTS ||
      batch.bytes + bytes > BATCH_BYTES
    ) {
      batch = {
        events: [],
        listeners: [],
        bytes: bytesOf({ events: [] }) - 1,
        sends: 0,
        delay: 0,
        due: 0,
        inFlight: 0,
      };
      cut.push(batch);
    }
    batch.events.push(event);
    batch.bytes += bytes;
    if (onDelivery) batch.listeners.push(onDelivery);
  }
  return cut;
}

export class FeedbackQueue {
  private queued: Queued[] = [];
  private scheduled = false;
  /** Batches not stored yet and not in flight: each waits for its retry. */
  private readonly waiting = new Set<Batch>();
  /** Bytes of this queue's keepalive requests in flight. */
  private keptAlive = 0;
  /** Batches in flight without keepalive: a page closing would cancel them, so flushAll sends them again with it. */
  private readonly unkept = new Set<Batch>();
  /** The widget left the page: failed batches wait without a timer until start(). */
  private stopped = false;

  constructor(
    private readonly send: SendFeedback,
    /** A batch was stored: what the service said of it (unknown content ids). */
    private readonly onStored: (reply: FeedbackReply) => void = () => undefined,
  ) {}

  /** Queues `event`; `onDelivery` hears how its batch went at each try (sent and failed are final). */
  add(event: FeedbackEvent, onDelivery?: (delivery: Delivery) => void): void {
    this.queued.push({ event, onDelivery });
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 0);
  }

  /** Send what is queued now, not at the next tick. */
  flush(): void {
    this.scheduled = false;
    for (const batch of batches(this.queued.splice(0))) this.attempt(batch);
  }

  /**
   * The page is being hidden or closed: send what is queued, and every batch waiting for a retry or in flight without
   * keepalive that keepalive's quota still has room for, now rather than at a retry that may never come (the service
   * stores an event id once, so a batch stored twice counts once). Such an early send is not one of MAX_ATTEMPTS:
   * stored, the batch is never sent again; failed, it waits for the same retry, at the same time (no sooner than a
   * Retry-After), and its listeners hear nothing new. The rest keep their timers.
   */
  flushAll(): void {
    this.flush();
    for (const batch of [...this.waiting, ...this.unkept]) {
      if (!this.fits(batch)) continue;
      // Copied once: a second flushAll (visibilitychange, then pagehide) does not spend the quota on it again.
      this.unkept.delete(batch);
      this.attempt(batch, true);
    }
  }

  /** The widget left the page: everything pending is sent once now (flushAll), and no retry timer is left. */
  stop(): void {
    this.flushAll();
    this.stopped = true;
    for (const batch of this.waiting) clearTimeout(batch.timer);
  }

  /** The widget is on a page (again): batches still waiting are retried, each after its wait. */
  start(): void {
    this.stopped = false;
    for (const batch of this.waiting) this.wait(batch);
  }

  private fits(batch: Batch): boolean {
    return this.keptAlive + batch.bytes <= KEEPALIVE_BYTES;
  }

  private wait(batch: Batch, due = Date.now() + batch.delay): void {
    clearTimeout(batch.timer);
    batch.due = due;
    this.waiting.add(batch);
    if (!this.stopped) batch.timer = setTimeout(() => this.attempt(batch), due - Date.now());
  }

  /** `early`: flushAll's send, ahead of the batch's timed one. */
  private attempt(batch: Batch, early = false): void {
    clearTimeout(batch.timer);
    this.waiting.delete(batch);
    if (!early) batch.sends += 1;
    const keepalive = (early || !batch.rejected) && this.fits(batch);
    if (keepalive) this.keptAlive += batch.bytes;
    else this.unkept.add(batch);
    const tell = (delivery: Delivery) => {
      if (delivery !== "retrying") {
        batch.settled = true;
        clearTimeout(batch.timer);
        this.waiting.delete(batch);
      }
      for (const listener of batch.listeners) listener(delivery);
    };
    const retry = (askedWaitMs: number) => {
      // Another send of this batch is still out: its answer decides (a timed failure is kept for it).
      if (batch.inFlight > 0) {
        if (!early) batch.deferred = Math.max(batch.deferred ?? 0, askedWaitMs);
        return;
      }
      if (early && batch.deferred === undefined) {
        this.wait(batch, Math.max(batch.due, Date.now() + askedWaitMs));
        return;
      }
      const asked = Math.max(batch.deferred ?? 0, askedWaitMs);
      batch.deferred = undefined;
      if (batch.sends >= MAX_ATTEMPTS) tell("failed");
      else {
        tell("retrying");
        batch.delay = retryDelay(batch.sends, asked);
        this.wait(batch);
      }
    };
    batch.inFlight += 1;
    this.send(batch.events, keepalive)
      .finally(() => {
        batch.inFlight -= 1;
        if (keepalive) this.keptAlive -= batch.bytes;
        else this.unkept.delete(batch);
      })
      .then(
        (reply) => {
          if (batch.settled) return;
          if (reply.status >= 200 && reply.status < 300) {
            tell("sent");
            this.onStored(reply);
          } else if (mayRecover(reply.status)) retry(reply.retryAfterMs);
          // Refused (4xx): the same events would be refused again.
          else tell("failed");
        },
        () => {
          if (batch.settled) return;
          // The browser rejects a keepalive request past the quota as it does a network failure.
          batch.rejected ||= keepalive;
          retry(0);
        },
      );
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
