// A model as the service holds it: the loaded tagger and taxonomy, which model it is, and what routes need from
// it precomputed. Immutable: switching models replaces the whole object, so a request sees one model throughout.

import type { LoadedModel } from "../model/index.js";
import { modelRef } from "../registry/index.js";
import type { ModelRef } from "./schemas.js";
import { TagIndex } from "./tag-search.js";

export interface ServedModel extends LoadedModel {
  ref: ModelRef;
  /** The directory it was loaded from. */
  dir: string;
  tagIndex: TagIndex;
}

/** The id is the registry's version id, so a model has the same id served from a registry or a directory. */
export function servedModel(loaded: LoadedModel, dir: string): ServedModel {
  return {
    ...loaded,
    ref: modelRef(loaded.manifest),
    dir,
    tagIndex: new TagIndex(loaded.taxonomy),
  };
}
