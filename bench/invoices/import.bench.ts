/**
 * bench/invoices/import: how long finance waits for an import file, and what it costs the
 * verifications asked meanwhile.
 *
 *   node -r @swc-node/register bench/invoices/import.bench.ts [invoicesPerFile=50000] [files=3]
 *
 * Signs `files` CSV files of `invoicesPerFile` invoices each (SM2, as an issuer does), uploads each
 * through POST /api/v1/invoices/imports/files and follows it (GET /api/v1/invoices/imports/{id},
 * every 100 ms) until it is imported. Meanwhile one officer verifies single invoices one after
 * another; the same is done before the imports, on an idle platform, for comparison. The whole
 * platform runs in this process (the end-to-end harness), in its own schemas; they and the stored
 * files are removed at the end. Needs PostgreSQL and NATS as the tests do.
 */
import 'reflect-metadata';
import { sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalInvoice, InvoiceRecord } from '@lianban/contracts';
import { TestIsolation } from '@lianban/testing';
import { csvFile, draft, sm2Pair } from '../../apps/gateway/test/invoice-fixtures';
import { startDemoPlatform } from '../../apps/gateway/test/platform';

const PER_FILE = Number(process.argv[2] ?? 50_000);
const FILES = Number(process.argv[3] ?? 3);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const iso = new TestIsolation();
  const storeDir = mkdtempSync(join(tmpdir(), 'lianban-import-bench-'));
  const platform = await startDemoPlatform(iso, { config: { evidenceStoreDir: storeDir, invoiceVerificationsPerMinute: 10_000_000 } });
  try {
    const issuer = sm2Pair();
    const finance = await platform.as('zhangye-finance-officer');
    const officer = await platform.as('ganzhou-mi-officer');
    await platform.api.call('POST', '/invoices/issuers', finance, { code: 'H62070200001', name: '张掖市人民医院', publicKeyPem: issuer.publicKeyPem });

    // The files, signed on the thread pool (two cores) before anything is measured.
    const signedAsync = (n: number) =>
      new Promise<InvoiceRecord>((resolve, reject) => {
        const r = draft(n, { amountFen: 10_000 + (n % 90_000) });
        sign('sm3', Buffer.from(canonicalInvoice(r), 'utf8'), issuer.privateKey, (e, sig) => (e ? reject(e) : resolve({ ...r, signature: sig.toString('hex') })));
      });
    const files: Buffer[] = [];
    for (let f = 0; f < FILES; f++) {
      const rows: InvoiceRecord[] = [];
      for (let at = 0; at < PER_FILE; at += 1000) rows.push(...(await Promise.all(Array.from({ length: Math.min(1000, PER_FILE - at) }, (_, k) => signedAsync(1 + f * PER_FILE + at + k)))));
      files.push(Buffer.from(csvFile(rows), 'utf8'));
    }

    // Single verifications one after another until `until` resolves: their latencies.
    const verifyWhile = async (until: Promise<unknown>) => {
      let done = false;
      void until.then(() => (done = true));
      const took: number[] = [];
      let n = 0;
      while (!done) {
        const t0 = performance.now();
        const res = await platform.api.call('POST', '/invoices/verifications', officer, { code: '62060126', number: String(1 + (n++ % PER_FILE)).padStart(10, '0'), checkCode: '1a9c3f' });
        if (res.status !== 201) throw new Error(`verification answered ${res.status}`);
        took.push(performance.now() - t0);
      }
      return took.sort((a, b) => a - b);
    };
    const idle = await verifyWhile(new Promise((r) => setTimeout(r, 5000)));

    const imports: { mb: number; uploadMs: number; importS: number }[] = [];
    const during: number[] = [];
    for (const file of files) {
      const t0 = performance.now();
      const res = await fetch(`${platform.url}/api/v1/invoices/imports/files?format=csv&name=bench.csv`, { method: 'POST', headers: { authorization: `Bearer ${finance}`, 'content-type': 'application/octet-stream' }, body: file });
      const accepted = (await res.json()) as { id: string; status: string };
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(accepted)}`);
      const uploaded = performance.now();
      const finished = (async () => {
        for (;;) {
          const view = (await platform.api.call('GET', `/invoices/imports/${accepted.id}`, finance)).body as { status: string; imported: number; errorCount: number };
          if (view.status !== 'pending') return view;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      during.push(...(await verifyWhile(finished)));
      const view = await finished;
      if (view.status !== 'imported' || view.imported !== PER_FILE) throw new Error(`import ended ${JSON.stringify(view)}`);
      imports.push({ mb: file.length / 1024 / 1024, uploadMs: uploaded - t0, importS: (performance.now() - uploaded) / 1000 });
    }
    during.sort((a, b) => a - b);

    console.log(`\n${new Date().toISOString()} · ${cpus().length} cores · load ${loadavg().map((l) => l.toFixed(1)).join(' ')} · Node ${process.version}`);
    console.log(`\n| file | invoices | MB | upload ms | import s | invoices/s |\n|---|---|---|---|---|---|`);
    imports.forEach((r, i) => console.log(`| ${i + 1} | ${PER_FILE.toLocaleString('en')} | ${r.mb.toFixed(1)} | ${r.uploadMs.toFixed(0)} | ${r.importS.toFixed(1)} | ${Math.round(PER_FILE / r.importS).toLocaleString('en')} |`));
    const speeds = imports.map((r) => PER_FILE / r.importS).sort((a, b) => a - b);
    console.log(`\nmedian: ${Math.round(quantile(speeds, 0.5)).toLocaleString('en')} invoices/s`);
    console.log(`\n| single verification | count | median ms | p99 ms |\n|---|---|---|---|`);
    console.log(`| idle platform | ${idle.length} | ${ms(quantile(idle, 0.5))} | ${ms(quantile(idle, 0.99))} |`);
    console.log(`| while files are imported | ${during.length} | ${ms(quantile(during, 0.5))} | ${ms(quantile(during, 0.99))} |`);
  } finally {
    await platform.stop();
    await iso.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
