// The review queue from the keyboard, in Debian's chromium (playwright-core), each test on a queue of its own (a
// service with an embedded store that queues every saved tag): where the focus goes when the queue empties and
// fills again, what a screen reader hears when the item changes, and what a slow service shows while an answer is
// on its way.

import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/serve/index.js";
import { chromiumPath, holdRequests, launchBrowser, requireBuiltUi } from "../support/browser.js";
import { postJson, removeDir, serveForTest, tempDir, trainSample } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const executablePath = chromiumPath();
const TOKEN = "test-admin-token";
const REVIEWER = "Test Reviewer";

let browser: Browser;
let modelDir: string;
let server: RunningServer | undefined;

beforeAll(async () => {
  if (!executablePath) return;
  requireBuiltUi("admin.js");
  modelDir = await tempDir("tagsmith-admin-review-");
  await trainSample(modelDir);
  browser = await launchBrowser(executablePath);
}, 120_000);

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await browser?.close();
  await removeDir(modelDir);
});

/** A service whose review queue holds one item per tag of each content, in this order. */
async function queueOf(
  contents: { title: string; tags: string[]; description?: string }[],
): Promise<RunningServer> {
  server = await serveForTest(
    { kind: "directory", dir: modelDir },
    { store: embeddedStore({ review: { kind: "all" } }), adminToken: TOKEN, pollMs: 60_000 },
  );
  for (const [i, content] of contents.entries()) {
    const saved = await postJson(server.url, "/v1/content", {
      description: "",
      ...content,
      author: "author-review",
      session: `admin-review-${i}`,
    });
    expect(saved.status, saved.text).toBe(201);
  }
  return server;
}

/** Signed in on the review queue with the first item shown and the focus on its answers (the name just given). */
async function reviewing(service: RunningServer): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${service.url}/admin#review`);
  await page.locator("#token").fill(TOKEN);
  await page.locator("#sign-in-button").click();
  await page.locator("#review-card[data-review-id]:not([aria-busy])").waitFor();
  await page.locator("#reviewer-name").fill(REVIEWER);
  await page.locator("#reviewer-name").press("Enter");
  expect(await focusedId(page)).toBe("decide-belongs");
  return page;
}

const focusedId = (page: Page) => page.evaluate("document.activeElement?.id ?? null");

