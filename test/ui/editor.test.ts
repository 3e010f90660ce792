// The authoring experience end to end: Debian's chromium (playwright-core) on the content editor at /, served with
// the widget by the real service on loopback, a model trained on the bundled sample and the embedded store.

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { latencySummary, measureSuggestionLatency } from "../../bench/ui-latency.js";
import type { ApiContent } from "../../src/serve/content-schemas.js";
import type { RunningServer } from "../../src/serve/index.js";
import { chromiumPath, holdRequests, launchBrowser, requireBuiltUi } from "../support/browser.js";
import { loadSample } from "../support/sample.js";
import { removeDir, serveForTest, tempDir, trainSample } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

const executablePath = chromiumPath();

let browser: Browser;
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  if (!executablePath) return;
  requireBuiltUi("widget.js");
  dir = await tempDir("tagsmith-ui-");
  // chromium starts in its own processes meanwhile; both are awaited, so neither is left running if the other fails.
  const serving = trainSample(dir).then(() =>
    serveForTest({ kind: "directory", dir }, { store: embeddedStore() }),
  );
  const [launched, started] = await Promise.allSettled([launchBrowser(executablePath), serving]);
  if (launched.status === "fulfilled") browser = launched.value;
  if (started.status === "fulfilled") server = started.value;
  for (const result of [launched, started]) if (result.status === "rejected") throw result.reason;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(dir);
});

interface Editor {
  page: Page;
  /** Bodies of the /v1/suggest requests the page sent. */
  suggestRequests: string[];
  dialogs: string[];
}

async function openEditor(base = server.url): Promise<Editor> {
  const page = await browser.newPage();
  const suggestRequests: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/v1/suggest") suggestRequests.push(r.postData() ?? "");
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${base}/`);
  return { page, suggestRequests, dialogs };
}

const suggestion = (page: Page, tag: string) =>
  page.locator(`tagsmith-suggestions [data-tag="${tag}"]`);
const allSuggestions = (page: Page) => page.locator("tagsmith-suggestions [data-tag]");
const chip = (page: Page, tag: string) => page.locator(`#chosen-tags [data-chosen-tag="${tag}"]`);

async function typeTitle(page: Page, text: string, delay = 15): Promise<void> {
  await page.locator("#title").pressSequentially(text, { delay });
}

/** Polls `read` until `done` holds (the store is written by requests the page sends on its own). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Holds the page's content requests that `held` picks until `release()`. */
const holdContentRequests = (page: Page, held: (method: string, path: string) => boolean) =>
  holdRequests(
    page,
    (method, url) => url.pathname.startsWith("/v1/content") && held(method, url.pathname),
  );

/** Saved content, created as any client would (through the API). */
async function createContent(
  base: string,
  title: string,
  tags: string[] = [],
): Promise<ApiContent> {
  const res = await fetch(`${base}/v1/content`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title, tags }),
  });
  if (!res.ok) throw new Error(`POST /v1/content: ${res.status}`);
  return (await res.json()) as ApiContent;
}

async function readContent(base: string, id: number): Promise<ApiContent> {
  return (await (await fetch(`${base}/v1/content/${id}`)).json()) as ApiContent;
}

/** Puts `text` on the page's clipboard, as copying it from another document would. */
async function copyText(page: Page, text: string): Promise<void> {
  await page.evaluate((copied) => {
    // Typed loosely: this file is typed for Node, not the DOM.
    interface Area {
      value: string;
      select(): void;
      remove(): void;
    }
    const doc = (
      globalThis as unknown as {
        document: {
          createElement(name: "textarea"): Area;
          body: { append(node: Area): void };
          execCommand(command: "copy"): boolean;
        };
      }
    ).document;
    const area = doc.createElement("textarea");
    area.value = copied;
    doc.body.append(area);
    area.select();
    doc.execCommand("copy");
    area.remove();
  }, text);
}

const DISCARD = "Discard your unsaved changes to this content?";
const NEW_DRAFT = "Discard this new draft?";
const chosenTags = (page: Page) =>
  page.$$eval("#chosen-tags [data-chosen-tag]", (chips) =>
    chips.map((c) => c.getAttribute("data-chosen-tag")),
  );

