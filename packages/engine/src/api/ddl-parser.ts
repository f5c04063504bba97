// moved: expressions/ddl-parser.ts (shim until every import is updated)
export * from '../expressions/ddl-parser.js';
