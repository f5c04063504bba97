// moved: core/options.ts (shim until every import is updated)
export * from '../core/options.js';
