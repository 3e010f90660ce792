// When to ask for suggestions: wait for a pause in typing, skip text that did not really change, keep one request
// in flight, give up on slow ones, and ask again with backoff while the service is away. Free of the DOM: the
// request is passed in, timers are the global ones.

import { mayRecover, retryDelay } from "./backoff.js";

export interface SuggestInput {
  title: string;
  description: string;
  /** The author's chosen tags, sent so the service never suggests them back. */
  tags: string[];
}

export interface PollerOptions<R> {
  /** Quiet time after the last change before asking, in ms. */
  debounceMs: number;
  /** A request slower than this is abandoned and reported as a failure, in ms. */
  timeoutMs: number;
  request(input: SuggestInput, signal: AbortSignal): Promise<R>;
  onResult(result: R, input: SuggestInput): void;
  /**
   * The request failed or timed out (never called for a request this poller replaced). When the service may answer
   * later, the poller asks again by itself, with backoff, until an answer or newer text.
   */
  onFailure(reason: unknown): void;
  /** The title is empty: there is nothing to suggest for. */
  onEmpty(): void;
  /** A request starts (for a busy indication). */
  onStart?(): void;
}

/** Thrown through onFailure when a request took longer than timeoutMs. */
export class SuggestTimeout extends Error {
  constructor(ms: number) {
    super(`no suggestions within ${ms} ms`);
    this.name = "SuggestTimeout";
  }
}

/** The text as the model sees it: runs of whitespace do not make a new request worth sending. */
export function textKey(input: Pick<SuggestInput, "title" | "description">): string {
  const collapse = (s: string) => s.replace(/\s+/g, " ").trim();
  return `${collapse(input.title)}\u0000${collapse(input.description)}`;
}

/** A slow service may answer in time later, like one that failed in a way it may recover from (backoff.ts). */
function worthRetrying(reason: unknown): boolean {
  if (reason instanceof SuggestTimeout) return true;
  const status = (reason as { status?: unknown } | null)?.status;
  return typeof status === "number" && mayRecover(status);
}

/** A failure may ask for patience (429 with Retry-After): no request is sent before it has passed. */
function retryAfterMs(reason: unknown): number {
  const ms = (reason as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === "number" && ms > 0 ? ms : 0;
}

export class SuggestionPoller<R> {
  private pending: { input: SuggestInput; force: boolean } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | null = null;
  private lastKey: string | null = null;
  private notBefore = 0;
  /** Failures worth retrying since the last answer: each doubles the wait before the next retry. */
  private failures = 0;

  constructor(private readonly options: PollerOptions<R>) {}

  /**
   * The fields changed: ask after the debounce if the text differs from what was last asked for. `force` asks even
   * for the same text (the chosen tags changed in a way only the service can resolve).
   */
  schedule(input: SuggestInput, { force = false } = {}): void {
    clearTimeout(this.timer);
    if (!input.title.trim()) {
      this.pending = null;
      this.abort();
      this.lastKey = null;
      this.options.onEmpty();
      return;
    }
    this.pending = { input, force: force || this.pending?.force === true };
    const wait = Math.max(this.options.debounceMs, this.notBefore - Date.now());
    this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Forget what was asked for, so the same text is asked for again (a new editing session). */
  forget(): void {
    this.lastKey = null;
  }

  /** Stop: no timer left, no request in flight (the element left the page). */
  cancel(): void {
    clearTimeout(this.timer);
    this.pending = null;
    this.abort();
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  private abort(): void {
    const stale = this.inFlight;
    this.inFlight = null;
    stale?.abort();
  }

  private fire(): void {
    const next = this.pending;
    this.pending = null;
    if (!next) return;
    const key = textKey(next.input);
    if (!next.force && key === this.lastKey) return;
    // The answer to older text is worth nothing now: abort it, so at most one request is ever in flight.
    this.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    this.lastKey = key;
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    this.options.onStart?.();
    this.options.request(next.input, controller.signal).then(
      (result) => {
        clearTimeout(timeout);
        if (this.inFlight !== controller) return;
        this.inFlight = null;
        this.failures = 0;
        this.options.onResult(result, next.input);
      },
      (reason: unknown) => {
        clearTimeout(timeout);
        if (this.inFlight !== controller) return;
        this.inFlight = null;
        const failure = timedOut ? new SuggestTimeout(this.options.timeoutMs) : reason;
        // Failed text is asked for again at the next change, even if it is the same text.
        this.lastKey = null;
        this.notBefore = Date.now() + retryAfterMs(reason);
        // And without a change, once the service may be back; text typed meanwhile replaces the retry (schedule).
        if (worthRetrying(failure) && this.pending === null) {
          this.failures += 1;
          this.pending = { input: next.input, force: true };
          this.timer = setTimeout(
            () => this.fire(),
            retryDelay(this.failures, retryAfterMs(reason)),
          );
        }
        this.options.onFailure(failure);
      },
    );
  }
}
