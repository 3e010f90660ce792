import { describe, expect, it } from "vitest";
import { ContentDraft, ContentListQuery } from "./content-schemas.js";
import {
  MAX_AUTHOR_TAGS,
  MAX_CONTENT_DESCRIPTION_CHARS,
  MAX_CONTENT_PAGE,
  MAX_TAG_CHARS,
  MAX_TAG_QUERY_CHARS,
  MAX_TITLE_CHARS,
} from "./limits.js";
import { SuggestRequest, TagsQuery } from "./schemas.js";

const x = (n: number) => "x".repeat(n);
const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
/** Whether the service accepts `value` at the limit, and refuses it one past. */
const boundary = (accepts: (n: number) => boolean, limit: number) => [
  accepts(limit),
  accepts(limit + 1),
];

describe("the schemas refuse just past each limit the browser bundles keep to", () => {
  it("a title, a description, one tag and the number of tags of saved content", () => {
    const draft = (fields: Record<string, unknown>) =>
      ContentDraft.safeParse({ title: "t", ...fields }).success;
    expect(boundary((n) => draft({ title: x(n) }), MAX_TITLE_CHARS)).toEqual([true, false]);
    expect(boundary((n) => draft({ description: x(n) }), MAX_CONTENT_DESCRIPTION_CHARS)).toEqual([
      true,
      false,
    ]);
    expect(boundary((n) => draft({ tags: [x(n)] }), MAX_TAG_CHARS)).toEqual([true, false]);
    expect(boundary((n) => draft({ tags: tags(n) }), MAX_AUTHOR_TAGS)).toEqual([true, false]);
  });

  it("the chosen tags a suggest request sends (the widget reads the editor's chips)", () => {
    const suggest = (chosen: string[]) => SuggestRequest.safeParse({ title: "t", tags: chosen });
    expect(boundary((n) => suggest(tags(n)).success, MAX_AUTHOR_TAGS)).toEqual([true, false]);
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
