import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { AuditLogByAgency1764200000000, CreateAuditLog1763856000002, CreateOutbox1763856000000 } from './outbox.migration';
import { OutboxEventEntity, ProcessedEventEntity } from './outbox-event.entity';

export interface PersistenceOptions {
  /** postgres://… */
  url: string;
  /** The service's own schema: no other service reads or writes it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** Pool size per process. */
  poolSize?: number;
}

export const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export function dataSourceOptions(o: PersistenceOptions): DataSourceOptions {
  if (!SCHEMA_PATTERN.test(o.schema)) throw new Error(`Invalid schema name "${o.schema}"`);
  return {
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    entities: [OutboxEventEntity, ProcessedEventEntity, ...(o.entities as unknown[] as string[])],
    migrations: [CreateOutbox1763856000000, CreateAuditLog1763856000002, ...o.migrations, AuditLogByAgency1764200000000],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // Never synchronize: the schema changes only through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    extra: { max: o.poolSize ?? 10, options: `-c search_path=${o.schema},public` },
  };
}

/**
 * Brings the schema up to date. Safe to call from several replicas at once: a session-level
 * advisory lock lets one run the migrations while the others wait and then find nothing to do.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const schema = (ds.options as { schema: string }).schema;
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [`lianban:migrate:${schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`lianban:migrate:${schema}`]).catch(() => undefined);
    await lock.release();
  }
}

/** Opens a data source for a service and migrates it. */
export async function openDataSource(o: PersistenceOptions): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(o));
  await ds.initialize();
  await runMigrations(ds);
  return ds;
}
