import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, NatsConnection } from 'nats';
import { TestNatsServer } from '@lianban/testing';
import { inboxPrefixOf } from './naming';
import { deployNatsConfig, NATS_PROCESSES, natsPasswordVariable } from './nats-permissions';

const DEPLOY_CONF = join(__dirname, '../../../deploy/nats-server.conf');

/**
 * deploy/nats-server.conf as Compose runs it: written from the permissions in code, read by a
 * real nats-server with each process's password from the environment. (The whole platform on
 * such a server: apps/gateway/test/nats-permissions.e2e-spec.ts.)
 */
describe('deploy/nats-server.conf', () => {
  // Starting with a letter: the server reads a variable's value as a configuration value, and '12e4…' would be a number.
  const passwords = Object.fromEntries(NATS_PROCESSES.map((p) => [p, `p${randomBytes(12).toString('hex')}`]));
  let server: TestNatsServer;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    server = await TestNatsServer.start(['-c', DEPLOY_CONF], Object.fromEntries(NATS_PROCESSES.map((p) => [natsPasswordVariable(p), passwords[p]])));
  });

  afterAll(async () => {
    for (const nc of connections) await nc.close();
    await server?.dispose();
  });

  it('is what tools/nats-config.ts writes from the permissions in code', () => {
    expect(readFileSync(DEPLOY_CONF, 'utf8')).toBe(deployNatsConfig());
  });

  it('lets each process in with its own password only, and each answers its own requests', async () => {
    for (const p of NATS_PROCESSES) {
      const nc = await connect({ servers: server.url, user: p, pass: passwords[p], inboxPrefix: inboxPrefixOf(p) });
      connections.push(nc);
    }
    await expect(connect({ servers: server.url, user: 'agencies', pass: passwords.invoices })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    await expect(connect({ servers: server.url, user: 'lianban', pass: passwords.gateway })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });

    const [gateway, agencies, , , , invoices] = connections;
    const answering = agencies.subscribe('lianban.agencies.session.verify', { queue: 'agencies' });
    void (async () => {
      for await (const m of answering) m.respond(new TextEncoder().encode('agencies'));
    })();
    // Another service's subscription to the same subject is refused: the request is answered by agencies, every time.
    const rogue = invoices.subscribe('lianban.agencies.session.verify', { queue: 'agencies' });
    const refused = (async () => {
      try {
        for await (const m of rogue) m.respond(new TextEncoder().encode('invoices'));
        return 'closed';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    await Promise.all([agencies.flush(), invoices.flush()]);
    for (let i = 0; i < 5; i++) {
      const reply = await gateway.request('lianban.agencies.session.verify', new Uint8Array(), { timeout: 2_000 });
      expect(new TextDecoder().decode(reply.data)).toBe('agencies');
    }
    await expect(refused).resolves.toContain('Permissions Violation for Subscription to "lianban.agencies.session.verify" using queue "agencies"');
  });
});
