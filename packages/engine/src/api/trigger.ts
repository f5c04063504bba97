// moved: core/trigger.ts (shim until every import is updated)
export * from '../core/trigger.js';
