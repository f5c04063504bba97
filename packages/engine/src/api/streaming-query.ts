// moved: core/streaming-query.ts (shim until every import is updated)
export * from '../core/streaming-query.js';
