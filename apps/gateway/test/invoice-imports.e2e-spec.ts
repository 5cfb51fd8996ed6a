import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { InvoiceRecord } from '@lianban/contracts';
import { TestIsolation, eventually } from '@lianban/testing';
import { ImportService } from '../../invoices/src/register/import.service';
import { Json } from './api';
import { csvFile, draft, jsonl, signed, sm2Pair, voidOf } from './invoice-fixtures';
import { DemoPlatform, startDemoPlatform } from './platform';

/** Import files are taken up to this size here (1.5 MB), so that a file past it is cheap to send. */
const MAX_BYTES = 1_500_000;

/**
 * Import files: finance uploads a file larger than a JSON request can carry, the gateway stores it
 * with its digests, and the invoices service imports it in the background, every row or none.
 */
describe('invoice import files (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let db: DataSource;
  const storeDir = mkdtempSync(join(tmpdir(), 'lianban-invoice-imports-'));
  const issuer = sm2Pair();
  const impostor = sm2Pair();
  const importsDir = join(storeDir, 'invoice-imports');
  const stored = () => (existsSync(importsDir) ? readdirSync(importsDir).sort() : []);

  async function upload(user: string, bytes: Buffer | string, query = 'format=csv&name=%E5%BC%A0%E6%8E%96%E5%B8%82%E4%BA%BA%E6%B0%91%E5%8C%BB%E9%99%A2-11%E6%9C%88.csv', contentType = 'application/octet-stream') {
    const res = await fetch(`${platform.url}/api/v1/invoices/imports/files?${query}`, { method: 'POST', headers: { authorization: `Bearer ${await platform.as(user)}`, 'content-type': contentType }, body: bytes });
    return { status: res.status, body: (await res.json()) as Json };
  }
  const finance = () => platform.as('zhangye-finance-officer');
  const outcome = async (id: string) => eventually(async () => {
    const res = await platform.api.call('GET', `/invoices/imports/${id}`, await finance());
    return res.body.status !== 'pending' && res.body;
  }, 60_000);
  /** The import items in someone's inbox (import files end in the background; the officer who sent one is told). */
  const importItems = async (user: string) => ((await platform.api.call('GET', '/inbox', await platform.as(user))).body as Json[]).filter((n) => n.kind.startsWith('invoice.import_'));
  const toldOf = (user: string, id: string) => eventually(async () => (await importItems(user)).find((n) => n.link === `/invoices?import=${id}`), 30_000);
  const download = async (user: string, id: string) => {
    const res = await fetch(`${platform.url}/api/v1/invoices/imports/${id}/file`, { headers: { authorization: `Bearer ${await platform.as(user)}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const verdictOf = async (n: number) => (await platform.api.call('POST', '/invoices/verifications', await platform.as('ganzhou-mi-officer'), { code: '62060126', number: String(n).padStart(10, '0'), checkCode: '1a9c3f' })).body.verdict;
  const inRegister = async (from: number, to: number) => (await db.query(`SELECT count(*)::int AS n FROM invoice WHERE number BETWEEN $1 AND $2`, [String(from).padStart(10, '0'), String(to).padStart(10, '0')]))[0].n;
  /** Invoices from..to (numbers), signed by the issuer. */
  const invoices = (from: number, count: number): InvoiceRecord[] => Array.from({ length: count }, (_, k) => signed(draft(from + k, { amountFen: 10_000 + k }), issuer.privateKey));

  beforeAll(async () => {
    platform = await startDemoPlatform(iso, { config: { evidenceStoreDir: storeDir, invoiceImportMaxBytes: MAX_BYTES } });
    db = platform.services.get('invoices')!.get(DataSource);
    const reg = await platform.api.call('POST', '/invoices/issuers', await finance(), { code: 'H62070200001', name: '张掖市人民医院', publicKeyPem: issuer.publicKeyPem });
    expect(reg.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('imports a file of 3,000 invoices in the background, more than a JSON request can carry, and keeps the file with its digests', async () => {
    const file = Buffer.from(csvFile(invoices(100_001, 3000)), 'utf8');
    expect(file.length).toBeGreaterThan(512 * 1024);
    const res = await upload('zhangye-finance-officer', file);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      fileName: '张掖市人民医院-11月.csv',
      format: 'csv',
      sizeBytes: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      sm3: createHash('sm3').update(file).digest('hex'),
      status: 'pending',
      importedBy: platform.ids['zhangye-finance-officer'],
      errors: [],
    });
    const done = await outcome(res.body.id);
    expect(done).toMatchObject({ status: 'imported', imported: 3000, errorCount: 0, errors: [], failureCode: null, failure: null, finishedAt: expect.any(String) });
    expect(await inRegister(100_001, 103_000)).toBe(3000);
    expect(await verdictOf(103_000)).toBe('valid');
    // The file as received stays in the store, byte for byte.
    expect(readFileSync(join(importsDir, res.body.id)).equals(file)).toBe(true);
    const list = await platform.api.call('GET', '/invoices/imports', await finance());
    expect(list.body[0]).toMatchObject({ id: res.body.id, status: 'imported', imported: 3000, fileName: '张掖市人民医院-11月.csv' });
    expect(list.body[0].errors).toBeUndefined();
    // The officer who sent it is told it is done, in an item of their own: not the rest of finance.
    expect(await toldOf('zhangye-finance-officer', res.body.id)).toMatchObject({ kind: 'invoice.import_succeeded', priority: 'normal', title: '票据导入完成', body: '导入文件的 3000 张票据已全部登记。' });
    expect(await importItems('zhangye-finance-head')).toEqual([]);
    // Finance can take the file back as it was received, with its digests.
    const back = await download('zhangye-finance-head', res.body.id);
    expect(back.status).toBe(200);
    expect(back.bytes.equals(file)).toBe(true);
    expect(back.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(back.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('张掖市人民医院-11月.csv')}`);
    expect(back.headers.get('x-file-sm3')).toBe(res.body.sm3);
    const audited = await db.query(`SELECT action, actor_id, outcome FROM audit_log WHERE target = $1 ORDER BY id`, [res.body.id]);
    expect(audited).toEqual([
      { action: 'invoice.import_file_received', actor_id: platform.ids['zhangye-finance-officer'], outcome: 'succeeded' },
      { action: 'invoice.import_file', actor_id: platform.ids['zhangye-finance-officer'], outcome: 'succeeded' },
      { action: 'invoice.import_file_download', actor_id: platform.ids['zhangye-finance-head'], outcome: 'succeeded' },
    ]);
  }, 60_000);

  it('refuses a whole file for bad rows near its end, naming them, and puts none of it in the register', async () => {
    const rows = invoices(200_001, 3000);
    rows[1499] = signed(draft(100_001), issuer.privateKey); // already in the register
    rows[2998] = { ...rows[2998], amountFen: 1 }; // altered after signing
    rows[2999] = signed(draft(203_000), impostor.privateKey); // signed by someone else
    const res = await upload('zhangye-finance-officer', csvFile(rows));
    expect(res.status).toBe(202);
    const done = await outcome(res.body.id);
    expect(done).toMatchObject({ status: 'refused', imported: 0, errorCount: 3 });
    expect(done.errors).toEqual([
      { row: 1500, field: 'number', code: 'alreadyInRegister', message: 'invoice 62060126/0000100001 is already in the register', params: { invoice: '62060126/0000100001' } },
      { row: 2999, field: 'signature', code: 'signatureInvalid', message: 'the issuer’s signature does not verify' },
      { row: 3000, field: 'signature', code: 'signatureInvalid', message: 'the issuer’s signature does not verify' },
    ]);
    expect(await inRegister(200_001, 203_000)).toBe(0);
    expect(await verdictOf(200_001)).toBe('not_found');
    expect(await toldOf('zhangye-finance-officer', res.body.id)).toMatchObject({ kind: 'invoice.import_refused', title: '票据导入未通过', body: '导入文件有 3 行未通过校验，整个文件未导入；请按逐行错误修正后重新导入。' });
  }, 60_000);

  it('takes JSON lines with a byte-order mark and CRLF, voids included, and refuses text the register cannot keep', async () => {
    const body = `\uFEFF${jsonl([signed(draft(300_001), issuer.privateKey), signed(draft(300_002), issuer.privateKey)]).replace(/\n/g, '\r\n')}\r\n\r\n`;
    const first = await upload('zhangye-finance-officer', body, 'format=jsonl&name=a.jsonl');
    expect(await outcome(first.body.id)).toMatchObject({ status: 'imported', imported: 2 });
    const second = await upload('zhangye-finance-officer', jsonl([voidOf(300_001, issuer.privateKey)]), 'format=jsonl&name=b.jsonl');
    expect(await outcome(second.body.id)).toMatchObject({ status: 'imported', imported: 1 });
    expect(await verdictOf(300_001)).toBe('voided');
    const bad = `${JSON.stringify(signed(draft(300_003, { payerName: '李\u0000某' }), issuer.privateKey))}\n[1]\n{not json`;
    const third = await upload('zhangye-finance-officer', bad, 'format=jsonl&name=c.jsonl');
    const refused = await outcome(third.body.id);
    expect(refused.status).toBe('refused');
    expect(refused.errors.filter((e: Json) => e.row === 1)).toEqual([{ row: 1, field: 'payerName', code: 'noNulCharacter', message: 'payerName must not contain the NUL character' }]);
    expect(refused.errors.filter((e: Json) => e.row > 1 && e.field === '(line)').map((e: Json) => [e.row, e.code])).toEqual([
      [2, 'notJsonObject'],
      [3, 'notJsonObject'],
    ]);
    expect(await inRegister(300_003, 300_003)).toBe(0);
    // A CSV saved as GBK (Excel's default in Chinese): refused as a whole with what to do, not as garbled names failing their signatures.
    const gbk = Buffer.from(csvFile([signed(draft(300_004), issuer.privateKey)]).replace('李某', '#'), 'utf8');
    const at = gbk.indexOf('#');
    const asGbk = Buffer.concat([gbk.subarray(0, at), Buffer.from([0xc0, 0xee, 0xc4, 0xb3]), gbk.subarray(at + 1)]);
    const fourth = await upload('zhangye-finance-officer', asGbk);
    expect((await outcome(fourth.body.id)).errors).toEqual([{ row: 0, field: '(file)', code: 'notUtf8', message: 'the file is not UTF-8 text: save it as UTF-8 (in Excel: CSV UTF-8)' }]);
  }, 60_000);

  it('refuses, rather than fails, a file with an invoice another import put in the register while it was being written', async () => {
    // Another import's transaction holds invoice 700,002, not committed yet, when this file is written.
    const other = db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    const [{ pid }] = await other.query(`SELECT pg_backend_pid() AS pid`);
    const held = signed(draft(700_002), issuer.privateKey);
    await other.query(
      `INSERT INTO invoice (code, number, check_code, kind, issued_on, amount_fen, issuer_code, payer_name, status, signature, seal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'normal', $9, repeat('0', 64))`,
      [held.code, held.number, held.checkCode, held.kind, held.issuedOn, held.amountFen, held.issuerCode, held.payerName, held.signature],
    );
    const res = await upload('zhangye-finance-officer', csvFile(invoices(700_001, 3)));
    // The import has looked the register up and waits on that invoice to write its own.
    await eventually(async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, [pid]))[0].n > 0, 30_000);
    await other.commitTransaction();
    await other.release();
    const done = await outcome(res.body.id);
    expect(done).toMatchObject({ status: 'refused', imported: 0, errorCount: 1, failureCode: null });
    expect(done.errors).toEqual([{ row: 2, field: 'number', code: 'alreadyInRegister', message: 'invoice 62060126/0000700002 is already in the register', params: { invoice: '62060126/0000700002' } }]);
    expect(await inRegister(700_001, 700_003)).toBe(1);
  }, 60_000);

  it('lets only finance upload or read import files, and stores nothing for anyone else', async () => {
    const before = stored();
    for (const user of ['ganzhou-mi-officer', 'ganzhou-police-officer', 'zhangye-mi-officer']) {
      expect((await upload(user, csvFile(invoices(400_001, 1)))).status).toBe(403);
      expect((await platform.api.call('GET', '/invoices/imports', await platform.as(user))).status).toBe(403);
    }
    const [someone] = (await platform.api.call('GET', '/invoices/imports', await finance())).body;
    for (const user of ['ganzhou-mi-officer', 'zhangye-mi-head']) {
      expect((await platform.api.call('GET', `/invoices/imports/${someone.id}`, await platform.as(user))).status).toBe(403);
      const taken = await download(user, someone.id);
      expect(taken.status).toBe(403);
      expect(taken.bytes.toString()).not.toContain('62060126');
    }
    expect(stored()).toEqual(before);
    expect(await inRegister(400_001, 400_001)).toBe(0);
  });

  it('refuses a file it cannot take with a clear 4xx, and keeps nothing of it', async () => {
    const before = stored();
    const tooLarge = await upload('zhangye-finance-officer', Buffer.alloc(MAX_BYTES + 1, 0x41));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: `An import file may be at most ${MAX_BYTES} bytes.` });
    expect((await upload('zhangye-finance-officer', '{}', 'format=csv&name=a.csv', 'application/json')).status).toBe(415);
    const noFormat = await upload('zhangye-finance-officer', 'x', 'name=a.csv');
    expect(noFormat.status).toBe(400);
    expect(noFormat.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    expect((await upload('zhangye-finance-officer', 'x', 'format=xlsx&name=a.csv')).status).toBe(400);
    expect((await upload('zhangye-finance-officer', 'x', 'format=csv')).status).toBe(400);
    expect((await platform.api.call('GET', '/invoices/imports/not-a-uuid', await finance())).status).toBe(400);
    expect((await platform.api.call('GET', `/invoices/imports/${randomUUID()}`, await finance())).status).toBe(404);
    expect((await download('zhangye-finance-officer', randomUUID())).status).toBe(404);
    expect((await download('zhangye-finance-officer', 'not-a-uuid')).status).toBe(400);
    expect(stored()).toEqual(before);
  });

  it('imports a file an instance left pending when it stopped, and fails one whose stored bytes changed, importing nothing of it', async () => {
    const imports = platform.services.get('invoices')!.get(ImportService);
    const [{ agency_id: financeAgency }] = await platform.agencies.query(`SELECT agency_id FROM account WHERE username = 'zhangye-finance-officer'`);
    const pending = async (bytes: Buffer, recorded: Buffer) => {
      const id = randomUUID();
      mkdirSync(importsDir, { recursive: true });
      writeFileSync(join(importsDir, id), bytes);
      // As the service records a file it has accepted: what became of it is found out by the next look.
      await db.query(
        `INSERT INTO invoice_import (id, file_name, format, storage_key, size_bytes, sha256, sm3, imported_by, agency_id) VALUES ($1, 'x.csv', 'csv', $2, $3, $4, $5, $6, $7)`,
        [id, `invoice-imports/${id}`, recorded.length, createHash('sha256').update(recorded).digest('hex'), createHash('sm3').update(recorded).digest('hex'), platform.ids['zhangye-finance-officer'], financeAgency],
      );
      return id;
    };
    const left = Buffer.from(csvFile(invoices(500_001, 3)));
    const leftId = await pending(left, left);
    const received = Buffer.from(csvFile(invoices(600_001, 3)));
    const altered = Buffer.from(received.toString().replace('10000', '99999'));
    const alteredId = await pending(altered, received);
    await imports.drain();
    expect(await outcome(leftId)).toMatchObject({ status: 'imported', imported: 3 });
    expect(await outcome(alteredId)).toMatchObject({ status: 'failed', imported: 0, failureCode: 'fileAltered', failure: 'The stored file no longer matches the digests taken when it was received; nothing was imported.' });
    expect(await inRegister(600_001, 600_003)).toBe(0);
    expect(await toldOf('zhangye-finance-officer', alteredId)).toMatchObject({ kind: 'invoice.import_failed', title: '票据导入中止', body: expect.stringContaining('摘要不符') });
    // A changed file is not served as the one received, nor a missing one; each refusal is audited.
    const refused = await download('zhangye-finance-officer', alteredId);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.bytes.toString())).toMatchObject({ code: 'IMPORT_FILE_ALTERED' });
    rmSync(join(importsDir, leftId));
    const missing = await download('zhangye-finance-officer', leftId);
    expect(missing.status).toBe(410);
    expect(JSON.parse(missing.bytes.toString())).toMatchObject({ code: 'IMPORT_FILE_MISSING' });
    const audited = await db.query(`SELECT target, outcome, detail->>'reason' AS reason FROM audit_log WHERE action = 'invoice.import_file_download' AND target = ANY($1) ORDER BY id`, [[alteredId, leftId]]);
    expect(audited).toEqual([
      { target: alteredId, outcome: 'refused', reason: 'fileAltered' },
      { target: leftId, outcome: 'refused', reason: 'fileMissing' },
    ]);
  }, 60_000);
});
