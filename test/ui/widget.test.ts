// The suggestion widget as a host page embeds it: Debian's chromium (playwright-core) on a page of another origin
// (a plain HTTP server on loopback) loading /widget.js from the real service, with a model trained on the bundled
// sample and the embedded store. What the author sees and hears, and what reaches the store, when the host's ids
// are its own, the network fails, tags come and go, the host refuses a tag, and the page closes or the widget
// leaves it; the editor at / for what a save does to the widget.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/serve/index.js";
import type { StoredEvent } from "../../src/store/index.js";
import {
  chromiumPath,
  contrastRatio,
  holdRequests,
  launchBrowser,
  requireBuiltUi,
} from "../support/browser.js";
import { removeDir, serveForTest, tempDir, trainSample } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const executablePath = chromiumPath();

let browser: Browser;
let dir: string;
let server: RunningServer;
let host: Server;
let hostUrl: string;

/**
 * The host's page: its own form, and the widget as the README shows it, with `attributes` added (and `root`, the
 * host's own attributes of <html>: its direction, its root font size).
 */
function hostPage(attributes: string, root: string): string {
  return `<!doctype html><html ${root}><head><meta charset="utf-8"><title>A host</title>
<script src="${server.url}/widget.js" defer></script></head><body>
<form><input id="title"><textarea id="description"></textarea><input id="tags"></form>
<tagsmith-suggestions title-input="#title" description-input="#description" tags-input="#tags" ${attributes}>
</tagsmith-suggestions></body></html>`;
}

beforeAll(async () => {
  if (!executablePath) return;
  requireBuiltUi("widget.js");
  dir = await tempDir("tagsmith-widget-");
  await trainSample(dir);
  server = await serveForTest({ kind: "directory", dir }, { store: embeddedStore() });
  // The page's query string is the widget's extra attributes, and the page's own of <html>.
  host = createServer((req, res) => {
    const query = new URL(req.url ?? "/", "http://host").searchParams;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(hostPage(query.get("attributes") ?? "", query.get("root") ?? ""));
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  browser = await launchBrowser(executablePath);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (host ? host.close(resolve) : resolve(undefined)));
  await server?.close();
  await removeDir(dir);
});

interface Host {
  page: Page;
  warnings: string[];
  /** The /v1/suggest answers the page received. */
  answers: () => number;
}

/** The host page, the widget with `attributes`, the page's <html> with `root`. */
const openHost = (attributes = "", root = "") =>
  openPage(
    `${hostUrl}/?attributes=${encodeURIComponent(attributes)}&root=${encodeURIComponent(root)}`,
  );
/** The editor at /, the widget's reference integration. */
const openEditor = () => openPage(`${server.url}/`);

async function openPage(url: string): Promise<Host> {
  const page = await browser.newPage();
  const warnings: string[] = [];
  let answers = 0;
  page.on("console", (m) => {
    if (m.type() === "warning") warnings.push(m.text());
  });
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === "/v1/suggest") answers += 1;
  });
  await page.goto(url);
  return { page, warnings, answers: () => answers };
}

const suggestion = (page: Page, tag: string) =>
  page.locator(`tagsmith-suggestions [data-tag="${tag}"]`);
const allSuggestions = (page: Page) => page.locator("tagsmith-suggestions button.tag");
const status = (page: Page) => page.locator("tagsmith-suggestions [role=status]");
const announcer = (page: Page) => page.locator("tagsmith-suggestions [aria-live]:not([role])");

async function shownTags(page: Page): Promise<string[]> {
  return allSuggestions(page).evaluateAll((buttons) =>
    buttons.map((b) => b.getAttribute("data-tag") ?? ""),
  );
}

async function report(page: Page, tag: string): Promise<void> {
  await page.locator(`tagsmith-suggestions [data-report="${tag}"]`).click();
  await page.locator('tagsmith-suggestions [data-reason="wrong"]').click();
}

async function widgetSession(page: Page): Promise<string> {
  return page
    .locator("tagsmith-suggestions")
    .evaluate((el) => (el as unknown as { session: string }).session);
}

/** Polls `read` until `done` holds (the store is written by requests the page sends on its own). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function events(filter: { session: string }): Promise<StoredEvent[]> {
  return server.store?.events(filter) ?? Promise.resolve([]);
}

/** Routes `path` of the service through a switch: while it is off, the request fails as if the service were gone. */
async function outage(page: Page, path: string): Promise<{ end(): void }> {
  let down = true;
  await page.route(`${server.url}${path}`, (route: Route) =>
    down ? route.abort("connectionrefused") : route.continue(),
  );
  return {
    end: () => {
      down = false;
    },
  };
}

/** The /v1/feedback requests the page sent and those that failed, from now on. */
function feedbackRequests(page: Page): { sent: () => number; failed: () => number } {
  let sent = 0;
  let failed = 0;
  const isFeedback = (url: string) => new URL(url).pathname === "/v1/feedback";
  page.on("request", (r) => {
    if (isFeedback(r.url())) sent += 1;
  });
  page.on("requestfailed", (r) => {
    if (isFeedback(r.url())) failed += 1;
  });
  return { sent: () => sent, failed: () => failed };
}

