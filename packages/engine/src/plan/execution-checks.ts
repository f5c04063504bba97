// moved: execution/execution-checks.ts (shim until every import is updated)
export * from '../execution/execution-checks.js';
