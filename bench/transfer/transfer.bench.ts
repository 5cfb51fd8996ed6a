/**
 * bench/transfer: the full path of a transfer to police through the gateway, with concurrent
 * officers, beside the same database work done with raw SQL in the same run.
 *
 *   node -r @swc-node/register bench/transfer/transfer.bench.ts [transfers=200] [concurrency=8]
 *
 * Needs PostgreSQL and NATS as the tests do (TEST_DATABASE_URL, TEST_NATS_URL). The platform
 * runs in this process (all services and the gateway, as in the end-to-end suites), in its own
 * schemas, which are dropped at the end. Loops are bounded; everything stays on 127.0.0.1.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { openDataSource } from '@lianban/persistence';
import { TestIsolation } from '@lianban/testing';
import { loadDemo } from '../../apps/agencies/src/demo/load-demo';
import { migrations as agencyMigrations } from '../../apps/agencies/src/migrations';
import { apiClient } from '../../apps/gateway/test/api';
import { startPlatform } from '../../apps/gateway/test/platform';

const TRANSFERS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const STEPS = ['draft', 'submit', 'approve', 'send', 'receipt', 'file'] as const;
type Step = (typeof STEPS)[number];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runPool<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return performance.now() - started;
}

function report(title: string, timings: Record<Step, number[]>, elapsedMs: number): { perSecond: number } {
  const perSecond = (TRANSFERS * STEPS.length) / (elapsedMs / 1000);
  console.log(`\n### ${title}\n`);
  console.log('| step | median ms | p99 ms |');
  console.log('|---|---|---|');
  for (const s of STEPS) {
    const sorted = [...timings[s]].sort((a, b) => a - b);
    console.log(`| ${s} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} |`);
  }
  console.log(`\n${TRANSFERS} transfers × ${STEPS.length} steps in ${(elapsedMs / 1000).toFixed(2)} s: **${perSecond.toFixed(0)} steps/s** (${(TRANSFERS / (elapsedMs / 1000)).toFixed(1)} transfers/s)`);
  return { perSecond };
}

const empty = () => Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as unknown as Record<Step, number[]>;

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const iso = new TestIsolation();
  const platform = await startPlatform(iso);
  const agencies = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('agencies'), entities: [], migrations: agencyMigrations });
  const pool = new Pool({ connectionString: iso.databaseUrl, max: CONCURRENCY, options: `-c search_path=${iso.schema('clue_transfer')}` });
  try {
    await loadDemo(agencies);
    const api = apiClient(platform.url);
    const [police] = await agencies.query(`SELECT id FROM agency WHERE name = '张掖市公安局甘州分局'`);
    const team = (await agencies.query(`SELECT id FROM account WHERE username IN ('ganzhou-mi-officer', 'ganzhou-mi-officer2') ORDER BY username`)).map((r: { id: string }) => r.id);
    const token = Object.fromEntries(
      await Promise.all(['ganzhou-mi-officer', 'ganzhou-mi-head', 'ganzhou-police-officer', 'ganzhou-police-head'].map(async (u) => [u, await api.tokenOf(u)])),
    ) as Record<string, string>;

    const timed = async (timings: Record<Step, number[]>, step: Step, fn: () => Promise<{ status: number; body: unknown }>) => {
      const t0 = performance.now();
      const res = await fn();
      timings[step].push(performance.now() - t0);
      if (res.status >= 300) throw new Error(`${step} failed: ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };

    // Warm-up: a few transfers through the whole path, not measured.
    const gateway = async (timings: Record<Step, number[]>) => {
      const t = await timed(timings, 'draft', () =>
        api.call('POST', '/transfers', token['ganzhou-mi-officer'], { route: 'mi_to_police', receiverAgencyId: police.id, title: '基准测试移送案件', summary: '基准测试：测量移送全流程的吞吐量与延迟。', teamOfficerIds: team }),
      );
      const act = (user: string, body: Record<string, unknown>) => () => api.call('POST', `/transfers/${t.id}/steps`, token[user], body);
      await timed(timings, 'submit', act('ganzhou-mi-officer', { action: 'submit' }));
      await timed(timings, 'approve', act('ganzhou-mi-head', { action: 'approve' }));
      await timed(timings, 'send', act('ganzhou-mi-officer', { action: 'send', documentNumber: '甘医保移〔2026〕基准' }));
      await timed(timings, 'receipt', act('ganzhou-police-officer', { action: 'receipt' }));
      await timed(timings, 'file', act('ganzhou-police-head', { action: 'file', documentNumber: '甘公立〔2026〕基准' }));
    };
    await runPool(10, 2, () => gateway(empty()));
    const viaGateway = empty();
    const gatewayMs = await runPool(TRANSFERS, CONCURRENCY, () => gateway(viaGateway));

    // The same rows written by hand: per step one transaction that locks the transfer, changes
    // its state, appends the step, stops/starts its clock, and writes audit and outbox rows.
    const rawStep = async (timings: Record<Step, number[]>, step: Step, id: string, from: string, to: string, startClock: string | null) => {
      const t0 = performance.now();
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        if (step === 'draft') {
          await c.query(
            `INSERT INTO transfer (id, number, route, state, title, summary, sender_agency_id, sender_region_code, receiver_agency_id, receiver_region_code, receiver_history, drafter_id, team_officer_ids)
             VALUES ($1, $2, 'mi_to_police', 'drafted', 'raw', 'raw', $3, '620702', $3, '620702', ARRAY[$3::uuid], $3, ARRAY[$3::uuid])`,
            [id, `RAW-${id}`, police.id],
          );
        } else {
          await c.query(`SELECT state FROM transfer WHERE id = $1 FOR UPDATE`, [id]);
          await c.query(`UPDATE transfer SET state = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, to]);
          await c.query(`UPDATE clock SET stopped_at = now() WHERE subject_id = $1 AND stopped_at IS NULL`, [id]);
        }
        await c.query(`INSERT INTO transfer_step (transfer_id, seq, action, from_state, to_state, actor_id, agency_id, digest) VALUES ($1, $2, $3, $4, $5, $6, $6, '')`, [id, STEPS.indexOf(step) + 1, step, from, to, police.id]);
        if (startClock) {
          await c.query(`INSERT INTO clock (subject_type, subject_id, step, duty_agency_id, region_code, escalate_to, started_at, due_soon_at, due_at) VALUES ('transfer', $1, $2, $3, '620702', '{}', now(), now() + interval '2 days', now() + interval '3 days')`, [id, startClock, police.id]);
        }
        await c.query(`INSERT INTO audit_log (actor_kind, actor_id, action, target, outcome) VALUES ('officer', $1, $2, $3, 'succeeded')`, [police.id, step, id]);
        await c.query(`INSERT INTO outbox_event (id, type, envelope) VALUES ($1, 'transfer.bench', '{}')`, [randomUUID()]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      timings[step].push(performance.now() - t0);
    };
    const raw = empty();
    const rawMs = await runPool(TRANSFERS, CONCURRENCY, async () => {
      const id = randomUUID();
      await rawStep(raw, 'draft', id, '', 'drafted', null);
      await rawStep(raw, 'submit', id, 'drafted', 'awaiting_approval', 'approval');
      await rawStep(raw, 'approve', id, 'awaiting_approval', 'approved', 'sending');
      await rawStep(raw, 'send', id, 'approved', 'sent', 'receipt');
      await rawStep(raw, 'receipt', id, 'sent', 'received', 'filing_decision');
      await rawStep(raw, 'file', id, 'received', 'filed', 'handover');
    });
    // Raw rows are marked published so the relay leaves them alone.
    await pool.query(`UPDATE outbox_event SET published_at = now() WHERE type = 'transfer.bench'`);

    console.log(`\n## bench/transfer — ${new Date().toISOString()} — ${TRANSFERS} transfers, ${CONCURRENCY} concurrent officers`);
    const g = report('Through the gateway (HTTP → NATS → clue-transfer → PostgreSQL)', viaGateway, gatewayMs);
    const r = report('Raw SQL, same rows per step (pg, one transaction per step)', raw, rawMs);
    console.log(`\n**Ratio: the gateway path runs at ${((g.perSecond / r.perSecond) * 100).toFixed(1)}% of the raw SQL throughput.**`);
  } finally {
    await pool.end();
    await agencies.destroy();
    await platform.stop();
    await iso.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
