/** Jest: ESM TypeScript through ts-jest. Two projects: unit (beside the code) and integration (test/). */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^sluice$': '<rootDir>/packages/engine/src/index.ts',
    '^sluice/testing$': '<rootDir>/packages/engine/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // kafkajs internals, corrected (packages/engine/src/kafka/kafkajs-fixes.ts).
    '^\\./filterAbortedMessages$': '<rootDir>/packages/engine/src/kafka/kafkajs-aborted-filter.cjs',
    '^\\./groupMessagesPerPartition$': '<rootDir>/packages/engine/src/kafka/kafkajs-group-messages.cjs',
    '^\\.\\./\\.\\./\\.\\./recordBatch/record/v0$': '<rootDir>/packages/engine/src/kafka/kafkajs-record.cjs',
    '^\\.\\./record/v0/decoder$': '<rootDir>/packages/engine/src/kafka/kafkajs-record-decoder.cjs',
    '^\\.\\./\\.\\./\\.\\./recordBatch/v0/decoder$': '<rootDir>/packages/engine/src/kafka/kafkajs-record-batch-decoder.cjs',
    '^\\.\\./utils/sleep$': '<rootDir>/packages/engine/src/kafka/kafkajs-sleep.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
};

export default {
  // Integration tests wait on real brokers and processes; unit tests finish in milliseconds.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/services/*/src/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/services/*/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
