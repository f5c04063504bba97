/** Helpers for tests of Sluice programs (grows with the stream-test DSL). */
export { consoleBatch, showString } from '../console/show-string.js';
