// What the content and feedback routes do between the API's JSON and the store: the author's tags sorted into
// approved (under their canonical name) and unapproved (kept as typed), and field names mapped both ways. Pure.

import type { Content, ContentDraft, ContentVersion, FeedbackEvent } from "../store/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { tagKey } from "../text/index.js";
import type {
  ApiContent,
  ContentDraft as ApiContentDraft,
  ApiContentVersion,
  ApiFeedbackEvent,
} from "./content-schemas.js";

/**
 * The author's tags against the approved list: a name or alias in any case becomes the approved tag's name; a tag
 * that is not approved is kept as typed (trimmed). Repeats (through aliases or case) are dropped, order is kept.
 */
export function sortAuthorTags(
  typed: readonly string[],
  taxonomy: Taxonomy,
): { tags: string[]; unapprovedTags: string[] } {
  const tags: string[] = [];
  const unapprovedTags: string[] = [];
  const seen = new Set<string>();
  for (const raw of typed) {
    const text = raw.trim();
    if (!text) continue;
    const approved = taxonomy.resolve(text);
    const key = approved ?? `unapproved:${tagKey(text)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (approved) tags.push(approved);
    else unapprovedTags.push(text);
  }
  return { tags, unapprovedTags };
}

export function toStoreDraft(body: ApiContentDraft, taxonomy: Taxonomy): ContentDraft {
  return {
    title: body.title,
    description: body.description,
    ...sortAuthorTags(body.tags, taxonomy),
    author: body.author ?? null,
    session: body.session ?? null,
  };
}

export function toApiContent(content: Content): ApiContent {
  return {
    id: content.id,
    title: content.title,
    description: content.description,
    tags: content.tags,
    unapproved_tags: content.unapprovedTags,
    author: content.author,
    version: content.version,
    created_at: content.createdAt,
    updated_at: content.updatedAt,
  };
}

export function toApiVersion(version: ContentVersion): ApiContentVersion {
  return {
    version: version.version,
    title: version.title,
    description: version.description,
    tags: version.tags,
    unapproved_tags: version.unapprovedTags,
    saved_at: version.savedAt,
  };
}

/**
 * Where an event names a tag that is not approved ("events[2].tag"), or null. Suggestions are approved tags, so
 * anything else is a client's mistake, and would fill the review queue with tags nobody suggested.
 */
export function unapprovedEventTag(
  events: readonly ApiFeedbackEvent[],
  taxonomy: Taxonomy,
): { field: string; tag: string } | null {
  for (const [i, event] of events.entries()) {
    if (event.type === "shown") {
      const j = event.suggestions.findIndex((s) => taxonomy.resolve(s.tag) === undefined);
      if (j >= 0)
        return { field: `events[${i}].suggestions[${j}].tag`, tag: event.suggestions[j].tag };
    } else if (taxonomy.resolve(event.tag) === undefined)
      return { field: `events[${i}].tag`, tag: event.tag };
  }
  return null;
}

/**
 * An event as the store keeps it, every tag under its approved name: a host may send any case or an alias, as content
 * tags may be ("Computer-Vision", "GANs"), and the metrics and review queue count one name per tag.
 */
export function toStoreEvent(event: ApiFeedbackEvent, taxonomy: Taxonomy): FeedbackEvent {
  // unapprovedEventTag has refused any tag that does not resolve.
  const approved = (tag: string) => taxonomy.resolve(tag) ?? tag;
  const base = {
    key: event.id,
    session: event.session ?? null,
    contentId: event.content_id ?? null,
    requestId: event.request_id ?? null,
    modelId: event.model?.id ?? null,
    modelVersion: event.model?.version ?? null,
    occurredAt: event.occurred_at ?? null,
  };
  switch (event.type) {
    case "shown":
      return {
        ...base,
        type: "shown",
        suggestions: event.suggestions.map((s) => ({ ...s, tag: approved(s.tag) })),
        latencyMs: event.latency_ms ?? null,
        chosen: event.chosen ? sortAuthorTags(event.chosen, taxonomy).tags : null,
      };
    case "accepted":
      return { ...base, type: "accepted", tag: approved(event.tag) };
    case "reported":
      return {
        ...base,
        type: "reported",
        tag: approved(event.tag),
        reason: event.reason,
        comment: event.comment ?? null,
      };
  }
}
