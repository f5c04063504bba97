// moved: execution/push-down-predicates.ts (shim until every import is updated)
export * from '../execution/push-down-predicates.js';
