import { describe, expect, it } from "vitest";
import { ContentDraft, ContentListQuery } from "../../serve/content-schemas.js";
import { SuggestRequest, TagsQuery } from "../../serve/schemas.js";
import {
  MAX_CONTENT_PAGE,
  MAX_DESCRIPTION_CHARS,
  MAX_TAG_CHARS,
  MAX_TAG_QUERY_CHARS,
  MAX_TAGS,
  MAX_TITLE_CHARS,
} from "./content-limits.js";

const x = (n: number) => "x".repeat(n);
const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
/** Whether the service accepts `value` at the limit, and refuses it one past. */
const boundary = (accepts: (n: number) => boolean, limit: number) => [
  accepts(limit),
  accepts(limit + 1),
];

describe("the editor's limits are the service's", () => {
  it("a title, a description, one tag and the number of tags of saved content", () => {
    const draft = (fields: Record<string, unknown>) =>
      ContentDraft.safeParse({ title: "t", ...fields }).success;
    expect(boundary((n) => draft({ title: x(n) }), MAX_TITLE_CHARS)).toEqual([true, false]);
    expect(boundary((n) => draft({ description: x(n) }), MAX_DESCRIPTION_CHARS)).toEqual([
      true,
      false,
    ]);
    expect(boundary((n) => draft({ tags: [x(n)] }), MAX_TAG_CHARS)).toEqual([true, false]);
    expect(boundary((n) => draft({ tags: tags(n) }), MAX_TAGS)).toEqual([true, false]);
  });

  it("the chosen tags a suggest request sends (the widget reads the editor's chips)", () => {
    const suggest = (chosen: string[]) => SuggestRequest.safeParse({ title: "t", tags: chosen });
    expect(boundary((n) => suggest(tags(n)).success, MAX_TAGS)).toEqual([true, false]);
    expect(boundary((n) => suggest([x(n)]).success, MAX_TAG_CHARS)).toEqual([true, false]);
  });

  it("a tag search and a page of saved content", () => {
    expect(
      boundary((n) => TagsQuery.safeParse({ query: x(n) }).success, MAX_TAG_QUERY_CHARS),
    ).toEqual([true, false]);
    expect(
      boundary((n) => ContentListQuery.safeParse({ limit: String(n) }).success, MAX_CONTENT_PAGE),
    ).toEqual([true, false]);
  });
});
