// Training configuration: written once as a schema, read from --config files, recorded in every manifest.

import { z } from "zod";
import { TagsmithError } from "../errors.js";
import { describeIssues, readJson } from "../files/index.js";
import { DEFAULT_TAGGER, TAGGER_KINDS } from "../taggers/index.js";
import { TaggerOptionsSchema } from "../taggers/options.js";

export const TrainConfigSchema = z.strictObject({
  /** Which tagger to train (see `tagsmith benchmark` for all). */
  tagger: z.string().default(DEFAULT_TAGGER),
  /** Suggestions per item the held-out metrics are scored at (thresholds are tuned for 5). */
  limit: z.number().int().min(1).max(20).default(5),
  /** Options of each tagger, e.g. {"linear": {"C": 10}}; unset ones keep their defaults. */
  options: TaggerOptionsSchema.default({}),
});

export type TrainConfig = z.infer<typeof TrainConfigSchema>;

export const DEFAULT_TRAIN_CONFIG: TrainConfig = TrainConfigSchema.parse({});

export function parseTrainConfig(value: unknown, file = "config"): TrainConfig {
  const parsed = TrainConfigSchema.safeParse(value);
  if (!parsed.success)
    throw new TagsmithError(
      "invalid_input",
      `bad training config: ${describeIssues(parsed.error)}`,
      { file },
    );
  if (!TAGGER_KINDS[parsed.data.tagger]) {
    throw new TagsmithError(
      "invalid_input",
      `unknown tagger "${parsed.data.tagger}": choose one of ${Object.keys(TAGGER_KINDS).join(", ")}`,
      { file },
    );
  }
  return parsed.data;
}

export async function loadTrainConfig(file?: string): Promise<TrainConfig> {
  return parseTrainConfig(file ? await readJson(file) : {}, file);
}
