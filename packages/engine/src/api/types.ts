// moved: core/types.ts (shim until every import is updated)
export * from '../core/types.js';
