// moved: expressions/csv-lines.ts (shim until every import is updated)
export * from '../expressions/csv-lines.js';
