// The feedback events the widget sends, built from what happened and the session, content and answer it happened
// in. Apart from the element because the events are the service's evidence of how the models do: which fields an
// event carries, and when it leaves one out, is a contract with the service best read, and tested, in one place.

import type { ApiSuggestion, FeedbackEvent, ModelRef } from "../api-types.js";
import { newId } from "../random-id.js";
import { numericContentId, sentTags } from "./suggest-request.js";

type Context = "id" | "occurred_at" | "session" | "content_id" | "request_id" | "model";
type WithoutContext<E> = E extends unknown ? Omit<E, Context> : never;
/** What happened, in the fields of its event type; feedbackEvent adds where and when. */
export type Happening = WithoutContext<FeedbackEvent>;

/** Where an event happened: the editing session, the element's content-id and the answer on screen, if any. */
export interface EventContext {
  session: string;
  contentId: string | null;
  answer: { requestId: string; model: ModelRef } | null;
}

/** `now` and `id` are the clock and the idempotency keys (Date.now and random UUIDs in the widget). */
export function feedbackEvent(
  happening: Happening,
  { session, contentId, answer }: EventContext,
  now: () => number = Date.now,
  id: () => string = newId,
): FeedbackEvent {
  // Feedback joins content by the store's numeric ids: another id (a platform's string or 19-digit one) is left out.
  const content = numericContentId(contentId);
  return {
    id: id(),
    // The order it happened in: a retried batch is stored after newer ones.
    occurred_at: new Date(now()).toISOString(),
    session,
    ...(content !== null ? { content_id: content } : {}),
    ...(answer ? { request_id: answer.requestId, model: answer.model } : {}),
    ...happening,
  } as FeedbackEvent;
}

/** Suggestions shown for the first time in this answer, `latencyMs` after the author's pause when it brought them. */
export function shownHappening(
  fresh: readonly ApiSuggestion[],
  chosen: readonly string[],
  latencyMs?: number,
): Happening {
  return {
    type: "shown",
    suggestions: fresh.map(({ tag, score, source }) => ({ tag, score, source })),
    ...(latencyMs === undefined ? {} : { latency_ms: latencyMs }),
    // What was chosen before these came: the service does not count those tags as the model's misses.
    chosen: sentTags(chosen),
  };
}
