import { describe, expect, it } from "vitest";
import { repeatedIds } from "./repeated-ids.js";

const items = (...ids: string[]) => ids.map((id) => ({ id }));

describe("repeatedIds", () => {
  it("finds ids repeated within a file and across files, in order of first appearance", () => {
    expect(
      repeatedIds([
        { file: "a.json", items: items("1", "2", "3", "2") },
        { file: "b.json", items: items("3", "4", "3") },
      ]),
    ).toEqual([
      { id: "2", count: 2, files: ["a.json"] },
      { id: "3", count: 3, files: ["a.json", "b.json"] },
    ]);
  });

  it("finds none when every id is distinct", () => {
    expect(repeatedIds([{ file: "a.json", items: items("1", "2") }])).toEqual([]);
  });
});
