// moved: expressions/record-parser.ts (shim until every import is updated)
export * from '../expressions/record-parser.js';