/** What has the focus inside the widget: the data-* of the focused control, or its class; null outside it. */
function focusedInWidget(page: Page): Promise<Record<string, string> | null> {
  return page.locator("tagsmith-suggestions").evaluate((widget) => {
    type Control = { dataset: Record<string, string>; className: string };
    const root = (widget as unknown as { shadowRoot: { activeElement: Control | null } | null })
      .shadowRoot;
    const active = root?.activeElement;
    return active ? { ...active.dataset, class: active.className } : null;
  });
}

/**
 * The service's next /v1/suggest answers come `delayMs` late, rewritten by `change` (the real answer's suggestions
 * in, what the page gets out): a slow network, and an answer unlike the one on screen.
 */
async function lateAnswers(
  page: Page,
  delayMs: number,
  change: (suggestions: unknown[]) => unknown[] = (s) => s,
): Promise<void> {
  await page.route(`${server.url}/v1/suggest`, async (route: Route) => {
    const response = await route.fetch();
    const body = await response.json();
    await new Promise((r) => setTimeout(r, delayMs));
    await route.fulfill({ response, json: { ...body, suggestions: change(body.suggestions) } });
  });
}

/** The same suggestions ranked the other way round: the worst gets the best score, and so on. */
function reversedRanks(suggestions: unknown[]): unknown[] {
  const ranked = suggestions as Array<{ score: number }>;
  return ranked.map((s, i) => ({ ...ranked[ranked.length - 1 - i], score: s.score }));
}

/** Suggestions on screen for a title, and their count said: what is said from here on is the test's. */
async function suggestionsAnnounced(page: Page): Promise<number> {
  await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
  await suggestion(page, "pytorch").waitFor();
  const count = await allSuggestions(page).count();
  await announcer(page)
    .filter({ hasText: new RegExp(`^${count} suggestions?$`) })
    .waitFor();
  return count;
}

/** Suggestions on screen for a title, and their shown event stored: feedback from here on is the test's. */
async function suggestionsShown(page: Page): Promise<string> {
  await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
  await suggestion(page, "pytorch").waitFor();
  const session = await widgetSession(page);
  await eventually(
    () => events({ session }),
    (list) => list.some((e) => e.type === "shown"),
  );
  return session;
}

