/**
 * bench/invoices: batch verification through the gateway against a large register, beside a raw
 * SQL join of the same lookups in the same run (the ratio is the result).
 *
 *   node -r @swc-node/register bench/invoices/invoices.bench.ts [register=10000000] [verify=1000000] [concurrency=2]
 *
 * The register is written straight into the service's schema in batches (each row sealed with the
 * service's key, as an import would; the issuers' SM2 signatures, checked on import, are not what
 * is measured here). Verification goes through POST /api/v1/invoices/verifications/batch, 5,000
 * invoices a request. The invoices service runs as its own process, as `npm start` runs it (the
 * gateway, the other services and this client share this one). The raw join runs before and after
 * the gateway path (the gateway path adds to each invoice's history, i.e. updates its row); the
 * ratio is taken against the faster of the two. Needs PostgreSQL and NATS as the tests do;
 * everything stays on this machine and the schemas are dropped at the end. Bounded by its arguments.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { TestIsolation } from '@lianban/testing';
import { startDemoPlatform } from '../../apps/gateway/test/platform';
import { seal, sealKeyOf } from '../../apps/invoices/src/register/signature';

const REGISTER = Number(process.argv[2] ?? 10_000_000);
const VERIFY = Number(process.argv[3] ?? 1_000_000);
const CONCURRENCY = Number(process.argv[4] ?? 2);
const BATCH = 5000;
const SEARCHES = 200;
const INSERT_BATCH = 20_000;

const numberOf = (i: number) => String(i).padStart(10, '0');
const checkOf = (i: number) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').slice(0, 6);

/**
 * CPU time (ms) spent by a process and by the PostgreSQL backends serving it (found by the client
 * ports of its TCP sockets): what each path costs, whatever else the shared machine is doing.
 * Linux only; zeros elsewhere.
 */
function ticksOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function clientPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
    return readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length > 9 && inodes.has(f[9]))
      .map((f) => parseInt(f[1].split(':')[1], 16));
  } catch {
    return [];
  }
}

