import { describe, expect, it } from "vitest";
import { contentText, parseCreatedOn, splitTagCell, toContentItem } from "./content.js";

describe("parseCreatedOn", () => {
  it("reads Made With ML's zone-less timestamps as UTC", () => {
    expect(parseCreatedOn("2020-02-17 06:30:41")).toBe("2020-02-17T06:30:41.000Z");
    expect(parseCreatedOn(" 2020-02-17T06:30 ")).toBe("2020-02-17T06:30:00.000Z");
    expect(parseCreatedOn("2020-02-17")).toBe("2020-02-17T00:00:00.000Z");
  });

  it("applies a zone written as Z, +hh:mm, +hhmm or +hh", () => {
    expect(parseCreatedOn("2020-02-17T06:30:41.250Z")).toBe("2020-02-17T06:30:41.250Z");
    expect(parseCreatedOn("2020-02-17T06:30:41+02:00")).toBe("2020-02-17T04:30:41.000Z");
    expect(parseCreatedOn("2020-02-17T06:30:41+0200")).toBe("2020-02-17T04:30:41.000Z");
    expect(parseCreatedOn("2020-02-17 06:30:41-05")).toBe("2020-02-17T11:30:41.000Z");
  });

  it("accepts 29 February in leap years only", () => {
    expect(parseCreatedOn("2020-02-29 00:00:00")).toBe("2020-02-29T00:00:00.000Z");
    expect(parseCreatedOn("2019-02-29")).toBeNull();
  });

  it("refuses what is not an ISO 8601 date, rather than guess in the machine's time zone", () => {
    for (const value of [
      "",
      "   ",
      "someday",
      "1",
      "2020",
      "02/17/2020",
      "Feb 17 2020",
      "2020-13-01",
      "2020-02-30",
      "2020-02-17T25:00:00",
      "2020-02-17T06:30:41+2",
    ]) {
      expect(parseCreatedOn(value), value).toBeNull();
    }
  });
});

describe("splitTagCell", () => {
  it("splits on commas, semicolons and pipes, or reads a JSON list", () => {
    expect(splitTagCell("a|b")).toEqual(["a", "b"]);
    expect(splitTagCell("a, b")).toEqual(["a", " b"]);
    expect(splitTagCell("a;b")).toEqual(["a", "b"]);
    expect(splitTagCell(' ["a, b", "c"] ')).toEqual(["a, b", "c"]);
    expect(splitTagCell("[not json")).toEqual(["[not json"]);
  });
});

describe("toContentItem", () => {
  it("normalises text and tags, drops empty and repeated tags, and turns ids into strings", () => {
    expect(
      toContentItem({
        id: 7,
        created_on: "2020-02-17 06:30:41",
        title: " \ufb01ne-tuning\u00a0 BERT ",
        description: null,
        tags: "nlp| nlp ||bert",
      }),
    ).toEqual({
      id: "7",
      createdOn: "2020-02-17T06:30:41.000Z",
      title: "fine-tuning BERT",
      description: "",
      tags: ["nlp", "bert"],
      // The text as written, for a file written from the item (data split's parts).
      asWritten: { title: " \ufb01ne-tuning\u00a0 BERT ", description: "" },
    });
  });

  it("takes a single `tag` when there is no `tags`, and treats an empty date as none", () => {
    expect(toContentItem({ id: "x", title: "t", tag: "other", created_on: " " })).toMatchObject({
      createdOn: null,
      tags: ["other"],
    });
  });

  it("returns a problem naming created_on for a bad date", () => {
    expect(toContentItem({ id: 1, title: "t", created_on: "yesterday" })).toMatch(
      /^created_on: "yesterday" is not a date/,
    );
  });
});

describe("contentText", () => {
  it("joins title and description, or gives the title alone", () => {
    expect(contentText({ title: "A", description: "B c." })).toBe("A. B c.");
    expect(contentText({ title: "A", description: "" })).toBe("A");
  });
});
