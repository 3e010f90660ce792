import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONTENT } from "../../test/support/sample.js";
import { mwmlFile } from "../../test/support/shared-data.js";
import { TagsmithError } from "../errors.js";
import { formatOf, loadContent, readContent } from "./load.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-load-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
/** Writes a fixture file (a fresh name each time, keeping the extension) and returns its path. */
async function fixture(name: string, content: string): Promise<string> {
  const file = join(dir, `${counter++}-${name}`);
  await writeFile(file, content);
  return file;
}

async function rejected(promise: Promise<unknown>): Promise<TagsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TagsmithError);
  return error as TagsmithError;
}

describe("bytes that are not UTF-8", () => {
  const latin1 = (text: string) => Buffer.from(text, "latin1");

  it("are an error naming the file and line in JSON, JSON Lines and CSV, never letters replaced", async () => {
    for (const [name, bytes, line] of [
      ["a.json", latin1('[{"id": 1, "title": "ok"},\n{"id": 2, "title": "café"}]'), 2],
      ["a.jsonl", latin1('{"id": 1, "title": "ok"}\n{"id": 2, "title": "café"}\n'), 2],
      ["a.csv", latin1("id,title,tags\n1,ok,nlp\n2,café naïve,nlp\n"), 3],
    ] as const) {
      const file = join(dir, `${counter++}-${name}`);
      await writeFile(file, bytes);
      const error = await rejected(loadContent(file));
      expect(error.message).toBe(`${file}:${line}: not valid UTF-8: save the file as UTF-8`);
    }
  });

  it("name the right line past the first 64 kB read, with a character cut between two reads before it", async () => {
    // JSON Lines are streamed in 64 kB reads: an "é" (2 bytes) is placed across the first boundary, and a Latin-1 byte
    // on a line well after it.
    const line = (id: number, title: string) => `{"id": ${id}, "title": "${title}"}\n`;
    const lines: Buffer[] = [];
    let size = 0;
    let id = 1;
    while (size < 65_536 - 200) {
      const next = Buffer.from(line(id++, "x".repeat(60)));
      lines.push(next);
      size += next.length;
    }
    const head = Buffer.from(`{"id": ${id++}, "title": "`);
    const pad = 65_536 - size - head.length - 1; // so that "é" starts on the last byte of the first read
    lines.push(head, Buffer.from(`${"y".repeat(pad)}é"}\n`));
    const before = id - 1;
    for (let k = 0; k < 10; k++) lines.push(Buffer.from(line(id++, "z")));
    lines.push(
      Buffer.concat([
        Buffer.from(`{"id": ${id}, "title": "caf`),
        Buffer.from([0xe9]),
        Buffer.from('"}\n'),
      ]),
    );
    const file = join(dir, `${counter++}-long.jsonl`);
    const bytes = Buffer.concat(lines);
    expect(bytes.subarray(65_535, 65_537)).toEqual(Buffer.from("é"));
    await writeFile(file, bytes);
    expect((await rejected(loadContent(file))).message).toBe(
      `${file}:${before + 11}: not valid UTF-8: save the file as UTF-8`,
    );
  });

  it("say when the file looks like UTF-16, and let a real U+FFFD and a byte-order mark through", async () => {
    const utf16 = join(dir, `${counter++}-utf16.csv`);
    await writeFile(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id,title\n1,a\n", "utf16le")]),
    );
    expect((await rejected(loadContent(utf16))).message).toContain("(it looks like UTF-16)");
    const fine = await fixture("fine.csv", "\uFEFFid,title,tags\n1,caf\u00e9 \uFFFD,nlp\n");
    expect((await loadContent(fine)).items[0]?.title).toBe("caf\u00e9 \uFFFD");
  });
});

describe("formatOf", () => {
  it("knows .json, .jsonl, .ndjson and .csv, whatever the case", () => {
    expect(formatOf("a.json")).toBe("json");
    expect(formatOf("a.JSON")).toBe("json");
    expect(formatOf("dir.v2/a.jsonl")).toBe("jsonl");
    expect(formatOf("a.ndjson")).toBe("jsonl");
    expect(formatOf("a.csv")).toBe("csv");
  });

  it("rejects other extensions, naming the file", () => {
    for (const file of ["a.txt", "a.tsv", "a", "a.json.gz"]) {
      let error: unknown;
      try {
        formatOf(file);
      } catch (e) {
        error = e;
      }
      expect(error, file).toBeInstanceOf(TagsmithError);
      expect((error as TagsmithError).code).toBe("invalid_input");
      expect((error as TagsmithError).location?.file).toBe(file);
    }
  });

  it("rejects an unknown extension without reading the file (only a directory or a missing file is said first)", async () => {
    const file = join(dir, "content.xml");
    await writeFile(file, "<items/>");
    const error = await rejected(readContent(file));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain('".xml"');
  });
});

