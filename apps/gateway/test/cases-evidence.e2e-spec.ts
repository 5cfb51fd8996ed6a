import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { S3BlobStore } from '@lianban/platform';
import { TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * Evidence of a case through the gateway: streamed uploads larger than any JSON body or NATS
 * message, SHA-256 and SM3 recorded and verified on every download (a tampered file is caught),
 * the chain of custody, and who is refused.
 */
describe('case evidence, end to end', () => {
  const iso = new TestIsolation();
  const storeDir = mkdtempSync(join(tmpdir(), 'lianban-evidence-'));
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let ids: Record<string, string>;
  let as: DemoPlatform['as'];
  let casesDb: DataSource;
  let caseId: string;
  const MAX = 3 * 1024 * 1024;

  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const sm3 = (b: Buffer) => createHash('sm3').update(b).digest('hex');

  async function upload(user: string, bytes: Buffer, name = '询问笔录.pdf', contentType = 'application/octet-stream', id = caseId) {
    const res = await fetch(`${platform.url}/api/v1/cases/${id}/evidence?name=${encodeURIComponent(name)}&mediaType=application%2Fpdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await as(user)}`, 'content-type': contentType },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  async function download(user: string, evidenceId: string, id = caseId) {
    const res = await fetch(`${platform.url}/api/v1/cases/${id}/evidence/${evidenceId}/content`, { headers: { authorization: `Bearer ${await as(user)}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) as Json };
  }

  beforeAll(async () => {
    platform = await startDemoPlatform(iso, { config: { evidenceStoreDir: storeDir, evidenceMaxBytes: MAX } });
    ({ api, ids, as } = platform);
    casesDb = platform.services.get('cases')!.get(DataSource);
    const c = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '某药店串换药品案（证据）',
      partyName: '某药店',
      facts: '现场检查发现以日用品串换药品进行医保结算。',
      documentNumber: '甘医保立〔2026〕20号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    caseId = c.body.id;
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('stores a file larger than any JSON body or NATS message with its SHA-256 and SM3, and serves it back verified', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 17);
    const up = await upload('ganzhou-mi-officer', bytes);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ caseId, name: '询问笔录.pdf', mediaType: 'application/pdf', sizeBytes: bytes.length, sha256: sha256(bytes), sm3: sm3(bytes), addedBy: ids['ganzhou-mi-officer'], addedByAgencyId: ids['甘州区医疗保障局'], sealed: false });
    expect(up.body.custody).toEqual([expect.objectContaining({ seq: 1, event: 'added', actorId: ids['ganzhou-mi-officer'] })]);
    // The bytes are in the configured directory, under the case.
    expect(sha256(readFileSync(join(storeDir, 'cases', caseId, up.body.id)))).toBe(sha256(bytes));

    // The city bureau reads it; every download is in the chain of custody and the audit log.
    const down = await download('zhangye-mi-officer', up.body.id);
    expect(down.status).toBe(200);
    expect(down.bytes.equals(bytes)).toBe(true);
    expect(down.headers.get('x-evidence-sha256')).toBe(sha256(bytes));
    expect(down.headers.get('x-evidence-sm3')).toBe(sm3(bytes));
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('询问笔录.pdf')}`);
    const listed = await api.call('GET', `/cases/${caseId}/evidence`, await as('ganzhou-mi-officer'));
    expect(listed.body.find((e: Json) => e.id === up.body.id).custody.map((x: Json) => [x.event, x.actorId])).toEqual([
      ['added', ids['ganzhou-mi-officer']],
      ['downloaded', ids['zhangye-mi-officer']],
    ]);
    const audited = await casesDb.query(`SELECT action, actor_id, outcome FROM audit_log WHERE target = $1 ORDER BY id`, [up.body.id]);
    expect(audited).toEqual([
      { action: 'case.evidence.add', actor_id: ids['ganzhou-mi-officer'], outcome: 'succeeded' },
      { action: 'case.evidence.download', actor_id: ids['zhangye-mi-officer'], outcome: 'succeeded' },
    ]);
  }, 30_000);

  it('detects a stored file altered after upload: refuses to serve it and records the failure', async () => {
    const bytes = Buffer.from('现场检查笔录：药店以日用品串换药品结算，涉及金额12,000元。'.repeat(50));
    const up = await upload('ganzhou-mi-officer', bytes, '现场检查笔录.txt');
    expect(up.status).toBe(201);
    const path = join(storeDir, 'cases', caseId, up.body.id);
    const altered = Buffer.from(bytes);
    altered[10] ^= 0xff; // one byte changed, same length
    writeFileSync(path, altered);

    const down = await download('ganzhou-mi-officer', up.body.id);
    expect(down.status).toBe(409);
    expect(down.json()).toMatchObject({ code: 'EVIDENCE_INTEGRITY_FAILED', evidenceId: up.body.id });
    // Sealing verifies too.
    expect((await api.call('POST', `/cases/${caseId}/evidence/${up.body.id}/seal`, await as('ganzhou-mi-officer'))).body.code).toBe('EVIDENCE_INTEGRITY_FAILED');
    const evidence = (await api.call('GET', `/cases/${caseId}/evidence`, await as('ganzhou-mi-officer'))).body.find((e: Json) => e.id === up.body.id);
    expect(evidence.custody.map((x: Json) => x.event)).toEqual(['added', 'integrity_failed', 'integrity_failed']);
    const refused = await casesDb.query(`SELECT action FROM audit_log WHERE target = $1 AND outcome = 'refused' ORDER BY id`, [up.body.id]);
    expect(refused.map((r: Json) => r.action)).toEqual(['case.evidence.download', 'case.evidence.seal']);

    // Restored, it is served and can be sealed, once.
    writeFileSync(path, bytes);
    expect((await download('ganzhou-mi-officer', up.body.id)).bytes.equals(bytes)).toBe(true);
    const sealed = await api.call('POST', `/cases/${caseId}/evidence/${up.body.id}/seal`, await as('ganzhou-mi-officer2'));
    expect(sealed.body).toMatchObject({ sealed: true });
    expect(sealed.body.custody.at(-1)).toMatchObject({ event: 'sealed', actorId: ids['ganzhou-mi-officer2'] });
    expect((await api.call('POST', `/cases/${caseId}/evidence/${up.body.id}/seal`, await as('ganzhou-mi-officer'))).body.code).toBe('EVIDENCE_SEALED');
  }, 30_000);

  it('serves one file to many readers at once and logs every download, each with its own number in the chain', async () => {
    const c = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '某药店串换药品案（同时下载）',
      partyName: '某药店',
      facts: '现场检查发现以日用品串换药品进行医保结算。',
      documentNumber: '甘医保立〔2026〕21号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    const id = c.body.id;
    const bytes = randomBytes(200_000);
    const up = await upload('ganzhou-mi-officer', bytes, '同时下载.pdf', undefined, id);
    expect(up.status).toBe(201);
    const readers = Array.from({ length: 8 }, (_, i) => (i % 2 ? 'ganzhou-mi-officer' : 'zhangye-mi-officer'));
    const downs = await Promise.all(readers.map((user) => download(user, up.body.id, id)));
    expect(downs.map((d) => d.status)).toEqual(readers.map(() => 200));
    expect(downs.every((d) => d.bytes.equals(bytes))).toBe(true);
    // A seal while others download takes its place in the chain too.
    const [sealed, ...more] = await Promise.all([
      api.call('POST', `/cases/${id}/evidence/${up.body.id}/seal`, await as('ganzhou-mi-officer')),
      ...readers.map((user) => download(user, up.body.id, id)),
    ]);
    expect([sealed.status, ...more.map((d) => d.status)]).toEqual([201, ...readers.map(() => 200)]);
    // The whole chain, read a stretch at a time; the list carries only its latest entries and the count.
    const chain = async (user: string) => {
      const entries: Json[] = [];
      let after: number | null = 0;
      while (after !== null) {
        const page: { status: number; body: Json } = await api.call('GET', `/cases/${id}/evidence/${up.body.id}/custody?afterSeq=${after}&limit=5`, await as(user));
        expect(page.status).toBe(200);
        entries.push(...page.body.items);
        after = page.body.nextAfterSeq;
      }
      return entries;
    };
    const custody = await chain('zhangye-mi-officer');
    expect(custody.map((x: Json) => x.seq)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const listed = (await api.call('GET', `/cases/${id}/evidence`, await as('ganzhou-mi-officer'))).body.find((e: Json) => e.id === up.body.id);
    expect(listed.custodyTotal).toBe(18);
    expect(listed.custody).toEqual(custody.slice(-3));
    expect(custody.filter((x: Json) => x.event === 'downloaded')).toHaveLength(16);
    expect(custody.filter((x: Json) => x.event === 'sealed')).toHaveLength(1);
    const [{ n }] = await casesDb.query(`SELECT count(*)::int AS n FROM audit_log WHERE target = $1 AND action = 'case.evidence.download' AND outcome = 'succeeded'`, [up.body.id]);
    expect(n).toBe(16);

    // An altered file read by many at once: every reader is refused with 409 and every refusal logged.
    writeFileSync(join(storeDir, 'cases', id, up.body.id), Buffer.alloc(bytes.length));
    const refused = await Promise.all(readers.map((user) => download(user, up.body.id, id)));
    expect(refused.map((d) => [d.status, d.json().code])).toEqual(readers.map(() => [409, 'EVIDENCE_INTEGRITY_FAILED']));
    const after = await chain('ganzhou-mi-officer');
    expect(after.filter((x: Json) => x.event === 'integrity_failed').map((x: Json) => x.seq)).toEqual(Array.from({ length: 8 }, (_, i) => 19 + i));
    // The chain is read as the case is: not by another district, and not for a file of another case.
    expect((await api.call('GET', `/cases/${id}/evidence/${up.body.id}/custody`, await as('linze-mi-officer'))).body).toMatchObject({ status: 404 });
    expect((await api.call('GET', `/cases/${id}/evidence/${up.body.id}/custody?limit=0`, await as('ganzhou-mi-officer'))).body).toMatchObject({ status: 400, errors: [{ field: 'limit' }] });
  }, 60_000);

  it('answers a case with many files, each downloaded many times, a page at a time and within the bus’s limit', async () => {
    const c = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '某医院虚开票据骗保案（卷宗较大）',
      partyName: '某医院',
      facts: '案卷附大量结算凭证和票据查验回执。',
      documentNumber: '甘医保立〔2026〕23号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    const id = c.body.id;
    const up = await upload('ganzhou-mi-officer', randomBytes(1000), '凭证-0.pdf', undefined, id);
    expect(up.status).toBe(201);
    // 300 files with 30 downloads each, written as the service writes them (uploading them all would take minutes).
    const note = `sha256 ${'0'.repeat(64)}`;
    await casesDb.query(
      `INSERT INTO evidence (id, case_id, storage_key, name, media_type, size_bytes, sha256, sm3, added_by, added_by_agency_id, added_at)
       SELECT gen_random_uuid(), case_id, storage_key || '-' || g, '凭证-' || g || '.pdf', media_type, size_bytes, sha256, sm3, added_by, added_by_agency_id, added_at + g * interval '1 second'
         FROM evidence, generate_series(1, 299) AS g WHERE id = $1`,
      [up.body.id],
    );
    await casesDb.query(
      `INSERT INTO evidence_custody (evidence_id, seq, event, actor_id, agency_id, note)
       SELECT e.id, s, CASE WHEN s = 1 THEN 'added' ELSE 'downloaded' END, e.added_by, e.added_by_agency_id, $2
         FROM evidence e, generate_series(1, 31) AS s WHERE e.case_id = $1 AND e.id <> $3`,
      [id, note, up.body.id],
    );
    const token = await as('zhangye-mi-officer');
    // With every file's whole chain the answer passed NATS's 1 MiB: the evidence tab answered 413.
    const all = await api.call('GET', `/cases/${id}/evidence`, token);
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(300);
    expect(all.body[299]).toMatchObject({ name: '凭证-299.pdf', custodyTotal: 31, custody: [{ seq: 29 }, { seq: 30 }, { seq: 31 }] });
    const page = await api.call('GET', `/cases/${id}/evidence?page=2&pageSize=100`, token);
    expect(page.body).toMatchObject({ total: 300, page: 2, pageSize: 100 });
    expect(page.body.items.map((e: Json) => e.name)).toEqual(Array.from({ length: 100 }, (_, i) => `凭证-${100 + i}.pdf`));
    expect((await api.call('GET', `/cases/${id}/evidence?pageSize=201`, token)).body).toMatchObject({ status: 400, errors: [{ field: 'pageSize' }] });
  }, 60_000);

  it('keeps the slot of finance’s receipt for the receipt itself: an upload named like one is refused, the real one is filed and says what it is', async () => {
    const c = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '某医院虚开票据骗保案（回执）',
      partyName: '某医院',
      facts: '结算凭证所附门诊票据疑为作废票据。',
      documentNumber: '甘医保立〔2026〕22号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    const id = c.body.id;
    const v = await api.call('POST', '/invoices/verifications', await as('ganzhou-mi-officer'), { code: '62060126', number: '0000000001', checkCode: '1a9c3f' });
    expect(v.status).toBe(201);
    const n = v.body.verificationId;
    const description = '发票查验回执：票据代码 62060126，票据号码 0000000001，查验结论 valid';
    const forged = Buffer.from(JSON.stringify({ receipt: JSON.stringify({ verificationId: n, code: '62060126', number: '0000000001', verdict: 'valid' }), signature: '00', publicKeyPem: 'x' }));
    const pose = async (name: string) => {
      const res = await fetch(`${platform.url}/api/v1/cases/${id}/evidence?name=${encodeURIComponent(name)}&mediaType=application%2Fjson&description=${encodeURIComponent(description)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await as('ganzhou-mi-officer')}`, 'content-type': 'application/octet-stream' },
        body: forged,
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    for (const name of [`发票查验回执-${n}.json`, ` 发票查验回执-${n}.JSON`, `发票查验回执-${n + 1}.json`]) {
      expect((await pose(name)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'name', codes: ['receiptNameReserved'] }] });
    }
    const [{ count }] = await casesDb.query(`SELECT count(*)::int AS count FROM evidence WHERE case_id = $1`, [id]);
    expect(count).toBe(0);

    // Finance's receipt is filed, and the list says which verification it is for and what it holds.
    const real = await api.call('POST', `/cases/${id}/evidence/invoice-receipts`, await as('ganzhou-mi-officer2'), { verificationId: n });
    expect(real.status).toBe(201);
    expect(real.body).toMatchObject({ name: `发票查验回执-${n}.json`, receiptOf: n, description: `发票查验回执：票据代码 62060126，票据号码 0000000001，查验结论 ${v.body.verdict}` });
    expect((await api.call('POST', `/cases/${id}/evidence/invoice-receipts`, await as('ganzhou-mi-officer'), { verificationId: n })).body).toMatchObject({ status: 409, code: 'RECEIPT_ALREADY_ATTACHED', receiptOf: n });
    // An ordinary file shows its description, and is no receipt.
    const plain = await fetch(`${platform.url}/api/v1/cases/${id}/evidence?name=${encodeURIComponent('发票查验说明.pdf')}&mediaType=application%2Fpdf&description=${encodeURIComponent('经办人对查验结果的说明')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await as('ganzhou-mi-officer')}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from('说明'),
    });
    expect(plain.status).toBe(201);
    const listed = (await api.call('GET', `/cases/${id}/evidence`, await as('zhangye-mi-officer'))).body as Json[];
    expect(listed.map((e) => [e.name, e.receiptOf, e.description])).toEqual([
      [`发票查验回执-${n}.json`, n, real.body.description],
      ['发票查验说明.pdf', null, '经办人对查验结果的说明'],
    ]);
    // Nothing of the refused uploads stayed in the store.
    expect(readdirSync(join(storeDir, 'cases', id)).sort()).toEqual([real.body.id, listed[1].id].sort());
  }, 60_000);

  it('refuses evidence to everyone outside the handling bureau’s reach, and uploads to all but that bureau', async () => {
    const bytes = Buffer.from('举报材料');
    const up = await upload('ganzhou-mi-officer', bytes, '举报材料.txt');
    for (const user of ['linze-mi-officer', 'ganzhou-police-officer', 'ganzhou-procuratorate-officer', 'ganzhou-lgo-officer', 'ganzhou-finance-officer', 'ganzhou-court-officer', 'h62070200004']) {
      expect([user, (await download(user, up.body.id)).status]).toEqual([user, 404]);
      expect([user, (await api.call('GET', `/cases/${caseId}/evidence`, await as(user))).status]).toEqual([user, 404]);
      expect([user, (await upload(user, bytes)).status]).toEqual([user, 404]);
    }
    // The city bureau reads the district's evidence but adds none.
    expect((await upload('zhangye-mi-officer', bytes)).status).toBe(403);
    const custody = (await api.call('GET', `/cases/${caseId}/evidence`, await as('ganzhou-mi-officer'))).body.find((e: Json) => e.id === up.body.id).custody;
    expect(custody.map((x: Json) => x.event)).toEqual(['added']);
    // Nothing of the refused uploads stayed in the store.
    const [{ n }] = await casesDb.query(`SELECT count(*)::int AS n FROM evidence WHERE case_id = $1`, [caseId]);
    expect(n).toBe(3);
  }, 60_000);

  it('refuses a JSON body, a file over the configured limit, and an unknown file', async () => {
    const json = await fetch(`${platform.url}/api/v1/cases/${caseId}/evidence?name=a.txt&mediaType=text%2Fplain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await as('ganzhou-mi-officer')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'x' }),
    });
    expect(json.status).toBe(415);
    // Raw bytes are taken on the evidence route only; elsewhere they are refused as before.
    const elsewhere = await fetch(`${platform.url}/api/v1/cases/${caseId}/steps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await as('ganzhou-mi-officer')}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from('{}'),
    });
    expect(elsewhere.status).toBe(415);
    const big = await upload('ganzhou-mi-officer', randomBytes(MAX + 1));
    expect(big).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    expect((await upload('ganzhou-mi-officer', Buffer.from('x'), '')).status).toBe(400);
    expect((await download('ganzhou-mi-officer', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  }, 30_000);
});

/** The same path with the evidence in S3-compatible object storage (s3rver, a real S3 HTTP server from npm). */
describe('case evidence in S3-compatible storage, end to end', () => {
  const iso = new TestIsolation();
  const dir = mkdtempSync(join(tmpdir(), 'lianban-s3-e2e-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver');
  let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
  let platform: DemoPlatform;
  let store: S3BlobStore;
  let caseId: string;

  beforeAll(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: 'evidence', configs: [] }] });
    const { port } = await server.run();
    const evidenceS3 = { endpoint: `http://127.0.0.1:${port}`, bucket: 'evidence', accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };
    store = new S3BlobStore(evidenceS3);
    platform = await startDemoPlatform(iso, { config: { evidenceS3 } });
    const c = await platform.api.call('POST', '/cases', await platform.as('ganzhou-mi-officer'), {
      title: '某诊所虚构诊疗项目案（对象存储）',
      partyName: '某诊所',
      facts: '虚构诊疗项目结算医保基金。',
      documentNumber: '甘医保立〔2026〕21号',
      officerIds: [platform.ids['ganzhou-mi-officer'], platform.ids['ganzhou-mi-officer2']],
    });
    caseId = c.body.id;
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads into the bucket, serves the file verified, and catches an object altered in the bucket', async () => {
    const token = await platform.as('ganzhou-mi-officer');
    const bytes = randomBytes(1024 * 1024 + 1);
    const up = await fetch(`${platform.url}/api/v1/cases/${caseId}/evidence?name=video.mp4&mediaType=video%2Fmp4`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: bytes });
    expect(up.status).toBe(201);
    const evidence = (await up.json()) as Json;
    expect(evidence.sm3).toBe(createHash('sm3').update(bytes).digest('hex'));
    expect(await store.size(`cases/${caseId}/${evidence.id}`)).toBe(bytes.length);

    const url = `${platform.url}/api/v1/cases/${caseId}/evidence/${evidence.id}/content`;
    const down = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);

    const altered = Buffer.from(bytes);
    altered[0] ^= 1;
    await store.put(`cases/${caseId}/${evidence.id}`, Readable.from([altered]));
    const refused = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).code).toBe('EVIDENCE_INTEGRITY_FAILED');
  }, 30_000);
});
