// `tagsmith data validate|split|stats` run as a user would: small fixtures written here, and the shared Made With
// ML data where it is present. Expected values are computed in the test from the files, not by tagsmith.

import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, tagsmith, tagsmithAsync, tagsmithReaderGone } from "../support/cli.js";
import { SAMPLE_CONTENT } from "../support/sample.js";
import { mwmlFile } from "../support/shared-data.js";

const projects = mwmlFile("projects.json");
const tags = mwmlFile("tags.json");
const hasShared = projects !== undefined && tags !== undefined;

interface Project {
  id: number;
  created_on: string;
  title: string;
  tags: string[];
}
interface TagEntry {
  tag: string;
  parents?: string[];
}
const readJsonFile = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

/** Title key for the independent leakage check: NFKC, lower case, runs of letters and digits. */
const titleKey = (title: string) =>
  (
    title
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu) ?? []
  ).join(" ");

/** A one-line user error: exit 2, one line on stderr starting "tagsmith: ", no stack trace. */
function expectBadInput(result: CliResult, ...mentions: string[]): string {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).not.toContain("    at ");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  const line = lines[0] as string;
  expect(line).toMatch(/^tagsmith: /);
  for (const text of mentions) expect(line).toContain(text);
  return line;
}

let dir: string;
let taxonomy: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-cli-data-"));
  taxonomy = file("taxonomy.json");
  await writeFile(
    taxonomy,
    JSON.stringify([
      { tag: "computer-vision", aliases: ["cv"], parents: [] },
      { tag: "object-detection", aliases: [], parents: ["computer-vision"] },
    ]),
  );
  const fixtures: Record<string, string> = {
    "good.json": JSON.stringify(
      [
        { id: 1, title: "Detecting cars in traffic video", tags: ["object-detection"] },
        { id: 2, title: "Segmenting roads from satellite images", tags: ["computer-vision"] },
      ],
      null,
      2,
    ),
    "warnings.json": JSON.stringify(
      [
        { id: 1, title: "Detecting cars in traffic video", tags: ["object-detection"] },
        { id: 2, title: "Detecting cars in traffic video!", tags: ["code"] },
        { id: 3, title: "GAN", tags: [] },
      ],
      null,
      2,
    ),
    "duplicate-id.json": JSON.stringify(
      [
        { id: 1, title: "Detecting cars in traffic video", tags: ["object-detection"] },
        { id: 1, title: "Segmenting roads from satellite images", tags: ["computer-vision"] },
      ],
      null,
      2,
    ),
    // The same two items written on one line, where the line names no item.
    "duplicate-id-one-line.json": JSON.stringify([
      { id: 1, title: "Detecting cars in traffic video", tags: ["object-detection"] },
      { id: 1, title: "Segmenting roads from satellite images", tags: ["computer-vision"] },
    ]),
    "malformed.json": '[\n  {"id": 1, "title": "a"},\n  {"id": 2, "title": }\n]\n',
    "title-42.json": '[\n  {"id": 1, "title": "fine title here"},\n  {"id": 2, "title": 42}\n]\n',
    "unclosed.csv": 'id,title\n1,fine title here\n2,"never closed\n3,more\n',
    "opening-quote.csv": 'id,title,tags\n1,fine title here,a\n2,another title,["a","b"]\n',
    "wrong-column.csv": "id,name,tags\n1,fine title here,a\n",
    "undated.jsonl": '{"id": 1, "title": "one two three"}\n{"id": 2, "title": "four five six"}\n',
  };
  for (const [name, content] of Object.entries(fixtures)) await writeFile(file(name), content);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tagsmith data validate on the Made With ML data", () => {
  it.skipIf(!hasShared)(
    "reports the five unapproved parents and ranks unapproved tags, quickly, exit 0",
    () => {
      const started = Date.now();
      const result = tagsmith([
        "data",
        "validate",
        "--data",
        projects as string,
        "--taxonomy",
        tags as string,
        "--json",
      ]);
      const elapsed = Date.now() - started;
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
      expect(elapsed).toBeLessThan(5000);

      const report = JSON.parse(result.stdout) as {
        ok: boolean;
        items: number;
        taxonomy: { findings: { code: string; severity: string; tags: string[] }[] };
        unapprovedTags: { tag: string; count: number }[];
      };
      const data = readJsonFile<Project[]>(projects as string);
      const list = readJsonFile<TagEntry[]>(tags as string);
      expect(report.ok).toBe(true);
      expect(report.items).toBe(data.length);

      // not-approved parents, computed from tags.json
      const approved = new Set(list.map((t) => t.tag));
      const missingParents = [
        ...new Set(list.flatMap((t) => t.parents ?? []).filter((p) => !approved.has(p))),
      ].sort();
      expect(missingParents).toEqual(["audio", "decision-tree", "health", "qa", "testing"]);
      expect(report.taxonomy.findings).toHaveLength(missingParents.length);
      for (const finding of report.taxonomy.findings) {
        expect(finding).toMatchObject({ code: "parent_not_approved", severity: "warning" });
      }
      expect(report.taxonomy.findings.flatMap((f) => f.tags).sort()).toEqual(missingParents);

      // tag counts over projects.json of tags that are not approved, most frequent first
      const counts = new Map<string, number>();
      for (const project of data) {
        for (const tag of new Set(project.tags.map((t) => t.trim()))) {
          if (!approved.has(tag)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
        }
      }
      const top3 = [...counts]
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .slice(0, 3)
        .map(([tag, count]) => ({ tag, count }));
      expect(top3.map((t) => t.tag)).toEqual(["code", "tutorial", "article"]);
      expect(report.unapprovedTags.slice(0, 3).map(({ tag, count }) => ({ tag, count }))).toEqual(
        top3,
      );
    },
  );
});

