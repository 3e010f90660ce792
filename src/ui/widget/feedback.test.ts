import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_FEEDBACK_EVENTS } from "../../serve/limits.js";
import type { FeedbackEvent } from "../api-types.js";
import { MAX_RETRY_DELAY_MS, RETRY_DELAY_MS } from "./backoff.js";
import {
  BATCH_BYTES,
  type Delivery,
  FeedbackQueue,
  type FeedbackReply,
  KEEPALIVE_BYTES,
  MAX_ATTEMPTS,
} from "./feedback.js";

const accepted = (id: string): FeedbackEvent => ({ id, type: "accepted", tag: "pytorch" });

const reply = (status: number, retryAfterMs = 0): FeedbackReply => ({
  status,
  retryAfterMs,
  body: status === 200 ? { unknown_content_ids: [] } : null,
});
const stored = async (_events: FeedbackEvent[]) => reply(200);
const unreachable = async (_events: FeedbackEvent[]): Promise<FeedbackReply> => {
  throw new TypeError("Failed to fetch");
};
/** A report of about 1.6 kB: a few dozen fill keepalive's quota. */
const longReport = (id: string): FeedbackEvent => ({
  id,
  type: "reported",
  tag: "pytorch",
  reason: "other",
  comment: "x".repeat(1_500),
});
const bodyBytes = (events: FeedbackEvent[]) => new Blob([JSON.stringify({ events })]).size;

/** A send that fails, as an unreachable service does, until `up()`; then it stores. */
function service() {
  let down = true;
  const send = vi.fn(async (_events: FeedbackEvent[], _keepalive: boolean) => {
    if (down) throw new TypeError("Failed to fetch");
    return reply(200);
  });
  return { send, up: () => (down = false) };
}