describe("readContent: JSON arrays", () => {
  it("loads records as normalised items with the line each starts on", async () => {
    const file = await fixture(
      "ok.json",
      `[
  {"id": 1, "created_on": "2020-02-17 06:30:41", "title": "  Deep\\u00a0learning\\n basics ",
   "description": "Notes.", "tags": ["code", " code ", "pytorch"]},
  {
    "id": "p-2",
    "title": "\\ufb01ne-tuning",
    "tags": []
  }
]`,
    );
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([]);
    expect(loaded.labelMode).toBe("multi");
    expect(loaded.items).toEqual([
      {
        item: {
          id: "1",
          createdOn: "2020-02-17T06:30:41.000Z",
          title: "Deep learning basics",
          description: "Notes.",
          tags: ["code", "pytorch"],
          asWritten: { title: "  Deep\u00a0learning\n basics ", description: "Notes." },
        },
        origin: { file, line: 2 },
      },
      {
        item: {
          id: "p-2",
          createdOn: null,
          title: "fine-tuning",
          description: "",
          tags: [],
          asWritten: { title: "\ufb01ne-tuning", description: "" },
        },
        origin: { file, line: 4 },
      },
    ]);
  });

  it("reports each bad record at its line and keeps the good ones", async () => {
    const file = await fixture(
      "bad-records.json",
      `[
  {"id": 1, "title": "good one"},
  {"id": 2},
  {
    "id": 3,
    "title": 42
  },
  "just a string",
  {"id": "", "title": "empty id"},
  {"id": 6, "title": "bad tags", "tags": [1, 2]},
  {"id": 7, "title": "bad date", "created_on": "someday"},
  {"id": 8, "title": "good two"}
]`,
    );
    const loaded = await readContent(file);
    expect(loaded.items.map((i) => [i.item.id, i.origin.line])).toEqual([
      ["1", 2],
      ["8", 12],
    ]);
    expect(loaded.problems.map((p) => p.location)).toEqual(
      [3, 4, 8, 9, 10, 11].map((line) => ({ file, line })),
    );
    const [noTitle, numberTitle, notObject, emptyId, badTags, badDate] = loaded.problems.map(
      (p) => p.message,
    );
    expect(noTitle).toMatch(/^title: /);
    expect(numberTitle).toMatch(/^title: /);
    expect(notObject).toMatch(/expected an object/);
    expect(emptyId).toMatch(/^id: /);
    expect(badTags).toMatch(/^tags/);
    expect(badDate).toMatch(/^created_on: "someday" is not a date/);
  });

  it("refuses an unknown or misspelt field at its line, naming it and the accepted names", async () => {
    const file = await fixture(
      "unknown-field.json",
      `[
  {"id": 1, "title": "good", "tags": ["x"]},
  {"id": 2, "title": "misspelt", "tgas": ["x"]},
  {"id": 3, "title": "two extras", "url": "u", "Tags": []}
]`,
    );
    const loaded = await readContent(file);
    expect(loaded.items.map((i) => i.item.id)).toEqual(["1"]);
    expect(loaded.problems.map((p) => p.location)).toEqual([
      { file, line: 3 },
      { file, line: 4 },
    ]);
    const [misspelt, extras] = loaded.problems.map((p) => p.message);
    expect(misspelt).toBe(
      'unknown field "tgas": the accepted names are id, title and optionally created_on, description, tags or tag; rename or remove it',
    );
    expect(extras).toMatch(/^unknown fields "url", "Tags": .*rename or remove them$/);
  });

  it("refuses a record with both tags and tag, saying to keep one; a null one is not given", async () => {
    const file = await fixture(
      "both.json",
      '[{"id": 1, "title": "a", "tags": ["x"], "tag": "y"}, {"id": 2, "title": "b", "tags": null, "tag": "y"}]',
    );
    const loaded = await readContent(file);
    expect(loaded.items.map((i) => i.item.id)).toEqual(["2"]);
    expect(loaded.problems).toEqual([
      {
        location: { file, line: 1 },
        message: expect.stringMatching(/^item 1: both tags and tag .*keep one/),
      },
    ]);
  });

  it("throws on malformed JSON, naming file and line", async () => {
    const file = await fixture(
      "malformed.json",
      '[\n  {"id": 1, "title": "a"},\n  {"id": 2, "title": }\n]',
    );
    const error = await rejected(readContent(file));
    expect(error.code).toBe("malformed_input");
    expect(error.location).toMatchObject({ file, line: 3 });
  });

  it("throws when the top level is not an array", async () => {
    const file = await fixture("object.json", '{"id": 1, "title": "a"}');
    const error = await rejected(readContent(file));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/JSON array/);
  });

  it("throws file_not_found for a missing file or a directory", async () => {
    expect((await rejected(readContent(join(dir, "nope.json")))).code).toBe("file_not_found");
    const sub = join(dir, "folder.csv");
    await mkdir(sub);
    expect((await rejected(readContent(sub))).code).toBe("file_not_found");
    // Named as a directory, whatever its name says, not as a file of no known format.
    const plain = join(dir, "folder");
    await mkdir(plain);
    expect((await rejected(readContent(plain))).message).toMatch(/is a directory/);
  });
});

