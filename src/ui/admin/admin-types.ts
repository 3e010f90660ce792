// The admin API's JSON as the console reads it, typed from the schemas the service validates with (type-only
// imports: nothing of zod reaches the bundle), so a schema change is met here once.

import type { z } from "zod";
import type { ModelVersions as ModelVersionsSchema } from "../../serve/model-routes.js";
import type {
  OnlineMetricsQuery,
  OnlineMetricsResponse,
} from "../../serve/online-metrics-routes.js";
import type {
  ReviewDecision as ReviewDecisionSchema,
  ReviewItem as ReviewItemSchema,
  ReviewPage as ReviewPageSchema,
  ReviewUndo as ReviewUndoSchema,
  TaxonomyCandidates as TaxonomyCandidatesSchema,
  TaxonomyChange as TaxonomyChangeSchema,
  TaxonomyProposal as TaxonomyProposalSchema,
} from "../../serve/review-schemas.js";

export type ModelVersions = z.infer<typeof ModelVersionsSchema>;
export type ModelVersion = ModelVersions["versions"][number];
export type DamagedVersion = ModelVersions["damaged"][number];

export type ReviewStatus = "pending" | "decided";
/** One question for a reviewer (does `tag` belong to this content?), and its answer once decided. */
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
export type ReviewPage = z.infer<typeof ReviewPageSchema>;
export type ReviewDecision = z.input<typeof ReviewDecisionSchema>;
export type ReviewUndo = z.input<typeof ReviewUndoSchema>;

export type OnlineMetrics = OnlineMetricsResponse;
/** The online metrics of one group (a model, a tag, the first day of a day or week) or of everything. */
export type MetricsRow = OnlineMetrics["overall"];
export type MetricsQuery = OnlineMetricsQuery;
export type MetricsGrouping = NonNullable<MetricsQuery["by"]>;

/** Tags authors typed that are not approved, ranked by use: candidates for the taxonomy. */
export type TaxonomyCandidates = z.infer<typeof TaxonomyCandidatesSchema>;
export type TaxonomyCandidate = TaxonomyCandidates["candidates"][number];
export type TaxonomyProposal = z.input<typeof TaxonomyProposalSchema>;
export type TaxonomyChange = z.infer<typeof TaxonomyChangeSchema>;
