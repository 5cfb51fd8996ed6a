import { INestApplication } from '@nestjs/common';
import { healthSubject } from '@lianban/contracts';
import { NatsBus } from '@lianban/messaging';
import { createServiceApp } from '@lianban/platform';
import { TestIsolation, TestNatsServer } from '@lianban/testing';
import { AppModule } from './app.module';

/**
 * A service configured for a NATS server that requires a user and password, as production runs
 * it: with NATS_USER and NATS_PASSWORD from its environment it starts and answers over NATS; with
 * a wrong password it does not start at all.
 */
describe('a service on a NATS server that requires credentials', () => {
  const iso = new TestIsolation();
  let server: TestNatsServer;
  const open: INestApplication[] = [];

  beforeAll(async () => {
    server = await TestNatsServer.start(['--user', 'lianban', '--pass', 'nats-secret-2026']);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await server.dispose();
    await iso.cleanup();
  });

  const boot = async (password: string) => {
    const app = await createServiceApp(AppModule.forRoot(iso.config('agencies', {}, { NATS_URL: server.url, NATS_USER: 'lianban', NATS_PASSWORD: password })), { abortOnError: false });
    open.push(app);
    await app.init();
    return app;
  };

  it('starts with the credentials from its environment and answers a health check over NATS', async () => {
    const app = await boot('nats-secret-2026');
    expect(app.get(NatsBus).isConnected()).toBe(true);
    const asker = new NatsBus({ servers: server.url, serviceName: 'asker', credentials: { user: 'lianban', pass: 'nats-secret-2026' } });
    try {
      const reply = await (await asker.connect()).request(`${iso.subjectPrefix}${healthSubject('agencies')}`, new TextEncoder().encode('{}'), { timeout: 5_000 });
      expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({ ok: true, data: { status: 'ok' } });
    } finally {
      await asker.close();
    }
  });

  it('does not start with a wrong password', async () => {
    await expect(boot('guessed')).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });
});
