// The content and feedback routes: a few lines each over the content store (store/) and content.ts's mapping.

import type { FastifyRequest } from "fastify";
import type { ContentStore } from "../store/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import type { ServiceApp } from "./app.js";
import {
  toApiContent,
  toApiVersion,
  toStoreDraft,
  toStoreEvent,
  unapprovedEventTag,
} from "./content.js";
import {
  CONTENT_BODY_LIMIT,
  Content,
  ContentCreateHeaders,
  ContentDraft,
  ContentList,
  ContentListQuery,
  ContentParams,
  ContentUpdate,
  ContentVersions,
  FeedbackRequest,
  FeedbackResponse,
  MAX_FEEDBACK_EVENTS,
  OpenedContent,
} from "./content-schemas.js";
import { ApiError, eventIdsReused, requireStore } from "./errors.js";
import {
  E404,
  E409,
  E409_CREATE_KEY,
  E409_EVENT_ID,
  json,
  STORE_BODY_ERRORS,
  STORE_QUERY_ERRORS,
} from "./responses.js";

export interface ContentRouteOptions {
  /** The content store; null when the service runs without one (`--no-store`). */
  store: ContentStore | null;
  /** The approved list the author's tags are checked against: the model's (503 until one is loaded). */
  taxonomy: (request: FastifyRequest) => Taxonomy;
}

export function registerContentRoutes(app: ServiceApp, options: ContentRouteOptions): void {
  const store = (): ContentStore =>
    requireStore(options.store, "content and feedback are not kept");
  const notFound = (id: number) =>
    new ApiError("not_found", `no content with id ${id}: list saved content with GET /v1/content`, {
      field: "id",
    });

  app.post(
    "/v1/content",
    {
      bodyLimit: CONTENT_BODY_LIMIT,
      schema: {
        tags: ["content"],
        summary: "Save new content",
        description:
          "Stores the content with its tags (approved ones under their name, others kept and listed as unapproved), links the editing session's suggestion events to it, and records the final tags. All or nothing. With an Idempotency-Key, a save sent again is answered with the content the first made and records nothing again.",
        headers: ContentCreateHeaders,
        body: ContentDraft,
        response: {
          201: json(
            "The saved content, version 1 (or, for a key sent before, as it is now)",
            Content,
            { Location: { type: "string", description: "the content's URL, /v1/content/{id}" } },
          ),
          409: E409_CREATE_KEY,
          ...STORE_BODY_ERRORS,
        },
      },
    },
    async (request, reply) => {
      // The store first: without one (--no-store) a save never succeeds, whereas a model not loaded yet soon will.
      const content = store();
      const saved = await content.create(toStoreDraft(request.body, options.taxonomy(request)), {
        key: request.headers["idempotency-key"],
      });
      return reply
        .code(201)
        .header("location", `/v1/content/${saved.id}`)
        .send(toApiContent(saved));
    },
  );

  app.get(
    "/v1/content",
    {
      schema: {
        tags: ["content"],
        summary: "List saved content",
        querystring: ContentListQuery,
        response: { 200: json("A page of content", ContentList), ...STORE_QUERY_ERRORS },
      },
    },
    async (request) => {
      const page = await store().list(request.query);
      return { items: page.items.map(toApiContent), total: page.total };
    },
  );

  app.get(
    "/v1/content/:id",
    {
      schema: {
        tags: ["content"],
        summary: "Read saved content",
        params: ContentParams,
        response: {
          200: json("The content, with the tags reported for it", OpenedContent),
          404: E404,
          ...STORE_QUERY_ERRORS,
        },
      },
    },
    async (request) => {
      const [content, reported] = await Promise.all([
        store().get(request.params.id),
        store().reportedTags(request.params.id),
      ]);
      if (!content) throw notFound(request.params.id);
      return { ...toApiContent(content), reported_tags: reported };
    },
  );

  app.put(
    "/v1/content/:id",
    {
      bodyLimit: CONTENT_BODY_LIMIT,
      schema: {
        tags: ["content"],
        summary: "Save a new version of content",
        description:
          "With `version`, refused (409) if the content changed since that version. Every version is kept. A save whose values (title, description, tags, unapproved tags, author) are those of the current version changes nothing: it is answered with the content as it is (no new version; also when `version` is an older one, as nothing is overwritten), records no save (no saved or dismissed events, no review items), and only links its session's events to the content.",
        params: ContentParams,
        body: ContentUpdate,
        response: {
          200: json(
            "The saved content, or the content as it is when the save changed nothing",
            Content,
          ),
          404: E404,
          409: E409,
          ...STORE_BODY_ERRORS,
        },
      },
    },
    async (request) => {
      const { version, ...body } = request.body;
      const content = store();
      const draft = toStoreDraft(body, options.taxonomy(request));
      return toApiContent(await content.update(request.params.id, draft, version));
    },
  );

  app.get(
    "/v1/content/:id/versions",
    {
      schema: {
        tags: ["content"],
        summary: "Every saved version of content",
        params: ContentParams,
        response: {
          200: json("Versions, oldest first", ContentVersions),
          404: E404,
          ...STORE_QUERY_ERRORS,
        },
      },
    },
    async (request) => {
      const versions = await store().versions(request.params.id);
      if (versions.length === 0) throw notFound(request.params.id);
      return { id: request.params.id, versions: versions.map(toApiVersion) };
    },
  );

  app.post(
    "/v1/feedback",
    {
      bodyLimit: CONTENT_BODY_LIMIT,
      schema: {
        tags: ["feedback"],
        summary: "Record what the author did with suggestions",
        description: `1 to ${MAX_FEEDBACK_EVENTS} events (shown, accepted, reported) about approved tags (any case, or an alias: stored under the approved name), stored together or not at all (but for ids reused, below). Each has a client-chosen \`id\`, unique per event: an event sent again (the same values under the same id) is stored once, so clients may retry freely. An id stored before for another event (other values) is refused with 409 naming it, and that event is not stored; the batch's other events are, so none is lost, and the batch sent again with new ids for the refused events stores each once. An event joins content: the \`content_id\` it names; else the content its \`session\` was already saved with (a report sent after the save is queued for review all the same); else the content a later save of its session goes to. A \`content_id\` no saved content has refuses nothing: the event is stored without content and the id is listed in \`unknown_content_ids\`.`,
        body: FeedbackRequest,
        response: {
          200: json("Stored", FeedbackResponse),
          409: E409_EVENT_ID,
          ...STORE_BODY_ERRORS,
        },
      },
    },
    async (request) => {
      const feedback = store();
      const taxonomy = options.taxonomy(request);
      const unapproved = unapprovedEventTag(request.body.events, taxonomy);
      if (unapproved)
        throw new ApiError(
          "invalid_request",
          `${unapproved.field}: "${unapproved.tag}" is neither an approved tag nor an alias of one: feedback is about suggested tags, which always are (send the suggestion's tag as it came)`,
          { field: unapproved.field },
        );
      const recorded = await feedback.recordFeedback(
        request.body.events.map((event) => toStoreEvent(event, taxonomy)),
      );
      if (recorded.conflicts.length > 0) throw eventIdsReused(recorded);
      return {
        stored: recorded.stored,
        duplicates: recorded.duplicates,
        unknown_content_ids: recorded.unknownContentIds,
      };
    },
  );
}
