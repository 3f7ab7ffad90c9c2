/**
 * Dependency direction (DESIGN §2): imports point inward.
 * core <- domain <- kernel <- engines <- engine (composition) <- runtimes <- adapters, interfaces.
 */
const ENGINES = '(indicators|ledger|risk|execution|portfolio|data|strategies|llm|agents|venues|notify|config)';
const PURE = '(ledger|risk)';
const NODE_IO = '^(fs|fs/promises|net|http|https|http2|dgram|child_process|cluster|worker_threads|tls|dns|readline)$';

module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing',
      comment: 'core/ imports nothing of ours outside core/.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'domain-imports-core-only',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/(core|domain)/' },
    },
    {
      name: 'kernel-imports-core-domain',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/(core|domain|kernel)/' },
    },
    {
      name: 'pure-engines-stay-pure',
      comment: 'ledger and risk are pure: core and domain only.',
      severity: 'error',
      from: { path: `^src/${PURE}/` },
      to: { path: '^src/', pathNot: `^src/(core|domain|$1)/` },
    },
    {
      name: 'engines-point-inward',
      comment: 'engines never import the composition, runtimes, adapters or interfaces.',
      severity: 'error',
      from: { path: `^src/${ENGINES}/` },
      to: { path: '^src/(engine|backtest|live|adapters|interfaces)/' },
    },
    {
      name: 'engine-points-inward',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(backtest|live|adapters|interfaces)/' },
    },
    {
      name: 'runtimes-point-inward',
      severity: 'error',
      from: { path: '^src/(backtest|live)/' },
      to: { path: '^src/(adapters|interfaces)/' },
    },
    {
      name: 'adapters-not-interfaces',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/interfaces/' },
    },
    {
      name: 'no-io-inside',
      comment: 'I/O libraries live in adapters and interfaces only.',
      severity: 'error',
      from: { path: `^src/(core|domain|kernel|engine|${ENGINES.slice(1, -1)})/`, pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
