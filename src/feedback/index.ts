// The feedback loop's pure policy: how much content is reviewed, QA'd labels as a dataset, a curator's taxonomy
// proposal checked before it is stored, proposals as an overlay. It imports only types from store/, which applies
// the review policy inside its save transaction.
export {
  effectiveLabels,
  type LabelProvenance,
  provenanceDocument,
  provenanceFile,
  type QaDataset,
  qaDataset,
} from "./qa-labels.js";
export {
  CONFIDENT_SCORE,
  contentPosition,
  DEFAULT_REVIEW_POLICY,
  formatReviewPolicy,
  isSampled,
  parseReviewPolicy,
  type ReviewPolicy,
  sampledShare,
} from "./review-policy.js";
export { overlayFromChanges, type TagOverlay } from "./taxonomy-overlay.js";
export {
  checkProposal,
  type ProposalDraft,
  ProposalRefused,
} from "./taxonomy-proposal.js";
