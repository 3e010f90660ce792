// The widget's feedback events on their way to POST /v1/feedback: gathered per tick into one request, retried once
// with the same ids (the service stores an id once), and dropped silently after that: the author is never bothered.

import type { FeedbackEvent } from "../api-types.js";

/** The most events the service takes in one request. */
export const MAX_EVENTS_PER_REQUEST = 100;
/** Wait before the one retry: a network blip or a restarting service is usually over by then. */
export const RETRY_DELAY_MS = 2_000;

/** Sends one batch; rejects only when the network failed (an HTTP error answer is final, not retried). */
export type SendFeedback = (events: FeedbackEvent[]) => Promise<void>;

export class FeedbackQueue {
  private queued: FeedbackEvent[] = [];
  private scheduled = false;

  constructor(private readonly send: SendFeedback) {}

  add(event: FeedbackEvent): void {
    this.queued.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 0);
  }

  /** Send what is queued now (also called when the page is hidden, so nothing waits for a tick that never comes). */
  flush(): void {
    this.scheduled = false;
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, MAX_EVENTS_PER_REQUEST);
      this.send(batch).catch(() =>
        setTimeout(() => this.send(batch).catch(() => undefined), RETRY_DELAY_MS),
      );
    }
  }
}

/** POST a batch with keepalive, so events sent as the page closes still arrive. */
export function feedbackSender(endpoint: string): SendFeedback {
  return async (events) => {
    await fetch(`${endpoint}/v1/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events }),
      keepalive: true,
    });
  };
}
