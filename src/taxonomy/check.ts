// Taxonomy validation: the problems a curator must fix, each naming the offending tags.

import { byCodeUnit, tagKey } from "../text/index.js";
import type { TagDefinition } from "./taxonomy.js";

export type Severity = "error" | "warning";

export interface TaxonomyFinding {
  severity: Severity;
  code:
    | "duplicate_tag"
    | "alias_is_tag"
    | "alias_of_two_tags"
    | "parent_cycle"
    | "parent_not_approved"
    | "self_parent"
    | "separator_in_name";
  message: string;
  tags: string[];
}

/**
 * Checks a tag list. Errors make lookups ambiguous (duplicates, alias collisions, cycles); a parent that is not an
 * approved tag is a warning, because gold labels simply skip it (the Made With ML list has five).
 */
export function checkTaxonomy(definitions: readonly TagDefinition[]): TaxonomyFinding[] {
  const findings: TaxonomyFinding[] = [];
  const tagByKey = new Map<string, string[]>();
  for (const def of definitions) {
    const key = tagKey(def.tag);
    tagByKey.set(key, [...(tagByKey.get(key) ?? []), def.tag]);
  }
  for (const [, tags] of tagByKey) {
    if (tags.length > 1) {
      findings.push({
        severity: "error",
        code: "duplicate_tag",
        message: `tag defined ${tags.length} times (${tags.map((t) => JSON.stringify(t)).join(", ")}): keep one definition and merge its aliases and parents`,
        tags: [...new Set(tags)],
      });
    }
  }

  const ownersByAlias = new Map<string, Set<string>>();
  for (const def of definitions) {
    for (const alias of def.aliases) {
      const key = tagKey(alias);
      const tagOwners = tagByKey.get(key);
      if (tagOwners && !tagOwners.includes(def.tag)) {
        findings.push({
          severity: "error",
          code: "alias_is_tag",
          message: `alias "${alias}" of "${def.tag}" is also the approved tag "${tagOwners[0]}": remove the alias or merge the two tags`,
          tags: [def.tag, ...tagOwners],
        });
      }
      const owners = ownersByAlias.get(key) ?? new Set<string>();
      owners.add(def.tag);
      ownersByAlias.set(key, owners);
    }
  }
  for (const [alias, owners] of ownersByAlias) {
    if (owners.size > 1) {
      const tags = [...owners];
      findings.push({
        severity: "error",
        code: "alias_of_two_tags",
        message: `alias "${alias}" belongs to ${tags.map((t) => `"${t}"`).join(" and ")}: an alias must name one tag`,
        tags,
      });
    }
  }

  const approved = new Set(definitions.map((d) => d.tag));
  const missingParents = new Map<string, string[]>();
  for (const def of definitions) {
    for (const parent of def.parents) {
      if (parent === def.tag) {
        findings.push({
          severity: "error",
          code: "self_parent",
          message: `"${def.tag}" lists itself as a parent`,
          tags: [def.tag],
        });
      } else if (!approved.has(parent)) {
        missingParents.set(parent, [...(missingParents.get(parent) ?? []), def.tag]);
      }
    }
  }
  for (const [parent, children] of [...missingParents].sort(([a], [b]) => byCodeUnit(a, b))) {
    const which = `parent "${parent}" of ${children.length} tag(s) (${children.slice(0, 5).join(", ")}${children.length > 5 ? ", ..." : ""})`;
    // A parent spelt as another name of an approved tag (its alias, or the tag in another case) was meant as that
    // tag: gold labels skip it all the same, since parents are read by name.
    const key = tagKey(parent);
    const owners = tagByKey.get(key) ?? [...(ownersByAlias.get(key) ?? [])];
    const meant = owners.length === 1 ? owners[0] : undefined;
    findings.push({
      severity: "warning",
      code: "parent_not_approved",
      message: meant
        ? `${which} is not an approved tag but another name of "${meant}": name "${meant}" as their parent`
        : `${which} is not an approved tag: approve it, or remove it from their parents`,
      tags: [parent],
    });
  }

  for (const def of definitions) {
    const separator = def.tag.match(/[,;|]/)?.[0];
    if (separator)
      findings.push({
        severity: "warning",
        code: "separator_in_name",
        message: `"${def.tag}" holds "${separator}", which separates tags in a CSV tags cell and in --tags: data can name it only as a JSON list (["${def.tag}"], in a CSV cell too); rename it to keep it out of such lists`,
        tags: [def.tag],
      });
  }

  for (const cycle of parentCycles(definitions)) {
    findings.push({
      severity: "error",
      code: "parent_cycle",
      message: `parents form a cycle: ${[...cycle, cycle[0]].join(" -> ")}`,
      tags: cycle,
    });
  }
  return findings;
}

/**
 * Each cycle in the parent graph once (Tarjan's strongly connected components of size > 1). A tag defined twice has
 * the parents of both definitions, so a duplicate cannot hide a cycle until it is merged.
 */
function parentCycles(definitions: readonly TagDefinition[]): string[][] {
  const parents = new Map<string, string[]>();
  for (const d of definitions)
    parents.set(d.tag, [...(parents.get(d.tag) ?? []), ...d.parents.filter((p) => p !== d.tag)]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;

  const visit = (tag: string): void => {
    index.set(tag, counter);
    low.set(tag, counter);
    counter++;
    stack.push(tag);
    onStack.add(tag);
    for (const parent of parents.get(tag) ?? []) {
      if (!parents.has(parent)) continue;
      if (!index.has(parent)) {
        visit(parent);
        low.set(tag, Math.min(low.get(tag) as number, low.get(parent) as number));
      } else if (onStack.has(parent)) {
        low.set(tag, Math.min(low.get(tag) as number, index.get(parent) as number));
      }
    }
    if (low.get(tag) === index.get(tag)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== tag);
      if (component.length > 1) cycles.push(component.reverse());
    }
  };
  for (const tag of parents.keys()) if (!index.has(tag)) visit(tag);
  return cycles;
}
