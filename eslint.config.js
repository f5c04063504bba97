import tseslint from 'typescript-eslint';

/** Lint rules that keep the code's shape: no `any`, type-only imports, and the module borders. */
export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '.local/**', 'coverage/**', 'examples/**', 'scripts/**', '*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only the Kafka port's implementation knows the client library.
    files: ['packages/engine/src/**/*.ts', 'services/**/*.ts'],
    ignores: ['packages/engine/src/kafka/kafkajs-port.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'kafkajs', message: 'Use the Kafka port (kafka/kafka-port.ts).' }],
        patterns: [{ group: ['**/engine/src/**'], message: "Import 'sluice', not the engine's sources." }],
      }],
    },
  },
  {
    // The CommonJS modules put in kafkajs' place (kafka/kafkajs-fixes.ts) load kafkajs' own parts.
    files: ['packages/engine/src/kafka/kafkajs-*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plans, expressions, operators and the console format are pure: no I/O.
    files: ['packages/engine/src/plan/**/*.ts', 'packages/engine/src/console/**/*.ts', 'packages/engine/src/operators/**/*.ts', 'packages/engine/src/expressions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['kafkajs', 'ioredis', 'node:fs', 'node:net', 'node:fs/promises', 'node:child_process'],
      }],
    },
  },
);