describe("readContent: JSON Lines", () => {
  it("streams a large file", async () => {
    const n = 50_000;
    const lines = Array.from(
      { length: n },
      (_, i) => `{"id": ${i + 1}, "title": "item number ${i + 1}", "tags": ["t${i % 7}"]}`,
    );
    const file = await fixture("large.jsonl", `${lines.join("\n")}\n`);
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([]);
    expect(loaded.items).toHaveLength(n);
    expect(loaded.items[n - 1]).toMatchObject({
      item: { id: String(n), title: `item number ${n}`, tags: [`t${(n - 1) % 7}`] },
      origin: { line: n },
    });
  });

  it("reports a malformed line at its line number and loads the others; blank lines are skipped", async () => {
    const file = await fixture(
      "mixed.jsonl",
      [
        '{"id": 1, "title": "first"}',
        "",
        '{"id": 2, "title": }',
        "   ",
        '{"id": 3, "title": "third"}',
        '{"id": 4}',
        "[1, 2]",
        '{"id": 5, "title": "fifth"}',
      ].join("\n"),
    );
    const loaded = await readContent(file);
    expect(loaded.items.map((i) => [i.item.id, i.origin.line])).toEqual([
      ["1", 1],
      ["3", 5],
      ["5", 8],
    ]);
    expect(loaded.problems.map((p) => p.location.line)).toEqual([3, 6, 7]);
    expect(loaded.problems[0]?.message).toMatch(/^malformed JSON/);
    expect(loaded.problems[1]?.message).toMatch(/^title: /);
    expect(loaded.problems[2]?.message).toMatch(/expected an object/);
  });

  it("keeps problem messages free of the location even when the path has spaces", async () => {
    const sub = join(dir, "my data");
    await mkdir(sub, { recursive: true });
    const file = join(sub, "x y.jsonl");
    await writeFile(file, '{"id": 1, "title": "a"}\n{"id": 2,, "title": "b"}\n');
    const loaded = await readContent(file);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]?.location).toEqual({ file, line: 2 });
    expect(loaded.problems[0]?.message).toMatch(/^malformed JSON/);
    expect(loaded.problems[0]?.message).not.toContain(file);
  });

  it("drops a byte-order mark and reads CRLF line endings", async () => {
    const file = await fixture(
      "bom.jsonl",
      '\ufeff{"id": 1, "title": "a"}\r\n{"id": 2, "title": "b"}\r\n',
    );
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([]);
    expect(loaded.items.map((i) => [i.item.id, i.item.title, i.origin.line])).toEqual([
      ["1", "a", 1],
      ["2", "b", 2],
    ]);
  });
});