describe.skipIf(!executablePath)("the widget on a host page in chromium", () => {
  it("keeps the feedback of a host whose content-id tagsmith does not know, and warns the developer once", async () => {
    const { page, warnings } = await openHost('content-id="424242"');
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").click();
    expect(await page.locator("#tags").inputValue()).toBe("pytorch");
    const [other] = await shownTags(page);
    await report(page, other);
    await status(page)
      .filter({ hasText: /report/i })
      .waitFor();
    expect(await status(page).textContent()).toBe("Thanks, reported.");

    const session = await widgetSession(page);
    const stored = await eventually(
      () => events({ session }),
      (list) => list.some((e) => e.type === "reported"),
    );
    expect(stored.map((e) => [e.type, e.tag ?? "", e.contentId])).toEqual(
      expect.arrayContaining([
        ["shown", "", null],
        ["accepted", "pytorch", null],
        ["reported", other, null],
      ]),
    );
    // Each event says when it happened by the page's clock: its session's order, whatever order batches arrive in.
    const at = (type: string) => stored.find((e) => e.type === type)?.occurredAt ?? "";
    expect(stored.every((e) => e.occurredAt !== null)).toBe(true);
    expect(at("shown") <= at("accepted") && at("accepted") <= at("reported")).toBe(true);
    await eventually(
      async () => warnings,
      (w) => w.length > 0,
    );
    // More feedback of the same content: still one warning.
    await suggestion(page, (await shownTags(page))[0]).click();
    await eventually(
      () => events({ session }),
      (list) => list.filter((e) => e.type === "accepted").length === 2,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('content-id="424242"');
    await page.close();
  });

  it("does not thank for a report it could not deliver: it says it will retry, then thanks once stored", async () => {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    const network = await outage(page, "/v1/feedback");
    await report(page, "pytorch");
    await status(page)
      .filter({ hasText: /not sent yet.*retried/ })
      .waitFor();
    expect(await status(page).textContent()).not.toMatch(/Thanks/);
    network.end();
    await status(page).filter({ hasText: "Thanks, reported." }).waitFor({ timeout: 10_000 });
    const session = await widgetSession(page);
    const stored = await events({ session });
    expect(stored.filter((e) => e.type === "reported").map((e) => e.tag)).toEqual(["pytorch"]);
    await page.close();
  });

  it("asks again when its limit is raised past what the last answer held, and only then", async () => {
    const { page, answers } = await openHost('limit="1"');
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await allSuggestions(page).first().waitFor();
    await page.waitForTimeout(500);
    const before = answers();
    const widget = page.locator("tagsmith-suggestions");
    // The answer holds the limit and spares: 3 is within it, shown without asking.
    await widget.evaluate((el) => el.setAttribute("limit", "3"));
    await page.waitForTimeout(500);
    expect(answers()).toBe(before);
    const asked = page.waitForRequest((r) => r.url().endsWith("/v1/suggest"));
    await widget.evaluate((el) => el.setAttribute("limit", "12"));
    expect(JSON.parse((await asked).postData() ?? "{}").limit).toBeGreaterThanOrEqual(12);
    await page.close();
  });

  it("keeps a report's 'not sent yet' on screen while suggestions are unavailable too", async () => {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    await outage(page, "/v1/feedback");
    await outage(page, "/v1/suggest");
    await report(page, "pytorch");
    await status(page)
      .filter({ hasText: /not sent yet/ })
      .waitFor();
    // The author writes on: that poll fails too, and the report's words stay.
    const polled = page.waitForEvent("requestfailed", (r) => r.url().endsWith("/v1/suggest"));
    await page.locator("#title").pressSequentially(" and TensorFlow", { delay: 10 });
    await polled;
    await page.waitForTimeout(100);
    expect(await status(page).textContent()).toMatch(/not sent yet/);
    await page.close();
  });

  it("brings suggestions back by itself when the service returns, without the author typing", async () => {
    const { page } = await openHost();
    const network = await outage(page, "/v1/suggest");
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await status(page)
      .filter({ hasText: /unavailable/i })
      .waitFor();
    expect(await allSuggestions(page).count()).toBe(0);
    network.end();
    await suggestion(page, "pytorch").waitFor({ timeout: 10_000 });
    expect(await status(page).textContent()).toBe("");
    await page.close();
  });

  it("takes away, while the service is away, suggestions for text the author has replaced, and brings them back with it", async () => {
    const { page } = await openHost();
    const title = "Object detection with PyTorch";
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    const before = await shownTags(page);
    await outage(page, "/v1/suggest");
    await page.locator("#title").fill("My grandmother's chocolate cake recipe");
    await status(page)
      .filter({ hasText: /unavailable/i })
      .waitFor();
    expect(await shownTags(page)).toEqual([]);
    // The text they were for is back: so are they, still without the service.
    await page.locator("#title").fill(title);
    await expect.poll(() => shownTags(page)).toEqual(before);
    await page.close();
  });

  it("takes a suggestion away when the author types one of its aliases, with the service away too", async () => {
    const { page } = await openHost();
    await page
      .locator("#title")
      .pressSequentially("Fine-tuning BERT for text classification", { delay: 10 });
    const nlp = suggestion(page, "natural-language-processing");
    await nlp.waitFor();
    const aliases = await page
      .locator("tagsmith-suggestions")
      .evaluate(
        (el) =>
          (
            el as unknown as { suggestions: Array<{ tag: string; aliases?: string[] }> }
          ).suggestions.find((s) => s.tag === "natural-language-processing")?.aliases ?? [],
      );
    expect(aliases.length).toBeGreaterThan(0);
    await outage(page, "/v1/suggest");
    await page.locator("#tags").fill(aliases[0].toUpperCase());
    await nlp.waitFor({ state: "detached", timeout: 2_000 });
    await page.close();
  });

  it("suggests a tag again once the author removes it after accepting it", async () => {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").click();
    await suggestion(page, "pytorch").waitFor({ state: "detached" });
    await page.locator("#tags").fill("");
    await suggestion(page, "pytorch").waitFor({ timeout: 5_000 });
    await page.close();
  });

  it("announces how many suggestions came when the set changes, not at a re-poll bringing the same", async () => {
    const { page, answers } = await openHost();
    await suggestionsAnnounced(page);
    expect(await announcer(page).getAttribute("aria-live")).toBe("polite");
    // Count what is said from now on.
    await announcer(page).evaluate((el) => {
      const counter = { said: 0 };
      (globalThis as unknown as { __said: typeof counter }).__said = counter;
      new (
        globalThis as unknown as {
          MutationObserver: new (f: () => void) => { observe(n: unknown, o: unknown): void };
        }
      ).MutationObserver(() => {
        counter.said += 1;
      }).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const said = () =>
      page.evaluate(() => (globalThis as unknown as { __said: { said: number } }).__said.said);
    // A tag of the author's own that none of the suggestions names: asked again, the same suggestions come.
    const before = answers();
    await page.locator("#tags").fill("my-own-tag");
    await eventually(
      async () => answers(),
      (n) => n > before,
    );
    await page.waitForTimeout(300);
    expect(answers()).toBeGreaterThan(before);
    expect(await said()).toBe(0);
    // New text, new suggestions: said.
    await page.locator("#title").fill("Fine-tuning BERT transformers for text classification");
    await eventually(said, (n) => n > 0);
    expect(await announcer(page).textContent()).toMatch(
      /^(\d+ suggestions?|No suggestions)\u00a0?$/,
    );
    await page.close();
  });
});

/** The page's getComputedStyle, as the tests' own code sees it (their TypeScript has no DOM types). */
type ComputedStyles = { getComputedStyle(node: unknown): Record<string, string> };

/** Answers the page's /v1/suggest requests with the service's answer, its suggestions replaced by `suggestions`. */
async function suggestExactly(page: Page, suggestions: object[]): Promise<void> {
  await page.route(`${server.url}/v1/suggest`, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...(await res.json()), suggestions } });
  });
}

const explicit = (tag: string, words: string) => ({
  tag,
  score: 0.9,
  source: "explicit",
  evidence: [{ field: "title", text: words, start: 0, end: words.length }],
});
const implicit = (tag: string) => ({ tag, score: 0.5, source: "implicit" });

