// moved: core/decimal.ts (shim until every import is updated)
export * from '../core/decimal.js';
