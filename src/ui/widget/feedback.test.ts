import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FeedbackEvent } from "../api-types.js";
import { FeedbackQueue, MAX_EVENTS_PER_REQUEST, RETRY_DELAY_MS } from "./feedback.js";

const accepted = (id: string): FeedbackEvent => ({ id, type: "accepted", tag: "pytorch" });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("FeedbackQueue", () => {
  it("sends the events of one tick in one request", async () => {
    const send = vi.fn(async (_events: FeedbackEvent[]) => undefined);
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"));
    queue.add(accepted("b"));
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledOnce();
    expect(send.mock.calls[0][0].map((e) => e.id)).toEqual(["a", "b"]);
  });

  it("retries a network failure once, with the same ids, then gives up silently", async () => {
    const send = vi.fn(async (_events: FeedbackEvent[]) => {
      throw new TypeError("Failed to fetch");
    });
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"));
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][0]).toBe(send.mock.calls[0][0]);
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("splits more events than one request takes", async () => {
    const send = vi.fn(async (_events: FeedbackEvent[]) => undefined);
    const queue = new FeedbackQueue(send);
    for (let i = 0; i < MAX_EVENTS_PER_REQUEST + 1; i++) queue.add(accepted(String(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(send.mock.calls.map(([events]) => events.length)).toEqual([MAX_EVENTS_PER_REQUEST, 1]);
  });

  it("sends at once on flush (the page is being hidden)", () => {
    const send = vi.fn(async (_events: FeedbackEvent[]) => undefined);
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"));
    queue.flush();
    expect(send).toHaveBeenCalledOnce();
  });
});
