/**
 * @jest-environment jsdom
 */
import type { SessionTokens } from '../src/api/types';

/** What the console sent, in order: method, path and the bearer token (or none). */
type Sent = { method: string; path: string; token: string | null };

/**
 * The console's API client against a stand-in for the gateway's two answers that matter here (a
 * refresh hands out a new token; anything else wants a token that has not expired), loaded with a
 * session kept in sessionStorage as a reload finds it.
 */
function clientWith(kept: SessionTokens & { expiresAt: number }) {
  sessionStorage.setItem('lianban.session', JSON.stringify(kept));
  const sent: Sent[] = [];
  const live = new Set([kept.accessToken]);
  globalThis.fetch = (async (url: string, init: RequestInit = {}) => {
    const token = ((init.headers as Record<string, string>)?.authorization ?? '').replace('Bearer ', '') || null;
    const path = String(url).replace('/api/v1', '');
    sent.push({ method: init.method ?? 'GET', path, token });
    // jsdom has no Response: the little of one the client reads.
    const json = (status: number, body: unknown) => ({ ok: status < 300, status, statusText: String(status), json: async () => body, text: async () => JSON.stringify(body) });
    if (path === '/auth/refresh') {
      live.clear();
      live.add('access-2');
      return json(200, { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, tokenType: 'Bearer' });
    }
    if (!token || !live.has(token) || (token === kept.accessToken && kept.expiresAt <= Date.now())) return json(401, { status: 401, code: 'TOKEN_EXPIRED', title: 'Unauthorized', detail: 'The access token has expired.' });
    return json(200, { ok: true });
  }) as unknown as typeof fetch;
  let api!: typeof import('../src/api/client').api;
  jest.isolateModules(() => {
    ({ api } = jest.requireActual<typeof import('../src/api/client')>('../src/api/client'));
  });
  return { api, sent };
}

describe('the API client and an access token that has run out', () => {
  afterEach(() => sessionStorage.clear());

  it('renews a token found expired (a page reloaded late) before the call, so the call never meets a 401', async () => {
    const { api, sent } = clientWith({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 20, tokenType: 'Bearer', expiresAt: Date.now() - 5_000 } as SessionTokens & { expiresAt: number });
    await expect(api.get('/transfers?page=1')).resolves.toEqual({ ok: true });
    expect(sent).toEqual([
      { method: 'POST', path: '/auth/refresh', token: null },
      { method: 'GET', path: '/transfers?page=1', token: 'access-2' },
    ]);
  });

  it('sends a token with life left as it is', async () => {
    const { api, sent } = clientWith({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, tokenType: 'Bearer', expiresAt: Date.now() + 600_000 } as SessionTokens & { expiresAt: number });
    await expect(api.get('/clues')).resolves.toEqual({ ok: true });
    expect(sent).toEqual([{ method: 'GET', path: '/clues', token: 'access-1' }]);
  });
});
