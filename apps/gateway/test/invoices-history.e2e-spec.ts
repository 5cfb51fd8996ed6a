import { createHmac, KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AgencyKind, canonicalInvoice, InvoiceRecord, MessageContext } from '@lianban/contracts';
import { TestIsolation } from '@lianban/testing';
import { InvoiceService } from '../../invoices/src/register/invoice.service';
import { SEAL_KEY, Sealer } from '../../invoices/src/register/signature';
import { Json } from './api';
import { BASE_INVOICE, Draft, draft, jsonl, signed as signedBy, sm2Pair, voidOf as voidBy } from './invoice-fixtures';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * Voids issued after the fact, the check history of an invoice across requests, batches and its
 * registration, and large batches split over several chunks.
 */
describe('invoice voids after the fact and check history (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let db: DataSource;
  const issuer = sm2Pair();
  const impostor = sm2Pair();
  const base = BASE_INVOICE;
  const inv = draft;
  const signed = (r: Draft, key: KeyObject = issuer.privateKey): InvoiceRecord => signedBy(r, key);
  const voidOf = (n: number, extra: Partial<Draft> = {}, key: KeyObject = issuer.privateKey): InvoiceRecord => voidBy(n, key, extra);
  const importRows = async (rows: InvoiceRecord[]) => (await platform.api.call('POST', '/invoices/imports', await platform.as('zhangye-finance-officer'), { format: 'jsonl', content: jsonl(rows) })).body;
  const verify = async (user: string, body: Record<string, unknown>) => (await platform.api.call('POST', '/invoices/verifications', await platform.as(user), { code: base.code, checkCode: base.checkCode, ...body })).body;
  const agencyOf = async (username: string): Promise<string> => (await platform.agencies.query(`SELECT agency_id FROM account WHERE username = $1`, [username]))[0].agency_id;
  async function batch(user: string, items: unknown[]): Promise<Json[]> {
    const res = await fetch(`${platform.url}/api/v1/invoices/verifications/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await platform.as(user)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    return (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  }

  beforeAll(async () => {
    // Room for the suite's own checks (about 5,030), not for a second batch of 5,000.
    platform = await startDemoPlatform(iso, { config: { invoiceVerificationsPerMinute: 6000 } });
    db = platform.services.get('invoices')!.get(DataSource);
    const finance = await platform.as('zhangye-finance-officer');
    await platform.api.call('POST', '/invoices/issuers', finance, { code: 'H62070200001', name: '张掖市人民医院', publicKeyPem: issuer.publicKey.export({ type: 'spki', format: 'pem' }) });
    expect(await importRows([1, 2, 3, 4, 5, 6, 7].map((n) => signed(inv(n))))).toEqual({ imported: 7, errors: [] });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('accepts a void issued after the fact: the invoice, valid before, is voided from then on', async () => {
    expect((await verify('ganzhou-mi-officer', { number: '0000000001' })).verdict).toBe('valid');
    expect(await importRows([voidOf(1)])).toEqual({ imported: 1, errors: [] });
    expect((await verify('ganzhou-mi-officer', { number: '0000000001' })).verdict).toBe('voided');
    // The seal still holds: voiding changes the status, not what the issuer signed.
    expect((await batch('ganzhou-police-officer', [{ code: base.code, number: '0000000001', checkCode: base.checkCode }]))[0].verdict).toBe('voided');
  });

  it('refuses a void for an invoice not in the register, and with it the whole file', async () => {
    const body = await importRows([signed(inv(20)), voidOf(404)]);
    expect(body).toEqual({ imported: 0, errors: [{ row: 2, field: 'originalNumber', code: 'voidTargetMissing', message: 'the void points to 62060126/0000000404, which is not in the register', params: { invoice: '62060126/0000000404' } }] });
    expect((await verify('ganzhou-mi-officer', { number: '0000000020' })).verdict).toBe('not_found');
  });

  it('refuses a void that is not the issuer’s: the invoice’s own signature replayed, another key, other fields', async () => {
    const replayed = { ...voidOf(2), signature: signed(inv(2)).signature };
    expect(await importRows([replayed, voidOf(3, {}, impostor.privateKey), voidOf(4, { amountFen: 1 })])).toEqual({
      imported: 0,
      errors: [
        { row: 1, field: 'signature', code: 'voidSignatureInvalid', message: 'the issuer’s signature of the void does not verify' },
        { row: 2, field: 'signature', code: 'voidSignatureInvalid', message: 'the issuer’s signature of the void does not verify' },
        { row: 3, field: 'amountFen', code: 'differsFromRegister', message: 'amountFen differs from invoice 62060126/0000000004 in the register', params: { invoice: '62060126/0000000004' } },
      ],
    });
    expect(await importRows([voidOf(5, { number: '0000000006' })])).toEqual({
      imported: 0,
      errors: [{ row: 1, field: 'originalNumber', code: 'voidNotNewTicket', message: 'a void is not a new ticket: its code and number are those of the invoice it voids' }],
    });
    for (const n of ['0000000002', '0000000003', '0000000004', '0000000005']) expect((await verify('ganzhou-mi-officer', { number: n })).verdict).toBe('valid');
  });

  it('refuses voiding an invoice twice, in one file or again later, and voiding a red-flushed one', async () => {
    const red = signed(inv(30, { checkCode: '00ff00', originalCode: base.code, originalNumber: '0000000007' }));
    expect(await importRows([red])).toEqual({ imported: 1, errors: [] });
    const body = await importRows([voidOf(6), voidOf(6), voidOf(1), voidOf(7)]);
    expect(body).toEqual({
      imported: 0,
      errors: [
        { row: 2, field: 'originalNumber', code: 'voidedTwice', message: 'invoice 62060126/0000000006 is voided twice in this file', params: { invoice: '62060126/0000000006' } },
        { row: 3, field: 'status', code: 'alreadyVoided', message: 'invoice 62060126/0000000001 is already voided', params: { invoice: '62060126/0000000001' } },
        { row: 4, field: 'status', code: 'alreadyRedFlushed', message: 'invoice 62060126/0000000007 is already red-flushed', params: { invoice: '62060126/0000000007' } },
      ],
    });
    expect((await verify('ganzhou-mi-officer', { number: '0000000006' })).verdict).toBe('valid');
  });

  it('answers bad_signature for a voided or red-flushed invoice set back to normal in the database', async () => {
    const red = signed(inv(62, { checkCode: '00ff00', originalCode: base.code, originalNumber: '0000000061' }));
    expect(await importRows([signed(inv(60)), signed(inv(61)), red])).toEqual({ imported: 3, errors: [] });
    expect(await importRows([voidOf(60)])).toEqual({ imported: 1, errors: [] });
    expect((await verify('linze-mi-officer', { number: '0000000060' })).verdict).toBe('voided');
    expect((await verify('linze-mi-officer', { number: '0000000061' })).verdict).toBe('red_flushed');
    await db.query(`UPDATE invoice SET status = 'normal' WHERE number IN ('0000000060', '0000000061')`);
    expect((await verify('linze-mi-officer', { number: '0000000060' })).verdict).toBe('bad_signature');
    const lines = await batch('linze-mi-officer', ['0000000060', '0000000061'].map((number) => ({ code: base.code, number, checkCode: base.checkCode })));
    expect(lines.slice(0, 2).map((l) => l.verdict)).toEqual(['bad_signature', 'bad_signature']);
  });

  it('refuses to void or red-flush an invoice altered in the database, so that the change does not seal it anew', async () => {
    expect(await importRows([signed(inv(63)), signed(inv(64))])).toEqual({ imported: 2, errors: [] });
    await db.query(`UPDATE invoice SET signature = 'ab' || signature WHERE number = '0000000063'`);
    await db.query(`UPDATE invoice SET payer_name = '王某' WHERE number = '0000000064'`);
    const red = signed(inv(65, { checkCode: '00ff00', originalCode: base.code, originalNumber: '0000000064', payerName: '王某' }));
    expect(await importRows([voidOf(63), red])).toEqual({
      imported: 0,
      errors: [
        { row: 1, field: 'originalNumber', code: 'alteredCannotVoid', message: 'invoice 62060126/0000000063 in the register fails its seal (it was altered outside the platform): it cannot be voided until finance has looked into it', params: { invoice: '62060126/0000000063' } },
        { row: 2, field: 'originalNumber', code: 'alteredCannotRedFlush', message: 'invoice 62060126/0000000064 in the register fails its seal (it was altered outside the platform): it cannot be red-flushed until finance has looked into it', params: { invoice: '62060126/0000000064' } },
      ],
    });
    const after = await db.query(`SELECT number, status FROM invoice WHERE number IN ('0000000063', '0000000064', '0000000065') ORDER BY number`);
    expect(after).toEqual([
      { number: '0000000063', status: 'normal' },
      { number: '0000000064', status: 'normal' },
    ]);
    for (const number of ['0000000063', '0000000064']) expect((await verify('linze-mi-officer', { number })).verdict).toBe('bad_signature');
  });

  it('re-seals invoices sealed before the seal covered the status, keeping those that fail their old seal as they are', async () => {
    expect(await importRows([signed(inv(70)), signed(inv(71)), signed(inv(72))])).toEqual({ imported: 3, errors: [] });
    expect(await importRows([voidOf(71)])).toEqual({ imported: 1, errors: [] });
    // As the register held them before: version 1 seals, over the signed text alone (72 altered since).
    const key = platform.services.get('invoices')!.get<Buffer>(SEAL_KEY);
    for (const n of [70, 71, 72]) {
      const r = inv(n);
      const [{ signature }] = await db.query(`SELECT signature FROM invoice WHERE number = $1`, [r.number]);
      const v1 = createHmac('sm3', key).update(Sealer.signed(canonicalInvoice(r), signature)).digest('hex');
      await db.query(`UPDATE invoice SET seal = $1, seal_version = 1 WHERE number = $2`, [v1, r.number]);
    }
    await db.query(`UPDATE invoice SET amount_fen = 1 WHERE number = '0000000072'`);
    // Until re-sealed, a version 1 seal is checked as it was made.
    expect((await verify('linze-mi-officer', { number: '0000000070' })).verdict).toBe('valid');
    expect((await verify('linze-mi-officer', { number: '0000000071' })).verdict).toBe('voided');

    const service = platform.services.get('invoices')!.get(InvoiceService);
    expect(await service.resealLegacy(2)).toEqual({ resealed: 2, failed: 1 });
    const versions = await db.query(`SELECT number, seal_version FROM invoice WHERE number IN ('0000000070', '0000000071', '0000000072') ORDER BY number`);
    expect(versions.map((r: Json) => r.seal_version)).toEqual([2, 2, 1]);
    expect((await verify('linze-mi-officer', { number: '0000000070' })).verdict).toBe('valid');
    expect((await verify('linze-mi-officer', { number: '0000000071' })).verdict).toBe('voided');
    expect((await verify('linze-mi-officer', { number: '0000000072' })).verdict).toBe('bad_signature');
    // Now the status is sealed too; running again changes nothing.
    await db.query(`UPDATE invoice SET status = 'normal' WHERE number = '0000000071'`);
    expect((await verify('linze-mi-officer', { number: '0000000071' })).verdict).toBe('bad_signature');
    expect(await service.resealLegacy()).toEqual({ resealed: 0, failed: 1 });
  });

  it('keeps an invoice’s check history from before it was registered, and counts repeats within a batch', async () => {
    const early = await verify('ganzhou-police-officer', { number: '0000000050', claimRef: 'SETL-A' });
    expect(early).toMatchObject({ verdict: 'not_found', timesChecked: 1, reused: false });
    expect(await importRows([signed(inv(50))])).toEqual({ imported: 1, errors: [] });
    const lines = await batch('linze-mi-officer', [
      { code: base.code, number: '0000000050', checkCode: base.checkCode, claimRef: 'CASE-B' },
      { code: base.code, number: '0000000050', checkCode: base.checkCode, claimRef: 'CASE-B' },
    ]);
    for (const index of [0, 1]) {
      expect(lines.find((l) => l.index === index)).toMatchObject({ verdict: 'valid', timesChecked: 3, reused: true, otherClaims: 1 });
    }
    expect(lines[0].checkedBy.sort()).toEqual([await agencyOf('ganzhou-police-officer'), await agencyOf('linze-mi-officer')].sort());
  });

  it('answers every item of a batch spread over several chunks at its own index, with receipts and the list', async () => {
    // 5,000 items, two chunks: numbers 1..7 in turn (1 voided above, 7 red-flushed, 8 absent), every 1,000th malformed.
    const expected = ['valid', 'voided', 'valid', 'valid', 'valid', 'valid', 'valid', 'red_flushed', 'not_found'];
    const items = Array.from({ length: 5000 }, (_, i) =>
      i % 1000 === 999 ? { code: base.code, number: 'x', checkCode: base.checkCode } : { code: base.code, number: String((i % 8) + 1).padStart(10, '0'), checkCode: base.checkCode, claimRef: `CASE-${i}` },
    );
    const lines = await batch('ganzhou-health-officer', items);
    const byIndex = new Map(lines.filter((l) => 'index' in l).map((l) => [l.index, l]));
    expect(byIndex.size).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      const line = byIndex.get(i);
      if (i % 1000 === 999) expect(line).toMatchObject({ status: 400, errors: [{ field: 'number' }] });
      else expect(line.verdict).toBe(expected[(i % 8) + 1]);
    }
    expect(lines.at(-1).summary).toMatchObject({ total: 5000, invalid: 5 });
    const ids = new Set([...byIndex.values()].filter((l) => l.verificationId).map((l) => l.verificationId));
    expect(ids.size).toBe(4995);

    const last = byIndex.get(4998);
    const receipt = await platform.api.call('GET', `/invoices/verifications/${last.verificationId}/receipt`, await platform.as('ganzhou-health-officer'));
    expect(JSON.parse(receipt.body.receipt)).toMatchObject({ verificationId: last.verificationId, number: '0000000007', verdict: 'red_flushed', claimRef: 'CASE-4998' });
    const listed = (await platform.api.call('GET', '/invoices/verifications', await platform.as('ganzhou-health-officer'))).body as Json[];
    expect(listed).toHaveLength(500);
    // Newest first. The two chunks run side by side, so which of them drew the later ids is a race:
    // the newest is the item that got the highest id, whichever chunk it was in.
    const [newestIndex, newest] = [...byIndex.entries()].reduce((a, b) => ((b[1].verificationId ?? 0) > (a[1].verificationId ?? 0) ? b : a));
    expect(newest.verificationId).toBe(Math.max(...ids));
    expect(listed[0]).toMatchObject({ id: newest.verificationId, agencyId: await agencyOf('ganzhou-health-officer'), number: items[newestIndex].number, claimRef: `CASE-${newestIndex}` });
    // Another agency sees none of them.
    const police = (await platform.api.call('GET', '/invoices/verifications', await platform.as('ganzhou-police-officer'))).body as Json[];
    expect(police.some((v) => ids.has(v.id))).toBe(false);
  });

  it('refuses a chunk whose answer would be too large before recording anything of it', async () => {
    const service = platform.services.get('invoices')!.get(InvoiceService);
    const ctx: MessageContext = { actor: { kind: 'officer', id: platform.ids['ganzhou-police-officer'], agencyId: await agencyOf('ganzhou-police-officer'), agencyKind: AgencyKind.POLICE }, correlationId: 'too-large' };
    const count = async () => (await db.query(`SELECT (SELECT count(*) FROM verification_set)::int AS sets, (SELECT coalesce(sum(times), 0)::int FROM invoice_check) AS checks`))[0];
    const before = await count();
    const items = Array.from({ length: 10 }, (_, i) => ({ code: base.code, number: String(i + 1).padStart(10, '0'), checkCode: base.checkCode }));
    await expect(service.verifyMany(items, ctx, 500)).rejects.toEqual(expect.objectContaining({ status: 413, code: 'PAYLOAD_TOO_LARGE' }));
    expect(await count()).toEqual(before);
    // The same chunk with room for its answer is recorded.
    await service.verifyMany(items, ctx);
    expect(await count()).toEqual({ sets: before.sets + 1, checks: before.checks + 10 });
  });

  it('stops a batch beyond the agency’s allowance, naming every invoice it did not verify', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ code: base.code, number: String((i % 5) + 1).padStart(10, '0'), checkCode: base.checkCode }));
    const lines = await batch('ganzhou-health-officer', items);
    expect(lines.filter((l) => 'verdict' in l)).toHaveLength(0);
    const refusals = lines.filter((l) => 'error' in l);
    for (const r of refusals) expect(r.error).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(refusals.flatMap((r) => r.unverified).sort((a: number, b: number) => a - b)).toEqual(items.map((_, i) => i));
    expect(lines.at(-1)).toEqual({ summary: { total: 5000 } });
    // With the allowance overdrawn (ten seconds' worth: it refills while the request is on its way),
    // a single verification is refused too, saying when to try again in the body and in Retry-After.
    const [health, token] = [await agencyOf('ganzhou-health-officer'), await platform.as('ganzhou-health-officer')];
    await db.query(`UPDATE verification_allowance SET tokens = -1000, at = now() WHERE agency_id = $1`, [health]);
    const single = await fetch(`${platform.url}/api/v1/invoices/verifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(items[0]),
    });
    expect(single.status).toBe(429);
    const problem = (await single.json()) as Json;
    expect(problem).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.any(Number) });
    expect(problem.retryAfterSeconds).toBeGreaterThan(0);
    expect(single.headers.get('retry-after')).toBe(String(problem.retryAfterSeconds));
    // Another agency has its own allowance.
    expect((await batch('linze-mi-officer', items.slice(0, 3))).at(-1)).toEqual({ summary: { total: 3, valid: 2, voided: 1 } });
  });
});