async function cpuOf(pool: Pool, pids: Record<string, number>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    out[name] = ticksOf(pid);
    const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])`, [clientPorts(pid)]);
    for (const r of rows) out[`${name}:pg:${r.pid}`] = ticksOf(r.pid);
  }
  return out;
}

/** CPU ms per 1,000 invoices between two cpuOf readings, per process and for its backends together. */
function cpuPerThousand(before: Record<string, number>, after: Record<string, number>, invoices: number, names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) {
    out[name] = ((after[name] ?? 0) - (before[name] ?? 0)) / (invoices / 1000);
    const pg = Object.keys(after).filter((k) => k.startsWith(`${name}:pg:`));
    out[`${name} → PostgreSQL`] = pg.reduce((sum, k) => sum + after[k] - (before[k] ?? 0), 0) / (invoices / 1000);
  }
  return out;
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const iso = new TestIsolation();
  const platform = await startDemoPlatform(iso, { config: { invoiceVerificationsPerMinute: 1e9 } });
  const pool = new Pool({ connectionString: iso.databaseUrl, max: CONCURRENCY + 1, options: `-c search_path=${iso.schema('invoices')}` });
  // The in-process invoices service has migrated its schema; from here its own process answers.
  await platform.stopService('invoices');
  const config = iso.config('invoices');
  // BENCH_SERVICE_NODE_OPTIONS: e.g. --prof, to profile the service too.
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  let service: ChildProcess | undefined = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', join(__dirname, '../../apps/invoices/src/main.ts')], {
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: iso.databaseUrl, NATS_URL: iso.natsUrl, SUBJECT_PREFIX: iso.subjectPrefix, SCHEMA_PREFIX: iso.schemaPrefix, PORT: '0', LOG_LEVEL: 'error', INVOICE_VERIFICATIONS_PER_MINUTE: '1000000000' },
  });
  service.on('exit', (code) => {
    if (service) console.error(`the invoices service stopped (${code})`);
    service = undefined;
  });
  try {
    const sealKey = sealKeyOf(config.internalSigningKey);
    await pool.query(`INSERT INTO issuer (code, name, public_key_pem, registered_by) VALUES ('H62070200001', '张掖市人民医院', 'bench', $1)`, [platform.ids['zhangye-finance-officer']]);

    const t = performance.now();
    for (let from = 1; from <= REGISTER; from += INSERT_BATCH) {
      const to = Math.min(REGISTER, from + INSERT_BATCH - 1);
      const numbers: string[] = [];
      const checks: string[] = [];
      const amounts: number[] = [];
      const seals: string[] = [];
      for (let i = from; i <= to; i++) {
        const r = { code: '62060126', number: numberOf(i), checkCode: checkOf(i), kind: 'outpatient' as const, issuedOn: '2026-03-02', amountFen: 10_000 + (i % 50_000), issuerCode: 'H62070200001', payerName: '参保人', signature: 'bench', status: 'normal' as const };
        numbers.push(r.number);
        checks.push(r.checkCode);
        amounts.push(r.amountFen);
        seals.push(seal(sealKey, r));
      }
      await pool.query(
        `INSERT INTO invoice (code, number, check_code, kind, issued_on, amount_fen, issuer_code, payer_name, status, signature, seal)
         SELECT '62060126', n, c, 'outpatient', '2026-03-02', a, 'H62070200001', '参保人', 'normal', 'bench', s FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS x(n, c, a, s)`,
        [numbers, checks, amounts, seals],
      );
      if ((to / INSERT_BATCH) % 50 === 0) process.stderr.write(`register: ${to.toLocaleString()} rows\n`);
    }
    // As a register loaded earlier would be: hint bits set, statistics taken (neither path pays for a first read).
    await pool.query('VACUUM ANALYZE invoice');
    const loadSeconds = (performance.now() - t) / 1000;

    // The invoices to verify: spread over the register, one in twenty absent.
    const step = Math.max(1, Math.floor(REGISTER / VERIFY));
    const wanted = Array.from({ length: VERIFY }, (_, k) => {
      const i = k % 20 === 19 ? REGISTER + k + 1 : 1 + ((k * step) % REGISTER);
      return { code: '62060126', number: numberOf(i), checkCode: checkOf(i) };
    });
    const batches = Array.from({ length: Math.ceil(VERIFY / BATCH) }, (_, b) => wanted.slice(b * BATCH, (b + 1) * BATCH));
    const token = await platform.as('ganzhou-police-officer');

    const run = async (work: (batch: typeof wanted) => Promise<number>): Promise<{ seconds: number; latencies: number[]; found: number }> => {
      let next = 0;
      let found = 0;
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < batches.length) {
            const b = batches[next++];
            const t0 = performance.now();
            const n = await work(b);
            found += n;
            latencies.push(performance.now() - t0);
          }
        }),
      );
      return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), found };
    };

    for (let ready = false; !ready; ) {
      ready = (await fetch(`${platform.url}/api/v1/invoices/receipt-key`)).status === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    const rawJoin = async (b: typeof wanted) => {
      const { rows } = await pool.query(
        `SELECT i.code, i.number, i.check_code, i.issued_on, i.amount_fen, i.status, i.seal
           FROM unnest($1::bpchar[], $2::bpchar[]) AS q(code, number) JOIN invoice i ON i.code = q.code AND i.number = q.number`,
        [b.map((x) => x.code), b.map((x) => x.number)],
      );
      return rows.length;
    };
    const loadBefore = loadavg()[0];
    const pids = { 'bench process (gateway, client)': process.pid, 'invoices service': service!.pid! };
    const names = Object.keys(pids);
    const c0 = await cpuOf(pool, pids);
    const rawBefore = await run(rawJoin);
    const c1 = await cpuOf(pool, pids);
    const gateway = await run(async (b) => {
      const res = await fetch(`${platform.url}/api/v1/invoices/verifications/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: b }),
      });
      const lines = (await res.text()).trim().split('\n');
      const summary = JSON.parse(lines[lines.length - 1]).summary;
      if (!summary || summary.total !== b.length) throw new Error(`batch failed: ${lines[lines.length - 1]}`);
      return summary.valid ?? 0;
    });
    const c2 = await cpuOf(pool, pids);
    const rawAfter = await run(rawJoin);
    const c3 = await cpuOf(pool, pids);
    // Who checked this invoice: the search by number (as the console asks it) among the verifications just recorded.
    const searches: number[] = [];
    for (let k = 0; k < SEARCHES; k++) {
      const { number } = wanted[Math.floor((k * 7919) % VERIFY)];
      const t0 = performance.now();
      const res = await fetch(`${platform.url}/api/v1/invoices/verifications?number=${number}`, { headers: { authorization: `Bearer ${token}` } });
      const found = (await res.json()) as unknown[];
      searches.push(performance.now() - t0);
      if (res.status !== 200 || found.length < 1) throw new Error(`search for ${number} found ${JSON.stringify(found).slice(0, 200)}`);
    }
    searches.sort((a, b) => a - b);
    const raw = rawBefore.seconds <= rawAfter.seconds ? rawBefore : rawAfter;
    const p = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor((q / 100) * xs.length))].toFixed(0);
    const rate = (r: { seconds: number }) => VERIFY / r.seconds;
    console.log(`\n## bench/invoices — ${new Date().toISOString()} — register ${REGISTER.toLocaleString()}, verify ${VERIFY.toLocaleString()} in batches of ${BATCH}, ${CONCURRENCY} at a time`);
    console.log(`\nregister written in ${loadSeconds.toFixed(0)} s (with VACUUM ANALYZE); ${cpus().length} cores, Node ${process.version}; load average ${loadBefore.toFixed(1)} before the runs, ${loadavg()[0].toFixed(1)} after (the machine is shared)\n`);
    console.log('| path | invoices/s | batch median ms | batch p99 ms | found |');
    console.log('|---|---|---|---|---|');
    console.log(`| gateway → invoices service in its own process (validation, verdicts, seals, check history, verification records) | ${rate(gateway).toFixed(0)} | ${p(gateway.latencies, 50)} | ${p(gateway.latencies, 99)} | ${gateway.found} valid |`);
    console.log(`| raw SQL join of the same lookups, before | ${rate(rawBefore).toFixed(0)} | ${p(rawBefore.latencies, 50)} | ${p(rawBefore.latencies, 99)} | ${rawBefore.found} rows |`);
    console.log(`| raw SQL join of the same lookups, after | ${rate(rawAfter).toFixed(0)} | ${p(rawAfter.latencies, 50)} | ${p(rawAfter.latencies, 99)} | ${rawAfter.found} rows |`);
    console.log(`\n**Ratio: ${((rate(gateway) / rate(raw)) * 100).toFixed(1)}% of the raw join's speed (the faster raw run).**`);
    console.log(`\nSearching the ${VERIFY.toLocaleString()} verifications by invoice number (\`GET /invoices/verifications?number=\`), ${SEARCHES} one after another: median ${searches[SEARCHES >> 1].toFixed(1)} ms, p99 ${searches[Math.floor(SEARCHES * 0.99)].toFixed(1)} ms.`);
    const cpu = [cpuPerThousand(c0, c1, VERIFY, names), cpuPerThousand(c1, c2, VERIFY, names), cpuPerThousand(c2, c3, VERIFY, names)];
    console.log('\nCPU time per 1,000 invoices (ms), by process and the PostgreSQL backends serving it:\n');
    console.log('| process | raw join, before | gateway path | raw join, after |');
    console.log('|---|---|---|---|');
    for (const k of Object.keys(cpu[0])) console.log(`| ${k} | ${cpu[0][k].toFixed(1)} | ${cpu[1][k].toFixed(1)} | ${cpu[2][k].toFixed(1)} |`);
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    console.log(`| total | ${total(cpu[0]).toFixed(1)} | ${total(cpu[1]).toFixed(1)} | ${total(cpu[2]).toFixed(1)} |`);
  } finally {
    const child = service;
    service = undefined;
    if (child) await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
    await pool.end();
    await platform.stop();
    await iso.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
