// A curator's proposal checked against the approved list: canonical names out, the field at fault named.

import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { checkProposal, ProposalRefused } from "./taxonomy-proposal.js";

const taxonomy = new Taxonomy([
  { tag: "computer-vision", aliases: ["cv"], parents: [] },
  { tag: "pytorch", aliases: ["torch"], parents: [] },
]);

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ProposalRefused) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("not refused");
};

describe("checkProposal", () => {
  it("names the tags it points to canonically", () => {
    expect(
      checkProposal(
        "microscopy",
        { action: "approve", parents: ["cv"], proposer: "cara" },
        taxonomy,
      ),
    ).toEqual({
      action: "approve",
      aliasOf: null,
      category: null,
      parents: ["computer-vision"],
      proposer: "cara",
    });
    expect(
      checkProposal(
        "torchvision",
        { action: "alias", alias_of: "Torch", proposer: "dan" },
        taxonomy,
      ),
    ).toEqual({
      action: "alias",
      aliasOf: "pytorch",
      category: null,
      parents: [],
      proposer: "dan",
    });
  });

  it("refuses a tag no text could name, one already approved, and unapproved tags pointed to, by field", () => {
    expect(
      refusal(() => checkProposal("🤖", { action: "approve", parents: [], proposer: "c" }, null)),
    ).toEqual({
      field: "tag",
      message:
        'tag: "🤖" has no letter or digit, so no text could ever name it: leave it unapproved',
    });
    expect(
      refusal(() =>
        checkProposal("CV", { action: "approve", parents: [], proposer: "c" }, taxonomy),
      ),
    ).toEqual({
      field: "tag",
      message: 'tag: "CV" is already approved (as "computer-vision"): nothing to propose',
    });
    expect(
      refusal(() =>
        checkProposal(
          "x-ray",
          { action: "approve", parents: ["cv", "optics"], proposer: "c" },
          taxonomy,
        ),
      ).field,
    ).toBe("parents[1]");
    expect(
      refusal(() =>
        checkProposal("x-ray", { action: "alias", alias_of: "optics", proposer: "c" }, taxonomy),
      ),
    ).toEqual({
      field: "alias_of",
      message: 'alias_of: "optics" is not an approved tag: name one on the approved list',
    });
  });

  it("stores what it points to as given when no approved list is at hand", () => {
    expect(
      checkProposal("x-ray", { action: "alias", alias_of: "optics", proposer: "c" }, null).aliasOf,
    ).toBe("optics");
  });
});
