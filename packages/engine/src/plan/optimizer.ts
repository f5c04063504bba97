// moved: execution/optimizer.ts (shim until every import is updated)
export * from '../execution/optimizer.js';
