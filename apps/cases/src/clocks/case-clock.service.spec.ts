import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { computeDeadline, endOfShanghaiDay, loadCalendar, startOfShanghaiDay } from '@lianban/clocks';
import { createServiceApp, overdueClocksByAgency } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { AppModule } from '../app.module';
import { CaseClockService } from './case-clock.service';

/** The 90-day clock of a case against real PostgreSQL: pauses, extensions, and nothing fired while paused. */
describe('case clocks (shared deadline engine)', () => {
  const iso = new TestIsolation();
  let app: INestApplication;
  let clocks: CaseClockService;
  let ds: DataSource;
  const calendar = loadCalendar(undefined);

  beforeAll(async () => {
    app = await createServiceApp(AppModule.forRoot(iso.config('cases'), { clockTickMs: 3_600_000 }));
    await app.init();
    clocks = app.get(CaseClockService);
    ds = app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await app?.close();
    await iso.cleanup();
  });

  const day = (d: string) => new Date(`${d}T02:00:00Z`); // 10:00 in Shanghai
  const conclusion = async (id: string, now: Date) => (await clocks.clocksOf(id, now)).find((c) => c.step === 'conclusion')!;
  const fired = async (id: string) => (await ds.query(`SELECT type FROM outbox_event WHERE envelope->'payload'->>'subjectId' = $1 ORDER BY seq`, [id])).map((r: { type: string }) => r.type);
  const start = (id: string, at: Date, more: { dutyAgencyId?: string; regionCode?: string; dueAt?: Date } = {}) =>
    ds.transaction((m) => clocks.start(m, { subjectType: 'case', subjectId: id, step: 'conclusion', dutyAgencyId: randomUUID(), regionCode: '620702', startedAt: at, ...more }));

  it.each([
    // [filed, pause from, pause to, days taken out]
    ['2026-03-02', '2026-03-10', '2026-03-20', 10],
    ['2026-03-02', '2026-03-10', '2026-03-10', 0],
    ['2026-03-02', '2026-04-01', '2026-04-16', 15],
  ])('filed %s and paused from %s to %s: the 90 days end %i days later', async (filed, from, to, days) => {
    const id = randomUUID();
    await start(id, day(filed));
    await ds.transaction((m) => clocks.pause(m, id, 'conclusion', day(from)));
    expect((await conclusion(id, day(from))).status).toBe('paused');
    await ds.transaction((m) => clocks.resume(m, id, 'conclusion', day(to)));
    const c = await conclusion(id, day(to));
    expect(c.dueAt).toBe(computeDeadline(day(filed), { amount: 90 + days, unit: 'calendar_days' }, calendar).toISOString());
    expect(c.pauses).toEqual([{ from: day(from).toISOString(), to: day(to).toISOString() }]);
  });

  it('shows a clock paused past its old deadline as paused, not overdue, and moves the deadline of one stopped while paused', async () => {
    const id = randomUUID();
    await start(id, day('2025-01-06'));
    await ds.transaction((m) => clocks.pause(m, id, 'conclusion', day('2025-03-20')));
    expect((await conclusion(id, day('2025-04-20'))).status).toBe('paused');
    // Decided during a test: stopped the day the test ended, the 20 days it took out do not make it late.
    await ds.transaction((m) => clocks.stop(m, id, ['conclusion'], day('2025-04-09')));
    const c = await conclusion(id, day('2025-04-20'));
    expect(c).toMatchObject({ status: 'stopped', stoppedAt: day('2025-04-09').toISOString(), pausedSince: null });
    expect(c.dueAt).toBe(computeDeadline(day('2025-01-06'), { amount: 90 + 20, unit: 'calendar_days' }, calendar).toISOString());
    expect(new Date(c.stoppedAt!) < new Date(c.dueAt)).toBe(true);
  });

  it('counts a deadline at 24:00 on a quarter’s last day in that quarter, and not a clock paused now', async () => {
    const region = '629901';
    const agency = randomUUID();
    const endOfQ1 = endOfShanghaiDay('2026-03-31');
    await start(randomUUID(), day('2026-01-05'), { dutyAgencyId: agency, regionCode: region, dueAt: endOfQ1 });
    const paused = randomUUID();
    await start(paused, day('2026-01-05'), { dutyAgencyId: agency, regionCode: region, dueAt: endOfShanghaiDay('2026-03-30') });
    await ds.transaction((m) => clocks.pause(m, paused, 'conclusion', day('2026-03-20')));
    const q = (from: string, to: string) => overdueClocksByAgency(ds, `${region}%`, { from: startOfShanghaiDay(from), to: endOfShanghaiDay(to) });
    expect(await q('2026-01-01', '2026-03-31')).toEqual({ [agency]: 1 });
    expect(await q('2026-04-01', '2026-06-30')).toEqual({});
  });

  it('refuses an extension once the time has run out: the missed deadline stays on record', async () => {
    const id = randomUUID();
    await start(id, day('2026-01-05'));
    const due = new Date((await conclusion(id, day('2026-01-05'))).dueAt);
    const late = ds.transaction((m) => clocks.setLimit(m, id, 'conclusion', { amount: 120, unit: 'calendar_days' }, new Date(due.getTime() + 1000)));
    await expect(late).rejects.toMatchObject({ status: 409, code: 'DEADLINE_PASSED' });
    expect((await conclusion(id, new Date(due.getTime() + 1000))).dueAt).toBe(due.toISOString());
    // A moment before, it is granted.
    await ds.transaction((m) => clocks.setLimit(m, id, 'conclusion', { amount: 120, unit: 'calendar_days' }, new Date(due.getTime() - 1000)));
    expect((await conclusion(id, due)).status).toBe('running');
  });

  it('neither warns nor escalates while paused, and escalates once after the extended limit runs out', async () => {
    const id = randomUUID();
    await start(id, day('2026-01-05'));
    const due90 = new Date((await conclusion(id, day('2026-01-05'))).dueAt);
    await ds.transaction((m) => clocks.pause(m, id, 'conclusion', day('2026-03-01')));
    await clocks.fireDue(new Date(due90.getTime() + 86_400_000));
    expect(await fired(id)).toEqual([]);
    await ds.transaction((m) => clocks.resume(m, id, 'conclusion', day('2026-03-11')));
    await ds.transaction((m) => clocks.setLimit(m, id, 'conclusion', { amount: 120, unit: 'calendar_days' }, day('2026-03-11')));
    const c = await conclusion(id, day('2026-03-11'));
    // 120 days and the 10 paused ones.
    expect(c.dueAt).toBe(computeDeadline(day('2026-01-05'), { amount: 130, unit: 'calendar_days' }, calendar).toISOString());
    await clocks.fireDue(new Date(new Date(c.dueAt).getTime() - 3_600_000));
    await clocks.fireDue(new Date(c.dueAt));
    await clocks.fireDue(new Date(new Date(c.dueAt).getTime() + 86_400_000));
    expect(await fired(id)).toEqual(['clock.due_soon', 'clock.overdue']);
    expect((await conclusion(id, new Date(c.dueAt))).status).toBe('overdue');
  });
});
