// One Jest run for the whole workspace: unit, integration (real PostgreSQL and NATS) and
// end-to-end suites. Each suite isolates itself through @lianban/testing, so workers run in parallel.
const { readFileSync } = require('node:fs');
const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: { '^@lianban/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  setupFiles: ['<rootDir>/tools/jest-setup.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};
