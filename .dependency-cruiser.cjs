/**
 * The layers of the registry, checked on every `npm run lint` (docs/architecture.md, "Layers").
 *
 *   shared/domain    the rules in plain TypeScript: imports nothing outside the domain (zod and
 *                    node's crypto/zlib only; no AWS SDK, no storage keys, no letters, no ports)
 *   shared/letters   the letters: content rules and PDF rendering (data to bytes) over the domain
 *   shared/exports   reports and case lists as XLSX, CSV and PDF (data to bytes) over the domain and the letters
 *   shared/storage   the table, indexes, buckets and keys: plain data over the domain
 *   shared/app       the use cases: the domain, the letters, their own ports, and the S3 object keys
 *   shared/adapters  implement the ports (AWS SDK) over the domain and the storage definitions
 *   shared/auth, shared/config, shared/http   the edge's shared parts
 *   functions/ infra/ local/ scripts/ bench/ test/   the edge: may import any of the above
 *   web/             the browser: type-only imports of shared/, values only from browser-safe modules
 *
 * And no import cycle anywhere (type-only imports count: a cycle of types is a cycle of concepts).
 * test/unit/architecture.test.ts proves that each rule fails on a probe.
 */

/** Domain modules that run in the browser too: they import nothing outside this list. */
const BROWSER_SAFE = '^shared/domain/(pii-validation|statute|upload-rules|contact-rules|system-actors)\\.ts$';

/** Every module outside node_modules (node built-ins and npm packages are checked separately). */
const OWN = '^(shared|functions|infra|local|web|scripts|bench|test)/';

