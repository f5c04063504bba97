/**
 * The fault suite (`npm run test:faults`): heavy cases — floods of millions of lines, huge files,
 * broker outages — against the real broker and Redis, kept out of `npm test`. The integration
 * project's settings with its own files (`*.fault.ts`) and no default time limit per case.
 */
import { fileURLToPath } from 'node:url';
import base from '../../jest.config.js';

const rootDir = fileURLToPath(new URL('../..', import.meta.url));

const integration = base.projects.find((p) => p.displayName === 'integration');

export default {
  rootDir,
  testTimeout: 1_800_000,
  projects: [
    {
      ...integration,
      rootDir,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
    },
  ],
};
