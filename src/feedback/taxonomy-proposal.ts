// A curator's proposal for an unapproved tag, checked against the approved list before it is stored: the tag must be
// nameable and not approved already, and the tags it points to (alias_of, parents) approved, named canonically.

import { TagsmithError } from "../errors.js";
import type { TaxonomyProposal } from "../store/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { hasToken } from "../text/index.js";

/**
 * A proposal as a curator sends it (the API's field names; serve/review-schemas.ts validates its shape). A field added
 * there is stored only once checkProposal carries it over.
 */
export type ProposalDraft =
  | { action: "alias"; alias_of: string; proposer: string }
  | { action: "approve"; category?: string | null; parents: string[]; proposer: string };

/** Why a proposal cannot be stored: the field at fault and a message that says how to fix it. */
export class ProposalRefused extends TagsmithError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("invalid_input", `${field}: ${message}`);
    this.name = "ProposalRefused";
  }
}

/**
 * The proposal in the store's terms, its tag names made canonical. Without a taxonomy (no model loaded yet) the tags
 * it points to are stored as given, and checked again when the overlay is loaded.
 */
export function checkProposal(
  tag: string,
  draft: ProposalDraft,
  taxonomy: Taxonomy | null,
): TaxonomyProposal {
  // Tags and aliases are found in text by their tokens: a name with none ("..", an emoji) never would be.
  if (!hasToken(tag))
    throw new ProposalRefused(
      "tag",
      `"${tag}" has no letter or digit, so no text could ever name it: leave it unapproved`,
    );
  const already = taxonomy?.resolve(tag);
  if (already)
    throw new ProposalRefused(
      "tag",
      `"${tag}" is already approved (as "${already}"): nothing to propose`,
    );
  const approved = (name: string, field: string): string => {
    if (!taxonomy) return name;
    const found = taxonomy.resolve(name);
    if (!found)
      throw new ProposalRefused(
        field,
        `"${name}" is not an approved tag: name one on the approved list`,
      );
    return found;
  };
  if (draft.action === "alias")
    return {
      action: "alias",
      aliasOf: approved(draft.alias_of, "alias_of"),
      category: null,
      parents: [],
      proposer: draft.proposer,
    };
  return {
    action: "approve",
    aliasOf: null,
    category: draft.category ?? null,
    parents: draft.parents.map((p, i) => approved(p, `parents[${i}]`)),
    proposer: draft.proposer,
  };
}
