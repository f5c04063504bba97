// moved: core/streaming-query-progress.ts (shim until every import is updated)
export * from '../core/streaming-query-progress.js';
