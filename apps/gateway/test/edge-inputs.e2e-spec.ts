import { TestIsolation } from '@lianban/testing';
import { DemoPlatform, startDemoPlatform } from './platform';

/** Values of the wrong kind for a field that takes a number, and for one that takes anything else. */
const NOT_NUMBERS: unknown[] = [1e20, -1, 1.5, 'x', null, [[]]];
const NOT_TEXT: unknown[] = [123, 'x'.repeat(20_000), {}, [], [[]], null, 'a\u0000b', '\ud800', '2026-02-30'];
/** Path and query values that are not what a route takes. */
const BAD_PATH = ['x', '100000000000000000000', '%00'];
// 'constructor' and '__proto__' are keys every plain object has: a look-up table must not find them.
const BAD_QUERY = ['x', '100000000000000000000', '', 'a\u0000b', '2026-02-30', 'constructor', '-__proto__'];

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
}
interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/**
 * Malformed input on every route of the OpenAPI document: none may answer 5xx. As the district
 * bureau's officer (and the invoice routes as finance's too), each route gets path parameters that are not ids, query
 * values it does not take, and bodies built from the document's own schemas with one field at a
 * time given a value of the wrong kind (a huge number, a list, the NUL character, a lone
 * surrogate …). A case, a clue and a transfer stand behind the path ids, so requests that pass
 * the permission checks reach the services and their databases.
 */
describe('malformed input on every documented route', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('is answered with a 4xx, never a 5xx', async () => {
    const { api, ids } = platform;
    const mi = await platform.as('ganzhou-mi-officer');
    const team = [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']];
    const records: Record<string, string> = {
      cases: (await api.call('POST', '/cases', mi, { title: '某药店串换药品案', partyName: '某药店', facts: '现场检查发现串换药品。', documentNumber: '甘医保立〔2026〕40号', officerIds: team })).body.id,
      clues: (await api.call('POST', '/clues', mi, { source: 'inspection', subject: { kind: 'institution', name: '张掖康泰医院（示例民营）', institutionCode: 'H62070200004' }, categories: ['H04'], periodFrom: '2025-01-01', periodTo: '2025-06-30', description: '检查发现挂床住院。' })).body.id,
      transfers: (await api.call('POST', '/transfers', mi, { route: 'mi_to_police', receiverAgencyId: ids['张掖市公安局甘州分局'], title: '张掖康泰医院涉嫌骗保案', summary: '经调查，该院虚构康复理疗项目，涉嫌诈骗罪。', teamOfficerIds: team })).body.id,
    };
    expect(Object.values(records).every((id) => typeof id === 'string')).toBe(true);

    const doc = (await (await fetch(`${platform.url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
    const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
    /** A body the schema describes, from its examples and defaults (nested objects two levels down). */
    const example = (schema: Schema | undefined, depth = 0): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [k, raw] of Object.entries(resolve(schema)?.properties ?? {})) {
        const p = resolve(raw);
        if (p?.properties && depth < 2) out[k] = example(p, depth + 1);
        else out[k] = p?.example ?? p?.default ?? p?.enum?.[0] ?? (p?.type === 'integer' || p?.type === 'number' ? 1 : p?.type === 'boolean' ? true : p?.type === 'array' ? [] : 'x');
      }
      return out;
    };

    const users = ['ganzhou-mi-officer', 'zhangye-finance-officer'];
    const tokens = Object.fromEntries(await Promise.all(users.map(async (u) => [u, await platform.as(u)] as const)));
    const failures: string[] = [];
    let sent = 0;
    const send = async (method: string, path: string, body: unknown, user: string, what: string) => {
      const res = await fetch(`${platform.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[user]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      sent++;
      if (res.status >= 500) failures.push(`${res.status} ${method} ${path.slice(0, 120)} as ${user}: ${what}`);
      await res.arrayBuffer();
    };

    // Sign-out would end the session these requests use; a stream never ends.
    const routes = Object.entries(doc.paths).filter(([path]) => !path.includes('/auth/') && !path.endsWith('/stream'));
    for (const [path, operations] of routes) {
      for (const [verb, op] of Object.entries(operations)) {
        const method = verb.toUpperCase();
        const withIds = (v: (param: string) => string) => path.replace(/\{([^}]+)\}/g, (_, name: string) => v(name));
        const real = withIds(() => records[path.split('/')[3]] ?? '00000000-0000-4000-8000-000000000001');
        const emptyBody = method === 'GET' || method === 'DELETE' ? undefined : {};
        const schema = resolve(op.requestBody?.content?.['application/json']?.schema);
        // Finance's routes as finance, every other as the bureau's officer: each gets past the permission checks it can.
        for (const user of path.startsWith('/api/v1/invoices') ? users : users.slice(0, 1)) {
          if (path.includes('{')) for (const v of BAD_PATH) await send(method, withIds(() => v), emptyBody, user, `path ${v.slice(0, 20)}`);
          for (const q of (op.parameters ?? []).filter((p) => p.in === 'query')) {
            for (const v of BAD_QUERY) await send(method, `${real}?${q.name}=${encodeURIComponent(v)}`, emptyBody, user, `${q.name}=${JSON.stringify(v).slice(0, 20)}`);
          }
          if (method === 'GET' || method === 'DELETE') continue;
          for (const b of [[], 'text', 1, null]) await send(method, real, b, user, `body ${JSON.stringify(b)}`);
          if (!schema) continue;
          const base = example(schema);
          await send(method, real, base, user, 'the schema’s example');
          for (const [name, raw] of Object.entries(schema.properties ?? {})) {
            const p = resolve(raw);
            for (const bad of p?.type === 'integer' || p?.type === 'number' ? NOT_NUMBERS : NOT_TEXT) {
              await send(method, real, { ...base, [name]: bad }, user, `${name}=${JSON.stringify(bad)?.slice(0, 20)}`);
            }
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(800);
    expect(failures).toEqual([]);
  }, 300_000);
});
