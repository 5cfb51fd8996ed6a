import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Finds the nats-server binary the way the start script does. */
export function natsServerBinary(): string {
  const candidates = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error('nats-server not found: install the Debian package nats-server');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => (s.destroy(), resolve(false)));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not listen on ${port}`);
}

/**
 * A private NATS server with JetStream for tests that stop and restart the broker. It keeps its
 * port and store across restarts, exactly like a production broker coming back after an outage.
 */
export class TestNatsServer {
  private process?: ChildProcess;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'lianban-nats-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * `args`: more nats-server flags, e.g. `['--user', 'u', '--pass', 'p']` or the `--tls…` ones;
   * `env`: variables the server's configuration file reads (`$NAME`).
   */
  static async start(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<TestNatsServer> {
    const server = new TestNatsServer(await freePort(), args, env);
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    if (this.process) return;
    this.process = spawn(natsServerBinary(), ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir, ...this.extraArgs], { stdio: 'ignore', env: { ...process.env, ...this.env } });
    await waitForPort(this.port);
  }

  /** Stops the broker as an outage would (the store stays). */
  async halt(): Promise<void> {
    const p = this.process;
    if (!p) return;
    this.process = undefined;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  async dispose(): Promise<void> {
    await this.halt();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** PEM files of a throw-away CA, a server certificate for localhost and 127.0.0.1 (nats.js names an address's server localhost when it checks the certificate) and a client certificate, both signed by the CA. */
export interface TestCertificates {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/** Makes TestCertificates with the openssl command line (P-256 keys, a day's validity) in a new temporary folder. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'lianban-certs-'));
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(name));
  key('ca.key');
  openssl('req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=Lianban test CA', '-days', '1', '-out', f('ca.pem'));
  for (const [name, cn, ext] of [
    ['server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'lianban-test-client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    key(`${name}.key`);
    openssl('req', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${cn}`, '-out', f(`${name}.csr`));
    writeFileSync(f(`${name}.ext`), `${ext}\n`);
    openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f(`${name}.ext`), '-out', f(`${name}.pem`));
  }
  return { dir, caFile: f('ca.pem'), serverCertFile: f('server.pem'), serverKeyFile: f('server.key'), clientCertFile: f('client.pem'), clientKeyFile: f('client.key') };
}
