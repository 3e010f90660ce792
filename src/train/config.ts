// Training configuration: written once as a schema, read from --config files, recorded in every manifest.

import { z } from "zod";
import { TagsmithError } from "../errors.js";
import { describeIssues, readJson } from "../files/index.js";
import {
  DEFAULT_TAGGER,
  TAGGER_KINDS,
  type TaggerKind,
  TaggerOptionsSchema,
} from "../taggers/index.js";

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
  if (!parsed.success) {
    // {"linear": {...}} at the top: the likeliest slip, so said with its fix.
    const misplaced =
      typeof value === "object" && value !== null
        ? Object.keys(TaggerOptionsSchema.shape).filter((key) => key in value)
        : [];
    const hint =
      misplaced.length > 0
        ? `; tagger options go under "options", as {"options": {"${misplaced[0]}": ...}}`
        : "";
    throw new TagsmithError(
      "invalid_input",
      `bad training config: ${describeIssues(parsed.error, TrainConfigSchema)}${hint}`,
      { file },
    );
  }
  namedTagger(parsed.data.tagger, { file });
  return parsed.data;
}

/**
 * The tagger a user named, in a config file or with an option (--tagger, --taggers); an unknown name is an error
 * saying where it was given, so a mistyped --tagger is not blamed on the config, and listing the taggers there are.
 */
export function namedTagger(
  name: string,
  given: { file: string } | { option: string },
): TaggerKind {
  const kind = TAGGER_KINDS[name];
  if (kind) return kind;
  const message = `unknown tagger "${name}": choose one of ${Object.keys(TAGGER_KINDS).join(", ")}`;
  throw "option" in given
    ? new TagsmithError("usage", `${given.option}: ${message}`)
    : new TagsmithError("invalid_input", message, given);
}

export async function loadTrainConfig(file?: string): Promise<TrainConfig> {
  return parseTrainConfig(file ? await readJson(file) : {}, file);
}