describe.skipIf(!executablePath)("the widget's layout and tooltips", () => {
  it("keeps suggestions, tooltips and the report menu within a 320 px screen, a tag with no break points included", async () => {
    const width = 320;
    const { page } = await openHost('limit="10"');
    await page.setViewportSize({ width, height: 800 });
    const words = "a very long matched phrase from the title that goes on and on";
    const tags = [
      explicit("supercalifragilisticexpialidociousautoencodernetworkarchitectures", words),
      explicit("pytorch", words),
      implicit("cnn"),
      explicit("gan", words),
      implicit("rnn"),
      explicit("nlp", words),
      implicit("ai"),
    ];
    await suggestExactly(page, tags);
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await allSuggestions(page)
      .nth(tags.length - 1)
      .waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      width,
    );
    const within = (box: { x: number; width: number } | null) => {
      expect(box?.x).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? width) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
    };
    const items = page.locator("tagsmith-suggestions .item");
    let rightmost = { index: 0, left: 0 };
    for (let i = 0; i < tags.length; i++) {
      const box = await items.nth(i).boundingBox();
      within(box);
      if ((box?.x ?? 0) > rightmost.left) rightmost = { index: i, left: box?.x ?? 0 };
      await items.nth(i).locator(".tag").hover();
      within(await items.nth(i).locator(".tip").boundingBox());
      // Away, so this tooltip is gone before the next suggestion is pointed at.
      await page.mouse.move(0, 0);
    }
    // A menu (10rem) hung from the left edge of a suggestion in the right half would run off the screen.
    expect(rightmost.left).toBeGreaterThan(width / 2);
    await items.nth(rightmost.index).locator(".report").click();
    within(await page.locator("tagsmith-suggestions [role=menu]").boundingBox());
    await page.close();
  });

  it("keeps a tooltip while the pointer moves onto it, and hides it on Escape wherever focus is (WCAG 1.4.13)", async () => {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    const tag = suggestion(page, "pytorch");
    const tip = page.locator(`tagsmith-suggestions #${await tag.getAttribute("aria-describedby")}`);
    await tag.hover();
    await tip.waitFor();
    // Down from the suggestion to the middle of its tooltip, through the gap between them.
    const box = await tip.boundingBox();
    await page.mouse.move(
      (box?.x ?? 0) + (box?.width ?? 0) / 2,
      (box?.y ?? 0) + (box?.height ?? 0) / 2,
      {
        steps: 10,
      },
    );
    expect(await tip.isVisible()).toBe(true);
    // Focus is still in the title: Escape there hides the tooltip, and the title keeps its text.
    expect(
      await page.locator("#title").evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await page.keyboard.press("Escape");
    expect(await tip.isVisible()).toBe(false);
    expect(await page.locator("#title").inputValue()).toBe("Object detection with PyTorch");
    // Shown again by pointing at it again; by keyboard focus, Escape hides it too.
    await page.mouse.move(0, 0);
    await tag.hover();
    await tip.waitFor();
    await page.mouse.move(0, 0);
    await page.locator("#tags").focus();
    await page.keyboard.press("Tab");
    const focusedTip = page.locator("tagsmith-suggestions .item:has(.tag:focus-visible) .tip");
    await focusedTip.waitFor();
    await page.keyboard.press("Escape");
    expect(await focusedTip.isVisible()).toBe(false);
    await page.close();
  });

  it("shows a poll on its way without fading the suggestions, whose text keeps its contrast", async () => {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    const release = await holdRequests(page, (_, url) => url.pathname === "/v1/suggest");
    await page.locator("#title").pressSequentially(" models", { delay: 10 });
    const groups = page.locator('tagsmith-suggestions [aria-label="Suggested tags"]');
    await page.locator('tagsmith-suggestions [aria-busy="true"]').waitFor();
    // Past the delay and the transition of whatever shows it.
    await page.waitForTimeout(600);
    // Each suggestion's text, and the opacity it is painted with: its own times its ancestors', out of the shadow root.
    const faded = await groups.evaluate((list) => {
      const view = list.ownerDocument.defaultView;
      return [...list.querySelectorAll(".tag,.report,.category")].flatMap((node) => {
        let opacity = 1;
        for (let at: typeof node | null = node; at; ) {
          opacity *= Number(view?.getComputedStyle(at).opacity);
          at =
            at.parentElement ??
            (at.getRootNode() as unknown as { host?: typeof node }).host ??
            null;
        }
        return opacity === 1 ? [] : [[node.textContent, opacity]];
      });
    });
    expect(faded).toEqual([]);
    const indicator = await groups.evaluate(
      (list) => list.ownerDocument.defaultView?.getComputedStyle(list, "::after").opacity,
    );
    expect(indicator).toBe("1");
    release();
    await page.locator('tagsmith-suggestions [aria-busy="true"]').waitFor({ state: "detached" });
    await page.close();
  });

  it("sizes itself by the host's text, not its root font: a 62.5% root leaves chips readable and their targets 24 px", async () => {
    const { page } = await openHost("", 'style="font-size:62.5%"');
    // Such a page sets its text back to 16 px on the body (1.6rem).
    await page.addStyleTag({ content: "body{font-size:1.6rem}" });
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    const sizes = await suggestion(page, "pytorch").evaluate((tag) => {
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } };
      const report = (tag as unknown as { nextElementSibling: unknown }).nextElementSibling;
      const box = (e: unknown) =>
        (
          e as { getBoundingClientRect(): { width: number; height: number } }
        ).getBoundingClientRect();
      return {
        text: Number.parseFloat(view.getComputedStyle(tag).fontSize),
        tagHeight: box(tag).height,
        reportWidth: box(report).width,
        reportHeight: box(report).height,
      };
    });
    expect(sizes.text).toBeCloseTo(14, 0);
    expect(sizes.tagHeight).toBeGreaterThanOrEqual(24);
    expect(sizes.reportWidth).toBeGreaterThanOrEqual(24);
    expect(sizes.reportHeight).toBeGreaterThanOrEqual(24);
    await page.close();
  });

  it("marks implied suggestions by a dashed border one can see, and writes category headings as words, not capitals", async () => {
    const { page } = await openHost();
    await suggestExactly(page, [
      { ...explicit("pytorch", "PyTorch"), category: "frameworks" },
      { ...implicit("computer-vision"), category: "domains" },
    ]);
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "computer-vision").waitFor();
    const border = (tag: string) =>
      suggestion(page, tag).evaluate((chip) => {
        const style = (globalThis as unknown as ComputedStyles).getComputedStyle(chip);
        return { style: style.borderTopStyle, color: style.borderTopColor };
      });
    const named = await border("pytorch");
    const implied = await border("computer-vision");
    expect(named.style).toBe("solid");
    expect(implied.style).toBe("dashed");
    // WCAG 1.4.11: what tells the two apart is seen at 3:1 against the page (the light border was 1.5:1).
    expect(contrastRatio(implied.color, "rgb(255, 255, 255)")).toBeGreaterThanOrEqual(3);
    // Capitals made by CSS are read letter by letter by some screen readers: the headings keep their words' case.
    const headings = await page.locator("tagsmith-suggestions .category").evaluateAll((nodes) =>
      nodes.map((node) => [
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, capitals made by CSS included, is what is tested.
        (node as unknown as { innerText: string }).innerText,
        (globalThis as unknown as ComputedStyles).getComputedStyle(node).textTransform,
      ]),
    );
    expect(headings).toEqual([
      ["frameworks", "none"],
      ["domains", "none"],
    ]);
    await page.close();
  });

  it("reads right to left on a right-to-left page: each chip's + and rounded end face outward, Left moves on", async () => {
    const { page } = await openHost("", 'dir="rtl" lang="ar"');
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    const chip = await suggestion(page, "pytorch").evaluate((tag) => {
      type Box = { left: number; right: number };
      const view = globalThis as unknown as {
        getComputedStyle(e: unknown): { borderTopLeftRadius: string; borderTopRightRadius: string };
      };
      const report = (tag as unknown as { nextElementSibling: unknown }).nextElementSibling;
      const box = (e: unknown) => (e as { getBoundingClientRect(): Box }).getBoundingClientRect();
      const plus = view.getComputedStyle(tag);
      return {
        tagRight: box(tag).right,
        reportLeft: box(report).left,
        reportRight: box(report).right,
        tagRounded: { left: plus.borderTopLeftRadius, right: plus.borderTopRightRadius },
        reportRounded: view.getComputedStyle(report).borderTopLeftRadius,
      };
    });
    // The tag first in reading order, so on the right; its rounded end on the right, its report's on the left.
    expect(chip.reportRight).toBeLessThanOrEqual(chip.tagRight);
    expect(chip.tagRounded.left).toBe("0px");
    expect(chip.tagRounded.right).not.toBe("0px");
    expect(chip.reportRounded).not.toBe("0px");
    // The keyboard follows the screen: from the first tag, Left goes to its report button, drawn to its left.
    await page.locator("#tags").focus();
    await page.keyboard.press("Tab");
    const first = await focusedInWidget(page);
    expect(first).toHaveProperty("tag");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedInWidget(page)).toMatchObject({ report: first?.tag });
    await page.keyboard.press("ArrowRight");
    expect(await focusedInWidget(page)).toMatchObject({ tag: first?.tag });
    await page.close();
  });
});

