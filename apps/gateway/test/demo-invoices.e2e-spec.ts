import { DataSource } from 'typeorm';
import { AgencyKind } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { TestIsolation } from '@lianban/testing';
import { seedDemoInvoices } from '../../invoices/src/demo/demo-invoices';
import { DemoPlatform, startDemoPlatform } from './platform';

/** The demo register `npm start` seeds: one invoice per verdict, there to try in the console. */
describe('the demo invoice register', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('is seeded once, as the city’s finance officer, and answers the verdict each invoice is there for', async () => {
    const agencies = platform.services.get('agencies')!.get(DataSource);
    const [f] = await agencies.query(`SELECT a.id, a.agency_id, a.roles FROM account a WHERE a.username = 'zhangye-finance-officer'`);
    const finance = { kind: 'officer' as const, id: f.id, agencyId: f.agency_id, agencyKind: AgencyKind.FINANCE, regionCode: '620700', roles: f.roles };
    const rpc = platform.gateway.get(RpcClient);
    expect(await seedDemoInvoices(rpc, finance)).toEqual({ created: true, imported: 5 });
    expect(await seedDemoInvoices(rpc, finance)).toEqual({ created: false, imported: 0 });

    const token = await platform.as('ganzhou-mi-officer');
    const verdict = async (number: string, extra: Record<string, unknown> = {}) =>
      (await platform.api.call('POST', '/invoices/verifications', token, { code: '62060126', number, checkCode: '1a9c3f', ...extra })).body.verdict;
    expect(await verdict('0000000001', { issuedOn: '2026-03-02', amountFen: 128_350 })).toBe('valid');
    expect(await verdict('0000000001', { amountFen: 1 })).toBe('mismatch');
    expect(await verdict('0000000002')).toBe('voided');
    expect(await verdict('0000000003')).toBe('red_flushed');
    expect(await verdict('0000000005')).toBe('valid');
    expect(await verdict('0000009999')).toBe('not_found');
    const issuers = (await platform.api.call('GET', '/invoices/issuers', await platform.as('zhangye-finance-officer'))).body;
    expect(issuers).toEqual([expect.objectContaining({ code: 'H62070200001', name: '张掖市人民医院', registeredBy: f.id })]);
  });
});
