import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { Client } from 'pg';
import { ProcessName, readConfig, ServiceConfig } from '@lianban/platform';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A fresh id for a TestIsolation: lower-case letters and digits, unique across suites. */
export function newIsolationId(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Gives one test suite its own corner of the shared PostgreSQL and NATS: every schema it
 * creates starts with `<id>_`, every subject with `<id>.`, every stream with `<ID>`. Suites
 * therefore run in parallel without seeing each other, and cleanup removes exactly their traces.
 */
export class TestIsolation {
  readonly schemaPrefix: string;
  readonly subjectPrefix: string;

  /** `id`: this suite's corner, when something must know its prefixes before the isolation exists (a NATS server's permissions). */
  constructor(
    readonly databaseUrl = TEST_DATABASE_URL,
    readonly natsUrl = TEST_NATS_URL,
    readonly id = newIsolationId(),
  ) {
    this.schemaPrefix = `${id}_`;
    this.subjectPrefix = `${id}.`;
  }

  /** A schema name inside this suite's corner. */
  schema(name: string): string {
    return `${this.schemaPrefix}${name}`;
  }

  /**
   * The configuration a service would read from its environment, pointed at this suite's corner;
   * `env` adds or replaces environment variables (read and checked by readConfig as in production).
   */
  config(service: ProcessName, overrides: Partial<ServiceConfig> = {}, env: NodeJS.ProcessEnv = {}): ServiceConfig {
    return {
      ...readConfig(service, {
        NODE_ENV: 'test',
        DATABASE_URL: this.databaseUrl,
        NATS_URL: this.natsUrl,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        SUBJECT_PREFIX: this.subjectPrefix,
        SCHEMA_PREFIX: this.schemaPrefix,
        PORT: '0',
        ...env,
      }),
      ...overrides,
    };
  }

  /** Drops this suite's schemas and JetStream streams. */
  async cleanup(): Promise<void> {
    const pg = new Client({ connectionString: this.databaseUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, [this.schemaPrefix]);
      for (const { nspname } of rows) await pg.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } finally {
      await pg.end();
    }
    await deleteStreams(this.natsUrl, this.id.toUpperCase()).catch(() => undefined);
  }
}

async function deleteStreams(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, timeout: 2000 });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const s of jsm.streams.list()) {
      if (s.config.name.startsWith(prefix)) await jsm.streams.delete(s.config.name);
    }
  } finally {
    await nc.close();
  }
}

/** Polls until `probe` returns a truthy value or the time is up. */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, undefined | null | false | 0 | ''>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
