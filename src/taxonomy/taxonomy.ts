// The approved tag list: lookup by tag or alias, and ancestors through parents. Pure: built from plain definitions.

import { tagKey } from "../text/index.js";

export interface TagDefinition {
  tag: string;
  aliases: string[];
  parents: string[];
  category?: string;
  description?: string;
}

export class Taxonomy {
  readonly definitions: readonly TagDefinition[];
  private readonly byTag = new Map<string, TagDefinition>();
  private readonly byKey = new Map<string, string>();
  private readonly ancestorCache = new Map<string, readonly string[]>();

  constructor(definitions: readonly TagDefinition[]) {
    this.definitions = definitions;
    for (const def of definitions) if (!this.byTag.has(def.tag)) this.byTag.set(def.tag, def);
    // Tags win over aliases when keys collide; checkTaxonomy reports such collisions.
    for (const def of definitions) {
      for (const alias of def.aliases) {
        const key = tagKey(alias);
        if (!this.byKey.has(key)) this.byKey.set(key, def.tag);
      }
    }
    for (const def of definitions) this.byKey.set(tagKey(def.tag), def.tag);
  }

  /** A flat taxonomy of the given labels (no aliases, no parents): the approved list when none is given. */
  static fromLabels(labels: Iterable<string>): Taxonomy {
    return new Taxonomy(
      [...new Set(labels)].sort().map((tag) => ({ tag, aliases: [], parents: [] })),
    );
  }

  /** Approved tag names, in definition order. */
  get tags(): string[] {
    return [...this.byTag.keys()];
  }

  get size(): number {
    return this.byTag.size;
  }

  isApproved(tag: string): boolean {
    return this.byTag.has(tag);
  }

  get(tag: string): TagDefinition | undefined {
    return this.byTag.get(tag);
  }

  /** The approved tag a name or alias stands for, whatever its case or hyphen/underscore/space spelling. */
  resolve(nameOrAlias: string): string | undefined {
    return this.byKey.get(tagKey(nameOrAlias));
  }

  /**
   * Approved ancestors of a tag through parents, nearest first. Parents that are not approved tags are skipped
   * (they have no definition, hence no parents of their own); cycles are cut.
   */
  ancestors(tag: string): readonly string[] {
    const cached = this.ancestorCache.get(tag);
    if (cached) return cached;
    const seen = new Set<string>([tag]);
    const found: string[] = [];
    const queue = [...(this.byTag.get(tag)?.parents ?? [])];
    while (queue.length > 0) {
      const parent = queue.shift() as string;
      if (seen.has(parent)) continue;
      seen.add(parent);
      const def = this.byTag.get(parent);
      if (!def) continue;
      found.push(parent);
      queue.push(...def.parents);
    }
    this.ancestorCache.set(tag, found);
    return found;
  }

  /** The approved tags among `tags` (exact names) plus all their approved ancestors, sorted. */
  closure(tags: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const tag of tags) {
      if (!this.byTag.has(tag)) continue;
      out.add(tag);
      for (const ancestor of this.ancestors(tag)) out.add(ancestor);
    }
    return [...out].sort();
  }
}
