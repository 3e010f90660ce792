// Loading a taxonomy file (Made With ML format plus optional category/description) and an optional overlay.

import { z } from "zod";
import { TagsmithError } from "../errors.js";
import {
  arrayElementLines,
  describeIssues,
  distinctFiles,
  parseJson,
  readText,
} from "../files/index.js";
import { normalizeText } from "../text/index.js";
import { checkTaxonomy } from "./check.js";
import { type TagDefinition, Taxonomy } from "./taxonomy.js";

/**
 * A tag name as data's tags are read (normalizeText: NFKC, whitespace folded, control characters dropped), so a
 * name saved decomposed (macOS writes "café" as e + U+0301) or across lines still names the tag the data's
 * (normalised) tags name; unnormalised, no item could carry it and every one went unscored.
 */
const tagName = z
  .string()
  .transform(normalizeText)
  .pipe(z.string().min(1, "must be a non-empty string"));

export const TagDefinitionSchema = z.strictObject({
  tag: tagName,
  aliases: z.array(tagName).default([]),
  parents: z.array(tagName).default([]),
  category: tagName.optional(),
  description: z.string().optional(),
});

/**
 * An overlay adds to tags already defined: aliases and parents are appended, category and description set. An
 * entry marked `"new": true` defines a tag the taxonomy lacks (an approved candidate, see feedback/); unmarked, an
 * unknown tag is refused, so a misspelt name is an error rather than a new tag.
 */
export const TagOverlaySchema = z.strictObject({
  tag: tagName,
  new: z.literal(true).optional(),
  aliases: z.array(tagName).optional(),
  parents: z.array(tagName).optional(),
  category: tagName.optional(),
  description: z.string().optional(),
});

async function loadEntries<T extends z.ZodType>(file: string, schema: T): Promise<z.output<T>[]> {
  const text = await readText(file);
  const data = parseJson(text, file);
  if (!Array.isArray(data)) {
    throw new TagsmithError(
      "invalid_taxonomy",
      'expected a JSON array of {"tag", "aliases", "parents"} objects',
      { file },
    );
  }
  // The likeliest wrong file: content (projects.json) given for the taxonomy beside it.
  const first: unknown = data[0];
  if (typeof first === "object" && first !== null && "title" in first && !("tag" in first)) {
    throw new TagsmithError(
      "invalid_taxonomy",
      'this is a content file (its entries have a title), not a taxonomy: give the approved tag list, a JSON array of {"tag", "aliases", "parents"} objects (tags.json beside projects.json, say)',
      { file },
    );
  }
  const lines = arrayElementLines(text);
  return data.map((entry, i) => {
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      throw new TagsmithError(
        "invalid_taxonomy",
        `tag entry ${i + 1}: ${describeIssues(parsed.error, schema)}`,
        { file, ...(lines[i] ? { line: lines[i] } : {}) },
      );
    }
    return parsed.data;
  });
}

export async function loadTagDefinitions(file: string): Promise<TagDefinition[]> {
  const definitions = await loadEntries(file, TagDefinitionSchema);
  // An empty approved list approves nothing: every suggestion would be dropped and every item left unscored.
  if (definitions.length === 0)
    throw new TagsmithError(
      "invalid_taxonomy",
      'no tags in the taxonomy: add at least one {"tag", "aliases", "parents"} entry',
      { file },
    );
  return definitions;
}

export function applyOverlay(
  definitions: readonly TagDefinition[],
  overlay: readonly z.output<typeof TagOverlaySchema>[],
  overlayFile = "overlay",
): TagDefinition[] {
  const merged = new Map(definitions.map((d) => [d.tag, { ...d }]));
  // New tags first, so entries anywhere in the file may add to them.
  for (const entry of overlay) {
    if (!entry.new) continue;
    if (merged.has(entry.tag))
      throw new TagsmithError(
        "invalid_taxonomy",
        `overlay adds "${entry.tag}" as new, but the taxonomy already has it: drop "new" to add to it`,
        { file: overlayFile },
      );
    merged.set(entry.tag, { tag: entry.tag, aliases: [], parents: [] });
  }
  for (const entry of overlay) {
    const def = merged.get(entry.tag);
    if (!def) {
      throw new TagsmithError(
        "invalid_taxonomy",
        `overlay names "${entry.tag}", which is not in the taxonomy: add the tag to the taxonomy first`,
        { file: overlayFile },
      );
    }
    if (entry.aliases) def.aliases = [...new Set([...def.aliases, ...entry.aliases])];
    if (entry.parents) def.parents = [...new Set([...def.parents, ...entry.parents])];
    if (entry.category !== undefined) def.category = entry.category;
    if (entry.description !== undefined) def.description = entry.description;
  }
  return [...merged.values()];
}

/**
 * Loads a taxonomy and applies the overlays given, in order: a later overlay can add to the tags an earlier one added
 * (categories, then a curator's reviewed changes). Validation is separate (checkTaxonomy).
 */
export async function loadTaxonomy(
  file: string,
  overlayFiles: readonly string[] = [],
): Promise<Taxonomy> {
  // Applied twice, an overlay's new tags would be refused as already there: the message would blame the file.
  await distinctFiles(overlayFiles, { noun: "overlay file", use: "applied", items: "entries" });
  let definitions = await loadTagDefinitions(file);
  for (const overlayFile of overlayFiles) {
    definitions = applyOverlay(
      definitions,
      await loadEntries(overlayFile, TagOverlaySchema),
      overlayFile,
    );
  }
  return new Taxonomy(definitions);
}

/**
 * A taxonomy with none of the errors `data validate` reports (cycles, a tag its own parent, duplicates, an alias of two
 * tags): a model trained on one would learn ancestors and aliases that mean nothing, so it is refused rather than
 * used with a warning no one reads.
 */
function usableTaxonomy(
  taxonomy: Taxonomy,
  file: string,
  overlayFiles: readonly string[],
): Taxonomy {
  const errors = checkTaxonomy(taxonomy.definitions).filter((f) => f.severity === "error");
  const [first] = errors;
  if (!first) return taxonomy;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  // Named by the taxonomy: an overlay only adds to it, and the finding may be in either.
  throw new TagsmithError(
    "invalid_taxonomy",
    `${first.message}${more}; tagsmith data validate --data <your data> --taxonomy ${file}${overlayFiles.map((o) => ` --overlay ${o}`).join("")} lists every problem`,
    { file },
  );
}

/**
 * The taxonomy file given, or without one a flat taxonomy of every label in the data, which is then the approved
 * list. An overlay adds to a taxonomy, so it needs one. A taxonomy with errors is refused unless `checked` is false.
 */
export async function loadTaxonomyOrLabels(
  file: string | undefined,
  overlayFiles: readonly string[],
  labels: () => Iterable<string>,
  { checked = true }: { checked?: boolean } = {},
): Promise<Taxonomy> {
  if (file) {
    const taxonomy = await loadTaxonomy(file, overlayFiles);
    return checked ? usableTaxonomy(taxonomy, file, overlayFiles) : taxonomy;
  }
  const [overlayFile] = overlayFiles;
  if (overlayFile) {
    throw new TagsmithError("usage", "--overlay needs --taxonomy: an overlay adds to a taxonomy", {
      file: overlayFile,
    });
  }
  return Taxonomy.fromLabels(labels());
}