describe.skipIf(!executablePath)("the review queue from the keyboard", () => {
  it("moves the focus to the empty queue's message after the last answer, and back to the answers on undo", async () => {
    const page = await reviewing(await queueOf([{ title: "Speech to text", tags: ["audio"] }]));
    await page.keyboard.press("y");
    await page.locator("#review-status", { hasText: "Recorded" }).waitFor();
    await page.locator("#review-empty", { hasText: "Nothing to review" }).waitFor();
    // On the message, not the page: a screen reader reads where the reviewer now is.
    expect(await focusedId(page)).toBe("review-empty");

    await page.keyboard.press("u");
    await page.locator("#review-status", { hasText: "is pending again" }).waitFor();
    expect(await page.locator("#review-card").isVisible()).toBe(true);
    expect(await focusedId(page)).toBe("decide-belongs");

    // The Undo button pressed from the empty queue's status line: the same.
    await page.keyboard.press("n");
    await page.locator("#review-empty", { hasText: "Nothing to review" }).waitFor();
    await page.locator("#review-undo").focus();
    await page.keyboard.press("Enter");
    await page.locator("#review-status", { hasText: "is pending again" }).waitFor();
    expect(await focusedId(page)).toBe("decide-belongs");
    await page.close();
  });

  it("shows the author's text with its bidirectional overrides written out, each in its own direction", async () => {
    const page = await reviewing(
      await queueOf([
        {
          title: "Speech \u202Eto text",
          description: "Notes \u202Eevil override",
          tags: ["audio"],
        },
      ]),
    );
    const shown = (id: string) =>
      page.locator(`#${id}`).evaluate((node) => [node.textContent, node.getAttribute("dir")]);
    expect(await shown("review-title")).toEqual(["Speech [U+202E]to text", "auto"]);
    expect(await shown("review-description")).toEqual(["Notes [U+202E]evil override", "auto"]);
    await page.close();
  });

  it("says the item shown next, tag and title, in a polite live region, once when the reviewer stops moving", async () => {
    const contents = [
      { title: "Speech to text on a phone", tags: ["audio"] },
      { title: "Message passing on molecules", tags: ["graphs"] },
      { title: "Shipping models with a feature store", tags: ["mlops"] },
      { title: "Forecasting demand by the hour", tags: ["time-series"] },
    ];
    const page = await reviewing(await queueOf(contents));
    /** What the review panel's live regions say now, all of them together. */
    const heard = () =>
      page
        .locator(
          '#panel-review :is([aria-live="polite"], [aria-live="assertive"], [role="status"], [role="alert"])',
        )
        .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? "").join(" | "));
    /** The shown item's tag and title named in a live region (bidi isolates aside). */
    const announced = async (i: number) => {
      await expect
        .poll(async () => (await heard()).replace(/[\u2066-\u2069]/g, ""), { timeout: 5_000 })
        .toContain(`${contents[i].tags[0]} belong to “${contents[i].title}”`);
    };

    await page.keyboard.press("y");
    await page.locator("#review-status", { hasText: "Recorded" }).waitFor();
    await announced(1);
    await page.keyboard.press("j");
    await announced(2);

    // Stepping through several items in a row is one announcement, of the item the reviewer stopped on.
    await page.evaluate(`(() => {
      const said = (window.said = []);
      const regions = document.querySelectorAll(
        '#panel-review :is([aria-live="polite"], [aria-live="assertive"], [role="status"], [role="alert"])',
      );
      for (const region of regions)
        new MutationObserver(() => {
          if (region.textContent.trim()) said.push(region.textContent);
        }).observe(region, { childList: true, characterData: true, subtree: true });
    })()`);
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    await page.keyboard.press("k");
    await announced(1);
    await page.waitForTimeout(1_000);
    const said = (await page.evaluate("window.said")) as string[];
    expect(said.length, said.join("\n")).toBe(1);
    expect(said[0]).toContain(contents[1].title);
    await page.close();
  });

  it("shows a slow answer on its way, and says so when a key pressed meanwhile is ignored", async () => {
    const contents = [
      { title: "Speech to text on a phone", tags: ["audio"] },
      { title: "Message passing on molecules", tags: ["graphs"] },
    ];
    const page = await reviewing(await queueOf(contents));
    const card = page.locator("#review-card");
    const first = await card.getAttribute("data-review-id");
    const status = page.locator("#review-status");
    // A service 4 s away: every decision is held that long.
    const decisions: string[] = [];
    await page.route("**/v1/admin/review/*/decision", async (route) => {
      decisions.push(route.request().postData() ?? "");
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await route.continue();
    });

    await page.keyboard.press("y");
    // Seen at once, not in 4 s.
    await status
      .filter({ hasText: /^Recording: .*audio.* belongs to/ })
      .waitFor({ timeout: 1_500 });
    expect(await status.isVisible()).toBe(true);

    // j, n and u while it is on its way: the item stays, nothing more is sent, and the line says the key was ignored.
    for (const key of ["j", "n", "u"]) {
      await page.keyboard.press(key);
      await status.filter({ hasText: /Ignored/ }).waitFor({ timeout: 1_000 });
      expect({ key, shown: await card.getAttribute("data-review-id") }).toEqual({
        key,
        shown: first,
      });
      await page.evaluate(`document.getElementById("review-status").textContent = ""`);
    }

    await status.filter({ hasText: /^Recorded: .*audio.* belongs to/ }).waitFor();
    expect(decisions.map((body) => JSON.parse(body).applies)).toEqual([true]);
    expect(await card.getAttribute("data-review-id")).not.toBe(first);

    // A slow undo from its button: the line that held the button says so, and the focus is on the answers meanwhile.
    await page.route("**/v1/admin/review/*/undo", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await route.continue();
    });
    await page.locator("#review-undo").focus();
    await page.keyboard.press("Enter");
    await status.filter({ hasText: /^Undoing: .*audio/ }).waitFor({ timeout: 1_500 });
    expect(await focusedId(page)).toBe("decide-belongs");
    await status.filter({ hasText: "is pending again" }).waitFor();
    expect(await card.getAttribute("data-review-id")).toBe(first);
    expect(await focusedId(page)).toBe("decide-belongs");
    await page.close();
  });

  it("says the queue is loading while its first page is on its way", async () => {
    const service = await queueOf([{ title: "Speech to text", tags: ["audio"] }]);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    // The queue's pages, not the decisions on its items (/v1/admin/review/{id}/decision).
    const release = await holdRequests(page, (_, url) => url.pathname === "/v1/admin/review");
    await page.goto(`${service.url}/admin#review`);
    await page.locator("#token").fill(TOKEN);
    await page.locator("#sign-in-button").click();
    await page.locator("#review-empty", { hasText: "Loading the review queue…" }).waitFor();
    release();
    await page.locator("#review-card[data-review-id]:not([aria-busy])").waitFor();
    expect(await page.locator("#review-empty").isHidden()).toBe(true);
    await page.close();
  });
});
