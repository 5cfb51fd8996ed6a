/**
 * Loads the demo data set into a running platform's database (called by `npm start` once every
 * service has migrated its schema). Uses the same environment as the services.
 */
import 'reflect-metadata';
import { openDataSource } from '@lianban/persistence';
import { readConfig } from '@lianban/platform';
import { loadDemo } from '../apps/agencies/src/demo/load-demo';
import { migrations } from '../apps/agencies/src/migrations';

async function main(): Promise<void> {
  const config = readConfig('agencies');
  const ds = await openDataSource({ url: config.databaseUrl!, schema: config.schema, entities: [], migrations });
  try {
    const { accounts } = await loadDemo(ds);
    console.log(`demo data loaded: Zhangye agencies, 12 institutions, ${accounts} accounts`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
