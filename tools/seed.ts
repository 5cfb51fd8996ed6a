/**
 * Loads the demo data set into a running platform's database (called by `npm start` once every
 * service has migrated its schema). Uses the same environment as the services.
 */
import 'reflect-metadata';
import { openDataSource } from '@lianban/persistence';
import { readConfig } from '@lianban/platform';
import { NatsBus, RpcClient } from '@lianban/messaging';
import { Actor, AgencyKind } from '@lianban/contracts';
import { loadDemo } from '../apps/agencies/src/demo/load-demo';
import { migrations } from '../apps/agencies/src/migrations';
import { seedDemoCampaign } from '../apps/cases/src/demo/demo-campaign';
import { seedDemoInvoices } from '../apps/invoices/src/demo/demo-invoices';

async function main(): Promise<void> {
  const config = readConfig('agencies');
  const ds = await openDataSource({ url: config.databaseUrl!, schema: config.schema, entities: [], migrations });
  try {
    const { accounts } = await loadDemo(ds);
    console.log(`demo data loaded: Zhangye agencies, 12 institutions, ${accounts} accounts`);
    /** A demo officer as the services see the caller: the account, its agency's kind and region. */
    const officer = async (username: string): Promise<Actor> => {
      const [a] = await ds.query(`SELECT a.id, a.agency_id, a.roles, g.kind, g.region_code FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = $1`, [username]);
      return { kind: 'officer', id: a.id, agencyId: a.agency_id, agencyKind: a.kind as AgencyKind, regionCode: a.region_code, roles: a.roles };
    };
    const bus = new NatsBus({ servers: config.natsUrl, serviceName: 'seed', subjectPrefix: config.subjectPrefix, signingKey: config.internalSigningKey });
    await bus.connect();
    try {
      // The demo campaign goes through the cases service (its own schema), as the city bureau's officer.
      const { created, campaign } = await seedDemoCampaign(new RpcClient(bus), await officer('zhangye-mi-officer'));
      console.log(`demo campaign ${created ? 'created' : 'already there'}: ${campaign.name}, self-inspection until ${campaign.phases.find((p) => p.kind === 'self_inspection')?.endsOn}`);
      // The demo register, as the city's finance officer (invoice 62060126 0000000001, check code 1a9c3f, and the others of DEMO_INVOICES).
      const invoices = await seedDemoInvoices(new RpcClient(bus), await officer('zhangye-finance-officer'));
      console.log(invoices.created ? `demo invoice register: 1 issuer, ${invoices.imported} invoices` : 'demo invoice register already there');
    } finally {
      await bus.close();
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
