// manifest.json of a model directory: what a model was trained on, with what, and how to check model.bin. Defined
// once as a schema, so a manifest read back (hand-edited, from another tool, half-written) is checked field by field
// and named where it is wrong, not trusted as a cast.

import { z } from "zod";

/** One training data file as it was read: enough to find it again and to tell whether it changed. */
export const DataSourceSchema = z.object({
  /** Absolute path at training time. */
  path: z.string(),
  /** fingerprint() of the file's items alone. */
  fingerprint: z.string(),
  items: z.number().int().nonnegative(),
});
export type DataSource = z.infer<typeof DataSourceSchema>;

export const LABEL_MODES = ["multi", "single"] as const;

/** The fields tagsmith writes and reads; a manifest read back is checked against it and kept as written. */
export const ModelManifestSchema = z.object({
  formatVersion: z.number().int(),
  kind: z.string(),
  labelMode: z.enum(LABEL_MODES),
  /** sha256 of model.bin: a changed or damaged file is refused. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 hexadecimal digits"),
  modelBytes: z.number().int().nonnegative(),
  /** When training finished (ISO 8601, UTC). Absent in models trained before the registry. */
  createdAt: z.string().optional(),
  data: z.object({
    files: z.array(z.string()),
    fingerprint: z.string(),
    items: z.number().int().nonnegative(),
    /** Absent in models trained before the registry: such a model cannot be reproduced from its manifest. */
    sources: z.array(DataSourceSchema).optional(),
    dateRange: z.object({ from: z.string(), to: z.string() }).nullable().optional(),
  }),
  taxonomy: z.object({
    file: z.string().nullable(),
    fingerprint: z.string(),
    tags: z.number().int().nonnegative(),
    /** Absolute path of the taxonomy file; null when not given. */
    path: z.string().nullable().optional(),
    /** Absolute paths of the overlay files, in the order applied. */
    overlays: z.array(z.string()).optional(),
    /** The one overlay file of a model trained before several could be given (read by overlayFilesOf). */
    overlay: z.string().nullable().optional(),
  }),
  seed: z.number().int(),
  config: z.unknown(),
  tuning: z.unknown(),
  timings: z.unknown(),
  tagsmithVersion: z.string(),
  /** The code that trained the model: package version and git commit when run from a checkout. */
  code: z.object({ version: z.string(), commit: z.string().nullable() }).optional(),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** The overlay files a model's taxonomy was loaded with, in order, whichever way its manifest records them. */
export function overlayFilesOf(taxonomy: ModelManifest["taxonomy"]): string[] {
  return taxonomy.overlays ?? (taxonomy.overlay ? [taxonomy.overlay] : []);
}
