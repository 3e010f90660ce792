// The API's browsable document at /docs (Swagger UI) in chromium: it renders under its Content-Security-Policy, and
// no page on another origin can frame it.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser } from "../support/browser.js";
import { send, useSampleServer } from "../support/serve.js";

const executablePath = chromiumPath();
const service = useSampleServer();
let browser: Browser;
/** Another origin, serving one page that frames /docs. */
let framer: Server;
let framerUrl: string;

beforeAll(async () => {
  if (!executablePath) return;
  browser = await launchBrowser(executablePath);
  framer = createServer((_, res) =>
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(`<iframe id="docs" src="${service.server().url}/docs/"></iframe>`),
  );
  await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
  framerUrl = `http://localhost:${(framer.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (framer ? framer.close(resolve) : resolve(undefined)));
});

describe("/docs", () => {
  it("sends a Content-Security-Policy that forbids framing, on the page and its scripts", async () => {
    for (const path of [
      "/docs",
      "/docs/",
      "/docs/static/index.html",
      "/docs/static/swagger-initializer.js",
    ]) {
      const res = await send(service.server().url, { path });
      expect(res.headers["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
    }
  });
});

describe.skipIf(!executablePath)("/docs in chromium", () => {
  it("renders every operation with nothing refused by its policy", async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${service.server().url}/docs`);
    await page.locator(".opblock").first().waitFor();
    expect(await page.locator(".opblock").count()).toBeGreaterThan(10);
    expect(await page.locator(".info .title").textContent()).toMatch(/tagsmith/);
    expect(refused).toEqual([]);
    await page.close();
  });

  it("is not shown inside a page of another origin", async () => {
    const page = await browser.newPage();
    // The load event waits for the frame: refused, it holds chromium's error page, not the document.
    await page.goto(framerUrl, { waitUntil: "load" });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame?.url()).not.toContain("/docs");
    expect(await frame?.locator("#swagger-ui").count()).toBe(0);
    await page.close();
  });
});
