import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventEnvelope, systemActor } from '@lianban/contracts';
import { createServiceApp } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule } from '../app.module';
import { CaseLinksConsumer } from './case-links.consumer';

/** How a case learns what became of its transfers, against real PostgreSQL. */
describe('transfer links of a case (cases-transfers consumer)', () => {
  const iso = new TestIsolation();
  let app: INestApplication;
  let ds: DataSource;
  let consumer: CaseLinksConsumer;
  const bureau = randomUUID();
  const police = randomUUID();
  const procuratorate = randomUUID();

  beforeAll(async () => {
    app = await createServiceApp(AppModule.forRoot(iso.config('cases'), { clockTickMs: 3_600_000 }));
    await app.init();
    ds = app.get<DataSource>(getDataSourceToken());
    consumer = app.get(CaseLinksConsumer);
  });
  afterAll(async () => {
    await app?.close();
    await iso.cleanup();
  });

  const newCase = async () => {
    const [{ id }] = await ds.query(
      `INSERT INTO enforcement_case (number, title, party_name, facts, state, agency_id, region_code, officer_ids, created_by)
       VALUES ($1, '案', '当事人', '事实', 'investigating', $2, '620702', ARRAY[gen_random_uuid(), gen_random_uuid()], gen_random_uuid()) RETURNING id`,
      [`AJ-${randomUUID()}`, bureau],
    );
    return id as string;
  };
  const event = (type: string, at: string, payload: Record<string, unknown>): EventEnvelope => ({
    id: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: at,
    source: 'clue-transfer',
    actor: systemActor('test'),
    correlationId: randomUUID(),
    payload: { route: 'mi_to_police', senderAgencyId: bureau, receiverAgencyId: police, ...payload },
  });
  const apply = (e: EventEnvelope) => ds.transaction((m) => consumer.apply(e, m));
  const links = async (caseId: string) => ds.query(`SELECT transfer_id, state FROM case_transfer WHERE case_id = $1`, [caseId]);
  const linked = async (caseId: string) => (await ds.query(`SELECT linked_agency_ids FROM enforcement_case WHERE id = $1`, [caseId]))[0].linked_agency_ids.sort();

  it('follows a transfer’s state and never lets an older event overwrite a newer one', async () => {
    const caseId = await newCase();
    const transferId = randomUUID();
    await apply(event('transfer.drafted', '2026-11-01T00:00:00Z', { transferId, caseId, number: 'YS-1' }));
    expect(await links(caseId)).toEqual([{ transfer_id: transferId, state: 'drafted' }]);
    expect(await linked(caseId)).toEqual([]);
    await apply(event('transfer.filing_declined', '2026-11-03T00:00:00Z', { transferId, caseId, to: 'declined' }));
    // The earlier "sent" arrives late: the state stays, but the receiver may now read the case.
    await apply(event('transfer.sent', '2026-11-02T00:00:00Z', { transferId, caseId, to: 'sent', copyTo: [procuratorate] }));
    expect(await links(caseId)).toEqual([{ transfer_id: transferId, state: 'declined' }]);
    expect(await linked(caseId)).toEqual([police, procuratorate].sort());
  });

  it('ignores transfers without a case, for an unknown case, or sent by another agency', async () => {
    const caseId = await newCase();
    await apply(event('transfer.sent', '2026-11-02T00:00:00Z', { transferId: randomUUID(), to: 'sent' }));
    await apply(event('transfer.sent', '2026-11-02T00:00:00Z', { transferId: randomUUID(), caseId: randomUUID(), to: 'sent' }));
    await apply(event('transfer.sent', '2026-11-02T00:00:00Z', { transferId: randomUUID(), caseId, to: 'sent', senderAgencyId: randomUUID() }));
    expect(await links(caseId)).toEqual([]);
    expect(await linked(caseId)).toEqual([]);
  });
});
