import { ProblemError } from './problem';
import type { ProblemDetails, SessionTokens } from './types';

export const API_BASE = '/api/v1';
const STORAGE_KEY = 'lianban.session';

/** The tokens as kept: with when the access token runs out (ms since the epoch). */
type Kept = SessionTokens & { expiresAt?: number };

/**
 * The console's one way to the API. Keeps the session (access and refresh token) in sessionStorage
 * so a reload stays signed in but a closed tab does not. The access token is renewed before it runs
 * out (the refresh token rotates: the old one stops working); a call that finds the token expired
 * or about to (a page reloaded late, a renewal timer that fired late on a busy computer) renews
 * it first; should a call still meet an expired token (a computer woken from sleep mid-call), the
 * token is refreshed once and the call repeated.
 */
class ApiClient {
  private session: Kept | null = null;
  private refreshing: Promise<SessionTokens | null> | null = null;
  private renewal: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<(s: SessionTokens | null) => void>();

  constructor() {
    try {
      const saved = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(STORAGE_KEY);
      this.session = saved ? (JSON.parse(saved) as Kept) : null;
    } catch {
      this.session = null;
    }
    this.scheduleRenewal();
  }

  /** Renews the access token when 70% of its life has passed (at once if that time is gone). */
  private scheduleRenewal(): void {
    if (this.renewal) clearTimeout(this.renewal);
    this.renewal = undefined;
    const s = this.session;
    if (!s || typeof window === 'undefined') return;
    const expiresAt = s.expiresAt ?? Date.now() + s.expiresIn * 1000;
    const at = expiresAt - s.expiresIn * 300;
    this.renewal = setTimeout(() => void this.refresh(), Math.max(1000, at - Date.now()));
  }

  get current(): SessionTokens | null {
    return this.session;
  }

  subscribe(listener: (s: SessionTokens | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(session: SessionTokens | null): void {
    this.session = session ? { ...session, expiresAt: Date.now() + session.expiresIn * 1000 } : null;
    try {
      if (this.session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage unavailable: the session lives in memory only
    }
    this.scheduleRenewal();
    for (const l of this.listeners) l(session);
  }

  async login(username: string, password: string): Promise<SessionTokens> {
    const tokens = await this.raw<SessionTokens>('POST', '/auth/login', { username, password }, null);
    this.set(tokens);
    return tokens;
  }

  /** Chooses a new password; the session goes on with the tokens the answer carries (the account's other sessions end). */
  async changePassword(currentPassword: string, newPassword: string): Promise<SessionTokens> {
    const tokens = await this.call<SessionTokens>('POST', '/auth/password', { currentPassword, newPassword });
    this.set(tokens);
    return tokens;
  }

  async logout(): Promise<void> {
    try {
      if (this.session) await this.call('POST', '/auth/logout');
    } finally {
      this.set(null);
    }
  }

  /** A fresh access token (after a refresh when needed), e.g. for the live stream's URL. */
  async refresh(): Promise<SessionTokens | null> {
    const current = this.session;
    if (!current) return null;
    this.refreshing ??= this.raw<SessionTokens>('POST', '/auth/refresh', { refreshToken: current.refreshToken }, null)
      .then((s) => {
        this.set(s);
        return s;
      })
      .catch(() => {
        this.set(null);
        return null;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The access token to send, renewed first when it has run out or runs out within 2 s (undefined: signed out); e.g. for the live stream's URL. */
  async freshToken(): Promise<string | undefined> {
    const s = this.session;
    if (s?.expiresAt !== undefined && s.expiresAt - Date.now() < 2_000) return (await this.refresh())?.accessToken;
    return s?.accessToken;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = (await this.freshToken()) ?? null;
    try {
      return await this.raw<T>(method, path, body, token);
    } catch (e) {
      if (e instanceof ProblemError && e.status === 401 && token && (e.code === 'TOKEN_EXPIRED' || e.code === 'UNAUTHENTICATED')) {
        const renewed = await this.refresh();
        if (renewed) return this.raw<T>(method, path, body, renewed.accessToken);
      }
      if (e instanceof ProblemError && e.status === 401 && e.code === 'SESSION_ENDED') this.set(null);
      throw e;
    }
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body ?? {});
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  /**
   * A file the API makes (e.g. an .xlsx export), fetched with the bearer token as a blob and saved
   * under the name of its content-disposition (a plain link could not send the token).
   */
  async download(path: string, fallbackName: string): Promise<void> {
    let token = await this.freshToken();
    let res = await fetch(API_BASE + path, { headers: { authorization: `Bearer ${token}` } });
    if (res.status === 401) {
      token = (await this.refresh())?.accessToken;
      res = await fetch(API_BASE + path, { headers: { authorization: `Bearer ${token}` } });
    }
    if (!res.ok) throw new ProblemError(await problemOf(res));
    const disposition = res.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** A file sent as the raw body (application/octet-stream) with the bearer token, e.g. an evidence upload; the answer read as JSON. */
  async upload<T>(path: string, file: Blob): Promise<T> {
    const send = (token: string | undefined) =>
      fetch(API_BASE + path, { method: 'POST', headers: { ...this.headers(token, false), 'content-type': 'application/octet-stream' }, body: file });
    let res = await send(await this.freshToken());
    if (res.status === 401) res = await send((await this.refresh())?.accessToken);
    if (!res.ok) throw new ProblemError(await problemOf(res));
    return (await res.json()) as T;
  }

  /** A request whose answer is read as it comes (e.g. NDJSON lines of a batch verification). */
  async stream(path: string, body: unknown, onLine: (line: unknown) => void): Promise<void> {
    let token = await this.freshToken();
    let res = await fetch(API_BASE + path, { method: 'POST', headers: this.headers(token, true), body: JSON.stringify(body) });
    if (res.status === 401) {
      token = (await this.refresh())?.accessToken;
      res = await fetch(API_BASE + path, { method: 'POST', headers: this.headers(token, true), body: JSON.stringify(body) });
    }
    if (!res.ok || !res.body) throw new ProblemError(await problemOf(res));
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      buffer += decoder.decode(value ?? new Uint8Array(), { stream: !done });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) onLine(JSON.parse(line));
      }
      if (done) break;
    }
  }

  private headers(token: string | null | undefined, json: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (json) h['content-type'] = 'application/json';
    if (token) h.authorization = `Bearer ${token}`;
    return h;
  }

  private async raw<T>(method: string, path: string, body: unknown, token: string | null): Promise<T> {
    const res = await fetch(API_BASE + path, {
      method,
      headers: this.headers(token, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new ProblemError(await problemOf(res));
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

async function problemOf(res: Response): Promise<ProblemDetails> {
  try {
    const body = await res.json();
    if (body && typeof body === 'object' && 'status' in body) return body as ProblemDetails;
  } catch {
    // not JSON
  }
  return { type: 'about:blank', title: res.statusText, status: res.status, detail: res.statusText, code: 'HTTP_' + res.status };
}

export const api = new ApiClient();
