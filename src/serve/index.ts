// The prediction service: an HTTP API over the production model, following the registry as models are promoted.
export { buildApp, type HttpPolicy, type ServiceApp } from "./app.js";
export { BOOTSTRAP_SEED, ensureProductionModel, type TrainingData } from "./bootstrap.js";
export { API_STATUS, ApiError } from "./errors.js";
export { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT } from "./limits.js";
export { createLogger, LOG_LEVELS } from "./logger.js";
export { DEFAULT_POLL_MS, type ModelOrigin } from "./model-source.js";
export * as schemas from "./schemas.js";
export { listenRefusal, type RunningServer, type ServerOptions, startServer } from "./server.js";
export { type ServeOptions, serve } from "./service.js";
export { TagIndex } from "./tag-search.js";