describe.skipIf(!executablePath)("the content editor in chromium", () => {
  it("shows suggestions as a title is typed: at most 5, explicit ones saying which words matched", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Object detection with PyTorch");
    await suggestion(page, "pytorch").waitFor();
    const count = await allSuggestions(page).count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(5);
    // The evidence of an explicit suggestion is the text its aria-describedby points at.
    const evidence = await suggestion(page, "pytorch").evaluate((button) => {
      const id = button.getAttribute("aria-describedby") ?? "";
      // The button lives in the widget's shadow root (typed loosely: this file is typed for Node, not the DOM).
      const root = button.getRootNode() as unknown as {
        getElementById(id: string): { textContent: string | null } | null;
      };
      return id
        .split(" ")
        .map((part: string) => root.getElementById(part)?.textContent ?? "")
        .join(" ");
    });
    expect(evidence).toMatch(/PyTorch/);
    await page.close();
  });

  it("sends at most 3 suggest requests while 30 characters are typed quickly", async () => {
    const { page, suggestRequests } = await openEditor();
    const text = "Graph neural networks with JAX";
    expect(text).toHaveLength(30);
    await typeTitle(page, text, 40);
    await allSuggestions(page).first().waitFor();
    await page.waitForTimeout(700);
    expect(suggestRequests.length).toBeGreaterThanOrEqual(1);
    expect(suggestRequests.length).toBeLessThanOrEqual(3);
    await page.close();
  });

  it("adds a clicked suggestion as a chosen tag and removes it from the list; Enter does the same", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Object detection with PyTorch");
    await suggestion(page, "pytorch").click();
    await chip(page, "pytorch").waitFor();
    await suggestion(page, "pytorch").waitFor({ state: "detached" });

    await suggestion(page, "object-detection").focus();
    await page.keyboard.press("Enter");
    await chip(page, "object-detection").waitFor();
    await suggestion(page, "object-detection").waitFor({ state: "detached" });
    await page.close();
  });

  it("removes a suggestion when the author types that tag by hand, by one of its aliases", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Object detection with PyTorch");
    await suggestion(page, "computer-vision").waitFor();
    await page.locator("#tag-entry").fill("cv");
    await page.locator("#tag-entry").press("Enter");
    await page.locator("#chosen-tags [data-chosen-tag]").first().waitFor();
    await suggestion(page, "computer-vision").waitFor({ state: "detached" });
    // The chip shows the tag by its approved name, as the save keeps it.
    await chip(page, "computer-vision").waitFor();
    // Backspace in the empty entry takes the last tag back, and says so in the field's live notice.
    await page.locator("#tag-entry").press("Backspace");
    await page.locator("#chosen-tags [data-chosen-tag]").first().waitFor({ state: "detached" });
    expect(await page.locator("#tag-notice").textContent()).toBe("Removed computer-vision");
    expect(await page.locator("#tag-notice").getAttribute("aria-live")).toBe("polite");
    await suggestion(page, "computer-vision").waitFor();
    // Its × says the same.
    await page.locator("#tag-entry").fill("pytorch");
    await page.locator("#tag-entry").press("Enter");
    await page.locator("#chosen-tags [data-remove-tag=pytorch]").click();
    await chip(page, "pytorch").waitFor({ state: "detached" });
    expect(await page.locator("#tag-notice").textContent()).toBe("Removed pytorch");
    await page.close();
  });

  it("keeps one chip per approved tag, whichever of its names or aliases is typed, under its approved name", async () => {
    const { page } = await openEditor();
    const enter = async (tags: string[]) => {
      for (const tag of tags) {
        await page.locator("#tag-entry").fill(tag);
        await page.locator("#tag-entry").press("Enter");
      }
    };
    await enter(["gan", "Generative Adversarial Networks", "NLP", "natural language processing"]);
    await enter(["nlproc"]);
    // Shown as the save keeps them: by the approved name, the first typed keeping its place, the others said to be it.
    await expect
      .poll(() => chosenTags(page), { timeout: 5_000 })
      .toEqual(["generative-adversarial-networks", "natural-language-processing"]);
    expect(await page.locator("#tag-notice").textContent()).toMatch(
      /is \u2068natural-language-processing\u2069, already chosen\.$/,
    );
    // A tag not on the approved list is kept as first typed, once in any spelling, and flagged.
    await enter(["My Own Tag", "my-own-tag"]);
    await expect
      .poll(() => chosenTags(page), { timeout: 5_000 })
      .toEqual(["generative-adversarial-networks", "natural-language-processing", "My Own Tag"]);
    await page.locator("#chosen-tags .unapproved").waitFor();
    await page.close();
  });

  it("sends a report with its reason, and the reported suggestion leaves the list", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Object detection with PyTorch");
    await suggestion(page, "pytorch").waitFor();
    await page.locator('tagsmith-suggestions [data-report="pytorch"]').click();
    await page.locator('tagsmith-suggestions [data-reason="wrong"]').click();
    await suggestion(page, "pytorch").waitFor({ state: "detached" });
    const reports = await eventually(
      () => server.store?.events({ type: "reported" }) ?? Promise.resolve([]),
      (events) => events.some((e) => e.tag === "pytorch" && e.reason === "wrong"),
    );
    expect(reports.some((e) => e.tag === "pytorch" && e.reason === "wrong")).toBe(true);
    await page.close();
  });

  it("saves the content with its final tags, flags an unapproved tag, and links the session's events", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Segmentation of medical images with PyTorch");
    await page.locator("#description").fill("A U-Net trained on CT scans.");
    await suggestion(page, "pytorch").click();
    await chip(page, "pytorch").waitFor();
    await page.locator("#tag-entry").fill("medical-imaging-2026");
    await page.locator("#tag-entry").press("Enter");
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();

    const { items } = await (server.store?.list({ limit: 1 }) ??
      Promise.reject(new Error("no store")));
    const saved = items[0];
    expect(saved).toMatchObject({
      title: "Segmentation of medical images with PyTorch",
      description: "A U-Net trained on CT scans.",
      tags: ["pytorch"],
      unapprovedTags: ["medical-imaging-2026"],
    });
    const events = (await server.store?.events({ contentId: saved?.id })) ?? [];
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["shown", "accepted", "saved"]),
    );
    expect(events.find((e) => e.type === "saved")?.tags).toEqual(["pytorch"]);
    // The saved content is in the list, and its unapproved tag is flagged in the form.
    await page.locator("#content-list", { hasText: saved?.title ?? "" }).waitFor();
    const flagged = await chip(page, "medical-imaging-2026").evaluate(
      (el) => el.outerHTML.includes("unapproved") || el.textContent?.includes("not approved"),
    );
    expect(flagged).toBe(true);
    await page.close();
  });

  it("makes one content of a save whose answer was lost and is sent again; changed meanwhile, the changes are its version 2", async () => {
    const { page } = await openEditor();
    // Each new content's first save reaches the service, and its answer never reaches the page.
    const keys: string[] = [];
    await page.route(`${server.url}/v1/content`, async (route) => {
      const key = route.request().headers()["idempotency-key"] ?? "";
      if (route.request().method() !== "POST" || keys.includes(key)) return route.continue();
      keys.push(key);
      await route.fetch();
      await route.abort("connectionreset");
    });
    const notSaved = page.locator("#save-status [role=alert]", { hasText: /^Not saved/ });
    const storedTitled = async (title: string) =>
      ((await server.store?.list({ limit: 100 }))?.items ?? []).filter((c) => c.title === title);

    const title = `A save answered too late ${Date.now()}`;
    await page.locator("#title").fill(title);
    await page.locator("#save").click();
    await notSaved.waitFor();
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: "Saved (version 1)" }).waitFor();
    expect(await storedTitled(title)).toHaveLength(1);

    await page.locator("#new-content").click();
    const other = `Another save answered too late ${Date.now()}`;
    await page.locator("#title").fill(other);
    await page.locator("#save").click();
    await notSaved.waitFor();
    await page.locator("#description").fill("Written after the save that seemed to fail.");
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: "Saved (version 2)" }).waitFor();
    const [made, ...more] = await storedTitled(other);
    expect(more).toEqual([]);
    expect(made).toMatchObject({
      version: 2,
      description: "Written after the save that seemed to fail.",
    });
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    await page.close();
  });

  it("does not count the suggestions of the text just saved as shown again, unless the author acts on one", async () => {
    const { page } = await openEditor();
    let answers = 0;
    page.on("response", (r) => {
      if (r.url().endsWith("/v1/suggest")) answers += 1;
    });
    const widgetSession = () =>
      page
        .locator("tagsmith-suggestions")
        .evaluate((el) => (el as unknown as { session: string }).session);
    const sessionEvents = async (session: string) =>
      ((await server.store?.events({ session })) ?? []).map((e) => e.type);
    await typeTitle(page, "Object detection with PyTorch and OpenCV");
    await suggestion(page, "pytorch").click();
    await chip(page, "pytorch").waitFor();
    const saving = await widgetSession();
    const before = answers;
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
    const after = await widgetSession();
    expect(after).not.toBe(saving);
    // The widget asks again for the same text in the new session: the same suggestions, not shown anew.
    await eventually(
      async () => answers,
      (n) => n > before,
    );
    await page.waitForTimeout(500);
    expect(await sessionEvents(after)).toEqual([]);
    // The author takes one of them: now it was shown in this session, and accepted.
    const next = await page
      .locator("tagsmith-suggestions button.tag")
      .first()
      .getAttribute("data-tag");
    await suggestion(page, next ?? "").click();
    expect(
      await eventually(
        () => sessionEvents(after),
        (types) => types.includes("accepted"),
      ),
    ).toEqual(["shown", "accepted"]);
    await page.close();
  });

  it("saves the author's name with what they save, and remembers it in this browser", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Graph attention networks in JAX");
    await page.locator("#author").fill("Ada Lovelace");
    await page.locator("#author").press("Tab");
    await page.locator("#save").click();
    const status = await page.locator("#save-status", { hasText: /Saved/ });
    await status.waitFor();
    const { items } = await (server.store?.list({ limit: 1 }) ??
      Promise.reject(new Error("no store")));
    expect(items[0]).toMatchObject({
      title: "Graph attention networks in JAX",
      author: "Ada Lovelace",
    });
    // The next visit in this browser starts with the name; a new draft keeps it, it is not part of the content.
    await page.reload();
    expect(await page.locator("#author").inputValue()).toBe("Ada Lovelace");
    await page.close();
  });

  it("editing saved content: its tags were chosen before any suggestion, so they are not the model's misses", async () => {
    const store = server.store;
    if (!store) throw new Error("no store");
    // Saved elsewhere (no session), with a tag the model would not suggest for this text.
    const content = await store.create({
      title: "Object detection with PyTorch",
      description: "",
      tags: ["pytorch", "tensorflow"],
      unapprovedTags: [],
      author: null,
      session: null,
    });
    const { page } = await openEditor();
    await page.locator(`#content-list [data-content-id="${content.id}"]`).click();
    await chip(page, "tensorflow").waitFor();
    await suggestion(page, "computer-vision").waitFor();
    // A change, so that the save is recorded (one that changes nothing records no save, and queues nothing).
    await page.locator("#description").fill("Boxes around each object in a photo.");
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: "Saved (version 2)" }).waitFor();

    const shown = (await store.events({ contentId: content.id })).filter((e) => e.type === "shown");
    expect(shown.length).toBeGreaterThan(0);
    expect(shown[0]?.tags).toEqual(["pytorch", "tensorflow"]);
    const { items } = await store.reviewQueue({ status: "pending", limit: 1000 });
    expect(items.filter((i) => i.contentId === content.id && i.rule === "possible_miss")).toEqual(
      [],
    );
    await page.close();
  });

  it("shows a title with HTML and script in it as text, running nothing", async () => {
    const { page, dialogs } = await openEditor();
    const title = `<img src=x onerror="alert(1)"><script>alert(2)</script> Detection`;
    await page.locator("#title").fill(title);
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
    await page.locator("#content-list", { hasText: title }).waitFor();
    expect(await page.locator("#content-list img, #content-list script").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("isolates a saved title with a right-to-left override, so it cannot reorder the tags and details beside it", async () => {
    const { page } = await openEditor();
    const title = "Tracking \u202Eevil\u202C Detection";
    await page.locator("#title").fill(title);
    await page.locator("#tag-entry").fill("pytorch");
    await page.locator("#tag-entry").press("Enter");
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
    const entry = page.locator("#content-list .entry", { hasText: "Detection" }).first();
    await entry.waitFor();
    const bidi = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => ({
          dir: el.getAttribute("dir"),
          unicodeBidi: (
            globalThis as unknown as { getComputedStyle(el: unknown): { unicodeBidi: string } }
          ).getComputedStyle(el).unicodeBidi,
        }));
    // Each piece of user text in an element of its own, isolated: the saved entry's title and tags, the chosen tag
    // chips, and the fields the author types in.
    expect(await entry.locator(".entry-title").textContent()).toBe(title);
    for (const selector of [
      "#content-list .entry-title",
      "#content-list .entry-tag",
      "#chosen-tags [data-chosen-tag] span",
    ])
      expect({ selector, ...(await bidi(selector)) }).toEqual({
        selector,
        dir: "auto",
        unicodeBidi: "isolate",
      });
    for (const selector of ["#title", "#description", "#tag-entry"])
      expect(await page.locator(selector).getAttribute("dir")).toBe("auto");
    await page.close();
  });

  it("asks before New discards unsaved work, as a new draft until it is saved, and keeps it when the author says no", async () => {
    const { page, dialogs } = await openEditor();
    await page.locator("#new-content").click();
    expect(dialogs).toEqual([]);
    await page.locator("#title").fill("A draft not saved yet");
    await page.locator("#new-content").click();
    expect(dialogs).toEqual([NEW_DRAFT]);
    expect(await page.locator("#title").inputValue()).toBe("A draft not saved yet");
    // Saved, then changed: unsaved changes to content.
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
    await page.locator("#title").fill("A draft saved once, then changed");
    await page.locator("#new-content").click();
    expect(dialogs).toEqual([NEW_DRAFT, DISCARD]);
    expect(await page.locator("#title").inputValue()).toBe("A draft saved once, then changed");
    await page.close();
  });

  it("keeps what the author types while a save is in flight, unsaved against the version just saved", async () => {
    const { page, dialogs } = await openEditor();
    const release = await holdContentRequests(page, (method) => method !== "GET");
    await page.locator("#title").fill("Speech recognition with wav2vec");
    await page.locator("#description").fill("First paragraph.");
    for (const tag of ["pytorch", "tensorflow"]) {
      await page.locator("#tag-entry").fill(tag);
      await page.locator("#tag-entry").press("Enter");
    }
    await page.locator("#save").click();
    await page.locator("#save[aria-disabled=true]").waitFor();
    // While the save is on its way: a second paragraph, a tag removed, one added and one still being typed.
    await page.locator("#description").press("End");
    await page.keyboard.type(" Second paragraph.");
    await page.locator('#chosen-tags [data-remove-tag="tensorflow"]').click();
    await page.locator("#tag-entry").fill("jax");
    await page.locator("#tag-entry").press("Enter");
    await page.locator("#tag-entry").fill("speech");
    release();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();

    expect(await page.locator("#title").inputValue()).toBe("Speech recognition with wav2vec");
    expect(await page.locator("#description").inputValue()).toBe(
      "First paragraph. Second paragraph.",
    );
    expect(await chosenTags(page)).toEqual(["pytorch", "jax"]);
    expect(await page.locator("#tag-entry").inputValue()).toBe("speech");
    expect(await page.locator("#save-status").textContent()).toMatch(/not saved yet/);
    const id = Number((await page.locator("#editor-heading").textContent())?.match(/#(\d+)/)?.[1]);
    expect((await readContent(server.url, id)).description).toBe("First paragraph.");
    // Still unsaved work: New asks first.
    await page.locator("#new-content").click();
    expect(dialogs).toEqual([DISCARD]);

    // The next save updates the version just saved (no conflict) with everything typed meanwhile.
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved \(version 2\)/ }).waitFor();
    const saved = await readContent(server.url, id);
    expect(saved.description).toBe("First paragraph. Second paragraph.");
    expect([...saved.tags, ...saved.unapproved_tags].sort()).toEqual(["jax", "pytorch", "speech"]);
    await page.locator("#new-content").click();
    expect(dialogs).toEqual([DISCARD]);
    await page.close();
  });

  it("says a slow save is saving, keeps focus on Save, gives up on a hung one with the text kept, and only a failure interrupts", async () => {
    const { page } = await openEditor();
    const progress = page.locator("#save-status [role=status]");
    const alert = page.locator("#save-status [role=alert]");
    const saveHasFocus = () =>
      page.locator("#save").evaluate((el) => el === el.ownerDocument.activeElement);
    let posts = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/v1/content") posts += 1;
    });
    // A save that never returns, on a clock the test moves.
    const release = await holdContentRequests(page, (method) => method === "POST");
    await page.clock.install();
    await page.locator("#title").fill("A save on a hung connection");
    await page.locator("#save").focus();
    await page.keyboard.press("Enter");
    await progress.filter({ hasText: /Saving/ }).waitFor();
    expect(await saveHasFocus()).toBe(true);
    expect(await page.locator("#save").getAttribute("aria-disabled")).toBe("true");
    // Enter again while it is on its way sends nothing more.
    await page.keyboard.press("Enter");
    await page.clock.runFor(1_000);
    expect(posts).toBe(1);

    await page.clock.runFor(15_000);
    await alert.filter({ hasText: /could not be reached/ }).waitFor();
    expect(await alert.textContent()).toMatch(/Your text is still here/);
    expect(await progress.textContent()).toBe("");
    expect(await page.locator("#save").getAttribute("aria-disabled")).toBeNull();
    expect(await saveHasFocus()).toBe(true);
    expect(await page.locator("#title").inputValue()).toBe("A save on a hung connection");

    // The connection is back: Save works again, and its success is said politely.
    release();
    await page.keyboard.press("Enter");
    await progress.filter({ hasText: /Saved/ }).waitFor();
    expect(await alert.textContent()).toBe("");
    await page.close();
  });

  it("keeps a draft's reports for the content it becomes, when the author moves on before the save returns", async () => {
    const { page } = await openEditor();
    // The discard question is answered yes here: the author moves on. Its first save on its way, the draft is about
    // to be content, and the question says so.
    const asked: string[] = [];
    page.removeAllListeners("dialog");
    page.on("dialog", (d) => {
      asked.push(d.message());
      void d.accept();
    });
    const title = "Object detection with PyTorch, saved while moving on";
    await typeTitle(page, title);
    await suggestion(page, "computer-vision").waitFor();
    await page.locator('tagsmith-suggestions [data-report="computer-vision"]').click();
    await page.locator('tagsmith-suggestions [data-reason="wrong"]').click();
    const release = await holdContentRequests(page, (method) => method === "POST");
    await page.locator("#save").click();
    await page.locator("#save[aria-disabled=true]").waitFor();
    await page.locator("#new-content").click();
    expect(asked).toEqual([DISCARD]);
    release();
    const status = page.locator("#save-status", { hasText: /Content #\d+ saved/ });
    await status.waitFor();
    const id = (await status.textContent())?.match(/#(\d+)/)?.[1];

    /** Opens the saved content and lists its suggestions once pytorch, which the text names, is among them. */
    const suggestedOnOpening = async (on: Page) => {
      await on.locator(`[data-content-id="${id}"]`).click();
      await on.locator("#editor-heading", { hasText: `#${id}` }).waitFor();
      await suggestion(on, "pytorch").waitFor();
      await on.waitForTimeout(200);
      return allSuggestions(on).evaluateAll((b) => b.map((x) => x.getAttribute("data-tag")));
    };
    // Opened again, the saved content does not suggest what its draft was reported for.
    expect(await suggestedOnOpening(page)).not.toContain("computer-vision");
    await page.close();
    // Nor on another device, whose browser never saw the report (a new page is a new browser context).
    const { page: elsewhere } = await openEditor();
    expect(await suggestedOnOpening(elsewhere)).not.toContain("computer-vision");
    await elsewhere.close();
  });

  it("fills the form only from the content clicked last, whatever order the answers come in", async () => {
    const slow = await createContent(server.url, "Slow to open: item A");
    const quick = await createContent(server.url, "Quick to open: item B");
    const { page } = await openEditor();
    const release = await holdContentRequests(
      page,
      (method, path) => method === "GET" && path === `/v1/content/${slow.id}`,
    );
    await page.locator(`#content-list [data-content-id="${slow.id}"]`).click();
    await page.locator(`#content-list [data-content-id="${quick.id}"]`).click();
    await page.locator("#editor-heading", { hasText: `#${quick.id}` }).waitFor();
    await page.locator("#description").fill("The author's paragraph, typed into B");
    release();
    await page.waitForTimeout(500);
    expect(await page.locator("#editor-heading").textContent()).toBe(`Edit content #${quick.id}`);
    expect(await page.locator("#title").inputValue()).toBe(quick.title);
    expect(await page.locator("#description").inputValue()).toBe(
      "The author's paragraph, typed into B",
    );
    await page.close();
  });

  it("does not fill the form over what the author typed while the content clicked was loading", async () => {
    const slow = await createContent(server.url, "Slow to open: item C");
    const { page } = await openEditor();
    const release = await holdContentRequests(page, (method) => method === "GET");
    await page.locator(`#content-list [data-content-id="${slow.id}"]`).click();
    await page.locator("#title").fill("A draft begun while C loads");
    release();
    await page.locator("#save-status", { hasText: /not opened/ }).waitFor({ timeout: 5_000 });
    expect(await page.locator("#title").inputValue()).toBe("A draft begun while C loads");
    expect(await page.locator("#editor-heading").textContent()).toBe("New content");
    await page.close();
  });

  it("refuses a tag over the service's limits as it is added, naming it, and never sends an overlong search", async () => {
    const { page } = await openEditor();
    const refused: string[] = [];
    const searches: number[] = [];
    page.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/v1/") && r.status() >= 400) refused.push(`${r.status()} ${path}`);
    });
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname === "/v1/tags") searches.push(url.searchParams.get("query")?.length ?? 0);
    });
    await page.locator("#title").fill("Tag limits: deep learning with PyTorch");
    const long = `long${"x".repeat(296)}`;
    await page.locator("#tag-entry").fill(long);
    await page.waitForTimeout(400); // past the completion's debounce
    await page.locator("#tag-entry").press("Enter");
    await page
      .locator("#tag-notice", { hasText: /longxxx.*at most 200 characters/ })
      .waitFor({ timeout: 5_000 });
    expect(await chosenTags(page)).toEqual([]);
    expect(await page.locator("#tag-entry").inputValue()).toBe(long);

    // 105 tags pasted: the first 100 become chips, the rest stay in the field, named.
    const many = Array.from({ length: 105 }, (_, i) => `t${i}`);
    await page.locator("#tag-entry").fill(`${many.join(", ")},`);
    await page.locator("#tag-notice", { hasText: /t100.*at most 100 tags/ }).waitFor();
    expect(await chosenTags(page)).toEqual(many.slice(0, 100));
    expect(await page.locator("#tag-entry").inputValue()).toBe("t100, t101, t102, t103, t104");
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Not saved/ }).waitFor();
    expect(await page.locator("#save-status").textContent()).toMatch(/at most 100 tags/);
    await page.waitForTimeout(500);
    expect(refused).toEqual([]);
    expect(Math.max(...searches)).toBeLessThanOrEqual(200);
    await page.close();
  });

  it("refuses a suggestion that would be a 101st tag: no chip, not counted as accepted, still suggested, and says why", async () => {
    const { page } = await openEditor();
    await typeTitle(page, "Object detection with PyTorch");
    const many = Array.from({ length: 100 }, (_, i) => `t${i}`);
    await page.locator("#tag-entry").fill(`${many.join(", ")},`);
    await chip(page, "t99").waitFor();
    await suggestion(page, "pytorch").click();
    const widgetStatus = page.locator("tagsmith-suggestions [role=status]");
    await widgetStatus
      .filter({ hasText: /pytorch.*not added.*at most 100 tags/ })
      .waitFor({ timeout: 5_000 });
    expect(await chosenTags(page)).toEqual(many);
    expect(await suggestion(page, "pytorch").isVisible()).toBe(true);

    // Room for one more: the same click adds it, and only then is it accepted.
    await page.locator('#chosen-tags [data-remove-tag="t0"]').click();
    await expect.poll(() => widgetStatus.textContent()).toBe("");
    await suggestion(page, "pytorch").click();
    await chip(page, "pytorch").waitFor();
    const session = await page
      .locator("tagsmith-suggestions")
      .evaluate((el) => (el as unknown as { session: string }).session);
    const accepted = () =>
      server.store?.events({ session, type: "accepted" }) ?? Promise.resolve([]);
    await eventually(accepted, (events) => events.length > 0);
    await page.waitForTimeout(300);
    expect((await accepted()).map((e) => e.tag)).toEqual(["pytorch"]);
    await page.close();
  });

  it("cannot be submitted before its script runs: Enter on a slow network keeps the text and puts none in the URL", async () => {
    const page = await browser.newPage();
    const release = await holdRequests(page, (_, url) => url.pathname === "/editor.js");
    await page.goto(`${server.url}/`, { waitUntil: "commit" });
    await page.locator("#title").fill("My long careful title");
    await page.locator("#title").press("Enter");
    await page.waitForTimeout(300);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.locator("#title").inputValue()).toBe("My long careful title");
    release();
    // Once the script runs, Save works.
    await page.locator("#save:not([disabled])").waitFor();
    await page.locator("#title").press("Enter");
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
    await page.close();
  });

  it("keeps the focus on the saved-list entry the keyboard is on when the list is brought up to date after a save", async () => {
    await createContent(server.url, "An entry to tab to");
    const { page } = await openEditor();
    const entry = page.locator("#content-list .entry", { hasText: "An entry to tab to" });
    await entry.waitFor();
    // The list's refresh after the save is held until the author is on an entry.
    const release = await holdContentRequests(
      page,
      (method, path) => method === "GET" && path === "/v1/content",
    );
    await typeTitle(page, "A draft saved on a slow network");
    await page.locator("#save").click();
    await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
    await entry.focus();
    const id = await entry.getAttribute("data-content-id");
    release();
    await page
      .locator("#content-list .entry", { hasText: "A draft saved on a slow network" })
      .waitFor();
    const focused = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute("data-content-id") ?? null,
    );
    expect(focused).toBe(id);
    await page.close();
  });

  it("clamps a long title in the saved list to a few lines, the whole title in its tooltip", async () => {
    const title = "A very long title about graph neural networks ".repeat(25).slice(0, 1000).trim();
    const content = await createContent(server.url, title);
    const { page } = await openEditor();
    const entry = page.locator(`#content-list [data-content-id="${content.id}"]`);
    await entry.waitFor();
    expect((await entry.boundingBox())?.height).toBeLessThan(150);
    expect(await entry.locator(".entry-title").getAttribute("title")).toBe(title);
    expect(await entry.locator(".entry-title").textContent()).toBe(title);
    await page.close();
  });

  it("keeps tags with no break points within a 320 px screen, each × in reach, in the form and the saved list", async () => {
    const width = 320;
    const { page } = await openEditor();
    await page.setViewportSize({ width, height: 800 });
    const tags = [
      "https://example.com/some/very/long/path/that-an-author-pasted-as-a-tag?with=query&and=more",
      "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung",
    ];
    for (const tag of tags) {
      await page.locator("#tag-entry").fill(tag);
      await page.locator("#tag-entry").press("Enter");
    }
    // Both are flagged not approved once checked: the chips' final layout, the flag included.
    await page
      .locator("#chosen-tags .chip.unapproved")
      .nth(tags.length - 1)
      .waitFor();
    const pageWidth = () => page.evaluate<number>("document.documentElement.scrollWidth");
    expect(await pageWidth()).toBeLessThanOrEqual(width);
    for (const tag of tags) {
      const remove = await page.locator(`[data-remove-tag="${tag}"]`).boundingBox();
      expect(remove?.x).toBeGreaterThanOrEqual(0);
      expect((remove?.x ?? width) + (remove?.width ?? 0)).toBeLessThanOrEqual(width);
    }
    await page.locator("#title").fill("Tags as long as a line");
    await page.locator("#save").click();
    await page.locator("#content-list .entry", { hasText: "Tags as long as a line" }).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(width);
    await page.close();
  });

  it("says so when a paste is cut to the title's 1,000 characters", async () => {
    const { page } = await openEditor();
    await page.locator("#title").fill("x".repeat(990));
    await copyText(page, " and twenty more characters");
    await page.locator("#title").press("End");
    await page.locator("#title").press("Control+V");
    expect(await page.locator("#title").inputValue()).toHaveLength(1000);
    const notice = page.locator("#title-notice");
    await notice.filter({ hasText: /cut to 1,000 characters/ }).waitFor({ timeout: 5_000 });
    expect(await notice.getAttribute("aria-live")).toBe("polite");
    expect(await page.locator("#title").getAttribute("aria-describedby")).toContain("title-notice");
    await page.close();
  });

  it("lists more than a page of saved content: Show more, by keyboard, reaches the oldest", async () => {
    const own = await serveForTest({ kind: "directory", dir }, { store: embeddedStore() });
    try {
      for (let i = 1; i <= 75; i++) await createContent(own.url, `Paged item ${i}`);
      const { page } = await openEditor(own.url);
      const entries = page.locator("#content-list [data-content-id]");
      const titled = (title: string) =>
        page.locator("#content-list .entry").filter({
          has: page.locator(".entry-title", { hasText: new RegExp(`^${title}$`) }),
        });
      const more = page.locator("#show-more");
      await more.waitFor({ timeout: 5_000 });
      expect(await entries.count()).toBe(50);
      expect(await page.locator("#content-count").textContent()).toMatch(/50 of 75/);
      await more.focus();
      await page.keyboard.press("Enter");
      await titled("Paged item 1").waitFor({ timeout: 5_000 });
      expect(await entries.count()).toBe(75);
      expect(await more.isHidden()).toBe(true);
      // Focus moves to the first entry the page added, so the keyboard carries on from there.
      expect(await page.locator("#content-list .entry:focus .entry-title").textContent()).toBe(
        "Paged item 25",
      );
      // Saving keeps every entry shown.
      await titled("Paged item 3").click();
      await page.locator("#title").fill("Paged item 3, edited");
      await page.locator("#save").click();
      await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
      await titled("Paged item 3, edited").waitFor({ timeout: 5_000 });
      expect(await entries.count()).toBe(75);
      await page.close();
    } finally {
      await own.close();
    }
  }, 60_000);

  it("brings content saved elsewhere meanwhile into the list at Show more, and never gets stuck", async () => {
    const own = await serveForTest({ kind: "directory", dir }, { store: embeddedStore() });
    try {
      for (let i = 1; i <= 55; i++) await createContent(own.url, `Paged item ${i}`);
      const { page } = await openEditor(own.url);
      const entries = page.locator("#content-list [data-content-id]");
      const titles = () => page.locator("#content-list .entry-title").allTextContents();
      const more = page.locator("#show-more");
      const count = page.locator("#content-count");
      await more.waitFor({ timeout: 5_000 });
      expect(await count.textContent()).toMatch(/50 of 55/);
      // Someone else saves three while the list is open: they go to the top and push the older entries down.
      for (let i = 1; i <= 3; i++) await createContent(own.url, `Saved meanwhile ${i}`);
      // Show more as long as it is offered (three presses at most): before, it stayed at "Showing 55 of 58".
      for (let press = 0; press < 3 && (await more.isVisible()); press++) {
        const listed = page.waitForResponse((r) => new URL(r.url()).pathname === "/v1/content");
        await more.click();
        await listed;
        await page.waitForTimeout(100);
      }
      expect(await count.textContent()).toBe("");
      expect(await entries.count()).toBe(58);
      expect((await titles()).slice(0, 4)).toEqual([
        "Saved meanwhile 3",
        "Saved meanwhile 2",
        "Saved meanwhile 1",
        "Paged item 55",
      ]);
      expect(new Set(await titles()).size).toBe(58);
      expect(await more.isHidden()).toBe(true);
      // The keyboard carries on below the entries shown before, not at the new ones on top.
      expect(await page.locator("#content-list .entry:focus .entry-title").textContent()).toBe(
        "Paged item 5",
      );
      await page.close();
    } finally {
      await own.close();
    }
  }, 60_000);

  it("measures the time from the last keystroke to suggestions on screen, and prints it", async () => {
    const { items } = await loadSample();
    // Three titles, typed as an author would (about 2 s each): enough to check the probe; npm run bench:ui measures
    // 40.
    const titles = items.slice(0, 3).map((item) => item.title);
    const { page } = await openEditor();
    const summary = latencySummary(await measureSuggestionLatency(page, titles));
    console.log(JSON.stringify({ keystroke_to_suggestions: summary, target_p95_ms: 400 }));
    expect(summary.n).toBe(titles.length);
    // The debounce alone is about 300 ms: less would mean the probe measured something else.
    expect(summary.p50_ms).toBeGreaterThanOrEqual(250);
    await page.close();
    // Typing takes its time on a busy machine (12 titles took 30 s under load and timed out).
  }, 60_000);

  it("keeps the form usable when the service stops mid-session, saying so quietly", async () => {
    // The page reaches the service through a proxy that is cut as a stopped service goes away (open connections
    // dropped, new ones refused): the same to the page, without a second service and store to start.
    const { port } = new URL(server.url);
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(port) });
    onTestFinished(() => proxy.close());
    const { page } = await openEditor(`http://127.0.0.1:${proxy.port}`);
    await typeTitle(page, "Object detection with PyTorch");
    await suggestion(page, "pytorch").waitFor();
    await proxy.cut();

    await typeTitle(page, " and TensorFlow");
    await page.locator("tagsmith-suggestions [role=status]", { hasText: /unavailable/i }).waitFor();
    await page.locator("#description").fill("Still writing while the service is down.");
    await page.locator("#save").click();
    // Its failure, not the "Saving…" before it.
    await page.locator("#save-status [role=alert]", { hasText: /./ }).waitFor();
    expect(await page.locator("#save-status").textContent()).toMatch(/^Not saved/);
    expect(await page.locator("#title").inputValue()).toBe(
      "Object detection with PyTorch and TensorFlow",
    );
    expect(await page.locator("#description").inputValue()).toBe(
      "Still writing while the service is down.",
    );
    await page.close();
  });
});
