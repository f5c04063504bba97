// moved: expressions/json-lines.ts (shim until every import is updated)
export * from '../expressions/json-lines.js';
