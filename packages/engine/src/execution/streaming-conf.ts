// moved: core/streaming-conf.ts (shim until every import is updated)
export * from '../core/streaming-conf.js';
