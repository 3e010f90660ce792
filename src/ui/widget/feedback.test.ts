import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_FEEDBACK_EVENTS } from "../../serve/limits.js";
import type { FeedbackEvent } from "../api-types.js";
import { MAX_RETRY_DELAY_MS, RETRY_DELAY_MS, retryDelay } from "./backoff.js";
import {
  BATCH_BYTES,
  type Delivery,
  FeedbackQueue,
  type FeedbackReply,
  GIVE_UP_MS,
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
    expect(send.mock.calls.every(([events]) => events.map((e) => e.id).join() === "a")).toBe(true);
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

  it("sends again alone each event of a request refused (4xx), so only the event the service refuses fails", async () => {
    // A tag no longer approved: the service refuses any request holding it.
    const refusing = vi.fn(async (events: FeedbackEvent[]) =>
      reply(events.some((e) => e.id === "bad") ? 400 : 200),
    );
    const heard = new Map<string, Delivery[]>();
    const queue = new FeedbackQueue(refusing);
    for (const id of ["a", "bad", "b"])
      queue.add(accepted(id), (d) => heard.set(id, [...(heard.get(id) ?? []), d]));
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
    expect(Object.fromEntries(heard)).toEqual({ a: ["sent"], bad: ["failed"], b: ["sent"] });
    // One request of three, then one each.
    expect(refusing.mock.calls.map(([events]) => events.map((e) => e.id))).toEqual([
      ["a", "bad", "b"],
      ["a"],
      ["bad"],
      ["b"],
    ]);
    await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
    expect(refusing).toHaveBeenCalledTimes(4);
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

  describe("during an outage, the queue backs off as a whole", () => {
    /** A service down until `up()`, logging when each request went and its event ids. */
    function logged() {
      const { send, up } = service();
      const at: number[] = [];
      const ids = () => send.mock.calls.map(([events]) => events.map((e) => e.id));
      const logging = vi.fn(async (events: FeedbackEvent[], keepalive: boolean) => {
        at.push(Date.now());
        return send(events, keepalive);
      });
      return { send: logging, up, at, ids };
    }
    /** What each event's listener heard, by id. */
    function listeners() {
      const heard = new Map<string, Delivery[]>();
      const listen = (id: string) => {
        heard.set(id, []);
        return (d: Delivery) => heard.get(id)?.push(d);
      };
      return { heard, listen };
    }
    /** Requests by a queue failing from 0 on, until `ms`: its rounds at 0, 2 s, 6 s, 14 s, 30 s, 60 s, 90 s ... */
    const roundsUntil = (ms: number) => {
      let count = 1;
      for (let at = retryDelay(1); at <= ms; at += retryDelay(count)) count += 1;
      return count;
    };

    it("sends one request per backoff step, however many events come, and drains them all at once when it is back", async () => {
      const { send, up, at } = logged();
      const { heard, listen } = listeners();
      const queue = new FeedbackQueue(send);
      // An author accepting a tag every 500 ms through a two-minute outage: 240 events.
      const ids: string[] = [];
      for (let t = 0; t < 120_000; t += 500) {
        const id = `e${t}`;
        ids.push(id);
        queue.add(accepted(id), listen(id));
        await vi.advanceTimersByTimeAsync(500);
      }
      expect(send.mock.calls.length).toBe(roundsUntil(120_000));
      // Never two requests within a step: 2 s, 4 s ... 30 s apart.
      const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
      expect(gaps).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
      // Each round took the oldest events waiting, merged into one request.
      expect(send.mock.calls.at(-1)?.[0].length).toBe(MAX_FEEDBACK_EVENTS);
      up();
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
      // The round's request was stored; everything else went at once, not one request per step.
      const recovered = at.filter((t) => t === at.at(-1));
      expect(recovered.length).toBe(send.mock.calls.length - roundsUntil(120_000));
      expect(recovered.length).toBeGreaterThan(1);
      const stored = send.mock.calls
        .slice(roundsUntil(120_000))
        .flatMap(([events]) => events.map((e) => e.id));
      const failed = ids.filter((id) => heard.get(id)?.includes("failed"));
      // Only the first event waited its two minutes before the service came back.
      expect(failed).toEqual(["e0"]);
      expect(stored.sort()).toEqual(ids.filter((id) => id !== "e0").sort());
      // Each listener heard one final word, last; none heard "sent" twice.
      for (const id of ids) {
        const words = heard.get(id) ?? [];
        expect(words.filter((w) => w !== "retrying")).toHaveLength(1);
        expect(words.at(-1)).toBe(id === "e0" ? "failed" : "sent");
      }
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("holds an event queued while a retry waits, tells it 'retrying', and sends it with that retry", async () => {
      const { send, up, heard: heardA, queue } = await waitingForRetry();
      const heardB: Delivery[] = [];
      await vi.advanceTimersByTimeAsync(1_000);
      queue.add(accepted("b"), (d) => heardB.push(d));
      await vi.advanceTimersByTimeAsync(0);
      expect(send).toHaveBeenCalledOnce();
      expect(heardB).toEqual(["retrying"]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(send).toHaveBeenCalledTimes(2);
      expect(send.mock.calls[1]?.[0].map((e) => e.id)).toEqual(["a", "b"]);
      expect(heardA).toEqual(["retrying", "retrying"]);
      expect(heardB).toEqual(["retrying", "retrying"]);
      up();
      await vi.advanceTimersByTimeAsync(4_000);
      expect(send).toHaveBeenCalledTimes(3);
      expect(heardA).toEqual(["retrying", "retrying", "sent"]);
      expect(heardB).toEqual(["retrying", "retrying", "sent"]);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("gives each event its own two minutes: one queued late does not inherit the queue's count", async () => {
      const { send, at, ids } = logged();
      const { heard, listen } = listeners();
      const queue = new FeedbackQueue(send);
      queue.add(accepted("early"), listen("early"));
      await vi.advanceTimersByTimeAsync(100_000);
      // The queue waits 30 s between rounds by now; "late" waits for the next one.
      queue.add(accepted("late"), listen("late"));
      await vi.advanceTimersByTimeAsync(0);
      expect(
        ids()
          .flat()
          .filter((id) => id === "late"),
      ).toEqual([]);
      await vi.advanceTimersByTimeAsync(GIVE_UP_MS - 100_000);
      expect(heard.get("early")?.at(-1)).toBe("failed");
      expect(heard.get("late")).not.toContain("failed");
      // Two minutes of its own, then the next round that fails gives it up.
      await vi.advanceTimersByTimeAsync(100_000);
      expect(heard.get("late")).not.toContain("failed");
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
      expect(heard.get("late")?.filter((d) => d === "failed")).toEqual(["failed"]);
      expect(heard.get("late")?.at(-1)).toBe("failed");
      // Sent in every round from its first, one request each, 30 s apart.
      const lateSends = at.filter((_, i) => ids()[i]?.includes("late"));
      expect(lateSends.map((t) => t - (lateSends[0] ?? 0))).toEqual([
        0, 30_000, 60_000, 90_000, 120_000,
      ]);
      await vi.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS * 10);
      expect(vi.getTimerCount()).toBe(0);
      expect(heard.get("early")?.filter((d) => d !== "retrying")).toEqual(["failed"]);
    });

    it("sends nothing before a Retry-After, new events included", async () => {
      const answers = [reply(429, 20_000)];
      const send = vi.fn(async (_events: FeedbackEvent[]) => answers.shift() ?? reply(200));
      const queue = new FeedbackQueue(send);
      queue.add(accepted("a"));
      await vi.advanceTimersByTimeAsync(0);
      for (let t = 500; t < 20_000; t += 500) {
        queue.add(accepted(`e${t}`));
        await vi.advanceTimersByTimeAsync(500);
      }
      expect(send).toHaveBeenCalledOnce();
      await vi.advanceTimersByTimeAsync(500);
      expect(send).toHaveBeenCalledTimes(2);
      expect(send.mock.calls[1]?.[0]).toHaveLength(40);
    });

    it("drains promptly what took several requests, each event stored once", async () => {
      const { send, up, at, ids } = logged();
      const queue = new FeedbackQueue(send);
      const all = Array.from({ length: 40 }, (_, i) => `r${i}`);
      for (const id of all) queue.add(longReport(id));
      await vi.advanceTimersByTimeAsync(0);
      const first = send.mock.calls.length;
      expect(first).toBeGreaterThan(1);
      // Failed together: one step, then one request per round (the oldest first), cut to BATCH_BYTES.
      await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS + 4_000);
      expect(send.mock.calls.length).toBe(first + 2);
      for (const [events] of send.mock.calls)
        expect(bodyBytes(events)).toBeLessThanOrEqual(BATCH_BYTES);
      expect(ids()[first]?.[0]).toBe("r0");
      up();
      await vi.advanceTimersByTimeAsync(8_000);
      const recovered = ids().slice(first + 2);
      expect(recovered.flat().sort()).toEqual([...all].sort());
      expect(new Set(at.slice(first + 2)).size).toBe(1);
      expect(vi.getTimerCount()).toBe(0);
    });
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
