import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, AgencyKind, ClueTransferStatistics, ClueTransferStatsSubject, DomainError, OfficerRole } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { createServiceApp } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule } from '../app.module';
import { ClockService } from '../clocks/clock.service';

/** clue-transfer's part of the statistics, asked over NATS as the cases service asks it, against rows written here: the period's figures and how the region stands now. */
describe('clue-transfer statistics (report.statistics)', () => {
  const iso = new TestIsolation();
  let app: INestApplication;
  let ds: DataSource;
  let rpc: RpcClient;
  const lgo = (regionCode: string): Actor => ({ kind: 'officer', id: randomUUID(), agencyId: randomUUID(), agencyKind: AgencyKind.LEADING_GROUP_OFFICE, regionCode, roles: [OfficerRole.OFFICER] });
  const ask = (actor: Actor, regionCode: string, from: string, to: string) => rpc.request<ClueTransferStatistics>(ClueTransferStatsSubject, { regionCode, from, to }, { actor, correlationId: randomUUID() });
  const agencyA = randomUUID();
  const agencyB = randomUUID();

  const clue = (region: string, source: string, at: string) =>
    ds.query(
      `INSERT INTO clue (number, agency_id, region_code, source, subject_kind, subject_name, categories, period_from, period_to, description, filing_decision_due_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, 'institution', '某医院', '{H04}', '2025-01-01', '2025-06-30', '统计', now(), 'test', $5)`,
      [`XS-${randomUUID()}`, agencyA, region, source, at],
    );
  const transfer = (from: string, to: string, route: string, state: string, at: string) =>
    ds.query(
      `INSERT INTO transfer (number, route, state, title, summary, sender_agency_id, sender_region_code, receiver_agency_id, receiver_region_code, receiver_history, drafter_id, team_officer_ids, created_at)
       VALUES ($1, $2, $3, '统计', '统计用', $4, $5, $6, $7, ARRAY[$6]::uuid[], $4, ARRAY[$4]::uuid[], $8)`,
      [`YS-${randomUUID()}`, route, state, agencyA, from, agencyB, to, at],
    );

  beforeAll(async () => {
    app = await createServiceApp(AppModule.forRoot(iso.config('clue-transfer'), { clockTickMs: 3_600_000 }));
    await app.init();
    ds = app.get<DataSource>(getDataSourceToken());
    rpc = app.get(RpcClient);
    // Shanghai 2026-Q1 is 2025-12-31T16:00Z … 2026-03-31T16:00Z.
    await clue('620702', 'big_data', '2026-01-05T02:00:00Z');
    await clue('620702', 'big_data', '2026-03-31T15:59:00Z');
    await clue('620702', 'inspection', '2026-03-31T16:00:00Z'); // 1 April in Shanghai: next quarter
    await clue('620723', 'tip_off_web', '2025-12-31T16:00:00Z'); // 1 January in Shanghai
    await clue('370102', 'big_data', '2026-02-01T00:00:00Z'); // another city
    await transfer('620702', '620702', 'mi_to_police', 'sent', '2026-02-01T00:00:00Z');
    await transfer('620702', '620702', 'mi_to_police', 'sent', '2026-02-02T00:00:00Z');
    await transfer('620723', '620100', 'mi_to_police', 'filed', '2026-02-03T00:00:00Z'); // received elsewhere, sent from the city's county
    await transfer('370102', '620702', 'agency_to_mi', 'received', '2026-02-04T00:00:00Z'); // received in the city
    await transfer('370102', '370102', 'mi_to_health', 'drafted', '2026-02-05T00:00:00Z');
    // Not sent yet: the bureau's own business, counted nowhere (in the period or open now).
    await transfer('620702', '620702', 'mi_to_police', 'drafted', '2026-02-06T00:00:00Z');
    await transfer('620702', '620702', 'mi_to_police', 'awaiting_approval', '2026-02-07T00:00:00Z');
    await transfer('620723', '620723', 'mi_to_health', 'approved', '2026-02-08T00:00:00Z');
    await transfer('620702', '620702', 'mi_to_police', 'rejected', '2026-02-09T00:00:00Z');
    // Before the quarter: one closed for good (not open), one still open (open now, whenever it began).
    await transfer('620702', '620702', 'mi_to_police', 'not_filed_final', '2025-06-01T00:00:00Z');
    await transfer('620723', '620723', 'police_to_mi', 'sent', '2025-06-02T00:00:00Z');
    const clocks = app.get(ClockService);
    await ds.transaction(async (m) => {
      // Missed: due in the quarter, still running; missed: stopped after its deadline; kept: stopped in time.
      await clocks.start(m, { subjectType: 'transfer', subjectId: randomUUID(), step: 'receipt', dutyAgencyId: agencyB, regionCode: '620702', startedAt: new Date('2026-02-01T00:00:00Z') });
      const late = randomUUID();
      await clocks.start(m, { subjectType: 'transfer', subjectId: late, step: 'receipt', dutyAgencyId: agencyB, regionCode: '620723', startedAt: new Date('2026-02-01T00:00:00Z') });
      await clocks.stop(m, late, ['receipt'], new Date('2026-02-03T00:00:00Z'));
      const inTime = randomUUID();
      await clocks.start(m, { subjectType: 'transfer', subjectId: inTime, step: 'receipt', dutyAgencyId: agencyA, regionCode: '620702', startedAt: new Date('2026-02-01T00:00:00Z') });
      await clocks.stop(m, inTime, ['receipt'], new Date('2026-02-01T01:00:00Z'));
      // Before the quarter: one still running past its deadline (overdue now), one past it but paused (not overdue while paused).
      await clocks.start(m, { subjectType: 'transfer', subjectId: randomUUID(), step: 'receipt', dutyAgencyId: agencyA, regionCode: '620723', startedAt: new Date('2025-06-02T00:00:00Z') });
      const paused = randomUUID();
      await clocks.start(m, { subjectType: 'transfer', subjectId: paused, step: 'receipt', dutyAgencyId: agencyA, regionCode: '620702', startedAt: new Date('2025-06-01T00:00:00Z') });
      await clocks.pause(m, paused, 'receipt', new Date('2025-06-01T01:00:00Z'));
    });
  });
  afterAll(async () => {
    await app?.close();
    await iso.cleanup();
  });

  it('counts clues by source, transfers by route and state, and missed deadlines per agency, for the city and the quarter', async () => {
    expect(await ask(lgo('620700'), '620700', '2026-01-01', '2026-03-31')).toEqual({
      cluesBySource: { big_data: 2, tip_off_web: 1 },
      transfersByRouteAndState: [
        { route: 'agency_to_mi', state: 'received', count: 1 },
        { route: 'mi_to_police', state: 'filed', count: 1 },
        { route: 'mi_to_police', state: 'sent', count: 2 },
      ],
      overdueByAgency: { [agencyB]: 2 },
      // Now, whatever the quarter: the open transfers sent from or to the city, and the clocks running past their deadline.
      current: { openTransfers: 5, overdueByAgency: { [agencyA]: 1, [agencyB]: 1 } },
    });
  });

  it('narrows to a district', async () => {
    expect(await ask(lgo('620702'), '620702', '2026-01-01', '2026-03-31')).toEqual({
      cluesBySource: { big_data: 2 },
      transfersByRouteAndState: [
        { route: 'agency_to_mi', state: 'received', count: 1 },
        { route: 'mi_to_police', state: 'sent', count: 2 },
      ],
      overdueByAgency: { [agencyB]: 1 },
      current: { openTransfers: 3, overdueByAgency: { [agencyB]: 1 } },
    });
  });

  it('counts what stands now the same for any period, an empty one too', async () => {
    expect(await ask(lgo('620700'), '620700', '2020-01-01', '2020-03-31')).toEqual({
      cluesBySource: {},
      transfersByRouteAndState: [],
      overdueByAgency: {},
      current: { openTransfers: 5, overdueByAgency: { [agencyA]: 1, [agencyB]: 1 } },
    });
  });

  it('refuses a district office the city, and any other agency', async () => {
    await expect(ask(lgo('620702'), '620700', '2026-01-01', '2026-03-31')).rejects.toMatchObject({ status: 403 });
    await expect(ask({ ...lgo('620700'), agencyKind: AgencyKind.MEDICAL_INSURANCE }, '620700', '2026-01-01', '2026-03-31')).rejects.toBeInstanceOf(DomainError);
    await expect(ask(lgo('620700'), '620700', '2026-03-31', '2026-01-01')).rejects.toMatchObject({ status: 400 });
  });
});