describe.skipIf(!executablePath)("what the host refuses, and the feedback as it leaves", () => {
  it("does not count a tag the host refuses as accepted: it stays suggested, and the widget says why", async () => {
    const { page } = await openHost();
    const session = await suggestionsShown(page);
    // This host takes any tag but pytorch.
    await page.locator("tagsmith-suggestions").evaluate((widget) =>
      widget.addEventListener("tagsmith:add", (event: unknown) => {
        const { tag, refuse } = (event as { detail: { tag: string; refuse(reason: string): void } })
          .detail;
        if (tag === "pytorch") refuse("This form keeps PyTorch out.");
      }),
    );
    await suggestion(page, "pytorch").click();
    await status(page)
      .filter({ hasText: "This form keeps PyTorch out." })
      .waitFor({ timeout: 5_000 });
    expect(await page.locator("#tags").inputValue()).toBe("");
    expect(await shownTags(page)).toContain("pytorch");
    await expect
      .poll(() => suggestion(page, "pytorch").evaluate((b) => b.matches(":focus")))
      .toBe(true);

    // Another suggestion is taken as before; once its event is stored, the refused one would have been too.
    const other = (await shownTags(page)).find((tag) => tag !== "pytorch") ?? "";
    await suggestion(page, other).click();
    expect(await page.locator("#tags").inputValue()).toBe(other);
    // The chosen tags changed: the refusal is old news.
    expect(await status(page).textContent()).toBe("");
    await eventually(
      () => events({ session }),
      (list) => list.some((e) => e.type === "accepted"),
    );
    await page.waitForTimeout(300);
    const accepted = (await events({ session })).filter((e) => e.type === "accepted");
    expect(accepted.map((e) => e.tag)).toEqual([other]);
    await page.close();
  });

  it("does not count a tag nobody added as accepted: chosen tags shown as elements, and no listener to add it", async () => {
    const { page, warnings } = await openHost();
    // The host keeps its tags as elements (data-chosen-tag) but does not listen for tagsmith:add: a setup error.
    await page.evaluate(`
      const tags = document.createElement("div");
      tags.id = "tags";
      document.querySelector("#tags").replaceWith(tags);
      const widget = document.querySelector("tagsmith-suggestions");
      widget.remove();
      document.body.append(widget);
    `);
    const session = await suggestionsShown(page);
    await suggestion(page, "pytorch").click();
    await status(page).filter({ hasText: "was not added" }).waitFor({ timeout: 5_000 });
    expect(await shownTags(page)).toContain("pytorch");
    expect(warnings.filter((w) => w.includes("nothing added the tag clicked"))).toHaveLength(1);
    await page.waitForTimeout(300);
    expect((await events({ session })).filter((e) => e.type === "accepted")).toEqual([]);
    await page.close();
  });

  it("sends the feedback still waiting for a retry when the page is closed", async () => {
    const { page } = await openHost();
    const session = await suggestionsShown(page);
    const feedback = feedbackRequests(page);
    await outage(page, "/v1/feedback");
    await suggestion(page, "pytorch").click();
    // Failed twice: the next retry is 4 s away, far past the close.
    await eventually(
      async () => feedback.failed(),
      (n) => n >= 2,
    );
    expect(feedback.failed()).toBe(2);
    await page.unrouteAll();
    await page.close();
    const stored = await eventually(
      () => events({ session }),
      (list) => list.some((e) => e.type === "accepted"),
    );
    expect(stored.filter((e) => e.type === "accepted").map((e) => e.tag)).toEqual(["pytorch"]);
  });

  it("backs off as a whole while feedback fails: new events wait for the retry, and all go once it answers", async () => {
    const { page } = await openHost();
    const session = await suggestionsShown(page);
    const feedback = feedbackRequests(page);
    const network = await outage(page, "/v1/feedback");
    // The author takes a suggestion about every 700 ms through the outage, each bringing its events; once all are
    // taken, the chosen tags are cleared, which brings them back (without a request).
    const taken: string[] = [];
    for (let i = 0; i < 6; i++) {
      if ((await shownTags(page)).length === 0) {
        await page.locator("#tags").fill("");
        await allSuggestions(page).first().waitFor();
      }
      const tag = (await shownTags(page))[0] ?? "";
      await suggestion(page, tag).click();
      taken.push(tag);
      await page.waitForTimeout(700);
    }
    // The first failure, then one retry 2 s later; the next is due 4 s after that. Each batch on its own timer, and
    // each click's events sent at once, would have made ten or more.
    expect(feedback.sent()).toBeLessThanOrEqual(3);
    network.end();
    const stored = await eventually(
      () => events({ session }),
      (list) => list.filter((e) => e.type === "accepted").length >= taken.length,
    );
    expect(
      stored
        .filter((e) => e.type === "accepted")
        .map((e) => e.tag)
        .sort(),
    ).toEqual([...taken].sort());
    await page.close();
  });

  it("leaves no retry running once removed from the page, sending its pending feedback once; put back, it retries", async () => {
    const { page } = await openHost();
    const session = await suggestionsShown(page);
    const feedback = feedbackRequests(page);
    let suggests = 0;
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/v1/suggest") suggests += 1;
    });
    const network = await outage(page, "/v1/**");
    // A feedback batch and a suggest request fail, each with its retry waiting (the tag taken first: the text
    // changed while the service is away, the suggestions for the old text go).
    await suggestion(page, "pytorch").click();
    await eventually(
      async () => feedback.failed(),
      (n) => n >= 1,
    );
    await page.locator("#title").pressSequentially(" and TensorFlow", { delay: 10 });
    await status(page)
      .filter({ hasText: /unavailable/i })
      .waitFor();

    const widget = await page.$("tagsmith-suggestions");
    const [sentBefore, suggestsBefore] = [feedback.sent(), suggests];
    await widget?.evaluate((el) => el.remove());
    // Retries would have come 2 s and 6 s after the failure.
    await page.waitForTimeout(6_500);
    expect(feedback.sent() - sentBefore).toBe(1);
    expect(suggests - suggestsBefore).toBe(0);
    expect((await events({ session })).some((e) => e.type === "accepted")).toBe(false);

    network.end();
    await widget?.evaluate((el) => el.ownerDocument.body.append(el));
    const stored = await eventually(
      () => events({ session }),
      (list) => list.some((e) => e.type === "accepted"),
    );
    expect(stored.filter((e) => e.type === "accepted").map((e) => e.tag)).toEqual(["pytorch"]);
    await page.close();
  });
});

