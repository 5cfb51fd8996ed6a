import { Body, Controller, DynamicModule, Module, Post } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { SERVICE_NAMES } from '@lianban/contracts';
import { TestIsolation } from '@lianban/testing';
import { Public } from '../src/auth/auth.guard';
import { RunningPlatform, startPlatform } from './platform';

class NoteDto {
  @IsString()
  @Length(1, 200)
  text: string;
}

/** A test-only endpoint with a DTO, to exercise the gateway's global pipeline. */
@Public()
@Controller('probe')
class ProbeController {
  @Post()
  create(@Body() dto: NoteDto) {
    return { received: dto.text };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('gateway: the HTTP edge of the whole platform', () => {
  const iso = new TestIsolation();
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform(iso, {
      wrapGateway: (gateway) => {
      @Module({ imports: [gateway as DynamicModule], controllers: [ProbeController] })
      class GatewayWithProbe {}
      return GatewayWithProbe;
      },
    });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${platform.url}/api/v1/probe`, { method: 'POST', headers, body });

  it('reports every service ready, each with its database and NATS', async () => {
    const res = await fetch(`${platform.url}/api/v1/health`);
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual(['gateway', ...SERVICE_NAMES].sort());
    for (const service of SERVICE_NAMES) {
      expect(body.details[service].status).toBe('up');
      expect(body.details[service].components).toMatchObject({ database: { status: 'up' }, nats: { status: 'up' } });
    }
  });

  it('accepts a valid body and carries the caller’s correlation id back', async () => {
    const res = await post(JSON.stringify({ text: '移送' }), { 'content-type': 'application/json', 'x-correlation-id': 'corr-e2e-000001' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-correlation-id')).toBe('corr-e2e-000001');
    expect(await json(res)).toEqual({ received: '移送' });
  });

  it('answers bad JSON with a 400 problem, not a 500', async () => {
    const res = await post('{"text": "unfinished');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    const body = await json(res);
    expect(body).toMatchObject({ status: 400, code: 'MALFORMED_BODY', title: 'Bad Request', instance: '/api/v1/probe' });
    expect(body.type).toMatch(/^https:\/\/.+malformed-body$/);
    expect(body.detail).toEqual(expect.any(String));
    expect(body.correlationId).toBe(res.headers.get('x-correlation-id'));
  });

  it('refuses unknown fields and names them', async () => {
    const res = await post(JSON.stringify({ text: 'ok', approvedBy: 'myself' }));
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'approvedBy', messages: ['property approvedBy should not exist'], codes: ['whitelistValidation'] }] });
  });

  it('refuses a missing or invalid field with its message, and the rule by name for clients that say it in their own words', async () => {
    const body = await json(await post(JSON.stringify({ text: '' })));
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'text', messages: [expect.stringContaining('text must be longer than or equal to 1')], codes: ['isLength'], params: { isLength: { min: 1 } } }]);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post(JSON.stringify({ text: 'x'.repeat(512 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await post('text=hello', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
    expect(await json(res)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await fetch(`${platform.url}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await json(res)).toMatchObject({ code: 'ROUTE_NOT_FOUND', instance: '/api/v1/no-such-thing' });
  });

  it('sends security headers', async () => {
    const res = await fetch(`${platform.url}/api/v1/health/live`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('publishes the OpenAPI document and its page', async () => {
    const doc = await json(await fetch(`${platform.url}/api/docs-json`));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/health', '/api/v1/health/ready']));
    const page = await fetch(`${platform.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('reports 503 naming the service that stopped', async () => {
    await platform.stopService('cases');
    const res = await fetch(`${platform.url}/api/v1/health`);
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', error: { cases: { status: 'down' } } });
    expect(body.details.agencies.status).toBe('up');
  });
});
