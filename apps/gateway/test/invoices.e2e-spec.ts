import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TestIsolation } from '@lianban/testing';
import { CheckSets1764090000000 } from '../../invoices/src/migrations/1764090000000-check-sets';
import { Json } from './api';
import { csvFile, draft, jsonl, signed, sm2Pair } from './invoice-fixtures';
import { DemoPlatform, startDemoPlatform } from './platform';

describe('finance’s e-invoice register and verification (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let invoicesDb: DataSource;
  const storeDir = mkdtempSync(join(tmpdir(), 'lianban-invoice-evidence-'));
  const issuer = sm2Pair();
  const impostor = sm2Pair();
  const inv = draft;
  const verify = async (user: string, body: Record<string, unknown>) => platform.api.call('POST', '/invoices/verifications', await platform.as(user), body);

  beforeAll(async () => {
    platform = await startDemoPlatform(iso, { config: { evidenceStoreDir: storeDir } });
    invoicesDb = platform.services.get('invoices')!.get(DataSource);
    const finance = await platform.as('zhangye-finance-officer');
    const pem = issuer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const reg = await platform.api.call('POST', '/invoices/issuers', finance, { code: 'H62070200001', name: '张掖市人民医院', publicKeyPem: pem });
    expect(reg.body).toEqual({ code: 'H62070200001', name: '张掖市人民医院' });
    const rows = [
      signed(inv(1), issuer.privateKey),
      signed(inv(2, { status: 'voided' }), issuer.privateKey),
      signed(inv(3), issuer.privateKey),
      // The red ticket cancelling invoice 3 (a refund).
      signed(inv(4, { checkCode: '00ff00', originalCode: '62060126', originalNumber: '0000000003', amountFen: 128_350 }), issuer.privateKey),
      signed(inv(5, { kind: 'inpatient', amountFen: 5_600_000 }), issuer.privateKey),
    ];
    const res = await platform.api.call('POST', '/invoices/imports', finance, { format: 'jsonl', content: jsonl(rows) });
    expect(res.body).toEqual({ imported: 5, errors: [] });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('lets only finance keep the register', async () => {
    const police = await platform.as('ganzhou-police-officer');
    expect((await platform.api.call('POST', '/invoices/issuers', police, { code: 'H62070200002', name: '张掖市中医医院', publicKeyPem: issuer.publicKey.export({ type: 'spki', format: 'pem' }) })).status).toBe(403);
    expect((await platform.api.call('POST', '/invoices/imports', police, { format: 'jsonl', content: jsonl([signed(inv(9), issuer.privateKey)]) })).status).toBe(403);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    const notSm2 = await platform.api.call('POST', '/invoices/issuers', await platform.as('zhangye-finance-officer'), { code: 'H62070200002', name: '张掖市中医医院', publicKeyPem: rsa });
    expect(notSm2.body).toMatchObject({ status: 400, errors: [{ field: 'publicKeyPem' }] });
    // Finance lists the issuers, each key by its SM3 fingerprint, to read out to the issuer; no one else does.
    const fingerprint = createHash('sm3').update(issuer.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    expect((await platform.api.call('GET', '/invoices/issuers', await platform.as('zhangye-finance-officer'))).body).toEqual([
      { code: 'H62070200001', name: '张掖市人民医院', keyFingerprint: fingerprint, registeredBy: platform.ids['zhangye-finance-officer'], registeredAt: expect.any(String) },
    ]);
    expect((await platform.api.call('GET', '/invoices/issuers', police)).status).toBe(403);
  });

  it('refuses a file with bad rows whole, naming each row and field', async () => {
    const csv = csvFile([
      signed(inv(10), issuer.privateKey),
      { ...inv(12), number: '12345', checkCode: 'zzzzzz', issuedOn: '2026-13-40', amountFen: 12.5, signature: '00'.repeat(10) },
      signed(inv(11), impostor.privateKey),
      signed(inv(1), issuer.privateKey),
    ]);
    const res = await platform.api.call('POST', '/invoices/imports', await platform.as('zhangye-finance-officer'), { format: 'csv', content: csv });
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.errors.filter((e: Json) => e.row === 2).map((e: Json) => e.field).sort()).toEqual(['amountFen', 'checkCode', 'issuedOn', 'number']);
    const [{ n }] = await invoicesDb.query(`SELECT count(*)::int AS n FROM invoice WHERE number = '0000000010'`);
    expect(n).toBe(0);
    // After the shape is right, what the register knows: a forged signature, a duplicate.
    const second = await platform.api.call('POST', '/invoices/imports', await platform.as('zhangye-finance-officer'), {
      format: 'jsonl',
      content: jsonl([signed(inv(10), issuer.privateKey), signed(inv(11), impostor.privateKey), signed(inv(1), issuer.privateKey)]),
    });
    expect(second.body).toEqual({
      imported: 0,
      errors: [
        { row: 2, field: 'signature', code: 'signatureInvalid', message: 'the issuer’s signature does not verify' },
        { row: 3, field: 'number', code: 'alreadyInRegister', message: 'invoice 62060126/0000000001 is already in the register', params: { invoice: '62060126/0000000001' } },
      ],
    });
    // Signed as the issuer wrote them, but no invoice: a day the calendar does not have, an amount past any ticket.
    const impossible = await platform.api.call('POST', '/invoices/imports', await platform.as('zhangye-finance-officer'), {
      format: 'jsonl',
      content: jsonl([signed(inv(13, { issuedOn: '2026-02-30' }), issuer.privateKey), signed(inv(14, { amountFen: 1e20 }), issuer.privateKey), signed(inv(15), issuer.privateKey)]),
    });
    expect(impossible.status).toBe(200);
    expect(impossible.body).toEqual({
      imported: 0,
      errors: [
        { row: 1, field: 'issuedOn', code: 'issuedOnInvalid', message: 'issuedOn must be a date of the calendar like 2026-03-02' },
        { row: 2, field: 'amountFen', code: 'amountInvalid', message: 'amountFen must be a whole number of fen, at most 1000000000000' },
      ],
    });
    expect(await invoicesDb.query(`SELECT number FROM invoice WHERE number IN ('0000000013', '0000000014', '0000000015')`)).toEqual([]);
  });

  it('refuses red tickets that cancel what they may not: another issuer’s invoice, one voided or red-flushed, itself, one twice', async () => {
    const other = sm2Pair();
    const finance = await platform.as('zhangye-finance-officer');
    expect((await platform.api.call('POST', '/invoices/issuers', finance, { code: 'H62070200002', name: '张掖市中医医院', publicKeyPem: other.publicKeyPem })).status).toBe(201);
    const red = (n: number, original: number, key = issuer.privateKey, extra = {}) => signed(inv(n, { checkCode: '00ff01', originalCode: '62060126', originalNumber: String(original).padStart(10, '0'), ...extra }), key);
    const res = await platform.api.call('POST', '/invoices/imports', finance, {
      format: 'jsonl',
      content: jsonl([
        red(21, 1, other.privateKey, { issuerCode: 'H62070200002' }),
        red(22, 2),
        red(23, 3),
        red(24, 24),
        red(25, 5),
        red(26, 5),
      ]),
    });
    expect(res.body.imported).toBe(0);
    expect(res.body.errors.map((e: Json) => [e.row, e.field, e.code])).toEqual([
      [1, 'issuerCode', 'originalOfOtherIssuer'],
      [2, 'status', 'alreadyVoided'],
      [3, 'status', 'alreadyRedFlushed'],
      [4, 'originalNumber', 'redTicketOwnOriginal'],
      [6, 'originalNumber', 'redFlushedTwice'],
    ]);
    // Nothing changed: invoice 1 is still valid, 5 still normal.
    expect(await invoicesDb.query(`SELECT number, status FROM invoice WHERE number IN ('0000000001', '0000000005') ORDER BY number`)).toEqual([
      { number: '0000000001', status: 'normal' },
      { number: '0000000005', status: 'normal' },
    ]);
  });

  it.each([
    ['valid', { number: '0000000001', checkCode: '1A9C3F', issuedOn: '2026-03-02', amountFen: 128_350 }, []],
    ['not_found', { number: '0000009999', checkCode: '1a9c3f' }, []],
    ['not_found', { number: '0000000001', checkCode: 'ffffff' }, []],
    ['mismatch', { number: '0000000001', checkCode: '1a9c3f', amountFen: 99 }, ['amountFen']],
    ['mismatch', { number: '0000000001', checkCode: '1a9c3f', issuedOn: '2026-03-03', amountFen: 99 }, ['issuedOn', 'amountFen']],
    ['voided', { number: '0000000002', checkCode: '1a9c3f' }, []],
    ['red_flushed', { number: '0000000003', checkCode: '1a9c3f' }, []],
  ])('answers %s for %j', async (verdict, body, differences) => {
    const res = await verify('ganzhou-mi-officer', { code: '62060126', ...body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ verdict, differences });
  });

  it('answers bad_signature for an invoice altered in the register', async () => {
    await invoicesDb.query(`UPDATE invoice SET amount_fen = 1 WHERE number = '0000000005'`);
    expect((await verify('ganzhou-police-officer', { code: '62060126', number: '0000000005', checkCode: '1a9c3f' })).body.verdict).toBe('bad_signature');
  });

  it('counts checks and who made them, and flags a red-flushed invoice claimed twice', async () => {
    const first = await verify('ganzhou-mi-officer', { code: '62060126', number: '0000000003', checkCode: '1a9c3f', claimRef: 'SETL-2026-0001' });
    expect(first.body).toMatchObject({ verdict: 'red_flushed', reused: false });
    const second = await verify('linze-mi-officer', { code: '62060126', number: '0000000003', checkCode: '1a9c3f', claimRef: 'CASE-2026-0042' });
    expect(second.body).toMatchObject({ verdict: 'red_flushed', reused: true, otherClaims: 1 });
    expect(second.body.timesChecked).toBeGreaterThanOrEqual(3);
    expect(second.body.checkedBy).toEqual(expect.arrayContaining([platform.ids['甘州区医疗保障局'], platform.ids['临泽县医疗保障局']]));
  });

  it('refuses malformed codes with a clear 4xx', async () => {
    const res = await verify('ganzhou-mi-officer', { code: '6206012', number: 'abc', checkCode: 'xyz' });
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors.map((e: Json) => e.field).sort()).toEqual(['checkCode', 'code', 'number']);
    // The day of invoice 1 in another ISO 8601 form is refused, not answered as a mismatch (and not counted as a check).
    for (const issuedOn of ['20260302', '2026-03-02T00:00:00+08:00']) {
      expect((await verify('ganzhou-mi-officer', { code: '62060126', number: '0000000001', checkCode: '1a9c3f', issuedOn })).body).toMatchObject({ status: 400, errors: [{ field: 'issuedOn', codes: ['matches'] }] });
    }
  });

  it('shows verifications to finance and to the asking agency only', async () => {
    const all = (await platform.api.call('GET', '/invoices/verifications', await platform.as('zhangye-finance-officer'))).body as Json[];
    const mine = (await platform.api.call('GET', '/invoices/verifications', await platform.as('linze-mi-officer'))).body as Json[];
    expect(all.length).toBeGreaterThan(mine.length);
    expect(new Set(mine.map((v) => v.agencyId))).toEqual(new Set([platform.ids['临泽县医疗保障局']]));
    expect((await platform.api.call('GET', '/invoices/verifications', await platform.as('h62070200001'))).status).toBe(403);

    // Who checked invoice 0000000003, and what was checked for a claim: finance sees every agency's, Linze its own.
    const list = async (user: string, query: string) => (await platform.api.call('GET', `/invoices/verifications?${query}`, await platform.as(user))).body as Json[];
    const checked3 = await list('zhangye-finance-officer', 'code=62060126&number=0000000003');
    expect(checked3.length).toBeGreaterThanOrEqual(3);
    expect(checked3.every((v) => v.code === '62060126' && v.number === '0000000003')).toBe(true);
    expect(new Set(checked3.map((v) => v.agencyId))).toEqual(new Set([platform.ids['甘州区医疗保障局'], platform.ids['临泽县医疗保障局']]));
    expect((await list('linze-mi-officer', 'number=0000000003')).map((v) => [v.agencyId, v.claimRef])).toEqual([[platform.ids['临泽县医疗保障局'], 'CASE-2026-0042']]);
    expect((await list('zhangye-finance-officer', 'claimRef=SETL-2026-0001')).map((v) => [v.number, v.verdict, v.agencyId])).toEqual([['0000000003', 'red_flushed', platform.ids['甘州区医疗保障局']]]);
    expect(await list('linze-mi-officer', 'claimRef=SETL-2026-0001')).toEqual([]);
    expect(await list('zhangye-finance-officer', 'number=0000000777')).toEqual([]);
    expect((await platform.api.call('GET', '/invoices/verifications?number=12', await platform.as('zhangye-finance-officer'))).body).toMatchObject({ status: 400, errors: [{ field: 'number' }] });

    // The same number under another code is another invoice: found by the number alone, not by the code and number.
    expect((await verify('linze-mi-officer', { code: '62060125', number: '0000000003', checkCode: '1a9c3f', claimRef: 'CASE-2026-0042' })).body.verdict).toBe('not_found');
    expect((await list('linze-mi-officer', 'number=0000000003')).map((v) => [v.code, v.verdict])).toEqual([
      ['62060125', 'not_found'],
      ['62060126', 'red_flushed'],
    ]);
    expect((await list('linze-mi-officer', 'code=62060126&number=0000000003')).map((v) => v.code)).toEqual(['62060126']);
    expect((await list('linze-mi-officer', 'code=62060125')).map((v) => [v.number, v.claimRef])).toEqual([['0000000003', 'CASE-2026-0042']]);
    expect((await list('linze-mi-officer', 'claimRef=CASE-2026-0042')).map((v) => v.code)).toEqual(['62060125', '62060126']);
    expect(await list('ganzhou-mi-officer', 'code=62060125')).toEqual([]);
  });

  it('derives the check history again from the recorded verifications as the service writes it (the check-sets migration)', async () => {
    // Another chunk with one invoice twice under two claims and once without.
    const lines = await batch('ganzhou-mi-officer', {
      items: [
        { code: '62060126', number: '0000000001', checkCode: '1a9c3f', claimRef: 'SETL-2026-0007' },
        { code: '62060126', number: '0000000001', checkCode: '1a9c3f', claimRef: 'SETL-2026-0008' },
        { code: '62060126', number: '0000000001', checkCode: '1a9c3f' },
      ],
    });
    expect(lines.map((l) => l.verdict)).toEqual(['valid', 'valid', 'valid']);
    const history = () => invoicesDb.query(`SELECT invoice_key::text, times, agency_id, claim_ref, set_id::text FROM invoice_check ORDER BY 1, 5, 4 NULLS FIRST, 2, 3`);
    const written = await history();
    expect(written.filter((r: Json) => r.claim_ref?.startsWith('SETL-2026-000') && r.invoice_key === '162060126')).toHaveLength(2);
    const migration = new CheckSets1764090000000();
    const runner = invoicesDb.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      expect((await runner.query(`SELECT DISTINCT invoice_key::text FROM invoice_check WHERE claim_ref = 'SETL-2026-0007'`)).map((r: Json) => r.invoice_key)).toEqual(['620601260000000001']);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await history()).toEqual(written);
  });

  async function batch(user: string, body: Record<string, unknown>): Promise<Json[]> {
    const res = await fetch(`${platform.url}/api/v1/invoices/verifications/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await platform.as(user)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    return (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  }

  it('verifies a batch with bad rows, one line per invoice and a summary', async () => {
    const lines = await batch('ganzhou-police-officer', {
      items: [
        { code: '62060126', number: '0000000001', checkCode: '1a9c3f' },
        { code: 'x', number: '0000000001', checkCode: '1a9c3f' },
        { code: '62060126', number: '0000000777', checkCode: '1a9c3f' },
        { code: '62060126', number: '0000000002', checkCode: '1a9c3f', unknownField: 1 },
        { code: '62060126', number: '0000000002', checkCode: '1a9c3f' },
      ],
    });
    const byIndex = new Map(lines.filter((l) => 'index' in l).map((l) => [l.index, l]));
    expect(byIndex.get(0)).toMatchObject({ verdict: 'valid' });
    expect(byIndex.get(1)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'code' }] });
    expect(byIndex.get(2)).toMatchObject({ verdict: 'not_found' });
    expect(byIndex.get(3)).toMatchObject({ status: 400, errors: [{ field: 'unknownField' }] });
    expect(byIndex.get(4)).toMatchObject({ verdict: 'voided', verificationId: expect.any(Number) });
    expect(lines.at(-1)).toEqual({ summary: { total: 5, invalid: 2, valid: 1, not_found: 1, voided: 1 } });
  });

  it('takes a batch as CSV, thousands at a time', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `62060126,${String((i % 6) + 1).padStart(10, '0')},1a9c3f,,,CASE-${i}`);
    const lines = await batch('ganzhou-health-officer', { csv: ['code,number,checkCode,issuedOn,amountFen,claimRef', ...rows].join('\n') });
    const summary = lines.at(-1).summary;
    expect(summary.total).toBe(1200);
    expect(lines.filter((l) => 'verdict' in l)).toHaveLength(1200);
    // Numbers 1..6 in turn: 1 valid, 2 voided, 3 red-flushed, 4 the red ticket itself (its own check code differs), 5 altered, 6 absent.
    expect(summary).toEqual({ total: 1200, valid: 200, voided: 200, red_flushed: 200, not_found: 400, bad_signature: 200 });
  });

  it('takes the CSV file itself as the body (text/csv), as Excel saves it: byte-order mark and CRLF', async () => {
    const send = async (body: string, contentType: string, path = '/invoices/verifications/batch') =>
      fetch(`${platform.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${await platform.as('ganzhou-health-officer')}`, 'content-type': contentType }, body });
    const file = `\uFEFFcode,number,checkCode,issuedOn,amountFen,claimRef\r\n62060126,0000000001,1a9c3f,,,CASE-CSV-1\r\n62060126,0000000006,1a9c3f,,,CASE-CSV-2\r\n62060126,12,1a9c3f,,,CASE-CSV-3\r\n`;
    const res = await send(file, 'text/csv; charset=utf-8');
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const byIndex = new Map(lines.filter((l) => 'index' in l).map((l) => [l.index, l]));
    expect(byIndex.get(0)).toMatchObject({ verdict: 'valid' });
    expect(byIndex.get(1)).toMatchObject({ verdict: 'not_found' });
    expect(byIndex.get(2)).toMatchObject({ status: 400, errors: [{ field: 'number' }] });
    expect(lines.at(-1)).toEqual({ summary: { total: 3, valid: 1, not_found: 1, invalid: 1 } });
    // The same rows sent in the JSON body's csv field, with the mark, read the same.
    const json = await batch('ganzhou-health-officer', { csv: file });
    expect(json.at(-1)).toEqual(lines.at(-1));
    // A file in another encoding is refused whole, saying how to save it; no other route takes CSV.
    const gbk = await send(file, 'text/csv; charset=GBK');
    expect(gbk.status).toBe(415);
    expect(await gbk.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringContaining('must be UTF-8, not gbk') });
    const elsewhere = await send(file, 'text/csv', '/invoices/verifications');
    expect(elsewhere.status).toBe(415);
    expect(await elsewhere.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses a batch it cannot read whole, naming the rule, and records none of it', async () => {
    const token = await platform.as('ganzhou-health-officer');
    const before = ((await platform.api.call('GET', '/invoices/verifications', token)).body as Json[]).length;
    const refused = async (body: Record<string, unknown>) => {
      const res = await platform.api.call('POST', '/invoices/verifications/batch', token, body);
      expect(res.status).toBe(400);
      return (res.body as Json).errors as Json[];
    };
    const header = 'code,number,checkCode,issuedOn,amountFen,claimRef';
    // An unclosed quote on the third line of the file: the line is named.
    expect(await refused({ csv: `${header}\n62060126,0000000001,1a9c3f,,,A\n62060126,"0000000002,1a9c3f,,,B\n` })).toEqual([
      { field: 'csv', messages: [expect.stringContaining('the CSV cannot be read')], codes: ['csvUnreadable'], params: { csvUnreadable: { line: expect.any(Number) } } },
    ]);
    expect(await refused({ items: Array.from({ length: 5_001 }, () => ({ code: '62060126', number: '0000000001', checkCode: '1a9c3f' })) })).toEqual([
      { field: 'items', messages: ['at most 5,000 invoices per batch'], codes: ['arrayMaxSize'], params: { arrayMaxSize: { max: 5_000 } } },
    ]);
    expect(await refused({ items: [], csv: header })).toEqual([{ field: 'items', messages: ['send the invoices either as items or as csv'], codes: ['itemsOrCsv'] }]);
    expect(await refused({ csv: header, note: 'x' })).toEqual([{ field: 'note', messages: ['property note should not exist'], codes: ['whitelistValidation'] }]);
    expect(((await platform.api.call('GET', '/invoices/verifications', token)).body as Json[]).length).toBe(before);
  });

  it('signs a receipt that checks offline, and refuses a forged one', async () => {
    const v = await verify('ganzhou-mi-officer', { code: '62060126', number: '0000000001', checkCode: '1a9c3f', claimRef: 'CASE-RECEIPT' });
    const res = await platform.api.call('GET', `/invoices/verifications/${v.body.verificationId}/receipt`, await platform.as('ganzhou-mi-officer'));
    expect(JSON.parse(res.body.receipt)).toMatchObject({ verificationId: v.body.verificationId, verdict: 'valid', claimRef: 'CASE-RECEIPT', issuer: 'finance' });
    const published = (await platform.api.call('GET', '/invoices/receipt-key')).body.publicKeyPem;
    expect(published).toBe(res.body.publicKeyPem);

    const dir = mkdtempSync(join(tmpdir(), 'receipt-'));
    writeFileSync(join(dir, 'receipt.json'), JSON.stringify(res.body));
    writeFileSync(join(dir, 'finance.pem'), published);
    const tool = join(__dirname, '../../../tools/verify-receipt.mjs');
    const ok = spawnSync(process.execPath, [tool, join(dir, 'receipt.json'), join(dir, 'finance.pem')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('signature valid');
    writeFileSync(join(dir, 'forged.json'), JSON.stringify({ ...res.body, receipt: res.body.receipt.replace('"valid"', '"voided"') }));
    const forged = spawnSync(process.execPath, [tool, join(dir, 'forged.json'), join(dir, 'finance.pem')], { encoding: 'utf8' });
    expect(forged.status).toBe(1);
    // A forger who signs an altered receipt with their own key and puts that key inside: the tool
    // does not run without finance's key, and with it refuses the receipt.
    const forger = sm2Pair();
    const altered = res.body.receipt.replace('"valid"', '"voided"');
    const selfSigned = { receipt: altered, signature: sign('sm3', Buffer.from(altered, 'utf8'), forger.privateKey).toString('hex'), publicKeyPem: forger.publicKeyPem };
    writeFileSync(join(dir, 'self-signed.json'), JSON.stringify(selfSigned));
    expect(spawnSync(process.execPath, [tool, join(dir, 'self-signed.json')], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [tool, join(dir, 'self-signed.json'), join(dir, 'finance.pem')], { encoding: 'utf8' }).status).toBe(1);

    // Only the asking agency and finance get the receipt.
    expect((await platform.api.call('GET', `/invoices/verifications/${v.body.verificationId}/receipt`, await platform.as('linze-mi-officer'))).status).toBe(404);
    expect((await platform.api.call('GET', `/invoices/verifications/${v.body.verificationId}/receipt`, await platform.as('zhangye-finance-officer'))).status).toBe(200);
  });

  it('files a receipt with a case as evidence, checkable offline, for the bureau handling the case only', async () => {
    const { api, ids } = platform;
    const c = await api.call('POST', '/cases', await platform.as('ganzhou-mi-officer'), {
      title: '某医院虚开票据骗保案',
      partyName: '张掖市人民医院',
      facts: '结算凭证所附门诊票据疑为作废票据。',
      documentNumber: '甘医保立〔2026〕31号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(c.status).toBe(201);
    const caseId = c.body.id;
    const attach = async (user: string, body: unknown) => api.call('POST', `/cases/${caseId}/evidence/invoice-receipts`, await platform.as(user), body);
    const mine = (await verify('ganzhou-mi-officer', { code: '62060126', number: '0000000002', checkCode: '1a9c3f', claimRef: '甘医保立〔2026〕31号' })).body;
    expect(mine.verdict).toBe('voided');

    // Another officer of the same bureau files it; the file is the signed receipt itself.
    const filed = await attach('ganzhou-mi-officer2', { verificationId: mine.verificationId });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ caseId, name: `发票查验回执-${mine.verificationId}.json`, mediaType: 'application/json', addedBy: ids['ganzhou-mi-officer2'], sealed: false });
    const content = await fetch(`${platform.url}/api/v1/cases/${caseId}/evidence/${filed.body.id}/content`, { headers: { authorization: `Bearer ${await platform.as('ganzhou-mi-officer')}` } });
    expect(content.status).toBe(200);
    const file = await content.text();
    expect(JSON.parse(JSON.parse(file).receipt)).toMatchObject({ verificationId: mine.verificationId, code: '62060126', number: '0000000002', verdict: 'voided', claimRef: '甘医保立〔2026〕31号', agencyId: ids['甘州区医疗保障局'] });
    const dir = mkdtempSync(join(tmpdir(), 'receipt-evidence-'));
    writeFileSync(join(dir, 'evidence.json'), file);
    writeFileSync(join(dir, 'finance.pem'), (await api.call('GET', '/invoices/receipt-key')).body.publicKeyPem);
    const checked = spawnSync(process.execPath, [join(__dirname, '../../../tools/verify-receipt.mjs'), join(dir, 'evidence.json'), join(dir, 'finance.pem')], { encoding: 'utf8' });
    expect(checked.status).toBe(0);

    // Filed once: the same receipt again is refused.
    expect(await attach('ganzhou-mi-officer', { verificationId: mine.verificationId })).toMatchObject({ status: 409, body: { code: 'RECEIPT_ALREADY_ATTACHED' } });
    // Two officers filing one receipt at the same moment: one files it, the other is refused.
    const again = (await verify('ganzhou-mi-officer', { code: '62060126', number: '0000000001', checkCode: '1a9c3f' })).body;
    const both = await Promise.all(['ganzhou-mi-officer', 'ganzhou-mi-officer2'].map((user) => attach(user, { verificationId: again.verificationId })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body).toMatchObject({ code: 'RECEIPT_ALREADY_ATTACHED' });
    const second = both.find((r) => r.status === 201)!.body;
    // Only the bureau's own verifications: another agency's, or one that does not exist, is not found.
    const police = (await verify('ganzhou-police-officer', { code: '62060126', number: '0000000002', checkCode: '1a9c3f' })).body;
    expect((await attach('ganzhou-mi-officer', { verificationId: police.verificationId })).status).toBe(404);
    expect((await attach('ganzhou-mi-officer', { verificationId: police.verificationId + 100_000 })).status).toBe(404);
    // Only the bureau handling the case adds to it: the city bureau reads it (403); police and finance do not see it (404).
    expect((await attach('zhangye-mi-officer', { verificationId: mine.verificationId })).status).toBe(403);
    expect((await attach('ganzhou-police-officer', { verificationId: police.verificationId })).status).toBe(404);
    expect((await attach('zhangye-finance-officer', { verificationId: mine.verificationId })).status).toBe(404);
    // A malformed number is a 400 naming the field, here and for the receipt itself (not a database error).
    for (const verificationId of ['x', 0, 1.5, 1e20]) {
      expect((await attach('ganzhou-mi-officer', { verificationId })).body).toMatchObject({ status: 400, errors: [{ field: 'verificationId' }] });
    }
    expect((await api.call('GET', '/invoices/verifications/100000000000000000000/receipt', await platform.as('ganzhou-mi-officer'))).status).toBe(400);

    // Each receipt once in the case and in the store: nothing of the refused attempts was kept.
    expect(((await api.call('GET', `/cases/${caseId}/evidence`, await platform.as('ganzhou-mi-officer'))).body as Json[]).map((e) => e.name)).toEqual([`发票查验回执-${mine.verificationId}.json`, `发票查验回执-${again.verificationId}.json`]);
    expect(readdirSync(join(storeDir, 'cases', caseId)).sort()).toEqual([filed.body.id, second.id].sort());
  }, 60_000);
});