describe("readContent: fields", () => {
  it("says an empty id in CSV must not be empty, at its line", async () => {
    const file = await fixture("empty-id.csv", "id,title,tags\n,Hello,nlp\n2,World,nlp\n");
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([
      { location: { file, line: 2 }, message: "id: must not be empty" },
    ]);
  });

  it("names the item in a JSON array written on one line, and a title of another type as that", async () => {
    const file = await fixture(
      "minified.json",
      '[{"id": 1, "title": "a"}, {"id": 2}, {"id": 3, "title": 5}]',
    );
    expect((await readContent(file)).problems).toEqual([
      { location: { file, line: 1 }, message: "item 2: title: required: a string" },
      { location: { file, line: 1 }, message: "item 3: title: must be a string" },
    ]);
  });

  it("places each item of a JSON array written on one line by its place in the array, as problems there are", async () => {
    const oneLine = await fixture(
      "one-line.json",
      '[{"id": 1, "title": "a"}, {"id": 1, "title": "b"}]',
    );
    expect((await readContent(oneLine)).items.map((i) => i.origin)).toEqual([
      { file: oneLine, line: 1, item: 1 },
      { file: oneLine, line: 1, item: 2 },
    ]);
    // One item on a line: the line names it.
    const pretty = await fixture(
      "pretty.json",
      '[\n  {"id": 1, "title": "a"},\n  {"id": 2, "title": "b"}\n]\n',
    );
    expect((await readContent(pretty)).items.map((i) => i.origin)).toEqual([
      { file: pretty, line: 2 },
      { file: pretty, line: 3 },
    ]);
  });

  it("names an unknown field in JSON Lines at its line", async () => {
    const file = await fixture(
      "fields.jsonl",
      '{"id": 1, "title": "a"}\n{"id": 2, "titel": "b"}\n',
    );
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([
      {
        location: { file, line: 2 },
        message: expect.stringMatching(/^unknown field "titel": .*; title: required/),
      },
    ]);
  });

  it("refuses tags given as one string in JSON and JSON Lines, naming the field and the item; CSV splits it", async () => {
    const json = await fixture(
      "string-tags.json",
      '[\n{"id": 1, "title": "a", "tags": ["nlp"]},\n{"id": 7, "title": "b", "tags": "nlp, cv"}\n]',
    );
    const jsonl = await fixture("string-tags.jsonl", '{"id": "x", "title": "a", "tags": "nlp"}\n');
    const message = (id: string, tags: string, list: string) =>
      `tags: must be a list of strings, e.g. ${list}, not the string "${tags}" (item ${id}): only a CSV cell lists tags in one string`;
    const fromJson = await readContent(json);
    expect(fromJson.items.map((i) => i.item.id)).toEqual(["1"]);
    expect(fromJson.problems).toEqual([
      { location: { file: json, line: 3 }, message: message("7", "nlp, cv", '["nlp","cv"]') },
    ]);
    expect((await readContent(jsonl)).problems).toEqual([
      { location: { file: jsonl, line: 1 }, message: message("x", "nlp", '["nlp"]') },
    ]);
    const csv = await fixture("string-tags.csv", 'id,title,tags\n7,b,"nlp, cv"\n');
    expect((await readContent(csv)).items[0]?.item.tags).toEqual(["nlp", "cv"]);
  });
});

describe("readContent: the data tagsmith ships with and is tested on", () => {
  it("loads every record of the shared Made With ML files and the bundled sample, with no problems", async () => {
    for (const [file, items, labelMode] of [
      [mwmlFile("projects.json"), 1727, "multi"],
      [mwmlFile("dataset.csv"), 764, "single"],
      [mwmlFile("holdout.csv"), 191, "single"],
      [SAMPLE_CONTENT, 80, "multi"],
    ] as const) {
      if (!file) continue;
      const loaded = await readContent(file);
      expect(loaded.problems, file).toEqual([]);
      expect(loaded.items, file).toHaveLength(items);
      expect(loaded.labelMode, file).toBe(labelMode);
    }
  });
});

describe("readContent: no items", () => {
  it("throws for a file with no records, whatever its format, naming the file", async () => {
    for (const [name, content, message] of [
      ["empty.json", "", /^the file is empty: expected a JSON array/],
      ["blank.json", " \n", /^the file is empty: expected a JSON array/],
      ["array.json", "[]", /^no content items in the file: add at least one/],
      ["empty.jsonl", "", /^no content items in the file/],
      ["blank.jsonl", "\n\n", /^no content items in the file/],
      ["empty.csv", "", /^the file is empty: a CSV needs a header line/],
      ["header.csv", "id,title\n", /^no content items in the file/],
    ] as const) {
      const file = await fixture(name, content);
      const error = await rejected(readContent(file));
      expect(error.code, name).toBe("invalid_input");
      expect(error.location, name).toEqual({ file });
      expect(error.message.slice(file.length + 2), name).toMatch(message);
    }
  });

  it("reports records that are all bad rather than throwing, so the report lists them", async () => {
    const file = await fixture("all-bad.jsonl", '{"id": 1}\n{"title": "x"}\n');
    const loaded = await readContent(file);
    expect(loaded.items).toEqual([]);
    expect(loaded.problems).toHaveLength(2);
  });
});

