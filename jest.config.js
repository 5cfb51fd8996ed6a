// One Jest run for the whole workspace: unit, integration (real PostgreSQL and NATS) and
// end-to-end suites. Each suite isolates itself through @lianban/testing, so workers run in parallel.
const { readFileSync } = require('node:fs');
const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

// Dependencies published as ES modules only (found by running the suites).
const ESM_ONLY = ['content-disposition', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'minipass', 'jackspeak', 'package-json-from-dist', '@isaacs/[^/]+'];

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/apps/web/dist/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
    // The web console's component tests (React with the automatic JSX runtime, run in jsdom).
    '^.+\\.tsx$': ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // A few dependencies ship only ES modules, which Jest on Node 20 cannot require: compile them too.
    '^.+\\.js$': ['@swc/jest', { swcrc: false, jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper: { '^@lianban/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  setupFiles: ['<rootDir>/tools/jest-setup.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};
