// Proposals as an overlay, and the overlay loader adding new tags while still refusing misspelt ones.

import { describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import type { TaxonomyChange } from "../store/index.js";
import { applyOverlay, TagOverlaySchema, Taxonomy } from "../taxonomy/index.js";
import { overlayFromChanges } from "./taxonomy-overlay.js";

let id = 0;
const change = (candidate: string, rest: Partial<TaxonomyChange>): TaxonomyChange => ({
  id: ++id,
  candidate,
  action: "alias",
  aliasOf: null,
  category: null,
  parents: [],
  proposer: "cara",
  status: "pending",
  createdAt: "2024-06-01T00:00:00.000Z",
  ...rest,
});

const base = [
  { tag: "transformers", aliases: ["transformer"], parents: [] },
  { tag: "natural-language-processing", aliases: ["nlp"], parents: [] },
];

describe("overlayFromChanges", () => {
  const overlay = overlayFromChanges([
    change("llm", { action: "alias", aliasOf: "transformers" }),
    change("retrieval-augmented-generation", {
      action: "approve",
      category: "methods",
      parents: ["natural-language-processing"],
    }),
    change("attention", { action: "alias", aliasOf: "transformers" }),
    change("text", { action: "alias", aliasOf: "natural-language-processing" }),
  ]);

  it("writes new tags as marked definitions first, then aliases grouped by their tag", () => {
    expect(overlay).toEqual([
      {
        tag: "retrieval-augmented-generation",
        new: true,
        aliases: [],
        parents: ["natural-language-processing"],
        category: "methods",
      },
      { tag: "natural-language-processing", aliases: ["text"] },
      { tag: "transformers", aliases: ["llm", "attention"] },
    ]);
  });

  it("loads as an overlay: the new tag is approved, the aliases resolve", () => {
    const entries = overlay.map((e) => TagOverlaySchema.parse(e));
    const taxonomy = new Taxonomy(applyOverlay(base, entries));
    expect(taxonomy.isApproved("retrieval-augmented-generation")).toBe(true);
    expect(taxonomy.get("retrieval-augmented-generation")?.category).toBe("methods");
    expect(taxonomy.ancestors("retrieval-augmented-generation")).toEqual([
      "natural-language-processing",
    ]);
    expect(taxonomy.resolve("LLM")).toBe("transformers");
    expect(taxonomy.resolve("text")).toBe("natural-language-processing");
  });

  it("still refuses an unmarked entry for an unknown tag, and a new tag the taxonomy has", () => {
    expect(() => applyOverlay(base, [{ tag: "tranformers", aliases: ["x"] }])).toThrow(
      TagsmithError,
    );
    expect(() => applyOverlay(base, [{ tag: "transformers", new: true }])).toThrow(
      /already has it/,
    );
  });
});
