/**
 * Loads the demo data set into a running platform's database (called by `npm start` once every
 * service has migrated its schema). Uses the same environment as the services.
 */
import 'reflect-metadata';
import { openDataSource } from '@lianban/persistence';
import { readConfig } from '@lianban/platform';
import { NatsBus, RpcClient } from '@lianban/messaging';
import { AgencyKind } from '@lianban/contracts';
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
    // The demo campaign goes through the cases service (its own schema), as the city bureau's officer.
    const [officer] = await ds.query(`SELECT a.id, a.agency_id, a.roles, g.region_code FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = 'zhangye-mi-officer'`);
    const bus = new NatsBus({ servers: config.natsUrl, serviceName: 'seed', subjectPrefix: config.subjectPrefix, signingKey: config.internalSigningKey });
    await bus.connect();
    try {
      const actor = { kind: 'officer' as const, id: officer.id, agencyId: officer.agency_id, agencyKind: AgencyKind.MEDICAL_INSURANCE, regionCode: officer.region_code, roles: officer.roles };
      const { created, campaign } = await seedDemoCampaign(new RpcClient(bus), actor);
      console.log(`demo campaign ${created ? 'created' : 'already there'}: ${campaign.name}, self-inspection until ${campaign.phases.find((p) => p.kind === 'self_inspection')?.endsOn}`);
      // The demo register, as the city's finance officer (invoice 62060126 0000000001, check code 1a9c3f, and the others of DEMO_INVOICES).
      const [f] = await ds.query(`SELECT a.id, a.agency_id, a.roles, g.region_code FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = 'zhangye-finance-officer'`);
      const finance = { kind: 'officer' as const, id: f.id, agencyId: f.agency_id, agencyKind: AgencyKind.FINANCE, regionCode: f.region_code, roles: f.roles };
      const invoices = await seedDemoInvoices(new RpcClient(bus), finance);
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
