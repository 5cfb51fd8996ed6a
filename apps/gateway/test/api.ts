import { DEMO_PASSWORD } from '../../agencies/src/demo/demo-data';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A small HTTP client for end-to-end suites: calls /api/v1 as a given officer. */
export function apiClient(baseUrl: string) {
  async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Json; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }

  const login = (username: string, password = DEMO_PASSWORD) => call('POST', '/auth/login', undefined, { username, password });

  async function tokenOf(username: string): Promise<string> {
    const res = await login(username);
    if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  }

  return { call, login, tokenOf };
}