/** Saves in the editor, and waits for the new session to ask again for the same text. */
async function saveAndAskAgain(page: Page, answers: () => number): Promise<void> {
  const before = answers();
  await page.locator("#save").click();
  await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
  await eventually(
    async () => answers(),
    (n) => n > before,
  );
}

describe.skipIf(!executablePath)("the widget in the editor across a save", () => {
  it("keeps the suggestions on screen across a save, and does not say their count again", async () => {
    const { page, answers } = await openEditor();
    const count = await suggestionsAnnounced(page);
    // From now on: what is said, and whether the list was ever emptied.
    await page.locator("tagsmith-suggestions").evaluate((widget) => {
      type Node = { querySelectorAll(s: string): { length: number } };
      const root = (
        widget as unknown as { shadowRoot: Node & { querySelector(s: string): unknown } }
      ).shadowRoot;
      const seen = { said: 0, emptied: false };
      (globalThis as unknown as { __seen: typeof seen }).__seen = seen;
      const Observer = (
        globalThis as unknown as {
          MutationObserver: new (f: () => void) => { observe(n: unknown, o: unknown): void };
        }
      ).MutationObserver;
      new Observer(() => {
        seen.said += 1;
      }).observe(root.querySelector("[aria-live]:not([role])"), {
        childList: true,
        characterData: true,
        subtree: true,
      });
      new Observer(() => {
        if (root.querySelectorAll("button.tag").length === 0) seen.emptied = true;
      }).observe(root, { childList: true, subtree: true });
    });
    // The new session's answer comes late, as on a slow network.
    await lateAnswers(page, 800);
    await saveAndAskAgain(page, answers);
    await page.waitForTimeout(300);
    const seen = await page.evaluate(
      () => (globalThis as unknown as { __seen: { said: number; emptied: boolean } }).__seen,
    );
    expect(seen).toEqual({ said: 0, emptied: false });
    expect(await allSuggestions(page).count()).toBe(count);
    await page.close();
  });

  it("keeps a reported suggestion hidden for the content once it is saved, not for a new draft", async () => {
    const { page, answers } = await openEditor();
    const title = "Object detection with PyTorch";
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "computer-vision").waitFor();
    await report(page, "computer-vision");
    await suggestion(page, "computer-vision").waitFor({ state: "detached" });

    await saveAndAskAgain(page, answers);
    await suggestion(page, "pytorch").waitFor();
    await page.waitForTimeout(200);
    expect(await shownTags(page)).not.toContain("computer-vision");

    // Another draft with the same words was not reported on.
    await page.locator("#new-content").click();
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "computer-vision").waitFor();
    await page.close();
  });
});