/** A queue whose one event failed its first send, as the service is unreachable: it waits 2 s for its retry. */
async function waitingForRetry() {
  const { send, up } = service();
  const heard: Delivery[] = [];
  const queue = new FeedbackQueue(send);
  queue.add(accepted("a"), (d) => heard.push(d));
  await vi.advanceTimersByTimeAsync(0);
  expect(heard).toEqual(["retrying"]);
  return { send, up, heard, queue };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("FeedbackQueue", () => {
  it("sends the events of one tick in one request", async () => {
    const send = vi.fn(stored);
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"));
    queue.add(accepted("b"));
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledOnce();
    expect(send.mock.calls[0][0].map((e) => e.id)).toEqual(["a", "b"]);
  });

  it("retries a network failure with the same ids, waiting 2 s, 4 s ... at most 30 s, then gives up", async () => {
    const send = vi.fn(unreachable);
    const heard: Delivery[] = [];
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"), (d) => heard.push(d));
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledOnce();
    expect(heard).toEqual(["retrying"]);
    const waits: number[] = [];
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const wait = Math.min(RETRY_DELAY_MS * 2 ** (attempt - 2), MAX_RETRY_DELAY_MS);
      waits.push(wait);
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(send).toHaveBeenCalledTimes(attempt - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(send).toHaveBeenCalledTimes(attempt);
    }
    expect(waits.slice(0, 5)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(send.mock.calls.every(([events]) => events === send.mock.calls[0][0])).toBe(true);
    expect(heard.at(-1)).toBe("failed");
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(MAX_ATTEMPTS);
  });

  it("retries a 503 or 429 (after its Retry-After), and says so; a stored batch is sent", async () => {
    const answers = [reply(503), reply(429, 10_000), reply(200)];
    const send = vi.fn(async (_events: FeedbackEvent[]) => answers.shift() ?? reply(200));
    const heard: Delivery[] = [];
    const onStored = vi.fn();
    const queue = new FeedbackQueue(send, onStored);
    queue.add(accepted("a"), (d) => heard.push(d));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(3);
    expect(heard).toEqual(["retrying", "retrying", "sent"]);
    expect(onStored).toHaveBeenCalledOnce();
  });

  it("does not retry a refused batch (4xx): it says it failed", async () => {
    const send = vi.fn(async (_events: FeedbackEvent[]) => reply(400));
    const heard: Delivery[] = [];
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"), (d) => heard.push(d));
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledOnce();
    expect(heard).toEqual(["failed"]);
  });

  it("splits more events than one request takes, telling each listener of its own batch", async () => {
    let calls = 0;
    const send = vi.fn(async (_events: FeedbackEvent[]) => reply(calls++ === 0 ? 200 : 400));
    const heard: [string, Delivery][] = [];
    const queue = new FeedbackQueue(send);
    for (let i = 0; i < MAX_FEEDBACK_EVENTS + 1; i++)
      queue.add(accepted(String(i)), (d) => heard.push([String(i), d]));
    await vi.advanceTimersByTimeAsync(0);
    expect(send.mock.calls.map(([events]) => events.length)).toEqual([MAX_FEEDBACK_EVENTS, 1]);
    expect(heard.filter(([, d]) => d === "failed")).toEqual([
      [String(MAX_FEEDBACK_EVENTS), "failed"],
    ]);
  });

  it("sends at once on flush (the page is being hidden)", () => {
    const send = vi.fn(stored);
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"));
    queue.flush();
    expect(send).toHaveBeenCalledOnce();
  });

  it("cuts batches to BATCH_BYTES, and asks keepalive only for what fits its quota with the others in flight", async () => {
    // Never answered: every batch stays in flight.
    const send = vi.fn(
      (_events: FeedbackEvent[], _keepalive: boolean) => new Promise<FeedbackReply>(() => {}),
    );
    const queue = new FeedbackQueue(send);
    const ids = Array.from({ length: 60 }, (_, i) => String(i));
    for (const id of ids) queue.add(longReport(id));
    await vi.advanceTimersByTimeAsync(0);
    const sent = send.mock.calls.map(([events, keepalive]) => ({ events, keepalive }));
    expect(sent.flatMap(({ events }) => events.map((e) => e.id))).toEqual(ids);
    for (const { events } of sent) expect(bodyBytes(events)).toBeLessThanOrEqual(BATCH_BYTES);
    const keptAlive = sent.filter(({ keepalive }) => keepalive);
    expect(keptAlive.length).toBeGreaterThan(0);
    expect(keptAlive.length).toBeLessThan(sent.length);
    expect(sent.slice(0, keptAlive.length)).toEqual(keptAlive);
    const bytes = keptAlive.reduce((sum, { events }) => sum + bodyBytes(events), 0);
    expect(bytes).toBeLessThanOrEqual(KEEPALIVE_BYTES);
    expect(bytes + bodyBytes(sent[keptAlive.length].events)).toBeGreaterThan(KEEPALIVE_BYTES);
  });

  it("flushAll sends a batch waiting for its retry at once, with keepalive, and never again once stored", async () => {
    const { send, up, heard, queue } = await waitingForRetry();
    up();
    queue.flushAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]).toEqual([[accepted("a")], true]);
    expect(heard).toEqual(["retrying", "sent"]);
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("flushAll that fails leaves the batch to its retry, at its time, never before a Retry-After", async () => {
    const answers = [reply(429, 10_000)];
    const send = vi.fn(async (_events: FeedbackEvent[], _keepalive: boolean) => {
      const answer = answers.shift();
      if (!answer) throw new TypeError("Failed to fetch");
      return answer;
    });
    const heard: Delivery[] = [];
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"), (d) => heard.push(d));
    await vi.advanceTimersByTimeAsync(1_000);
    queue.flushAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(heard).toEqual(["retrying"]);
    answers.push(reply(200));
    // Still the retry the service asked for, 10 s after its 429: not sooner, not 4 s after the early send.
    await vi.advanceTimersByTimeAsync(9_000 - 1);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(3);
    expect(heard).toEqual(["retrying", "sent"]);
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it("flushAll during an outage (tab switches) uses up none of the MAX_ATTEMPTS retries and says nothing new", async () => {
    const { send, up, heard, queue } = await waitingForRetry();
    // The timed retries: 2 s, 4 s ... 30 s after each failure; the last is due at `last`.
    let last = 0;
    for (let retry = 1; retry < MAX_ATTEMPTS; retry++)
      last += Math.min(RETRY_DELAY_MS * 2 ** (retry - 1), MAX_RETRY_DELAY_MS);
    // The author switches tabs every second until a second before the last retry: every early send fails.
    for (let at = 1_000; at < last; at += 1_000) {
      await vi.advanceTimersByTimeAsync(1_000);
      queue.flushAll();
    }
    await vi.advanceTimersByTimeAsync(0);
    // One notice per timed send, each one failed: not given up.
    expect(heard).toEqual(Array(MAX_ATTEMPTS - 1).fill("retrying"));
    expect(send.mock.calls.length).toBeGreaterThan(MAX_ATTEMPTS);
    up();
    await vi.advanceTimersByTimeAsync(1_000 - 1);
    expect(heard).not.toContain("sent");
    await vi.advanceTimersByTimeAsync(1);
    expect(heard).toEqual([...Array(MAX_ATTEMPTS - 1).fill("retrying"), "sent"]);
    const sends = send.mock.calls.length;
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(sends);
  });

  it("retries a keepalive send the browser rejected without keepalive (the host may fill the quota); flushAll still asks it", async () => {
    // The service is up, but the page's keepalive quota is full: the browser rejects every keepalive request.
    const send = vi.fn(async (_events: FeedbackEvent[], keepalive: boolean) => {
      if (keepalive) throw new TypeError("Failed to fetch");
      return reply(200);
    });
    const heard: Delivery[] = [];
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"), (d) => heard.push(d));
    await vi.advanceTimersByTimeAsync(0);
    queue.flushAll();
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
    expect(send.mock.calls.map(([, keepalive]) => keepalive)).toEqual([true, true, false]);
    expect(heard.at(-1)).toBe("sent");
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it("flushAll sends again, with keepalive, a batch on its way without it, and its listeners hear once", async () => {
    // The first (keepalive) send is rejected, as a full quota does; the retry, without keepalive, is still on its way
    // when the page closes, and would be cancelled with it.
    let fail: (error: Error) => void = () => undefined;
    const send = vi.fn(async (_events: FeedbackEvent[], keepalive: boolean) => {
      if (send.mock.calls.length === 1) throw new TypeError("Failed to fetch");
      if (!keepalive)
        return new Promise<FeedbackReply>((_, reject) => {
          fail = reject;
        });
      return reply(200);
    });
    const heard: Delivery[] = [];
    const queue = new FeedbackQueue(send);
    queue.add(accepted("a"), (d) => heard.push(d));
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
    expect(send.mock.calls.map(([, keepalive]) => keepalive)).toEqual([true, false]);
    queue.flushAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(send.mock.calls.map(([, keepalive]) => keepalive)).toEqual([true, false, true]);
    expect(send.mock.calls[2][0]).toEqual(send.mock.calls[1][0]);
    expect(heard).toEqual(["retrying", "sent"]);
    // The cancelled send's failure, after the batch was stored, changes nothing.
    fail(new TypeError("Failed to fetch"));
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(heard).toEqual(["retrying", "sent"]);
    expect(send).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  describe("a batch with two sends out (a timed one without keepalive, flushAll's keepalive copy)", () => {
    /** Every send waits for the test to answer it; the first, with keepalive, is rejected as a full quota is. */
    function outstanding() {
      const answers: Array<{ keepalive: boolean; answer: (ok: boolean) => void }> = [];
      const send = vi.fn(
        (_events: FeedbackEvent[], keepalive: boolean) =>
          new Promise<FeedbackReply>((resolve, reject) => {
            answers.push({
              keepalive,
              answer: (ok) => (ok ? resolve(reply(200)) : reject(new TypeError("Failed to fetch"))),
            });
          }),
      );
      const heard: Delivery[] = [];
      const queue = new FeedbackQueue(send);
      queue.add(accepted("a"), (d) => heard.push(d));
      return { send, answers, heard, queue };
    }
    const keepalives = (send: ReturnType<typeof outstanding>["send"]) =>
      send.mock.calls.map(([, keepalive]) => keepalive);

    it("schedules nothing when the copy fails while the timed send is out: that one's answer decides", async () => {
      const { send, answers, heard, queue } = outstanding();
      await vi.advanceTimersByTimeAsync(0);
      answers[0]?.answer(false);
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
      expect(keepalives(send)).toEqual([true, false]);
      queue.flushAll();
      queue.flushAll(); // visibilitychange, then pagehide: copied once
      expect(keepalives(send)).toEqual([true, false, true]);
      answers[2]?.answer(false);
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 3);
      expect(send).toHaveBeenCalledTimes(3);
      expect(heard).toEqual(["retrying"]);
      // The timed send fails too: one retry, at its time.
      answers[1]?.answer(false);
      await vi.advanceTimersByTimeAsync(0);
      expect(heard).toEqual(["retrying", "retrying"]);
      expect(send).toHaveBeenCalledTimes(3);
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
      expect(send).toHaveBeenCalledTimes(4);
    });

    it("says 'sent', not 'failed', when the last timed send fails but the copy is stored", async () => {
      const { send, answers, heard, queue } = outstanding();
      // Every timed send fails until the last, which stays out while flushAll copies it.
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
        answers[attempt - 1]?.answer(false);
      }
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
      expect(send).toHaveBeenCalledTimes(MAX_ATTEMPTS);
      queue.flushAll();
      answers[MAX_ATTEMPTS - 1]?.answer(false);
      await vi.advanceTimersByTimeAsync(0);
      expect(heard.at(-1)).toBe("retrying");
      answers[MAX_ATTEMPTS]?.answer(true);
      await vi.advanceTimersByTimeAsync(0);
      expect(heard.at(-1)).toBe("sent");
      expect(heard).not.toContain("failed");
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it("flushAll leaves waiting what keepalive's quota has no room for", async () => {
    const { send } = service();
    const queue = new FeedbackQueue(send);
    for (let i = 0; i < 60; i++) queue.add(longReport(String(i)));
    await vi.advanceTimersByTimeAsync(0);
    const batches = send.mock.calls.length;
    queue.flushAll();
    const flushed = send.mock.calls.slice(batches);
    expect(flushed.length).toBeGreaterThan(0);
    expect(flushed.length).toBeLessThan(batches);
    expect(flushed.every(([, keepalive]) => keepalive)).toBe(true);
    expect(flushed.reduce((sum, [events]) => sum + bodyBytes(events), 0)).toBeLessThanOrEqual(
      KEEPALIVE_BYTES,
    );
  });

  it("stop sends what is pending once and leaves no timer; start resumes the retries", async () => {
    const { send, up, queue } = await waitingForRetry();
    queue.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][1]).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(send).toHaveBeenCalledTimes(2);
    up();
    queue.start();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(send).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});
