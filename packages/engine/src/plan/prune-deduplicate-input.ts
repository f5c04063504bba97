// moved: execution/prune-deduplicate-input.ts (shim until every import is updated)
export * from '../execution/prune-deduplicate-input.js';