describe.skipIf(!executablePath)("the widget across page loads", () => {
  it("keeps a tag reported on a content hidden after a reload, and only for that content", async () => {
    const { page } = await openHost('content-id="post-7"');
    const title = "Object detection with PyTorch";
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "computer-vision").waitFor();
    await report(page, "computer-vision");
    await status(page).filter({ hasText: "Thanks, reported." }).waitFor();

    await page.reload();
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    await page.waitForTimeout(200);
    expect(await shownTags(page)).not.toContain("computer-vision");

    // Another content on the same host was not reported on.
    await page.goto(`${hostUrl}/?attributes=${encodeURIComponent('content-id="post-8"')}`);
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "computer-vision").waitFor();
    await page.close();
  });

  it("files reports under the content-id the host sets, also without a reset", async () => {
    const { page } = await openHost('content-id="post-20"');
    const title = "Object detection with PyTorch";
    await page.locator("#title").pressSequentially(title, { delay: 10 });
    await suggestion(page, "computer-vision").waitFor();
    await report(page, "computer-vision");
    await suggestion(page, "computer-vision").waitFor({ state: "detached" });

    // The host moves to other content by the attribute alone: that content's tags, and its reports its own.
    await page
      .locator("tagsmith-suggestions")
      .evaluate((el) => el.setAttribute("content-id", "post-21"));
    await suggestion(page, "computer-vision").waitFor();
    await report(page, "pytorch");
    const stored = new Map<string, string[]>(
      JSON.parse(
        (await page.evaluate<string | null>("localStorage.getItem('tagsmith.reported')")) ?? "[]",
      ),
    );
    expect(stored.get("post-20")).toEqual(["computer-vision"]);
    expect(stored.get("post-21")).toEqual(["pytorch"]);
    await page.close();
  });

  it("hides at once a tag another tab reported on the same content", async () => {
    const context = await browser.newContext();
    const url = `${hostUrl}/?attributes=${encodeURIComponent('content-id="post-30"')}`;
    const [first, second] = [await context.newPage(), await context.newPage()];
    const title = "Object detection with PyTorch";
    for (const page of [first, second]) {
      await page.goto(url);
      await page.locator("#title").pressSequentially(title, { delay: 10 });
      await suggestion(page, "computer-vision").waitFor();
    }
    await report(first as Page, "computer-vision");
    // No reload, no typing: the second tab hears of it from storage.
    await suggestion(second as Page, "computer-vision").waitFor({ state: "detached" });
    await context.close();
  });
});

