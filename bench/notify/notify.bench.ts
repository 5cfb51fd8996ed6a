/**
 * bench/notify: event-to-inbox latency under load. Publishes overdue-clock events to JetStream
 * (as clue-transfer's relay does) and measures, per event, the time from publication to the
 * committed inbox items (the escalation reaches three agencies: one agencies look-up each).
 *
 *   node -r @swc-node/register bench/notify/notify.bench.ts [events=2000] [perSecond=200]
 *
 * Needs PostgreSQL and NATS as the tests do; runs the platform in this process in its own schemas
 * and subjects, dropped at the end. Bounded: it stops after the given number of events.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@lianban/contracts';
import { NatsBus, publishEvent } from '@lianban/messaging';
import { openDataSource } from '@lianban/persistence';
import { eventually, TestIsolation } from '@lianban/testing';
import { loadDemo } from '../../apps/agencies/src/demo/load-demo';
import { migrations } from '../../apps/agencies/src/migrations';
import { startPlatform } from '../../apps/gateway/test/platform';

const EVENTS = Number(process.argv[2] ?? 2000);
const PER_SECOND = Number(process.argv[3] ?? 200);

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const iso = new TestIsolation();
  const platform = await startPlatform(iso);
  const agencies = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('agencies'), entities: [], migrations });
  try {
    await loadDemo(agencies);
    const [police] = await agencies.query(`SELECT id FROM agency WHERE name = '张掖市公安局甘州分局'`);
    const bus = platform.gateway.get(NatsBus);
    const inbox = platform.services.get('notifications')!.get(DataSource);
    const sent = new Map<string, number>();
    const started = Date.now();
    for (let i = 0; i < EVENTS; i++) {
      const due = started + (i * 1000) / PER_SECOND;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const e: EventEnvelope = {
        id: randomUUID(),
        type: 'clock.overdue',
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        source: 'bench',
        actor: { kind: 'system', id: 'bench' },
        correlationId: `bench-${i}`,
        payload: { subjectType: 'transfer', subjectId: randomUUID(), step: 'filing_decision', label: '公安决定是否立案', dutyAgencyId: police.id, regionCode: '620702', dueAt: new Date().toISOString(), escalateTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] },
      };
      sent.set(e.id, Date.now());
      void publishEvent(bus, e);
    }
    const publishedIn = Date.now() - started;
    await eventually(async () => (await inbox.query(`SELECT count(DISTINCT event_id)::int AS n FROM notification`))[0].n >= EVENTS, 600_000, 250);
    const rows: { event_id: string; at: Date }[] = await inbox.query(`SELECT event_id, max(created_at) AS at FROM notification GROUP BY event_id`);
    const latencies = rows.map((r) => r.at.getTime() - sent.get(r.event_id)!).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    const [{ n }] = await inbox.query(`SELECT count(*)::int AS n FROM notification`);
    const drained = Math.max(...rows.map((r) => r.at.getTime())) - started;
    console.log(`\n## bench/notify — ${new Date().toISOString()} — ${EVENTS} overdue events offered at ${PER_SECOND}/s (published in ${(publishedIn / 1000).toFixed(1)} s)\n`);
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| event → inbox, median | ${pct(50)} ms |`);
    console.log(`| event → inbox, p99 | ${pct(99)} ms |`);
    console.log(`| event → inbox, max | ${latencies[latencies.length - 1]} ms |`);
    console.log(`| inbox items written | ${n} (3 agencies per event) |`);
    console.log(`| sustained | ${(EVENTS / (drained / 1000)).toFixed(0)} events/s |`);
  } finally {
    await agencies.destroy();
    await platform.stop();
    await iso.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
