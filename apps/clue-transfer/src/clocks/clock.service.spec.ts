import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@lianban/contracts';
import { createServiceApp } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule } from '../app.module';
import { dueSoonAt } from '@lianban/clocks';
import { ClockService } from './clock.service';

/** The deadline engine against real PostgreSQL, including a restart of the service. */
describe('statutory clocks', () => {
  const iso = new TestIsolation();
  let app: INestApplication;
  const open: INestApplication[] = [];

  const boot = async (reminderLeads: number[] = [], holidayCalendarFile?: string) => {
    // A long tick: the test drives the scans itself, with a clock of its choosing.
    app = await createServiceApp(AppModule.forRoot(iso.config('clue-transfer', { clockReminderLeadsMinutes: reminderLeads, holidayCalendarFile }), { clockTickMs: 3_600_000 }));
    open.push(app);
    await app.init();
    return { clocks: app.get(ClockService), ds: app.get<DataSource>(getDataSourceToken()) };
  };

  // Whatever a test booted is closed, even when it failed half-way (closing twice is harmless).
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close().catch(() => undefined)));
  });
  afterAll(() => iso.cleanup());

  const events = async (ds: DataSource, subjectId: string) =>
    ((await ds.query(`SELECT envelope FROM outbox_event WHERE envelope->'payload'->>'subjectId' = $1 ORDER BY seq`, [subjectId])) as { envelope: EventEnvelope }[]).map((r) => r.envelope);

  it('warns once when due soon, escalates once when overdue, and fires nothing twice across a restart', async () => {
    let { clocks, ds } = await boot();
    const subjectId = randomUUID();
    const agency = randomUUID();
    const startedAt = new Date('2025-11-10T08:00:00Z'); // Mon 16:00 in Shanghai
    await ds.transaction((m) => clocks.start(m, { subjectType: 'transfer', subjectId, step: 'filing_decision', dutyAgencyId: agency, regionCode: '620702', startedAt }));
    const [clock] = await ds.query(`SELECT due_at, due_soon_at FROM clock WHERE subject_id = $1`, [subjectId]);
    // Three days, the start day not counted: until 24:00 Thursday 13 November, Shanghai time.
    expect(clock.due_at).toEqual(new Date('2025-11-13T16:00:00Z'));
    expect(clock.due_soon_at).toEqual(dueSoonAt(startedAt, clock.due_at));

    expect(await clocks.fireDue(new Date('2025-11-11T00:00:00Z'))).toBe(0);
    expect(await clocks.fireDue(new Date('2025-11-13T00:00:00Z'))).toBe(1);
    expect(await clocks.fireDue(new Date('2025-11-13T01:00:00Z'))).toBe(0);
    expect((await events(ds, subjectId)).map((e) => e.type)).toEqual(['clock.due_soon']);

    // The service goes down before the deadline and comes back after it.
    await app.close();
    ({ clocks, ds } = await boot());
    expect(await clocks.fireDue(new Date('2025-11-14T02:00:00Z'))).toBe(1);
    await app.close();
    ({ clocks, ds } = await boot());
    expect(await clocks.fireDue(new Date('2025-11-20T00:00:00Z'))).toBe(0);

    const fired = await events(ds, subjectId);
    expect(fired.map((e) => e.type)).toEqual(['clock.due_soon', 'clock.overdue']);
    // A missed filing decision is escalated to the procuratorate and the leading-group office.
    expect(fired[1].payload).toMatchObject({ step: 'filing_decision', dutyAgencyId: agency, regionCode: '620702', escalateTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] });
    const [view] = await clocks.clocksOf(subjectId, new Date('2025-11-20T00:00:00Z'));
    expect(view).toMatchObject({ status: 'overdue', escalatedTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] });
    await app.close();
  });

  it('never fires a clock that was stopped in time', async () => {
    const { clocks, ds } = await boot();
    const subjectId = randomUUID();
    await ds.transaction((m) => clocks.start(m, { subjectType: 'transfer', subjectId, step: 'sending', dutyAgencyId: randomUUID(), regionCode: '620702', startedAt: new Date('2025-11-10T00:00:00Z') }));
    await ds.transaction((m) => clocks.stop(m, subjectId, ['sending'], new Date('2025-11-10T05:00:00Z')));
    expect(await clocks.fireDue(new Date('2025-12-01T00:00:00Z'))).toBe(0);
    expect(await events(ds, subjectId)).toEqual([]);
    expect((await clocks.clocksOf(subjectId))[0].status).toBe('stopped');
    await app.close();
  });

  it('lets two scanners run at once without firing a clock twice', async () => {
    const { clocks, ds } = await boot();
    const subjectIds = Array.from({ length: 20 }, () => randomUUID());
    await ds.transaction(async (m) => {
      for (const subjectId of subjectIds) {
        await clocks.start(m, { subjectType: 'clue', subjectId, step: 'reporter_notice', dutyAgencyId: randomUUID(), regionCode: '620700', startedAt: new Date('2025-11-03T00:00:00Z') });
      }
    });
    const later = new Date('2026-01-01T00:00:00Z');
    const [a, b] = await Promise.all([clocks.fireDue(later), clocks.fireDue(later)]);
    expect(a + b).toBe(20);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'clock.overdue' AND envelope->'payload'->>'subjectId' = ANY($1)`, [subjectIds]);
    expect(n).toBe(20);
    await app.close();
  });

  it('reminds once at each configured lead time, and never for a lead longer than the period', async () => {
    const { clocks, ds } = await boot([1440, 120, 10_000]);
    const subjectId = randomUUID();
    const startedAt = new Date('2025-11-10T08:00:00Z');
    await ds.transaction((m) => clocks.start(m, { subjectType: 'transfer', subjectId, step: 'filing_decision', dutyAgencyId: randomUUID(), regionCode: '620702', startedAt }));
    const due = new Date('2025-11-13T16:00:00Z');
    const at = (hoursBefore: number) => new Date(due.getTime() - hoursBefore * 3600_000);
    expect(await clocks.fireDue(at(30))).toBe(0);
    expect(await clocks.fireDue(at(23))).toBe(1); // a day before
    expect(await clocks.fireDue(at(22))).toBe(0);
    expect(await clocks.fireDue(at(1.5))).toBe(1); // two hours before
    expect(await clocks.fireDue(at(1))).toBe(0);
    const fired = await events(ds, subjectId);
    expect(fired.map((e) => [e.type, e.payload.leadMinutes])).toEqual([
      ['clock.due_soon', 1440],
      ['clock.due_soon', 120],
    ]);
  });

  it('moves running deadlines to where a holiday notice loaded later puts them, and leaves the others alone', async () => {
    let { clocks, ds } = await boot();
    const counted = randomUUID();
    const given = randomUUID();
    const missed = randomUUID();
    const start = (subjectId: string, step: string, startedAt: string, dueAt?: string) =>
      ds.transaction((m) =>
        clocks.start(m, { subjectType: 'clue', subjectId, step, dutyAgencyId: randomUUID(), regionCode: '620702', startedAt: new Date(startedAt), dueAt: dueAt ? new Date(dueAt) : undefined }),
      );
    // Mon 25 Jan 2027: before 2027's notice, 15 working days are the weekdays, to 24:00 Mon 15 Feb.
    await start(counted, 'clue_filing_decision', '2027-01-25T02:00:00Z');
    await start(given, 'report_back', '2027-01-25T02:00:00Z', '2027-02-10T16:00:00Z');
    await start(missed, 'clue_filing_decision', '2026-12-01T02:00:00Z');
    expect(await clocks.fireDue(new Date('2027-01-25T03:00:00Z'))).toBeGreaterThan(0); // the December clock escalates
    const dueOf = async (subjectId: string) => ((await ds.query(`SELECT due_at FROM clock WHERE subject_id = $1`, [subjectId])) as { due_at: Date }[])[0].due_at;
    expect(await dueOf(counted)).toEqual(new Date('2027-02-15T16:00:00Z'));
    const missedDue = await dueOf(missed);
    await app.close();

    // The notice: Spring Festival off from Sat 6 to Fri 12 Feb, Sat 20 Feb worked instead.
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    const file = join(dir, 'holidays.json');
    writeFileSync(file, JSON.stringify([{ year: 2027, holidays: ['2027-01-01', ...[6, 7, 8, 9, 10, 11, 12].map((d) => `2027-02-${String(d).padStart(2, '0')}`)], makeUpWorkdays: ['2027-02-20'], source: 'test notice' }]));
    ({ clocks, ds } = await boot([], file));
    // 26–29 Jan, 1–5 Feb, 15–19 Feb and the make-up Saturday: to 24:00 Sat 20 Feb.
    expect(await dueOf(counted)).toEqual(new Date('2027-02-20T16:00:00Z'));
    expect((await clocks.clocksOf(counted, new Date('2027-02-16T02:00:00Z')))[0].status).not.toBe('overdue');
    expect(await dueOf(given)).toEqual(new Date('2027-02-10T16:00:00Z'));
    expect(await dueOf(missed)).toEqual(missedDue);
    const audited: { target: string; detail: Record<string, string> }[] = await ds.query(`SELECT target, detail FROM audit_log WHERE action = 'clock.rescheduled' ORDER BY id`);
    const [clock] = await ds.query(`SELECT id FROM clock WHERE subject_id = $1`, [counted]);
    expect(audited).toEqual([{ target: clock.id, detail: { subjectId: counted, step: 'clue_filing_decision', reason: 'holiday_calendar', from: '2027-02-15T16:00:00.000Z', to: '2027-02-20T16:00:00.000Z' } }]);
    // Started again on the same calendar, nothing moves a second time.
    await app.close();
    ({ clocks, ds } = await boot([], file));
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'clock.rescheduled'`)).toEqual([{ n: 1 }]);
  });
});