describe.skipIf(!executablePath)("the focus while the list is redrawn", () => {
  /** Suggestions on screen, and a word more typed whose answer comes a second late, ranked the other way round. */
  async function reorderingAnswerComing(): Promise<{ page: Page; answered: Promise<unknown> }> {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    await page.waitForTimeout(400);
    await lateAnswers(page, 1_000, reversedRanks);
    const answered = page.waitForResponse((r) => r.url().endsWith("/v1/suggest"));
    await page.locator("#title").pressSequentially(" models", { delay: 10 });
    return { page, answered };
  }

  it("keeps the focus on the same tag when a late answer reorders the list, so Enter adds that tag", async () => {
    // The next answer ranks the same tags the other way round: by position, the focus would land on another tag.
    const { page, answered } = await reorderingAnswerComing();
    const [focusedTag] = await shownTags(page);
    await suggestion(page, focusedTag).focus();
    await answered;
    // The tag focused is no longer first: the first place is another tag's.
    await expect.poll(async () => (await shownTags(page)).indexOf(focusedTag)).toBeGreaterThan(0);
    expect(await focusedInWidget(page)).toMatchObject({ tag: focusedTag });
    await page.keyboard.press("Enter");
    expect(await page.locator("#tags").inputValue()).toBe(focusedTag);
    // The accepted tag left: a neighbour in the list has the focus, not the page.
    const next = (await focusedInWidget(page))?.tag ?? "";
    expect(await shownTags(page)).toContain(next);
    await page.close();
  });

  it("leaves an open report menu and its focus alone when an answer comes, and shows the answer once it closes", async () => {
    const { page, answered } = await reorderingAnswerComing();
    const [first, second] = await shownTags(page);
    await page.locator(`tagsmith-suggestions [data-report="${first}"]`).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    expect(await focusedInWidget(page)).toMatchObject({ reason: "wrong" });
    // Counts the answers put on screen (tagsmith:shown) from now on.
    await page.evaluate(`
      globalThis.__shown = 0;
      document.addEventListener("tagsmith:shown", () => { globalThis.__shown += 1; });
    `);
    const shownAnswers = () =>
      page.evaluate(() => (globalThis as unknown as { __shown: number }).__shown);
    await answered;
    await page.waitForTimeout(200);
    expect(await focusedInWidget(page)).toMatchObject({ reason: "wrong" });
    expect(await page.locator("tagsmith-suggestions [role=menu]").count()).toBe(1);
    expect(await shownAnswers()).toBe(0);
    // Reported from the menu: the answer held meanwhile is shown, the reported tag left out, the focus kept in the
    // list on the suggestion that followed it.
    await page.keyboard.press("Enter");
    await status(page).filter({ hasText: "Thanks, reported." }).waitFor();
    expect(await shownAnswers()).toBe(1);
    expect(await shownTags(page)).not.toContain(first);
    expect(await focusedInWidget(page)).toMatchObject({ tag: second });
    await page.close();
  });

  it("adds the tag clicked while a report menu was open, though an answer waited for the menu to close", async () => {
    const { page, answered } = await reorderingAnswerComing();
    const [first] = await shownTags(page);
    await page.locator(`tagsmith-suggestions [data-report="${first}"]`).click();
    await answered;
    await page.waitForTimeout(200);
    // The press closes the menu; the answer's redraw waits for the click, which would otherwise reach nothing.
    await suggestion(page, first).click();
    await expect.poll(() => page.locator("#tags").inputValue()).toBe(first);
    await page.close();
  });

  /**
   * Suggestions on screen, then the author types into the text tags field, the focus still there, and the answer for
   * the new chosen tag is on screen: the field's change event comes with the next press or Tab, as it leaves.
   */
  async function tagsFieldEdited(): Promise<Page> {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    const answered = page.waitForResponse((r) => r.url().endsWith("/v1/suggest"));
    await page.locator("#tags").click();
    await page.locator("#tags").pressSequentially(", keras", { delay: 10 });
    await answered;
    await page.waitForTimeout(200);
    return page;
  }

  it("takes the first click or Tab after the author edits a text tags field: its change event redraws nothing", async () => {
    const clicked = await tagsFieldEdited();
    await suggestion(clicked, "pytorch").click();
    await clicked.waitForTimeout(200);
    const tags = await clicked.locator("#tags").inputValue();
    await clicked.close();

    const flagged = await tagsFieldEdited();
    await flagged.locator('tagsmith-suggestions [data-report="pytorch"]').click();
    const menus = await flagged.locator("tagsmith-suggestions [role=menu]").count();
    await flagged.close();

    const tabbed = await tagsFieldEdited();
    await tabbed.keyboard.press("Tab");
    const focused = await focusedInWidget(tabbed);
    await tabbed.close();

    // All three, so each is seen whichever fails.
    expect({ tags, menus, focused }).toMatchObject({
      tags: ", keras, pytorch",
      menus: 1,
      focused: { tag: expect.any(String) },
    });
  });

  it("shows where the focus is once the last suggestion is taken, and says none are left", async () => {
    const { page } = await openHost();
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").waitFor();
    // From the tags field, the keyboard's way in: one Tab stop, then Enter on each suggestion the focus goes to.
    await page.locator("#tags").focus();
    await page.keyboard.press("Tab");
    for (let left = await allSuggestions(page).count(); left > 0; left -= 1) {
      expect(await focusedInWidget(page)).toHaveProperty("tag");
      await page.keyboard.press("Enter");
    }
    expect(await allSuggestions(page).count()).toBe(0);
    expect(await focusedInWidget(page)).toMatchObject({ class: "groups" });
    const groups = page.locator("tagsmith-suggestions .groups");
    expect(
      await groups.evaluate((g) => {
        const view = globalThis as unknown as {
          getComputedStyle(e: unknown): { outlineStyle: string };
        };
        return view.getComputedStyle(g).outlineStyle;
      }),
    ).not.toBe("none");
    expect(await groups.textContent()).toBe("No more suggestions for this text");
    expect(await groups.locator(".empty").isVisible()).toBe(true);
    await page.close();
  });
});