/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle anywhere: split the shared part into a module both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'shared/domain imports nothing outside the domain: move what it needs into it.',
      from: { path: '^shared/domain/' },
      to: { path: OWN, pathNot: '^shared/domain/' },
    },
    {
      name: 'domain-packages',
      severity: 'error',
      comment: 'The domain uses zod and node crypto/zlib only: no AWS SDK, no middleware, no PDF library.',
      from: { path: '^shared/domain/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'],
        pathNot: ['^node_modules/zod/', '^(node:)?(crypto|zlib)$'],
      },
    },
    {
      name: 'letters-over-domain',
      severity: 'error',
      comment: 'shared/letters (content and PDF) imports only the domain and itself.',
      from: { path: '^shared/letters/' },
      to: { path: OWN, pathNot: '^shared/(domain|letters)/' },
    },
    {
      name: 'exports-over-domain-and-letters',
      comment: 'shared/exports (reports and case lists as XLSX, CSV, PDF: data to bytes) imports only the domain, the letters (fonts, PDF) and itself.',
      severity: 'error',
      from: { path: '^shared/exports/' },
      to: { path: OWN, pathNot: '^shared/(domain|letters|exports)/' },
    },
    {
      name: 'storage-over-domain',
      severity: 'error',
      comment: 'shared/storage (table, indexes, buckets, keys) is plain data over the domain.',
      from: { path: '^shared/storage/' },
      to: { path: OWN, pathNot: '^shared/(domain|storage)/' },
    },
    {
      name: 'app-over-domain-and-ports',
      severity: 'error',
      comment:
        'shared/app imports the domain, the letters, the exports, its own modules and ports, and the S3 object keys; never an adapter, http, auth, config or the edge.',
      from: { path: '^shared/app/' },
      to: { path: OWN, pathNot: ['^shared/(domain|letters|exports|app)/', '^shared/storage/object-keys\\.ts$'] },
    },
    {
      name: 'no-aws-in-the-core',
      severity: 'error',
      comment: 'Only adapters (and the edge) talk to AWS: the domain, letters, exports, storage and the use cases import no AWS SDK, CDK or middleware.',
      from: { path: '^shared/(domain|letters|exports|storage|app)/' },
      to: { path: '^node_modules/(@aws-sdk|aws-sdk|aws-cdk-lib|constructs|@middy|@aws-lambda-powertools)/' },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment:
        'shared/adapters implement the ports: they import the domain, the storage definitions and the port modules of shared/app, never a use case, http or the edge.',
      from: { path: '^shared/adapters/' },
      to: {
        path: OWN,
        pathNot: [
          '^shared/(domain|storage|adapters)/',
          '^shared/app/(ports|archive-ports|sweep-ports|directory-ports|search-ports|report-ports|online-ports|ocr-ports|outbox)\\.ts$',
        ],
      },
    },
    {
      name: 'http-over-app',
      severity: 'error',
      comment: 'shared/http (routes, schemas, errors) builds on the use cases and the domain; no adapter or storage.',
      from: { path: '^shared/http/' },
      to: { path: OWN, pathNot: '^shared/(domain|letters|app|http)/' },
    },
    {
      name: 'auth-over-domain',
      severity: 'error',
      comment: "shared/auth verifies tokens into the domain's Actor; it reads the configuration names and nothing else.",
      from: { path: '^shared/auth/' },
      to: { path: OWN, pathNot: '^shared/(domain|config|auth)/' },
    },
    {
      name: 'config-over-domain',
      severity: 'error',
      from: { path: '^shared/config/' },
      to: { path: OWN, pathNot: '^shared/(domain|config)/' },
    },
    {
      name: 'shared-below-the-edge',
      severity: 'error',
      comment: 'Nothing in shared/ imports functions/, infra/, local/, scripts/, bench/, test/ or web/.',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|local|scripts|bench|test|web)/' },
    },
    {
      name: 'production-code-not-on-tests',
      severity: 'error',
      comment: 'The deployed and the local stack import nothing from test/, bench/ or scripts/.',
      from: { path: '^(functions|infra|local)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'unit-tests-without-emulators',
      severity: 'error',
      comment:
        'npm run test:unit needs neither Java nor a server: unit tests (and the fakes and contract suites they use) start no emulator and no local stack.',
      from: { path: ['^test/unit/', '^test/support/(fakes|contracts)/', '^web/src/.*\\.test\\.tsx?$'] },
      to: { path: ['^local/(emulators|stack|start)\\.ts$', '^test/support/(dynamodb|stack|global-setup|proxy)\\.ts$'] },
    },
    {
      name: 'unit-tests-never-reach-emulators',
      severity: 'error',
      comment:
        'Not through any chain of imports either: nothing a unit test loads reaches the emulators, the local stack or the test stack (npm run test:unit:no-java runs them with a java that fails).',
      from: { path: ['^test/unit/', '^test/support/(fakes|contracts)/', '^web/src/.*\\.test\\.tsx?$'] },
      to: { path: ['^local/(emulators|stack|start)\\.ts$', '^test/support/(dynamodb|stack|global-setup|proxy)\\.ts$'], reachable: true },
    },
    {
      name: 'fakes-and-contracts-over-ports',
      severity: 'error',
      comment: 'The in-memory fakes and the contract suites know the ports, not the adapters: the adapter half of a contract lives in test/adapter.',
      from: { path: '^test/support/(fakes|contracts)/' },
      to: { path: '^shared/adapters/' },
    },
    {
      name: 'functions-not-on-infra-or-local',
      severity: 'error',
      comment: 'A function bundles nothing of the CDK app or the local stack.',
      from: { path: '^functions/' },
      to: { path: '^(infra|local)/' },
    },
    {
      name: 'web-types-only',
      severity: 'error',
      comment: 'The web application imports types from shared/ (erased at build) and values only from the browser-safe domain modules.',
      from: { path: '^web/src/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^shared/', pathNot: BROWSER_SAFE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-safe-stays-safe',
      severity: 'error',
      comment: 'A browser-safe module imports nothing but other browser-safe modules (not even zod: it would weigh on the page).',
      from: { path: BROWSER_SAFE },
      to: { pathNot: BROWSER_SAFE },
    },
    {
      name: 'web-not-on-the-server',
      severity: 'error',
      comment: 'Nothing outside web/ imports the web application (the browser tests drive it through a browser).',
      from: { pathNot: '^web/' },
      to: { path: '^web/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|\\.data|web/dist|coverage)/' },
    // Type-only imports count: the web rule needs them, and a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
    reporterOptions: {},
  },
};
