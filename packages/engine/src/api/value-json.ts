// moved: core/value-json.ts (shim until every import is updated)
export * from '../core/value-json.js';
