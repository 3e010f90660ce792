// The approved tag list: load, look up, check.
export { checkTaxonomy, type Severity, type TaxonomyFinding } from "./check.js";
export {
  applyOverlay,
  loadTagDefinitions,
  loadTaxonomy,
  loadTaxonomyOrLabels,
  TagDefinitionSchema,
  TagOverlaySchema,
} from "./load.js";
export { type TagDefinition, Taxonomy } from "./taxonomy.js";
