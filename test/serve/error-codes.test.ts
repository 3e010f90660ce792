// The API's error codes are mapped to statuses once (API_STATUS, src/serve/errors.ts): the OpenAPI description is
// made from that table, and README's error table is checked against it here.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { API_STATUS } from "../../src/serve/errors.js";
import { openApiOptions } from "../../src/serve/openapi.js";

const README = resolve(import.meta.dirname, "../../README.md");

describe("error codes", () => {
  it("README's error table gives every code its status (internal, a bug, in the text below it)", async () => {
    const readme = await readFile(README, "utf8");
    for (const [code, status] of Object.entries(API_STATUS)) {
      if (code === "internal") {
        expect(readme).toContain(`${status} \`internal\``);
        continue;
      }
      const row = readme
        .split("\n")
        .find((line) => new RegExp(`^\\| \\d{3} \\|[^|]*\`${code}\``).test(line));
      expect(row, code).toBeDefined();
      expect(row?.slice(2, 5), code).toBe(String(status));
    }
  });

  it("the OpenAPI description lists every code with its status", () => {
    const options = openApiOptions("test") as { openapi: { info: { description: string } } };
    const { description } = options.openapi.info;
    for (const [code, status] of Object.entries(API_STATUS))
      expect(description, code).toMatch(new RegExp(`\\b${code}\\b[^(;]*\\(${status}\\)`));
  });
});
