// moved: execution/plan-validator.ts (shim until every import is updated)
export * from '../execution/plan-validator.js';
