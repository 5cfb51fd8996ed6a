import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, Min } from 'class-validator';
import { Actor, AgencyKind, DomainError, ErrorCode, MessageContext, MessageHeaders, OfficerRole } from '@lianban/contracts';
import { TestIsolation } from '@lianban/testing';
import { headers, JSONCodec, NatsConnection } from 'nats';
import { contextHeaders, currentContext, encodeActor } from './context';
import { NatsBus } from './nats-bus';
import { MessagingModule } from './messaging.module';
import { RpcClient } from './rpc-client';
import { RpcHandler } from './rpc-handler.decorator';

class GreetDto {
  @IsString()
  name: string;

  @IsInt()
  @Min(1)
  times: number;
}

@Injectable()
class Greeter {
  @RpcHandler('lianban.agencies.greeting.send', { dto: GreetDto })
  greet(dto: GreetDto, ctx: MessageContext) {
    return { text: `${'你好'.repeat(dto.times)} ${dto.name}`, actor: ctx.actor, correlationId: ctx.correlationId, fromStore: currentContext()?.correlationId, isDto: dto instanceof GreetDto };
  }

  @RpcHandler('lianban.agencies.greeting.refuse')
  refuse(): never {
    throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, 'Not now.', { allowed: ['wait'] });
  }

  @RpcHandler('lianban.agencies.greeting.crash')
  crash(): never {
    throw new Error('secret internals');
  }

  /** How many times `grow` did its work: a reply too large to send must not hide a change made. */
  grown = 0;

  @RpcHandler('lianban.agencies.greeting.grow')
  grow() {
    this.grown++;
    return { text: '你'.repeat(600_000) };
  }

  @RpcHandler('lianban.agencies.greeting.refuse_at_length')
  refuseAtLength(): never {
    throw new DomainError(409, ErrorCode.CONFLICT, 'Not now.', { reasons: '因'.repeat(600_000) });
  }
}

/** The error a request fails with; fails the test if it succeeds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function failure(request: Promise<unknown>): Promise<any> {
  try {
    await request;
  } catch (e) {
    return e;
  }
  throw new Error('the request was expected to fail');
}

const officer: Actor = { kind: 'officer', id: 'o-1', agencyId: 'a-1', agencyKind: AgencyKind.POLICE, regionCode: '620702', roles: [OfficerRole.OFFICER] };
const ctx: MessageContext = { actor: officer, correlationId: 'corr-rpc-1' };

describe('NATS request/reply between services', () => {
  const iso = new TestIsolation();
  let close: () => Promise<void>;
  let client: RpcClient;
  let nc: NatsConnection;
  let greeter: Greeter;

  beforeAll(async () => {
    @Module({ imports: [MessagingModule.forRoot({ servers: iso.natsUrl, serviceName: 'agencies', subjectPrefix: iso.subjectPrefix })], providers: [Greeter] })
    class HostModule {}
    const app = await Test.createTestingModule({ imports: [HostModule] }).compile();
    await app.init();
    client = app.get(RpcClient);
    nc = app.get(NatsBus).nc;
    greeter = app.get(Greeter);
    close = () => app.close();
  });

  afterAll(async () => {
    await close?.();
    await iso.cleanup();
  });

  it('carries the calling officer and the correlation id to the handler', async () => {
    const reply = await client.request<{ text: string; actor: Actor; correlationId: string; fromStore: string; isDto: boolean }>(
      'lianban.agencies.greeting.send',
      { name: '张掖', times: 2 },
      ctx,
    );
    expect(reply).toEqual({ text: '你好你好 张掖', actor: officer, correlationId: 'corr-rpc-1', fromStore: 'corr-rpc-1', isDto: true });
  });

  it('refuses an invalid payload with the fields at fault', async () => {
    const error = await failure(client.request('lianban.agencies.greeting.send', { name: 7, times: 0 }, ctx));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.status).toBe(400);
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.extensions.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'times']);
  });

  it('refuses unknown fields instead of silently dropping them', async () => {
    const error = await failure(client.request('lianban.agencies.greeting.send', { name: 'x', times: 1, admin: true }, ctx));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.extensions.errors).toEqual([{ field: 'admin', messages: ['property admin should not exist'], codes: ['whitelistValidation'] }]);
  });

  it('returns a domain error with its code and extensions to the caller', async () => {
    const error = await failure(client.request('lianban.agencies.greeting.refuse', {}, ctx));
    expect(error).toMatchObject({ status: 409, code: ErrorCode.ILLEGAL_TRANSITION, message: 'Not now.', extensions: { allowed: ['wait'] } });
  });

  it('hides an unexpected failure behind a generic 500', async () => {
    const error = await failure(client.request('lianban.agencies.greeting.crash', {}, ctx));
    expect(error).toMatchObject({ status: 500, code: ErrorCode.INTERNAL });
    expect(error.message).not.toContain('secret');
  });

  it('treats a caller that does not hold the internal key as anonymous, whatever actor it claims', async () => {
    const forged = headers();
    forged.set(MessageHeaders.actor, encodeActor(officer));
    forged.set(MessageHeaders.correlationId, 'corr-forged');
    forged.set(MessageHeaders.actorSignature, 'not-a-signature');
    const reply = await nc.request(`${iso.subjectPrefix}lianban.agencies.greeting.send`, JSONCodec().encode({ name: 'x', times: 1 }), { headers: forged, timeout: 2000 });
    const body = JSONCodec<{ ok: true; data: { actor: Actor; correlationId: string } }>().decode(reply.data);
    expect(body.data.actor).toEqual({ kind: 'anonymous', id: 'anonymous' });
    // Signed with another key: the same.
    const otherKey = contextHeaders(ctx, 'some-other-key');
    const again = await nc.request(`${iso.subjectPrefix}lianban.agencies.greeting.send`, JSONCodec().encode({ name: 'x', times: 1 }), { headers: otherKey, timeout: 2000 });
    expect(JSONCodec<{ data: { actor: Actor } }>().decode(again.data).data.actor.kind).toBe('anonymous');
  });

  it('answers a reply too large for the bus with 413, says the work was done, and keeps serving', async () => {
    const error = await failure(client.request('lianban.agencies.greeting.grow', {}, ctx, 3000));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, extensions: { handled: true, maxBytes: nc.info!.max_payload } });
    expect(error.extensions.replyBytes).toBeGreaterThan(nc.info!.max_payload);
    expect(error.message).toMatch(/carried out.*do not repeat/);
    expect(greeter.grown).toBe(1);
    // The service is still there and answers the next request.
    const reply = await client.request<{ text: string }>('lianban.agencies.greeting.send', { name: '张掖', times: 1 }, ctx);
    expect(reply.text).toBe('你好 张掖');
  });

  it('answers a refusal too large for the bus with 413, saying nothing was done', async () => {
    const error = await failure(client.request('lianban.agencies.greeting.refuse_at_length', {}, ctx, 3000));
    expect(error).toMatchObject({ status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, extensions: { handled: false } });
    expect(error.message).toMatch(/refused/);
  });

  it('answers 503 when no service listens on the subject', async () => {
    const error = await failure(client.request('lianban.cases.nobody.home', {}, ctx));
    expect(error).toMatchObject({ status: 503, code: ErrorCode.SERVICE_UNAVAILABLE });
  });
});
