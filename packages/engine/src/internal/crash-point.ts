// moved: runtime/crash-point.ts (shim until every import is updated)
export * from '../runtime/crash-point.js';
