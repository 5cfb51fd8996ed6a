import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from './config';

/** What a process makes of its NATS settings: credentials that go together, files that exist, and none missing in production. */
describe('NATS credentials from the environment', () => {
  const base = { DATABASE_URL: 'postgres://localhost/x' };
  const production = {
    ...base,
    NODE_ENV: 'production',
    JWT_SECRET: 'j'.repeat(32),
    INTERNAL_SIGNING_KEY: 'k'.repeat(32),
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'lianban-config-'));
  const ca = path.join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects to an open server when none are given (development, tests)', () => {
    expect(readConfig('agencies', base).natsCredentials).toBeUndefined();
  });

  it('passes a user and password, a token, or TLS files on to the connection', () => {
    expect(readConfig('agencies', { ...base, NATS_USER: 'lianban', NATS_PASSWORD: 'pw' }).natsCredentials).toEqual({ user: 'lianban', pass: 'pw' });
    expect(readConfig('gateway', { NATS_TOKEN: 't0ken' }).natsCredentials).toEqual({ token: 't0ken' });
    expect(readConfig('agencies', { ...base, NATS_TLS_CA_FILE: ca, NATS_TLS_CERT_FILE: ca, NATS_TLS_KEY_FILE: ca }).natsCredentials).toEqual({ tls: { caFile: ca, certFile: ca, keyFile: ca } });
  });

  it('refuses halves of a pair, a token beside a user, and files that do not exist', () => {
    expect(() => readConfig('agencies', { ...base, NATS_PASSWORD: 'pw' })).toThrow('NATS_USER and NATS_PASSWORD go together');
    expect(() => readConfig('agencies', { ...base, NATS_USER: 'lianban' })).toThrow('NATS_USER and NATS_PASSWORD go together');
    expect(() => readConfig('agencies', { ...base, NATS_USER: 'lianban', NATS_PASSWORD: 'pw', NATS_TOKEN: 't' })).toThrow('NATS_TOKEN and NATS_USER exclude each other');
    expect(() => readConfig('agencies', { ...base, NATS_TLS_CERT_FILE: ca })).toThrow('NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together');
    expect(() => readConfig('agencies', { ...base, NATS_TLS_CA_FILE: path.join(dir, 'missing.pem') })).toThrow(/NATS_TLS_CA_FILE names .*missing\.pem, which does not exist/);
  });

  it('refuses to start in production without NATS credentials, and starts with any of the three kinds', () => {
    expect(() => readConfig('agencies', production)).toThrow('NATS credentials are required in production');
    expect(() => readConfig('agencies', { ...production, NATS_TLS_CA_FILE: ca })).toThrow('NATS credentials are required in production');
    expect(readConfig('agencies', { ...production, NATS_USER: 'lianban', NATS_PASSWORD: 'pw' }).natsCredentials?.user).toBe('lianban');
    expect(readConfig('gateway', { ...production, NATS_TOKEN: 't0ken' }).natsCredentials?.token).toBe('t0ken');
    expect(readConfig('agencies', { ...production, NATS_TLS_CA_FILE: ca, NATS_TLS_CERT_FILE: ca, NATS_TLS_KEY_FILE: ca }).natsCredentials?.tls?.certFile).toBe(ca);
  });
});

describe('the self-inspection closing reminder lead', () => {
  const base = { DATABASE_URL: 'postgres://localhost/x' };

  it('is three working days unless set, and refuses what is not 1 to 30 working days', () => {
    expect(readConfig('cases', base).campaignReminderWorkingDays).toBe(3);
    expect(readConfig('cases', { ...base, CAMPAIGN_REMINDER_WORKING_DAYS: '5' }).campaignReminderWorkingDays).toBe(5);
    for (const bad of ['0', '31', 'three', '2.5']) expect(() => readConfig('cases', { ...base, CAMPAIGN_REMINDER_WORKING_DAYS: bad })).toThrow('CAMPAIGN_REMINDER_WORKING_DAYS');
  });
});

describe('the invoice verification allowance', () => {
  const base = { DATABASE_URL: 'postgres://localhost/x' };

  it('is at least one batch chunk, which would otherwise be refused for good', () => {
    expect(() => readConfig('invoices', { ...base, INVOICE_VERIFICATIONS_PER_MINUTE: '2499' })).toThrow('INVOICE_VERIFICATIONS_PER_MINUTE must be at least 2500');
    expect(readConfig('invoices', { ...base, INVOICE_VERIFICATIONS_PER_MINUTE: '2500' }).invoiceVerificationsPerMinute).toBe(2500);
  });
});