describe("tagsmith data: bad input is one line and exit 2", () => {
  it("refuses an option of one value given twice rather than keep the last, in any command", () => {
    const [a, b] = [file("good.json"), file("malformed.json")];
    for (const [args, option, first, second] of [
      [["data", "stats", "--data", a, `--data=${b}`], "--data", a, b],
      [
        ["data", "validate", "--data", a, "--taxonomy", taxonomy, "--taxonomy", a],
        "--taxonomy",
        taxonomy,
        a,
      ],
      [["suggest", "--model", a, "--title", "one", "--title", "two"], "--title", "one", "two"],
    ] as const) {
      const result = tagsmith([...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `tagsmith: ${option} was given twice ("${first}", then "${second}"): it takes one value, give it once\n(run with --help for usage)\n`,
      );
    }
  });

  it("names a missing data file", () => {
    const missing = file("missing.json");
    expectBadInput(
      tagsmith(["data", "validate", "--data", missing, "--taxonomy", taxonomy]),
      missing,
      "not found",
    );
  });

  it("names a missing taxonomy file", () => {
    const missing = file("missing-taxonomy.json");
    expectBadInput(
      tagsmith(["data", "validate", "--data", file("good.json"), "--taxonomy", missing]),
      missing,
    );
  });

  it("names the file and line of malformed JSON", () => {
    for (const command of ["validate", "stats"]) {
      const args = ["data", command, "--data", file("malformed.json"), "--taxonomy", taxonomy];
      expectBadInput(tagsmith(args), `${file("malformed.json")}:3:`, "malformed JSON");
    }
  });

  it("names the file and line of malformed CSV: an unclosed quote, a stray quote", () => {
    expectBadInput(
      tagsmith(["data", "validate", "--data", file("unclosed.csv"), "--taxonomy", taxonomy]),
      `${file("unclosed.csv")}:3:`,
      "malformed CSV",
    );
    expectBadInput(
      tagsmith(["data", "stats", "--data", file("opening-quote.csv")]),
      `${file("opening-quote.csv")}:3:`,
      "malformed CSV",
    );
  });

  it("names a CSV's missing column at line 1", () => {
    expectBadInput(
      tagsmith(["data", "validate", "--data", file("wrong-column.csv"), "--taxonomy", taxonomy]),
      `${file("wrong-column.csv")}:1:`,
      "missing column title",
    );
  });

  it("reports a non-string title: validate lists it and exits 1, stats refuses it naming file:line", () => {
    const data = file("title-42.json");
    const validate = tagsmith([
      "data",
      "validate",
      "--data",
      data,
      "--taxonomy",
      taxonomy,
      "--json",
    ]);
    expect(validate.status, validate.stderr).toBe(1);
    const report = JSON.parse(validate.stdout) as {
      ok: boolean;
      items: number;
      schemaErrors: { at: string; message: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.items).toBe(1);
    expect(report.schemaErrors).toHaveLength(1);
    expect(report.schemaErrors[0]?.at).toBe(`${data}:3`);
    expect(report.schemaErrors[0]?.message).toMatch(/^title: /);

    expectBadInput(tagsmith(["data", "stats", "--data", data]), `${data}:3:`, "title");
  });

  it("refuses tags given as one string in JSON, naming the item and the field; validate lists it, exit 1", async () => {
    const data = file("string-tags.json");
    await writeFile(
      data,
      '[\n  {"id": 1, "title": "Detecting cars", "tags": ["object-detection"]},\n  {"id": 2, "title": "Parsing text", "tags": "nlp"}\n]\n',
    );
    expectBadInput(
      tagsmith(["data", "stats", "--data", data]),
      `${data}:3: tags: must be a list of strings, e.g. ["nlp"], not the string "nlp" (item 2)`,
    );
    const validate = tagsmith(["data", "validate", "--data", data, "--taxonomy", taxonomy]);
    expect(validate.status, validate.stderr).toBe(1);
    expect(validate.stdout).toContain(`${data}:3: tags: must be a list of strings`);
  });

  it("says an empty or blank taxonomy file is empty, naming it", async () => {
    for (const [name, content] of [
      ["empty-file-taxonomy.json", ""],
      ["blank-taxonomy.json", "\n  \n"],
    ] as const) {
      const empty = file(name);
      await writeFile(empty, content);
      const line = expectBadInput(
        tagsmith(["data", "validate", "--data", file("good.json"), "--taxonomy", empty]),
      );
      expect(line).toBe(
        `tagsmith: ${empty}: the file is empty: it should hold JSON; check that this is the right file, or write its content`,
      );
    }
  });

  it("rejects an unknown option and a missing required option with exit 2", () => {
    for (const [mention, args] of [
      [
        "--bogus",
        ["data", "validate", "--data", file("good.json"), "--taxonomy", taxonomy, "--bogus"],
      ],
      ["--taxonomy", ["data", "validate", "--data", file("good.json")]],
      [
        "alphabetical",
        ["data", "split", "--data", file("good.json"), "--out", dir, "--by", "alphabetical"],
      ],
      [
        "--min-words",
        [
          "data",
          "validate",
          "--data",
          file("good.json"),
          "--taxonomy",
          taxonomy,
          "--min-words",
          "x",
        ],
      ],
    ] as const) {
      const result = tagsmith([...args]);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^tagsmith: /);
      expect(result.stderr.split("\n")[0]).toContain(mention);
      expect(result.stderr).not.toContain("    at ");
      expect(result.stdout).toBe("");
    }
  });
});

describe("tagsmith data validate: exit status", () => {
  it("exits 1 on a duplicate id, naming both lines", () => {
    const data = file("duplicate-id.json");
    const result = tagsmith(["data", "validate", "--data", data, "--taxonomy", taxonomy]);
    expect(result.status, result.stderr).toBe(1);
    // the lines on which the two records open, found in the fixture's text
    const starts = readFileSync(data, "utf8")
      .split("\n")
      .flatMap((line, i) => (line === "  {" ? [i + 1] : []));
    expect(starts).toHaveLength(2);
    expect(result.stdout).toContain(`id 1 at ${data}:${starts[0]}, ${data}:${starts[1]}`);
    expect(result.stdout).toMatch(/FAILED/);
  });

  it("names each item of a duplicate id by its place in a JSON array written on one line", () => {
    const data = file("duplicate-id-one-line.json");
    const result = tagsmith(["data", "validate", "--data", data, "--taxonomy", taxonomy]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain(`id 1 at ${data}:1 item 1, ${data}:1 item 2\n`);
    const report = JSON.parse(
      tagsmith(["data", "validate", "--data", data, "--taxonomy", taxonomy, "--json"]).stdout,
    );
    expect(report.duplicateIds).toEqual([
      { id: "1", at: [`${data}:1 item 1`, `${data}:1 item 2`] },
    ]);
  });

  it("exits 1 on errors also when the reader closes the pipe early (as `| head -1` does)", async () => {
    const { status, stderr } = await tagsmithReaderGone([
      "data",
      "validate",
      "--data",
      file("duplicate-id.json"),
      "--taxonomy",
      taxonomy,
    ]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
  });

  it("exits 0 with only warnings, and 0 on clean data", () => {
    const warnings = tagsmith([
      "data",
      "validate",
      "--data",
      file("warnings.json"),
      "--taxonomy",
      taxonomy,
      "--json",
    ]);
    expect(warnings.status, warnings.stderr).toBe(0);
    const report = JSON.parse(warnings.stdout) as { ok: boolean; errors: number; warnings: number };
    expect(report).toMatchObject({ ok: true, errors: 0 });
    expect(report.warnings).toBeGreaterThan(0);

    const clean = tagsmith([
      "data",
      "validate",
      "--data",
      file("good.json"),
      "--taxonomy",
      taxonomy,
    ]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/OK: no errors/);
  });
});

/** `data split` of `data` into halves in `out`, named a and b unless `names` says. */
const splitInHalves = (
  data: string,
  out: string,
  by: string,
  { names = "a,b", more = [] }: { names?: string; more?: string[] } = {},
) =>
  tagsmith([
    "data",
    "split",
    "--data",
    data,
    "--by",
    by,
    "--ratios",
    "0.5,0.5",
    "--names",
    names,
    "--out",
    out,
    ...more,
  ]);

describe("tagsmith data split", () => {
  it("names the file whose item has no date when asked for a time split", async () => {
    const undated = file("undated.json");
    await writeFile(
      undated,
      JSON.stringify([
        { id: 1, created_on: "2020-01-01", title: "a", description: "", tags: [] },
        { id: 2, title: "b", description: "", tags: [] },
      ]),
    );
    const result = tagsmith(["data", "split", "--data", undated, "--out", file("undated-split")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: ${undated}: item 2 has no created_on, so a time split is impossible: add dates or use a random or stratified split\n`,
    );
  });

  it.skipIf(!hasShared)(
    "splits by time into 70/15/15 files, oldest first, and reports the leakage an independent check finds",
    () => {
      const out = file("split-time");
      const result = tagsmith(["data", "split", "--data", projects as string, "--out", out]);
      const data = readJsonFile<Project[]>(projects as string);
      const names = ["train", "tune", "test"];
      const parts = names.map((name) => readJsonFile<Project[]>(join(out, `${name}.json`)));

      // sizes follow the ratios, and no item is lost or duplicated
      [0.7, 0.15, 0.15].forEach((ratio, i) => {
        expect(Math.abs((parts[i] as Project[]).length - ratio * data.length)).toBeLessThanOrEqual(
          1,
        );
      });
      const ids = parts.flat().map((p) => String(p.id));
      expect(new Set(ids).size).toBe(data.length);
      expect(ids.sort()).toEqual(data.map((p) => String(p.id)).sort());
      // oldest first
      const dates = parts.map((p) => p.map((x) => x.created_on).sort());
      for (let i = 0; i + 1 < dates.length; i++) {
        expect(
          ((dates[i] as string[]).at(-1) as string) <= ((dates[i + 1] as string[])[0] as string),
        ).toBe(true);
      }

      // titles shared across parts, found here from the written files
      const partsOfTitle = new Map<string, Set<string>>();
      const titleOf = new Map<string, string>();
      parts.forEach((part, i) => {
        for (const p of part) {
          const key = titleKey(p.title);
          titleOf.set(`${names[i]}/${p.id}`, key);
          if (key)
            partsOfTitle.set(key, (partsOfTitle.get(key) ?? new Set()).add(names[i] as string));
        }
      });
      const crossTitles = [...partsOfTitle].filter(([, s]) => s.size > 1).map(([t]) => t);
      expect(crossTitles.length).toBeGreaterThan(0);

      expect(result.status, result.stderr).toBe(1);
      const lines = result.stdout.split("\n");
      const header = lines.find((l) => l.startsWith("LEAKAGE: "));
      expect(header).toBeDefined();
      const leakLines = lines.filter((l) => /^ {2}\w+: /.test(l));
      expect(header).toContain(`LEAKAGE: ${leakLines.length} item pair(s)`);
      const sameTitle = leakLines
        .filter((l) => l.startsWith("  same_title: "))
        .map((l) => /^ {2}same_title: (\S+) ~ (\S+)$/.exec(l)?.slice(1) as [string, string]);
      for (const [a, b] of sameTitle) {
        expect(a.split("/")[0]).not.toBe(b.split("/")[0]);
        expect(titleOf.get(a)).toBeDefined();
        expect(titleOf.get(a)).toBe(titleOf.get(b));
      }
      expect([...new Set(sameTitle.map(([a]) => titleOf.get(a)))].sort()).toEqual(
        crossTitles.sort(),
      );
      for (const name of names) expect(result.stdout).toContain(`${name}: `);
    },
  );

  it.skipIf(!hasShared)("splits stratified and prints parts and leaks as JSON", () => {
    const out = file("split-stratified");
    const result = tagsmith([
      "data",
      "split",
      "--data",
      projects as string,
      "--taxonomy",
      tags as string,
      "--by",
      "stratified",
      "--format",
      "jsonl",
      "--out",
      out,
      "--json",
    ]);
    const summary = JSON.parse(result.stdout) as {
      method: string;
      parts: { name: string; items: number; file: string }[];
      leaks: { kind: string; a: { split: string }; b: { split: string } }[];
    };
    expect(summary.method).toBe("stratified");
    expect(summary.parts.map((p) => p.name)).toEqual(["train", "tune", "test"]);
    const total = readJsonFile<Project[]>(projects as string).length;
    expect(summary.parts.reduce((s, p) => s + p.items, 0)).toBe(total);
    for (const part of summary.parts) {
      expect(part.file).toBe(join(out, `${part.name}.jsonl`));
      const lines = readFileSync(part.file, "utf8").trim().split("\n");
      expect(lines).toHaveLength(part.items);
    }
    for (const leak of summary.leaks) expect(leak.a.split).not.toBe(leak.b.split);
    expect(result.status).toBe(summary.leaks.length === 0 ? 0 : 1);
  });

  it("stratifies on the tags an overlay approves, and takes --overlay only with --taxonomy", async () => {
    const data = file("overlaid.jsonl");
    // Ten items of a tag only the overlay approves, ten of an approved one.
    const items = Array.from({ length: 20 }, (_, i) => ({
      id: i + 1,
      title: `distinct title number ${i + 1} about topic ${i * 7}`,
      tags: [i % 2 === 0 ? "llm-agents" : "nlp"],
    }));
    await writeFile(data, items.map((x) => JSON.stringify(x)).join("\n"));
    const taxonomy = file("nlp-taxonomy.json");
    await writeFile(taxonomy, JSON.stringify([{ tag: "nlp", aliases: [], parents: [] }]));
    const overlay = file("agents-overlay.json");
    await writeFile(overlay, JSON.stringify([{ tag: "llm-agents", new: true }]));
    const split = (out: string, ...more: string[]) =>
      splitInHalves(data, out, "stratified", { more });
    const out = file("overlaid-split");
    const result = split(out, "--taxonomy", taxonomy, "--overlay", overlay);
    expect(result.status, result.stderr).toBe(0);
    const agents = (name: string) =>
      readJsonFile<Project[]>(join(out, `${name}.json`)).filter((p) =>
        p.tags.includes("llm-agents"),
      ).length;
    expect([agents("a"), agents("b")]).toEqual([5, 5]);
    const alone = split(file("overlay-alone"), "--overlay", overlay);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain("--overlay needs --taxonomy");
  });

  it("splits a small file randomly, the same way for the same seed", async () => {
    const data = file("twenty.jsonl");
    const items = Array.from({ length: 20 }, (_, i) => ({
      id: i + 1,
      title: `distinct title number ${i + 1} about topic ${i * 7}`,
      tags: [],
    }));
    const run = (out: string) =>
      splitInHalves(data, out, "random", { more: ["--seed", "7", "--json"] });
    await writeFile(data, items.map((x) => JSON.stringify(x)).join("\n"));
    const first = run(file("random-1"));
    const second = run(file("random-2"));
    expect(first.status, first.stderr).toBe(0);
    const read = (out: string, name: string) =>
      readJsonFile<Project[]>(join(out, `${name}.json`)).map((p) => Number(p.id));
    expect(read(file("random-1"), "a")).toHaveLength(10);
    expect(read(file("random-1"), "a")).toEqual(read(file("random-2"), "a"));
    expect(
      [...read(file("random-1"), "a"), ...read(file("random-1"), "b")].sort((x, y) => x - y),
    ).toEqual(items.map((x) => x.id));
    expect(JSON.parse(second.stdout)).toMatchObject({ leaks: [] });
  });

  it("keeps single-label data single-label in its parts, and refuses part names that leave --out", async () => {
    const data = file("single.csv");
    await writeFile(
      data,
      [
        "id,title,tag",
        ...Array.from(
          { length: 8 },
          (_, i) => `${i + 1},title ${i + 1},${i % 2 ? "mlops" : "other"}`,
        ),
      ].join("\n"),
    );
    const out = file("single-parts");
    const result = splitInHalves(data, out, "random");
    expect(result.status, result.stderr).toBe(0);
    const part = readJsonFile<Record<string, unknown>[]>(join(out, "a.json"));
    expect(part.length).toBe(4);
    for (const item of part) {
      expect(item).not.toHaveProperty("tags");
      expect(["mlops", "other"]).toContain(item.tag);
    }
    expectBadInput(splitInHalves(data, out, "random", { names: "../../escape,b" }), "../../escape");
    expect(existsSync(join(dir, "..", "escape.json"))).toBe(false);
  });

  it("refuses a taxonomy file with no tags, exit 2", async () => {
    const empty = file("empty-taxonomy.json");
    await writeFile(empty, "[]");
    expectBadInput(
      tagsmith(["data", "validate", "--data", file("good.json"), "--taxonomy", empty]),
      "no tags",
    );
  });

  it("refuses mismatched or repeated --names, bad --ratios and a time split of undated data, exit 2", () => {
    const data = file("good.json");
    expectBadInput(
      tagsmith(["data", "split", "--data", data, "--out", file("x"), "--names", "a,b"]),
      "--names",
    );
    expectBadInput(
      tagsmith([
        "data",
        "split",
        "--data",
        data,
        "--out",
        file("x"),
        "--ratios",
        "0.5,0.5",
        "--names",
        "a,a",
      ]),
      "--names",
    );
    expectBadInput(
      tagsmith([
        "data",
        "split",
        "--data",
        data,
        "--by",
        "random",
        "--out",
        file("x"),
        "--ratios",
        "0.7,0.7",
        "--names",
        "a,b",
      ]),
      "0.7,0.7",
    );
    expectBadInput(
      tagsmith(["data", "split", "--data", file("undated.jsonl"), "--out", file("x")]),
      "created_on",
    );
    expect(existsSync(file("x"))).toBe(false);
  });
});

describe("tagsmith data split never overwrites a file", () => {
  const twenty = Array.from({ length: 20 }, (_, i) => ({
    id: i + 1,
    title: `distinct title number ${i + 1} about topic ${i * 7}`,
    tags: [],
  }));
  const text = `${JSON.stringify(twenty, null, 2)}\n`;
  const split = (data: string, out: string, cwd?: string) =>
    tagsmith(["data", "split", "--data", data, "--out", out, "--by", "random"], { cwd });

  it("refuses an --out where a part would overwrite its input, however the paths are spelt", async () => {
    const out = file("split-into-input");
    await mkdir(out);
    const data = join(out, "train.json");
    await writeFile(data, text);
    for (const [args, cwd] of [
      [[data, out], undefined],
      [["split-into-input/train.json", "./split-into-input/"], dir],
    ] as const) {
      const line = expectBadInput(split(args[0], args[1], cwd), "input file", "--data");
      expect(line).toContain("train part");
      expect(line).toContain("choose another --out");
      expect(readFileSync(data, "utf8")).toBe(text);
      expect(existsSync(join(out, "tune.json"))).toBe(false);
    }
  });

  it("refuses an --out holding a file a part would be written to, keeping it and writing no part", async () => {
    const data = file("twenty-items.json");
    await writeFile(data, text);
    const out = file("split-over-files");
    await mkdir(out);
    await writeFile(join(out, "tune.json"), "my tune file");
    expectBadInput(
      split(data, out),
      `${join(out, "tune.json")} already exists`,
      "never overwrites",
      "choose another --out",
    );
    await writeFile(join(out, "test.json"), "my test file");
    expectBadInput(
      split(data, out),
      `${join(out, "tune.json")} and ${join(out, "test.json")} already exist`,
      "remove them first",
    );
    expect(readFileSync(join(out, "tune.json"), "utf8")).toBe("my tune file");
    expect(readFileSync(join(out, "test.json"), "utf8")).toBe("my test file");
    expect(existsSync(join(out, "train.json"))).toBe(false);
    // the same split into a new directory works
    expect(split(data, file("split-fresh")).status).toBe(0);
  });

  it("checks --ratios before --names, and says which names are the default", () => {
    const data = file("good.json");
    const both = expectBadInput(
      tagsmith([
        "data",
        "split",
        "--data",
        data,
        "--out",
        file("y"),
        "--ratios",
        "0.5,0.6",
        "--names",
        "a,b,c",
      ]),
      "0.5,0.6",
    );
    expect(both).not.toContain("--names");
    expectBadInput(
      tagsmith(["data", "split", "--data", data, "--out", file("y"), "--ratios", "0.5,0.5"]),
      "--ratios 0.5,0.5 has 2 parts but --names train,tune,test (the default) has 3 names",
    );
    expect(existsSync(file("y"))).toBe(false);
  });

  // Node's mkdir({recursive: true}) retries for ever there: the split never ended.
  it.skipIf(!existsSync("/proc/self"))(
    "fails at once on an --out where nothing can be created (/proc)",
    async () => {
      const result = await tagsmithAsync(
        [
          "data",
          "split",
          "--data",
          file("undated.jsonl"),
          "--by",
          "random",
          "--out",
          "/proc/tagsmith-split",
        ],
        { killAfterMs: 10_000 },
      );
      expectBadInput(result, "cannot write /proc/tagsmith-split");
    },
  );
});

describe("tagsmith data stats", () => {
  it.skipIf(!hasShared)("counts the items and gives a stable sha256 fingerprint", () => {
    const args = [
      "data",
      "stats",
      "--data",
      projects as string,
      "--taxonomy",
      tags as string,
      "--json",
    ];
    const first = tagsmith(args);
    const second = tagsmith(args);
    expect(first.status, first.stderr).toBe(0);
    const stats = JSON.parse(first.stdout) as { items: number; fingerprint: string };
    const count = readJsonFile<Project[]>(projects as string).length;
    expect(count).toBe(1727);
    expect(stats.items).toBe(count);
    expect(stats.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((JSON.parse(second.stdout) as { fingerprint: string }).fingerprint).toBe(
      stats.fingerprint,
    );
  });

  it("says in words without --json what --json gives as fields", () => {
    const json = tagsmith(["data", "stats", "--data", SAMPLE_CONTENT, "--json"]);
    const stats = JSON.parse(json.stdout);
    const text = tagsmith(["data", "stats", "--data", SAMPLE_CONTENT]);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(
      [
        "approved tags: every tag in the data (no --taxonomy)",
        `items: ${stats.items} (${stats.labeledItems} with a gold tag)`,
        `dates: ${stats.dateRange.from.slice(0, 10)} to ${stats.dateRange.to.slice(0, 10)}`,
        `distinct tags: ${stats.distinctTags} (${stats.distinctGoldTags} gold: approved, or ancestors of approved)`,
        `tags per item: ${stats.cardinality.tags} as given; ${stats.cardinality.gold} gold per item with one`,
        `density: ${stats.density} (gold tags per item with one, as a share of all approved tags)`,
        `fingerprint: ${stats.fingerprint}`,
        "",
      ].join("\n"),
    );
    expect(text.stdout).not.toMatch(/[{}]/);
  });
});
