// The widget's feedback events on their way to POST /v1/feedback: gathered per tick into one request, and retried
// with backoff, same ids, while the service cannot take them (the service stores an id once). The author is never
// bothered; only a report, which the author asked for, hears how its delivery went.

import { MAX_FEEDBACK_EVENTS } from "../../serve/limits.js";
import { retryAfterMs } from "../api-client.js";
import type { FeedbackEvent } from "../api-types.js";
import { mayRecover, retryDelay } from "./backoff.js";

/** Sends of one batch before it is given up: about two minutes of an unreachable service. */
export const MAX_ATTEMPTS = 8;

/** What the service answered a batch; a network failure rejects instead. */
export interface FeedbackReply {
  status: number;
  /** The Retry-After of a 429 or 503, in ms (0: none). */
  retryAfterMs: number;
  /** The JSON body of a 2xx answer, else null. */
  body: { unknown_content_ids?: number[] } | null;
}

export type SendFeedback = (events: FeedbackEvent[]) => Promise<FeedbackReply>;

/** sent: stored (or stored before); retrying: not yet, sent again later; failed: given up, the events are lost. */
export type Delivery = "sent" | "retrying" | "failed";

interface Batch {
  events: FeedbackEvent[];
  listeners: Array<(delivery: Delivery) => void>;
}

export class FeedbackQueue {
  private queued: Array<{ event: FeedbackEvent; onDelivery?: (delivery: Delivery) => void }> = [];
  private scheduled = false;

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

  /** Send what is queued now (also called when the page is hidden, so nothing waits for a tick that never comes). */
  flush(): void {
    this.scheduled = false;
    while (this.queued.length > 0) {
      const part = this.queued.splice(0, MAX_FEEDBACK_EVENTS);
      const listeners = part.flatMap(({ onDelivery }) => (onDelivery ? [onDelivery] : []));
      this.attempt({ events: part.map(({ event }) => event), listeners }, 1);
    }
  }

  private attempt(batch: Batch, attempt: number): void {
    const tell = (delivery: Delivery) => {
      for (const listener of batch.listeners) listener(delivery);
    };
    const retry = (askedWaitMs: number) => {
      if (attempt >= MAX_ATTEMPTS) {
        tell("failed");
        return;
      }
      tell("retrying");
      setTimeout(() => this.attempt(batch, attempt + 1), retryDelay(attempt, askedWaitMs));
    };
    this.send(batch.events).then(
      (reply) => {
        if (reply.status >= 200 && reply.status < 300) {
          tell("sent");
          this.onStored(reply);
        } else if (mayRecover(reply.status)) retry(reply.retryAfterMs);
        // Refused (4xx): the same events would be refused again.
        else tell("failed");
      },
      () => retry(0),
    );
  }
}

/** POST a batch with keepalive, so events sent as the page closes still arrive. Rejects when the network failed. */
export function feedbackSender(endpoint: string): SendFeedback {
  return async (events) => {
    const res = await fetch(`${endpoint}/v1/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events }),
      keepalive: true,
    });
    return {
      status: res.status,
      retryAfterMs: retryAfterMs(res),
      body: res.ok ? await res.json().catch(() => null) : null,
    };
  };
}
