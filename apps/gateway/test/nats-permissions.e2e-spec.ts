import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AckPolicy, connect, NatsConnection } from 'nats';
import { EVENTS_STREAM } from '@lianban/contracts';
import { inboxPrefixOf, natsAuthorizationConfig, NATS_PROCESSES, NatsProcess, prefixedStreamName } from '@lianban/messaging';
import { eventually, newIsolationId, TestIsolation, TestNatsServer } from '@lianban/testing';
import { Json } from './api';
import { draft, jsonl, signed, sm2Pair } from './invoice-fixtures';
import { DemoPlatform, startDemoPlatform } from './platform';
import { readEvents } from './sse';

/**
 * The platform on a NATS server that gives every process its own user and subjects
 * (`natsAuthorizationConfig`, as deploy/nats-server.conf does): the whole path of a transfer, its
 * events and the inbox's live stream work, and the server's log shows no refusal; a process taken
 * over cannot answer another service's requests, read anyone else's replies, publish another
 * service's events, change or delete the event stream, read it without being one of its consumers,
 * or make a stream of its own that would record other processes' messages.
 */
describe('NATS permissions per process', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianban-nats-perms-'));
  const log = path.join(dir, 'nats.log');
  const passwords = Object.fromEntries(NATS_PROCESSES.map((p) => [p, randomBytes(12).toString('hex')])) as Record<NatsProcess, string>;
  let server: TestNatsServer;
  let iso: TestIsolation;
  let platform: DemoPlatform;
  const connections: NatsConnection[] = [];

  /** A connection as a process's user, the way a process taken over would use it. */
  const as = async (process: NatsProcess, inboxPrefix = inboxPrefixOf(process)) => {
    const nc = await connect({ servers: server.url, user: process, pass: passwords[process], inboxPrefix });
    connections.push(nc);
    return nc;
  };
  /**
   * What the server said of what the connection just did: the client is told asynchronously, by its
   * status (the code), and the server's log names the subject and the user (the last such line).
   */
  const refusal = async (nc: NatsConnection, act: () => unknown): Promise<string> => {
    const statuses = nc.status();
    const told = (async () => {
      for await (const s of statuses) if (s.type === 'error') return String(s.data);
      return '';
    })();
    const before = violations().length;
    await act();
    await nc.flush().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([told, new Promise<string>((r) => (timer = setTimeout(() => r('(nothing said)'), 3_000)))]).finally(() => clearTimeout(timer));
    const logged = await eventually(async () => violations().slice(before).at(-1));
    return `${code}: ${logged}`;
  };
  const violations = () => readFileSync(log, 'utf8').split('\n').filter((l) => / Violation - User /.test(l));

  beforeAll(async () => {
    // The permissions name the suite's subjects, so the server knows its prefix before the isolation exists.
    const id = newIsolationId();
    const conf = path.join(dir, 'nats.conf');
    writeFileSync(conf, natsAuthorizationConfig(NATS_PROCESSES.map((p) => ({ process: p, user: p, password: passwords[p] })), `${id}.`));
    server = await TestNatsServer.start(['-c', conf, '-l', log]);
    iso = new TestIsolation(undefined, server.url, id);
    platform = await startDemoPlatform(iso, { config: { evidenceStoreDir: path.join(dir, 'files') }, configFor: (p) => ({ natsCredentials: { user: p, pass: passwords[p] } }) });
  }, 90_000);

  afterAll(async () => {
    for (const nc of connections) await nc.close();
    await platform?.stop();
    await iso?.cleanup();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries a transfer to police, its events to their inbox and the inbox’s live stream, with nothing refused', async () => {
    const { api, ids } = platform;
    const police = await platform.as('ganzhou-police-officer');
    const live = readEvents(`${platform.url}/api/v1/inbox/stream`, police, 1);
    const draft = await api.call('POST', '/transfers', await platform.as('ganzhou-mi-officer'), {
      route: 'mi_to_police',
      receiverAgencyId: ids['张掖市公安局甘州分局'],
      title: '权限测试移送',
      summary: '检查每个进程只用自己的主题。',
      teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(draft.status).toBe(201);
    for (const [user, step] of [['ganzhou-mi-officer', { action: 'submit' }], ['ganzhou-mi-head', { action: 'approve' }], ['ganzhou-mi-officer', { action: 'send', documentNumber: '甘医保移〔2026〕30号' }]] as const) {
      expect((await api.call('POST', `/transfers/${draft.body.id}/steps`, await platform.as(user), step)).status).toBe(201);
    }
    const item = await eventually(async () => ((await api.call('GET', '/inbox', police)).body as Json[]).find((n) => n.link === `/transfers/${draft.body.id}`));
    expect(item).toMatchObject({ kind: 'transfer.sent' });
    expect((await live).map((e) => e.data.link)).toContain(`/transfers/${draft.body.id}`);
    expect(violations()).toEqual([]);
  }, 60_000);

  it('parks a malformed event, lists and replays it for an administrator, files a case and imports an invoice file, with nothing refused', async () => {
    const { api, ids } = platform;
    // A malformed event, as a broken publisher of transfer events would send it.
    const publisher = await as('clue-transfer');
    await publisher.jetstream().publish(`${iso.subjectPrefix}lianban.events.transfer.sent`, new TextEncoder().encode('{"not": "an envelope"'), { msgID: randomBytes(8).toString('hex') });
    const admin = await platform.as('zhangye-mi-admin');
    const letter = await eventually(async () => ((await api.call('GET', '/admin/dead-letters', admin)).body as Json[]).find((l) => l.consumer === 'notify-transfers'));
    expect((await api.call('POST', `/admin/dead-letters/${letter.seq}/replay`, admin)).body).toEqual({ replayed: letter.seq });

    const filed = await api.call('POST', '/cases', await platform.as('ganzhou-mi-officer'), {
      title: '张掖康泰医院涉嫌分解住院案',
      partyName: '张掖康泰医院（示例民营）',
      partyInstitutionCode: 'H62070200004',
      facts: '经大数据筛查，该院存在分解住院行为。',
      documentNumber: '甘医保立〔2026〕9号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(filed.status).toBe(201);
    // The cases service's relay published the case's event on its own domain.
    await eventually(async () => {
      const [row] = await platform.agencies.query(`SELECT published_at FROM "${iso.schema('cases')}".outbox_event WHERE type = 'case.filed' AND envelope->'payload'->>'caseId' = $1`, [filed.body.id]);
      return row?.published_at;
    });
    // An import file ends in the background: the invoices service tells finance through its own event.
    const finance = await platform.as('zhangye-finance-officer');
    const issuer = sm2Pair();
    expect((await api.call('POST', '/invoices/issuers', finance, { code: 'H62070200001', name: '张掖市人民医院', publicKeyPem: issuer.publicKeyPem })).status).toBe(201);
    const file = jsonl([1, 2].map((n) => signed(draft(n), issuer.privateKey)));
    const upload = await fetch(`${platform.url}/api/v1/invoices/imports/files?format=jsonl&name=perm.jsonl`, { method: 'POST', headers: { authorization: `Bearer ${finance}`, 'content-type': 'application/octet-stream' }, body: file });
    expect(upload.status).toBe(202);
    const { id } = (await upload.json()) as Json;
    const told = await eventually(async () => ((await api.call('GET', '/inbox', finance)).body as Json[]).find((n) => n.link === `/invoices?import=${id}`), 30_000);
    expect(told).toMatchObject({ kind: 'invoice.import_succeeded' });
    // The gateway's readiness asks every service on its own subject.
    expect((await fetch(`${platform.url}/api/v1/health/ready`)).status).toBe(200);
    expect(violations()).toEqual([]);
  }, 60_000);

  it('keeps a process taken over from answering another service’s requests or reading others’ replies', async () => {
    const rogue = await as('invoices');
    const subject = `${iso.subjectPrefix}lianban.agencies.session.verify`;
    expect(await refusal(rogue, () => rogue.subscribe(subject, { queue: 'agencies' }))).toMatch(/^PERMISSIONS_VIOLATION: .*Subscription Violation - User "invoices", Subject "[^"]*lianban\.agencies\.session\.verify"/);
    expect(await refusal(rogue, () => rogue.subscribe('_INBOX_gateway.>'))).toMatch(/^PERMISSIONS_VIOLATION: .*Subscription Violation - User "invoices", Subject "_INBOX_gateway\.>"/);
    expect(await refusal(rogue, () => rogue.subscribe('_INBOX.>'))).toMatch(/^PERMISSIONS_VIOLATION: .*Subscription Violation - User "invoices", Subject "_INBOX\.>"/);
    // Its own inbox works: a request to agencies is answered by agencies.
    const health = await rogue.request(`${iso.subjectPrefix}lianban.agencies.health.check`, new Uint8Array(), { timeout: 5_000 }).catch((e: Error) => e);
    expect(health).not.toBeInstanceOf(Error);
    // The gateway answers nothing and reads only the inbox signals of notifications.
    const gateway = await as('gateway');
    expect(await refusal(gateway, () => gateway.subscribe(`${iso.subjectPrefix}lianban.cases.>`))).toMatch(/^PERMISSIONS_VIOLATION: .*Subscription Violation - User "gateway", Subject "[^"]*lianban\.cases\.>"/);
  });

  it('keeps a process from publishing another service’s events, changing or deleting the event stream, reading it, or recording others’ messages in a stream of its own', async () => {
    const rogue = await as('invoices');
    expect(await refusal(rogue, () => rogue.publish(`${iso.subjectPrefix}lianban.events.officer.created`, new TextEncoder().encode('{}')))).toMatch(/^PERMISSIONS_VIOLATION: .*Publish Violation - User "invoices", Subject "[^"]*lianban\.events\.officer\.created"/);
    const stream = prefixedStreamName(EVENTS_STREAM, iso.subjectPrefix);
    const jsm = await rogue.jetstreamManager();
    expect(await refusal(rogue, () => jsm.streams.delete(stream).catch(() => undefined))).toMatch(/^PERMISSIONS_VIOLATION: .*Publish Violation - User "invoices", Subject "\$JS\.API\.STREAM\.DELETE\./);
    expect((await jsm.streams.info(stream)).config.name).toBe(stream);
    // Nor add subjects to it, or make a stream of its own that would record the gateway's replies, or read the events through a consumer.
    expect(await refusal(rogue, () => jsm.streams.update(stream, { subjects: [`${iso.subjectPrefix}lianban.>`] }).catch(() => undefined))).toMatch(
      /^PERMISSIONS_VIOLATION: .*Publish Violation - User "invoices", Subject "\$JS\.API\.STREAM\.UPDATE\./,
    );
    expect(await refusal(rogue, () => jsm.streams.add({ name: 'CAPTURE', subjects: ['_INBOX_gateway.>'] }).catch(() => undefined))).toMatch(
      /^PERMISSIONS_VIOLATION: .*Publish Violation - User "invoices", Subject "\$JS\.API\.STREAM\.CREATE\.CAPTURE"/,
    );
    expect(await refusal(rogue, () => jsm.consumers.add(stream, { durable_name: 'reader', ack_policy: AckPolicy.None }).catch(() => undefined))).toMatch(
      /^PERMISSIONS_VIOLATION: .*Publish Violation - User "invoices", Subject "\$JS\.API\.CONSUMER\.(DURABLE\.)?CREATE\./,
    );
    expect((await jsm.streams.info(stream)).config.subjects).toEqual([`${iso.subjectPrefix}lianban.events.>`]);
  });
});
