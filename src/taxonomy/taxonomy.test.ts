import { describe, expect, it } from "vitest";
import { checkTaxonomy } from "./check.js";
import { type TagDefinition, Taxonomy } from "./taxonomy.js";

const def = (tag: string, parents: string[] = [], aliases: string[] = []): TagDefinition => ({
  tag,
  aliases,
  parents,
});

describe("Taxonomy", () => {
  const taxonomy = new Taxonomy([
    def("natural-language-processing", [], ["nlp"]),
    def("transformers", ["attention"]),
    def("attention", ["natural-language-processing"]),
    def("question-answering", ["natural-language-processing", "qa"]),
  ]);

  it("resolves tags and aliases whatever their case and separators", () => {
    for (const name of [
      "NLP",
      "nlp",
      "Natural Language Processing",
      "natural_language-processing",
      " natural  language processing ",
    ]) {
      expect(taxonomy.resolve(name)).toBe("natural-language-processing");
    }
    expect(taxonomy.resolve("Question_Answering")).toBe("question-answering");
    expect(taxonomy.resolve("unknown")).toBeUndefined();
  });

  it("gives transitive approved ancestors, nearest first, skipping unapproved parents", () => {
    expect(taxonomy.ancestors("transformers")).toEqual([
      "attention",
      "natural-language-processing",
    ]);
    expect(taxonomy.ancestors("question-answering")).toEqual(["natural-language-processing"]);
  });

  it("closes a tag set under ancestors and drops unapproved tags", () => {
    expect(taxonomy.closure(["transformers", "code"])).toEqual([
      "attention",
      "natural-language-processing",
      "transformers",
    ]);
  });

  it("survives cycles", () => {
    const cyclic = new Taxonomy([def("a", ["b"]), def("b", ["a"])]);
    expect(cyclic.ancestors("a")).toEqual(["b"]);
  });
});

describe("checkTaxonomy", () => {
  const codes = (defs: TagDefinition[]) => checkTaxonomy(defs).map((f) => [f.code, f.tags.sort()]);

  it("finds nothing wrong in a clean list", () => {
    expect(checkTaxonomy([def("a", [], ["x"]), def("b", ["a"])])).toEqual([]);
  });

  it("reports duplicate tags, including spelling variants", () => {
    expect(codes([def("deep-learning"), def("Deep Learning")])).toEqual([
      ["duplicate_tag", ["Deep Learning", "deep-learning"]],
    ]);
  });

  it("warns of a tag name holding a separator of tag lists, which a CSV cell or --tags would split", () => {
    const findings = checkTaxonomy([def("ci|cd"), def("a,b"), def("plain")]);
    expect(findings.map((f) => [f.severity, f.code, f.tags])).toEqual([
      ["warning", "separator_in_name", ["ci|cd"]],
      ["warning", "separator_in_name", ["a,b"]],
    ]);
    expect(findings[0]?.message).toContain('as a JSON list (["ci|cd"]');
  });

  it("reports an alias that is another tag, and an alias of two tags", () => {
    expect(codes([def("a", [], ["b"]), def("b")])).toEqual([["alias_is_tag", ["a", "b"]]]);
    expect(codes([def("a", [], ["x"]), def("b", [], ["X"])])).toEqual([
      ["alias_of_two_tags", ["a", "b"]],
    ]);
  });

  it("reports cycles with their members, and self-parents", () => {
    const findings = checkTaxonomy([
      def("a", ["b"]),
      def("b", ["c"]),
      def("c", ["a"]),
      def("d", ["d"]),
    ]);
    expect(findings.map((f) => f.code).sort()).toEqual(["parent_cycle", "self_parent"]);
    expect(findings.find((f) => f.code === "parent_cycle")?.tags.sort()).toEqual(["a", "b", "c"]);
  });

  it("finds a cycle through a tag defined twice, whichever definition holds the parent", () => {
    for (const definitions of [
      [def("a", ["b"]), def("b", ["a"]), def("a", [])],
      [def("a", []), def("b", ["a"]), def("a", ["b"])],
    ])
      expect(
        checkTaxonomy(definitions)
          .map((f) => f.code)
          .sort(),
      ).toEqual(["duplicate_tag", "parent_cycle"]);
  });

  it("warns about parents that are not approved tags, naming them", () => {
    const findings = checkTaxonomy([
      def("music-generation", ["audio"]),
      def("stereo-matching", ["audio"]),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: "warning",
      code: "parent_not_approved",
      tags: ["audio"],
    });
    expect(findings[0]?.message).toContain("music-generation, stereo-matching");
    expect(findings[0]?.message).toContain("approve it, or remove it from their parents");
  });

  it("names the approved tag a parent spelt as its alias or in another case was meant to be", () => {
    const findings = checkTaxonomy([
      { tag: "question-answering", aliases: ["qa"], parents: [] },
      def("knowledge-base-question-answering", ["qa"]),
      def("vqa", ["Question Answering"]),
    ]);
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      [
        "parent_not_approved",
        'parent "Question Answering" of 1 tag(s) (vqa) is not an approved tag but another name of "question-answering": name "question-answering" as their parent',
      ],
      [
        "parent_not_approved",
        'parent "qa" of 1 tag(s) (knowledge-base-question-answering) is not an approved tag but another name of "question-answering": name "question-answering" as their parent',
      ],
    ]);
  });
});
