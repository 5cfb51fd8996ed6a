/**
 * bench/messaging: NATS request/reply round trips, the project's own RpcServer/RpcClient (nats.js
 * directly) beside @nestjs/microservices' NATS transport (ClientProxy.send → @MessagePattern),
 * same payload, same validation, same headers, in one process against one NATS server.
 *
 *   node -r @swc-node/register bench/messaging/rpc.bench.ts [sequential=5000] [concurrent=20000] [concurrency=64] [rounds=2]
 *
 * (No npm script needed.) NATS at nats://127.0.0.1:4222 unless NATS_URL says otherwise; nothing
 * else is used. Subjects carry a random prefix, so the run never meets other users of that NATS.
 *
 * Both sides do the same work per request: the caller sends { caseId, step, seq } with the
 * Lianban-Actor, Lianban-Correlation-Id and Lianban-Actor-Signature (HMAC) headers and a 5 s
 * timeout; the handler checks the signature and reads the context from the headers (libs/messaging
 * contextFromHeaders), validates the payload into EchoDto with validateDto (class-validator, as
 * every entry point does) and echoes it. A third row, "bare nats.js", answers with a plain
 * subscription (headers checked, but no Nest, no validation): the floor both are measured against.
 *
 * Each implementation is warmed up, then measured with `sequential` requests one after another
 * and `concurrent` requests `concurrency` at a time. The counts are split into `rounds` that
 * interleave the implementations (in rotating order), so load from elsewhere on the machine
 * falls on all of them alike. Loops are bounded; connections are closed; the process exits.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Injectable, Logger, LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxy, ClientProxyFactory, Ctx, MessagePattern, MicroserviceOptions, NatsContext, NatsRecordBuilder, Payload, Transport } from '@nestjs/microservices';
import { IsIn, IsInt, IsString, Min } from 'class-validator';
import { JSONCodec, MsgHdrs } from 'nats';
import { firstValueFrom, timeout } from 'rxjs';
import { Actor, AgencyKind, MessageContext, OfficerRole, validateDto } from '@lianban/contracts';
import { contextFromHeaders, contextHeaders, MessagingModule, NatsBus, RpcClient, RpcHandler } from '@lianban/messaging';

const SEQUENTIAL = Number(process.argv[2] ?? 5000);
const CONCURRENT = Number(process.argv[3] ?? 20_000);
const CONCURRENCY = Number(process.argv[4] ?? 64);
const ROUNDS = Number(process.argv[5] ?? 2);
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const TIMEOUT_MS = 5000;
const LOG_LEVELS: LogLevel[] = ['error', 'warn'];
/** Signs the actor header (HMAC-SHA256) as the platform's processes do; random per run. */
const SIGNING_KEY = randomBytes(32).toString('base64url');

for (const [name, n] of Object.entries({ SEQUENTIAL, CONCURRENT, CONCURRENCY, ROUNDS })) {
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new Error(`${name} must be a positive integer, got ${n}`);
}

/** Unique per run: `bench3fa9c2e1.` — nothing here can collide with another process's subjects. */
const PREFIX = `bench${randomBytes(4).toString('hex')}.`;
const OWN_SUBJECT = 'lianban.bench.echo'; // RpcServer prepends PREFIX
const MS_SUBJECT = `${PREFIX}microservices.echo`;
const BARE_SUBJECT = `${PREFIX}bare.echo`;

class EchoDto {
  @IsString()
  caseId: string;

  @IsIn(['draft', 'submit', 'approve', 'send', 'receipt', 'file'])
  step: string;

  @IsInt()
  @Min(0)
  seq: number;
}

const officer: Actor = { kind: 'officer', id: 'bench-officer', agencyId: 'bench-agency', agencyKind: AgencyKind.POLICE, regionCode: '620702', roles: [OfficerRole.OFFICER] };
const ctx: MessageContext = { actor: officer, correlationId: randomUUID() };
const payload = (seq: number): EchoDto => ({ caseId: '0b7c9a52-4a1e-4c1b-9f7e-3f3a5e1d2c10', step: 'submit', seq });

/** Both handlers refuse a request whose headers did not arrive, so the comparison includes propagation. */
function checkContext(c: MessageContext): void {
  if (c.actor.id !== officer.id || c.correlationId !== ctx.correlationId) throw new Error('headers were not propagated');
}

// (a) The project's transport: @RpcHandler on a provider, RpcServer answers in a queue group.
@Injectable()
class OwnEcho {
  @RpcHandler(OWN_SUBJECT, { dto: EchoDto })
  echo(dto: EchoDto, c: MessageContext): EchoDto {
    checkContext(c);
    return dto;
  }
}

@Module({ imports: [MessagingModule.forRoot({ servers: NATS_URL, serviceName: 'bench', subjectPrefix: PREFIX, signingKey: SIGNING_KEY, requestTimeoutMs: TIMEOUT_MS })], providers: [OwnEcho] })
class OwnModule {}

// (b) @nestjs/microservices: a @MessagePattern handler in a NATS microservice.
@Controller()
class MicroservicesEcho {
  @MessagePattern(MS_SUBJECT)
  async echo(@Payload() data: unknown, @Ctx() natsCtx: NatsContext): Promise<EchoDto> {
    checkContext(contextFromHeaders(natsCtx.getHeaders() as MsgHdrs | undefined, SIGNING_KEY));
    return validateDto(EchoDto, data);
  }
}

@Module({ controllers: [MicroservicesEcho] })
class MicroservicesModule {}

type Call = (seq: number) => Promise<EchoDto>;

interface Sample {
  latencies: number[];
  elapsedMs: number;
}

async function sequential(call: Call, count: number, into: Sample): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call(i);
    into.latencies.push(performance.now() - t0);
  }
  into.elapsedMs += performance.now() - started;
}