describe("readContent: CSV", () => {
  it("reads quoted fields with commas, doubled quotes and newlines, reporting each record's first line", async () => {
    const file = await fixture(
      "quoted.csv",
      [
        "id,created_on,title,description,tags",
        '1,2020-02-17 06:30:41,"Show, Infer & Tell","He said ""hi"", twice.",code|pytorch',
        '2,,"A title',
        'on two lines",,"nlp, transformers"',
        "",
        '3,,Plain,"first',
        "second",
        'third","[""a"",""b""]"',
        "4,,Last,,",
      ].join("\n"),
    );
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([]);
    expect(loaded.items.map((i) => [i.item.id, i.origin.line])).toEqual([
      ["1", 2],
      ["2", 3],
      ["3", 6],
      ["4", 9],
    ]);
    const [one, two, three, four] = loaded.items.map((i) => i.item);
    expect(one).toEqual({
      id: "1",
      createdOn: "2020-02-17T06:30:41.000Z",
      title: "Show, Infer & Tell",
      description: 'He said "hi", twice.',
      tags: ["code", "pytorch"],
    });
    expect(two?.title).toBe("A title on two lines");
    expect(two?.tags).toEqual(["nlp", "transformers"]);
    expect(two?.createdOn).toBeNull();
    expect(three?.description).toBe("first second third");
    expect(three?.tags).toEqual(["a", "b"]);
    expect(four?.tags).toEqual([]);
  });

  it("splits tag cells on pipes, commas, semicolons or as a JSON list", async () => {
    const file = await fixture(
      "tags.csv",
      [
        "id,title,tags",
        "1,a,a|b",
        '2,b,"a, b"',
        "3,c,a;b",
        '4,d,"[""a"",""b""]"',
        '5,e," a | b |"',
      ].join("\n"),
    );
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([]);
    for (const { item } of loaded.items) expect(item.tags, item.id).toEqual(["a", "b"]);
  });

  it("drops a byte-order mark and reads CRLF line endings, also inside quoted fields", async () => {
    const file = await fixture(
      "windows.csv",
      ["\ufeffid,title,tags", '1,"a\r\nb",x', "", '2,"c\r\nd\r\ne",y', "3,f,z"].join("\r\n"),
    );
    const loaded = await readContent(file);
    expect(loaded.problems).toEqual([]);
    expect(loaded.items.map((i) => [i.item.id, i.item.title, i.origin.line])).toEqual([
      ["1", "a b", 2],
      ["2", "c d e", 5],
      ["3", "f", 8],
    ]);
  });

  it("gives labelMode single for a `tag` column, multi for `tags`", async () => {
    const single = await fixture("single.csv", "id,title,tag\n1,a,computer-vision\n2,b,other\n");
    const loaded = await readContent(single);
    expect(loaded.labelMode).toBe("single");
    expect(loaded.items.map((i) => i.item.tags)).toEqual([["computer-vision"], ["other"]]);
    const multi = await fixture("multi.csv", "id,title,tags\n1,a,computer-vision\n");
    expect((await readContent(multi)).labelMode).toBe("multi");
  });

  it("refuses a file whose items mix one `tag` and `tags`, naming both; an item with neither changes no kind", async () => {
    const mixed = await fixture(
      "mixed.jsonl",
      '{"id": 1, "title": "a", "tag": "other"}\n{"id": 2, "title": "b"}\n{"id": 3, "title": "c", "tags": ["x"]}\n',
    );
    const loaded = await readContent(mixed);
    expect(loaded.items.map((i) => i.item.id)).toEqual(["1", "2"]);
    expect(loaded.problems).toEqual([
      {
        location: { file: mixed, line: 3 },
        message:
          "`tags` (several) where line 1 has `tag`: a file holds items of one kind; write every item one way, or split the file",
      },
    ]);
    // A single-label file with an unlabeled item is still single-label (it read as multi-label).
    expect(loaded.labelMode).toBe("single");
    await expect(loadContent(mixed)).rejects.toThrow(/`tags` \(several\) where line 1 has `tag`/);
  });

  it("names a missing column at line 1, with or without rows", async () => {
    for (const content of ["id,name,tags\n1,a,b\n", "id,name\n", "title,tags\nx,y\n"]) {
      const file = await fixture("columns.csv", content);
      const error = await rejected(readContent(file));
      expect(error.code).toBe("invalid_input");
      expect(error.location).toEqual({ file, line: 1 });
      expect(error.message).toMatch(/missing column/);
      expect(error.message).toContain(content.includes("name") ? "title" : "id");
    }
  });

  it("refuses an unknown column at line 1, naming it and the accepted names, with or without rows", async () => {
    for (const content of ["id,title,foo\n1,hello world,x\n", "id,title,foo\n"]) {
      const file = await fixture("unknown.csv", content);
      const error = await rejected(readContent(file));
      expect(error.code).toBe("invalid_input");
      expect(error.location).toEqual({ file, line: 1 });
      expect(error.message).toContain(
        'unknown column "foo": the accepted names are id, title and optionally created_on, description, tags or tag; rename or remove it (found: id, title, foo)',
      );
    }
  });

  it("refuses both a tags and a tag column, and a column given twice", async () => {
    const both = await fixture("both.csv", "id,title,tags,tag\n1,hello,a,b\n");
    const error = await rejected(readContent(both));
    expect(error.location).toEqual({ file: both, line: 1 });
    expect(error.message).toMatch(/both tags and tag are given: keep one/);
    const twice = await fixture("twice.csv", "id,title,tags,title\n1,a,x,b\n");
    expect((await rejected(readContent(twice))).message).toMatch(
      /column title appears more than once/,
    );
  });

  it("reports an unclosed quote at the line its record starts on", async () => {
    const file = await fixture("unclosed.csv", 'id,title\n1,ok\n2,"never closed\n3,x\n4,y\n');
    const error = await rejected(readContent(file));
    expect(error.code).toBe("malformed_input");
    expect(error.location).toEqual({ file, line: 3 });
    expect(error.message).toMatch(/malformed CSV/);
  });

  it("reports a quote inside an unquoted field at its line", async () => {
    const file = await fixture("opening.csv", 'id,title,tags\n1,a,x\n2,b,["a","b"]\n');
    const error = await rejected(readContent(file));
    expect(error.code).toBe("malformed_input");
    expect(error.location).toEqual({ file, line: 3 });
  });

  it("reports a record with too many fields at its line", async () => {
    const file = await fixture("fields.csv", 'id,title\r\n1,"a\r\nb"\r\n2,c,extra\r\n');
    const error = await rejected(readContent(file));
    expect(error.code).toBe("malformed_input");
    expect(error.location).toEqual({ file, line: 4 });
  });

  it("reports a bad date as a problem and keeps going", async () => {
    const file = await fixture(
      "dates.csv",
      [
        "id,created_on,title",
        "1,2020-02-17 06:30:41,ok",
        "2,yesterday,bad",
        "3,02/17/2020,ambiguous",
        "4,2020-02-30,no such day",
        "5,2020-02-17T06:30:41+02:00,with zone",
      ].join("\n"),
    );
    const loaded = await readContent(file);
    expect(loaded.items.map((i) => [i.item.id, i.item.createdOn])).toEqual([
      ["1", "2020-02-17T06:30:41.000Z"],
      ["5", "2020-02-17T04:30:41.000Z"],
    ]);
    expect(loaded.problems.map((p) => p.location.line)).toEqual([3, 4, 5]);
    for (const p of loaded.problems) expect(p.message).toMatch(/^created_on: /);
  });
});

