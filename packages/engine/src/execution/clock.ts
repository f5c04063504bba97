// moved: core/clock.ts (shim until every import is updated)
export * from '../core/clock.js';
