/**
 * The engine's layers (docs/architecture.md). A folder imports only folders in lower layers;
 * folders that share a layer do not import each other. `npm run lint:deps` (and scripts/test.sh)
 * fails on an upward import or an import circle.
 *
 * Circles: a circle of run-time imports is an error everywhere. `import type` is erased by tsc
 * (verbatimModuleSyntax), so a circle that closes only through type imports cannot break module
 * loading; below api/ even those are errors, and only the facade keeps them, because a fluent API
 * names its own types both ways (DataFrame.groupBy() is a GroupedData, GroupedData.agg() a DataFrame).
 */

/** Bottom first. */
const LAYERS = [
  ['errors'], // coded errors: import nothing
  ['core'], // values, data types, options, clock, session conf, query contracts
  ['internal'], // logger, secrets
  ['console'], // Spark's text form of values (show(), cast to string)
  ['expressions'], // expression trees, binder, functions, SQL/DDL parsing, text record parsing
  ['plan'], // logical plan nodes, their JSON form and tree string
  ['state'], // state stores, Redis keys and Lua
  ['checkpoint'], // offset and commit logs
  ['operators'], // pure physical operators, compile-plan
  ['kafka'], // the Kafka port
  ['sources'], // source options, offsets, decoding
  ['sinks'], // batch writers
  ['execution'], // plan validation, optimizer, a batch's run of the operators
  ['config'], // the services' configuration blocks
  ['observability'], // metrics, the live page, the ops server
  ['runtime'], // roles, ingest, the micro-batch loop, the query manager (role folders: runtimeRules)
  ['api'], // the user facade: SparkSession, DataFrame, readers, writers, functions
  ['cli', 'testing'], // entry points
];


const SRC = '^packages/engine/src/';
// Tests sit beside the code they test but may drive it through any layer (a SparkSession, the
// stream-test DSL), so the layer rules look at sources only.
const TESTS = '\\.test\\.ts$';

// errors/ and core/ have their own rules below (they may import even less).
const layerRules = LAYERS.flatMap((layer, i) => {
  if (i < 2) return [];
  const above = LAYERS.slice(i + 1).flat();
  return layer.map((folder) => {
    const forbidden = [...above, ...layer.filter((f) => f !== folder)];
    return {
      name: `layer-${folder}`,
      severity: 'error',
      comment: `${folder}/ may import only the layers below it: ${LAYERS.slice(0, i).flat().join(', ') || 'nothing'} (.dependency-cruiser.cjs LAYERS)`,
      from: { path: `${SRC}${folder}/`, pathNot: TESTS },
      to: { path: [`${SRC}(${forbidden.join('|')})/`, `${SRC}index\\.ts$`] },
    };
  });
});

/**
 * Inside runtime/ (docs/architecture.md): the role folders do not import each other — what two
 * roles share (topic names, the records of the source and results topics, offered offsets) sits
 * in runtime/ itself, below them — except that scale-out/ builds on processor/. The wiring that
 * starts the roles imports them all, so no role folder imports the wiring.
 */
const RUNTIME = `${SRC}runtime/`;
const ROLE_FOLDERS = { ingest: [], processor: [], sink: [], 'scale-out': ['processor'] };
const RUNTIME_WIRING = ['query-roles', 'role-service', 'query-manager', 'local-stack', 'local-streaming-query'];
const runtimeRules = Object.entries(ROLE_FOLDERS).map(([folder, mayImport]) => {
  const forbidden = Object.keys(ROLE_FOLDERS).filter((f) => f !== folder && !mayImport.includes(f));
  return {
    name: `runtime-${folder}`,
    severity: 'error',
    comment: `runtime/${folder}/ imports no other role folder${mayImport.length > 0 ? ` but ${mayImport.join(', ')}/` : ''} and not the wiring (${RUNTIME_WIRING.join(', ')}): move what roles share into runtime/ itself (.dependency-cruiser.cjs ROLE_FOLDERS)`,
    from: { path: `${RUNTIME}${folder}/`, pathNot: TESTS },
    to: { path: [`${RUNTIME}(${forbidden.join('|')})/`, `${RUNTIME}(${RUNTIME_WIRING.join('|')})\\.ts$`] },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of run-time imports: move the shared part down into its own module, or invert it (a lower interface, a registry).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-circular-below-api',
      severity: 'error',
      comment: 'A circle of imports (type imports included) below the facade: move the shared types down into their own module.',
      from: { path: SRC, pathNot: `${SRC}api/` },
      to: { circular: true },
    },
    {
      name: 'errors-import-nothing',
      severity: 'error',
      comment: 'errors/ is the bottom: it imports nothing else of the engine.',
      from: { path: `${SRC}errors/`, pathNot: TESTS },
      to: { path: SRC, pathNot: `${SRC}errors/` },
    },
    {
      name: 'core-imports-only-errors',
      severity: 'error',
      comment: 'core/ holds the types every layer shares: it imports nothing of the engine but errors/.',
      from: { path: `${SRC}core/`, pathNot: TESTS },
      to: { path: SRC, pathNot: [`${SRC}core/`, `${SRC}errors/`] },
    },
    ...layerRules,
    ...runtimeRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/dist/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
