import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiFailure } from "../api-client.js";
import { MAX_RETRY_DELAY_MS, RETRY_DELAY_MS } from "./backoff.js";
import { type SuggestInput, SuggestionPoller, SuggestTimeout, textKey } from "./poller.js";

interface Call {
  input: SuggestInput;
  signal: AbortSignal;
  resolve(value: string): void;
  reject(reason: unknown): void;
}

/** A poller over a fake request whose calls the test answers by hand. */
function setup({ debounceMs = 300, timeoutMs = 3_000 } = {}) {
  const calls: Call[] = [];
  const results: string[] = [];
  const failures: unknown[] = [];
  const onEmpty = vi.fn();
  const poller = new SuggestionPoller<string>({
    debounceMs,
    timeoutMs,
    request: (input, signal) =>
      new Promise<string>((resolve, reject) => {
        calls.push({ input, signal, resolve, reject });
        signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      }),
    onResult: (result) => results.push(result),
    onFailure: (reason) => failures.push(reason),
    onEmpty,
  });
  const inFlight = () => calls.filter((c) => !c.signal.aborted).length;
  return { poller, calls, results, failures, onEmpty, inFlight };
}

const input = (title: string, description = "", tags: string[] = []): SuggestInput => ({
  title,
  description,
  tags,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("SuggestionPoller", () => {
  it("asks once, after a pause, for the latest text of a burst of typing", async () => {
    const { poller, calls } = setup();
    const title = "Fine-tuning BERT with PyTorch for text classif";
    for (let i = 1; i <= 30; i++) {
      poller.schedule(input(title.slice(0, i)));
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.map((c) => c.input.title)).toEqual([title.slice(0, 30)]);
  });

  it("does not ask again when only whitespace changed", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT  for text", "long\ndescription"));
    await vi.advanceTimersByTimeAsync(300);
    calls[0].resolve("first");
    await vi.advanceTimersByTimeAsync(0);
    poller.schedule(input("BERT for text ", "long description"));
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(1);
  });

  it("aborts the stale request before sending a new one, so one at most is in flight", async () => {
    const { poller, calls, results, inFlight } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    poller.schedule(input("BERT with PyTorch"));
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
    expect(calls[0].signal.aborted).toBe(true);
    expect(inFlight()).toBe(1);
    calls[0].resolve("stale");
    calls[1].resolve("fresh");
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual(["fresh"]);
  });

  it("never reports a replaced request as a failure", async () => {
    const { poller, failures } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    poller.schedule(input("BERT with PyTorch"));
    await vi.advanceTimersByTimeAsync(300);
    expect(failures).toEqual([]);
  });

  it("gives up on a slow request and asks again for the same text at the next change", async () => {
    const { poller, calls, failures } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300 + 3_000);
    expect(calls[0].signal.aborted).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(SuggestTimeout);
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
  });

  it("sends nothing for an empty title, clears, and cancels what was in flight", async () => {
    const { poller, calls, onEmpty } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    poller.schedule(input("   ", "a description alone"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    expect(calls[0].signal.aborted).toBe(true);
    expect(onEmpty).toHaveBeenCalledOnce();
  });

  it("asks again for the same text when forced (chosen tags only the service can resolve)", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    calls[0].resolve("first");
    poller.schedule(input("BERT", "", ["torch"]), { force: true });
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.map((c) => c.input.tags)).toEqual([[], ["torch"]]);
  });

  it("keeps a forced request forced when typing follows within the debounce", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    calls[0].resolve("first");
    poller.schedule(input("BERT", "", ["torch"]), { force: true });
    poller.schedule(input("BERT ", "", ["torch"]));
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
  });

  it("waits out a Retry-After before asking again", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    calls[0].reject(Object.assign(new Error("429"), { retryAfterMs: 5_000 }));
    await vi.advanceTimersByTimeAsync(0);
    poller.schedule(input("BERT with PyTorch"));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
  });

  it("asks again for the same text while the service is unreachable, waiting 2 s, 4 s ... at most 30 s", async () => {
    const { poller, calls, results, failures } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    const waits: number[] = [];
    for (let n = 1; n <= 6; n++) {
      calls[n - 1].reject(new ApiFailure(0, null));
      const wait = Math.min(RETRY_DELAY_MS * 2 ** (n - 1), MAX_RETRY_DELAY_MS);
      waits.push(wait);
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(calls).toHaveLength(n);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toHaveLength(n + 1);
      expect(calls[n].input.title).toBe("BERT");
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(failures).toHaveLength(6);
    calls[6].resolve("back");
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual(["back"]);
    // Answered: nothing more is sent, and the next failure waits 2 s again.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(7);
    poller.schedule(input("BERT with PyTorch"));
    await vi.advanceTimersByTimeAsync(300);
    calls[7].reject(new ApiFailure(503, null));
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    expect(calls).toHaveLength(9);
  });

  it("retries a timeout, a 5xx and a 429 (after its Retry-After), but not a refused request", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300 + 3_000);
    expect(calls[0].signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    expect(calls).toHaveLength(2);
    calls[1].reject(new ApiFailure(429, null, 20_000));
    await vi.advanceTimersByTimeAsync(19_999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    calls[2].reject(new ApiFailure(400, null));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(3);
  });

  it("drops the retry of old text when newer text is typed, and asks for the newer text", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    calls[0].reject(new ApiFailure(0, null));
    await vi.advanceTimersByTimeAsync(1_000);
    poller.schedule(input("BERT with PyTorch"));
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.map((c) => c.input.title)).toEqual(["BERT", "BERT with PyTorch"]);
    calls[1].resolve("fresh");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it("stops retrying on cancel and for an emptied title", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    calls[0].reject(new ApiFailure(0, null));
    await vi.advanceTimersByTimeAsync(0);
    poller.cancel();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    calls[1].reject(new ApiFailure(0, null));
    await vi.advanceTimersByTimeAsync(0);
    poller.schedule(input(""));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it("stops everything on cancel", async () => {
    const { poller, calls } = setup();
    poller.schedule(input("BERT"));
    await vi.advanceTimersByTimeAsync(300);
    poller.schedule(input("BERT with PyTorch"));
    poller.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    expect(calls[0].signal.aborted).toBe(true);
    expect(poller.busy).toBe(false);
  });
});

describe("textKey", () => {
  it("keeps title and description apart", () => {
    expect(textKey({ title: "a b", description: "" })).not.toBe(
      textKey({ title: "a", description: "b" }),
    );
  });
});
