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
