import { rmSync } from 'node:fs';
import { makeTestCertificates, TestCertificates, TestNatsServer } from '@lianban/testing';
import { NatsBus } from './nats-bus';
import { NatsCredentials } from './messaging.options';

/**
 * The platform's processes against NATS servers that require credentials or TLS, as production
 * runs them (every event and request, personal data included, crosses NATS): with the right
 * credentials a process connects and its requests are answered; without them, or with wrong ones,
 * it is refused when it starts rather than running half-connected.
 */
describe('NATS with credentials and TLS', () => {
  const buses: NatsBus[] = [];
  const bus = (servers: string, credentials?: NatsCredentials) => {
    const b = new NatsBus({ servers, serviceName: 'security-test', credentials, connectTimeoutMs: 3_000 });
    buses.push(b);
    return b;
  };

  /** A request answered by a second connection with the same credentials: the broker carries the traffic both ways. */
  async function roundTrip(servers: string, credentials: NatsCredentials): Promise<string> {
    const responder = await bus(servers, credentials).connect();
    const sub = responder.subscribe('security.echo');
    void (async () => {
      for await (const m of sub) m.respond(new TextEncoder().encode(`echo ${new TextDecoder().decode(m.data)}`));
    })();
    await responder.flush();
    const requester = await bus(servers, credentials).connect();
    const reply = await requester.request('security.echo', new TextEncoder().encode('案件'), { timeout: 2_000 });
    return new TextDecoder().decode(reply.data);
  }

  afterEach(async () => {
    for (const b of buses.splice(0)) await b.close();
  });

  describe('a server with a user and password', () => {
    let server: TestNatsServer;
    beforeAll(async () => {
      server = await TestNatsServer.start(['--user', 'lianban', '--pass', 'nats-secret-2026']);
    });
    afterAll(() => server.dispose());

    it('serves a process that gives them', async () => {
      await expect(roundTrip(server.url, { user: 'lianban', pass: 'nats-secret-2026' })).resolves.toBe('echo 案件');
    });

    it('refuses a process without credentials or with a wrong password, at start', async () => {
      await expect(bus(server.url).connect()).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
      await expect(bus(server.url, { user: 'lianban', pass: 'guessed' }).connect()).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    });
  });

  describe('a server with a token', () => {
    let server: TestNatsServer;
    beforeAll(async () => {
      server = await TestNatsServer.start(['--auth', 'lianban-token-2026']);
    });
    afterAll(() => server.dispose());

    it('serves the token and refuses another', async () => {
      await expect(roundTrip(server.url, { token: 'lianban-token-2026' })).resolves.toBe('echo 案件');
      await expect(bus(server.url, { token: 'another' }).connect()).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    });
  });

  describe('a server with TLS that verifies its clients', () => {
    let server: TestNatsServer;
    let certs: TestCertificates;
    beforeAll(async () => {
      certs = makeTestCertificates();
      server = await TestNatsServer.start(['--tls', '--tlscert', certs.serverCertFile, '--tlskey', certs.serverKeyFile, '--tlsverify', '--tlscacert', certs.caFile]);
    });
    afterAll(async () => {
      await server.dispose();
      rmSync(certs.dir, { recursive: true, force: true });
    });

    it('serves a process with the CA and a client certificate it signed', async () => {
      await expect(roundTrip(server.url, { tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } })).resolves.toBe('echo 案件');
    });

    it('refuses a process without a client certificate, and one that does not know the CA (the server is not trusted)', async () => {
      // The server drops the handshake of a client without a certificate: the process never gets connected.
      await expect(bus(server.url, { tls: { caFile: certs.caFile } }).connect()).rejects.toMatchObject({ code: 'TIMEOUT' });
      // The server asks for TLS even of a nats:// URL, and its certificate is checked against the CA the process knows (none here).
      await expect(bus(server.url).connect()).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      await expect(bus(server.url, { tls: { certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } }).connect()).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    });
  });
});
