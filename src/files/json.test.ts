import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import {
  arrayElementLines,
  assertReadableFile,
  lineAndColumn,
  parseJson,
  readJson,
  readText,
} from "./json.js";

/** Runs f, expecting a TagsmithError, and returns it. */
function caught(f: () => unknown): TagsmithError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(TagsmithError);
    return error as TagsmithError;
  }
  throw new Error("expected a TagsmithError, nothing was thrown");
}

async function rejected(promise: Promise<unknown>): Promise<TagsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TagsmithError);
  return error as TagsmithError;
}

describe("lineAndColumn", () => {
  it("counts lines and columns from 1", () => {
    const text = "ab\ncd\n\nef";
    expect(lineAndColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn(text, 7)).toEqual({ line: 4, column: 1 });
    expect(lineAndColumn(text, 8)).toEqual({ line: 4, column: 2 });
  });
});

describe("parseJson", () => {
  it("parses valid JSON", () => {
    expect(parseJson('[{"a": [1, "x"]}]', "f.json")).toEqual([{ a: [1, "x"] }]);
  });

  // Each case: text with one error, and the line and column (1-based) of the offending character.
  const cases: [string, string, number, number][] = [
    ["a missing value", '[\n  {"id": 1},\n  {"id": }\n]', 3, 10],
    ["a trailing comma", "[\n  1,\n  2,\n]", 4, 1],
    ["a missing comma between elements", '[\n  {"id": 1}\n  {"id": 2}\n]', 3, 3],
    ["a bare word", '{\n  "a": 1,\n  "b": yes\n}', 3, 8],
    ["a single-quoted string", "[\n\n  'x'\n]", 3, 3],
    ["an unquoted key", '{\n  "a": 1,\n  b: 2\n}', 3, 3],
    ["a bad escape", '[\n  "ok",\n  "a\\qb"\n]', 3, 6],
    ["a raw newline inside a string", '[\n  "a\nb"\n]', 2, 5],
    ["text after the value", "[1]\n\n\nx", 4, 1],
  ];
  it.each(cases)("reports %s with file, line and column", (_, text, line, column) => {
    const error = caught(() => parseJson(text, "data/content.json"));
    expect(error.code).toBe("malformed_input");
    expect(error.location).toEqual({ file: "data/content.json", line, column });
    expect(error.message).toMatch(
      new RegExp(`^data/content\\.json:${line}:${column}: malformed JSON`),
    );
  });

  it("reports unexpected end of input at the end of the text", () => {
    const error = caught(() => parseJson('[\n  {"id": 1},\n  {"id": 2', "f.json"));
    expect(error.location?.line).toBe(3);
  });

  it("says an empty or blank file is empty, naming it", () => {
    for (const text of ["", " \n\t\n"]) {
      const error = caught(() => parseJson(text, "f.json"));
      expect(error.location).toEqual({ file: "f.json" });
      expect(error.message).toBe(
        "f.json: the file is empty: it should hold JSON; check that this is the right file, or write its content",
      );
    }
  });

  it("keeps the message on one line: no quoted copy of the text", () => {
    const text = '[\n  {"title": "a"},\n  {"title": }\n]';
    const error = caught(() => parseJson(text, "f.json"));
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain('"title"');
  });

  it("adds a line offset, for one JSON document per line", () => {
    const error = caught(() => parseJson('{"id": }', "f.jsonl", 41));
    expect(error.location).toEqual({ file: "f.jsonl", line: 42, column: 8 });
  });
});

describe("arrayElementLines", () => {
  it("gives the line each top-level element starts on", () => {
    const text = `[
  {"id": 1},
  {
    "id": 2
  },

  {"id": 3}
]`;
    expect(arrayElementLines(text)).toEqual([2, 3, 7]);
  });

  it("ignores nested arrays and objects", () => {
    const text = `[
  {"tags": ["a",
            "b"], "more": {"x": [1, [2, 3]], "y": {}}},
  [1,
   2],
  {"id": 3}
]`;
    expect(arrayElementLines(text)).toEqual([2, 4, 6]);
    expect(arrayElementLines(text)).toHaveLength((JSON.parse(text) as unknown[]).length);
  });

  it("is not fooled by brackets, commas and escaped quotes inside strings", () => {
    const text = `[
  {"title": "a [b], {c}"},
  {"title": "say \\"hi\\", then ] and , and {"},
  "x\\\\",
  {"title": "\\\\\\"[", "d": 1}
]`;
    expect(JSON.parse(text)).toHaveLength(4);
    expect(arrayElementLines(text)).toEqual([2, 3, 4, 5]);
  });

  it("handles several elements on one line, CRLF line endings and scalars", () => {
    expect(arrayElementLines('[1, "a", null,\r\n true, {"b": 2}]')).toEqual([1, 1, 1, 2, 2]);
    expect(arrayElementLines("[]")).toEqual([]);
    expect(arrayElementLines("[\n]")).toEqual([]);
  });
});

describe("readText and readJson", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tagsmith-json-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("drops a byte-order mark", async () => {
    const file = join(dir, "bom.json");
    await writeFile(file, "\ufeff[1, 2]");
    expect(await readText(file)).toBe("[1, 2]");
    expect(await readJson(file)).toEqual([1, 2]);
  });

  it("keeps a byte-order-mark character that is not at the start", async () => {
    const file = join(dir, "inner.txt");
    await writeFile(file, "a\ufeffb");
    expect(await readText(file)).toBe("a\ufeffb");
  });

  it("reports a missing file as file_not_found, naming it", async () => {
    const file = join(dir, "missing.json");
    const error = await rejected(readText(file));
    expect(error.code).toBe("file_not_found");
    expect(error.location).toEqual({ file });
    expect(error.message).toContain(file);
    expect((await rejected(readJson(file))).code).toBe("file_not_found");
  });

  it("reports a directory as file_not_found, naming it", async () => {
    const sub = join(dir, "a-directory.json");
    await mkdir(sub);
    const error = await rejected(readText(sub));
    expect(error.code).toBe("file_not_found");
    expect(error.message).toContain(sub);
    expect(error.message).toMatch(/directory/);
  });

  it("reports malformed JSON in a file with the file's line", async () => {
    const file = join(dir, "bad.json");
    await writeFile(file, '[\n  {"id": 1},\n  {"id": 2,}\n]\n');
    const error = await rejected(readJson(file));
    expect(error.code).toBe("malformed_input");
    expect(error.location).toMatchObject({ file, line: 3 });
  });
});

describe("devices given as files", () => {
  it("are refused before reading, not read without end", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tagsmith-json-"));
    try {
      const endless = join(dir, "items.jsonl");
      await symlink("/dev/zero", endless);
      for (const read of [readText, assertReadableFile]) {
        const error = await rejected(read(endless));
        expect(error.message).toBe(
          `${endless}: a device or socket, not a file, which could be read without end: give a file`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