describe("loadContent", () => {
  it("returns the items of a clean file", async () => {
    const file = await fixture("clean.jsonl", '{"id": 1, "title": "a", "tags": ["x"]}\n');
    expect(await loadContent(file)).toEqual({
      items: [{ id: "1", createdOn: null, title: "a", description: "", tags: ["x"] }],
      labelMode: "multi",
    });
  });

  it("throws the first problem with file:line, counting the others", async () => {
    const file = await fixture(
      "strict.json",
      '[\n  {"id": 1, "title": "a"},\n  {"id": 2, "title": 42},\n  {"id": 3}\n]',
    );
    const error = await rejected(loadContent(file));
    expect(error.code).toBe("invalid_input");
    expect(error.location).toEqual({ file, line: 3 });
    expect(error.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: title`),
    );
    expect(error.message).toContain("1 more");
  });

  it("rejects a file without items", async () => {
    for (const [name, content] of [
      ["empty.json", "[]"],
      ["empty.jsonl", "\n\n"],
      ["empty.csv", "id,title\n"],
      ["blank.json", ""],
      ["blank.csv", ""],
    ] as const) {
      const file = await fixture(name, content);
      const error = await rejected(loadContent(file));
      expect(error.code, name).toBe("invalid_input");
      expect(error.message).toMatch(/no content items|the file is empty/);
    }
  });
});