async function concurrent(call: Call, count: number, concurrency: number, into: Sample): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const seq = next++;
        const t0 = performance.now();
        await call(seq);
        into.latencies.push(performance.now() - t0);
      }
    }),
  );
  into.elapsedMs += performance.now() - started;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Splits `total` into `parts` near-equal bounded counts. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

interface Implementation {
  name: string;
  call: Call;
  seq: Sample;
  conc: Sample;
}

async function main(): Promise<void> {
  Logger.overrideLogger(LOG_LEVELS);
  const closers: Array<() => Promise<unknown>> = [];
  try {
    // (a) One Nest application context, one NATS connection for server and client, as a service runs.
    const own = await NestFactory.createApplicationContext(OwnModule, { logger: LOG_LEVELS });
    closers.push(() => own.close());
    await own.init();
    const rpc = own.get(RpcClient);

    // (b) A NATS microservice (its own connection) and a ClientProxy (another connection).
    const ms = await NestFactory.createMicroservice<MicroserviceOptions>(MicroservicesModule, {
      transport: Transport.NATS,
      options: { servers: [NATS_URL], queue: 'bench-microservices', name: 'bench-microservices', noAsyncTraces: true },
      logger: LOG_LEVELS,
    });
    closers.push(() => ms.close());
    await ms.listen();
    const client: ClientProxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [NATS_URL], name: 'bench-microservices-client', noAsyncTraces: true } });
    closers.push(() => client.close());
    await client.connect();

    // (c) Bare nats.js on the bus's connection: the floor.
    const nc = own.get(NatsBus).nc;
    const codec = JSONCodec<EchoDto>();
    const bareSub = nc.subscribe(BARE_SUBJECT, {
      queue: 'bench-bare',
      callback: (err, msg) => {
        if (err) return;
        checkContext(contextFromHeaders(msg.headers, SIGNING_KEY));
        msg.respond(codec.encode(codec.decode(msg.data)));
      },
    });
    closers.push(async () => bareSub.unsubscribe());

    const implementations: Implementation[] = [
      { name: 'own RpcClient → RpcServer (nats.js)', call: (seq) => rpc.request<EchoDto>(OWN_SUBJECT, payload(seq), ctx), seq: { latencies: [], elapsedMs: 0 }, conc: { latencies: [], elapsedMs: 0 } },
      {
        name: '@nestjs/microservices ClientProxy → @MessagePattern',
        call: (seq) => firstValueFrom(client.send<EchoDto>(MS_SUBJECT, new NatsRecordBuilder(payload(seq)).setHeaders(contextHeaders(ctx, SIGNING_KEY)).build()).pipe(timeout(TIMEOUT_MS))),
        seq: { latencies: [], elapsedMs: 0 },
        conc: { latencies: [], elapsedMs: 0 },
      },
      {
        name: 'bare nats.js request → subscription (floor: no Nest, no validation)',
        call: async (seq) => codec.decode((await nc.request(BARE_SUBJECT, codec.encode(payload(seq)), { timeout: TIMEOUT_MS, headers: contextHeaders(ctx, SIGNING_KEY) })).data),
        seq: { latencies: [], elapsedMs: 0 },
        conc: { latencies: [], elapsedMs: 0 },
      },
    ];

    // Correctness first: every implementation echoes the payload it was sent.
    for (const impl of implementations) {
      const reply = await impl.call(7);
      if (JSON.stringify(reply) !== JSON.stringify(payload(7))) throw new Error(`${impl.name} answered ${JSON.stringify(reply)}`);
    }

    // Warm-up (not measured): JIT, connection buffers, subscriptions.
    const warm: Sample = { latencies: [], elapsedMs: 0 };
    for (const impl of implementations) {
      await sequential(impl.call, 1000, warm);
      await concurrent(impl.call, 3000, CONCURRENCY, warm);
    }

    const started = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < implementations.length; k++) {
        const impl = implementations[(round + k) % implementations.length];
        await sequential(impl.call, share(SEQUENTIAL, ROUNDS, round), impl.seq);
        await concurrent(impl.call, share(CONCURRENT, ROUNDS, round), CONCURRENCY, impl.conc);
      }
    }
    const totalS = (performance.now() - started) / 1000;

    console.log(`\n## bench/messaging — ${new Date().toISOString()} — Node ${process.version}, ${NATS_URL}`);
    console.log(`\n${SEQUENTIAL} sequential and ${CONCURRENT} concurrent (${CONCURRENCY} in flight) requests per implementation, in ${ROUNDS} interleaved round(s); measured part took ${totalS.toFixed(1)} s.\n`);
    console.log('| implementation | mode | requests | median ms | p99 ms | req/s |');
    console.log('|---|---|---|---|---|---|');
    for (const impl of implementations) {
      for (const [mode, s] of [
        ['sequential', impl.seq],
        [`concurrent ×${CONCURRENCY}`, impl.conc],
      ] as const) {
        const sorted = Float64Array.from(s.latencies).sort();
        const perSecond = s.latencies.length / (s.elapsedMs / 1000);
        console.log(`| ${impl.name} | ${mode} | ${s.latencies.length} | ${percentile(sorted, 50).toFixed(3)} | ${percentile(sorted, 99).toFixed(3)} | ${perSecond.toFixed(0)} |`);
      }
    }
  } finally {
    // Close in reverse order of opening; report, do not hide, a failure to close.
    for (const close of closers.reverse()) await close().catch((e: Error) => console.error(`close failed: ${e.message}`));
  }
}

main().then(
  () => {
    // Everything is closed: the process ends by itself. If a handle were left open, say so and stop.
    setTimeout(() => {
      console.error('bench/messaging: a handle was left open; exiting');
      process.exit(1);
    }, 10_000).unref();
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
