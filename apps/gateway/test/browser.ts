import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const PASSWORD = 'Lianban@2026';

/**
 * Debian's Chromium, headless, for the console's browser suites: contexts at 1366×768 in
 * Chinese and Shanghai time, demo officers signed in through the login page, screenshots
 * numbered in the order taken, and every console error, uncaught error and 401/403 answer
 * collected in `problems` (by officer and page) for the suite to assert on.
 */
export class ConsoleBrowser {
  readonly problems: string[] = [];
  private readonly contexts: BrowserContext[] = [];
  private shot = 0;
  /** The API calls (fetch) each signed-in page has under way. */
  private readonly fetching = new WeakMap<Page, Set<unknown>>();

  private constructor(
    readonly browser: Browser,
    private readonly baseUrl: string,
    private readonly shotsDir: string,
  ) {}

  /** Launches Chromium with the flags a machine with no network needs, and empties the screenshot folder. */
  static async open(baseUrl: string, shotsDir: string): Promise<ConsoleBrowser> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    rmSync(shotsDir, { recursive: true, force: true });
    mkdirSync(shotsDir, { recursive: true });
    return new ConsoleBrowser(browser, baseUrl, shotsDir);
  }

  /** A fresh context (its own session storage), closed with the browser. */
  async newContext(options: Parameters<Browser['newContext']>[0] = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }): Promise<BrowserContext> {
    const context = await this.browser.newContext(options);
    this.contexts.push(context);
    return context;
  }

  /** A fresh context signed in as one demo account; `watch` sees the page before it loads. */
  async signIn(username: string, watch?: (page: Page) => void): Promise<Page> {
    const page = await this.submitSignIn(username, PASSWORD, watch);
    await page.getByTestId('officer-name').waitFor();
    return page;
  }

  /**
   * A fresh context on the sign-in page, with the username and password sent; returns at once, for
   * wherever the console goes next (the page that asks for a new password, after a temporary one).
   */
  async submitSignIn(username: string, password: string, watch?: (page: Page) => void): Promise<Page> {
    const page = await (await this.newContext()).newPage();
    page.on('console', (m) => m.type() === 'error' && this.problems.push(`${username} ${page.url()}: console error: ${m.text()}`));
    page.on('pageerror', (e) => this.problems.push(`${username} ${page.url()}: ${e.message}`));
    page.on('response', (r) => [401, 403].includes(r.status()) && this.problems.push(`${username} ${page.url()}: ${r.status()} from ${r.request().method()} ${r.url()}`));
    this.watchFetches(page);
    watch?.(page);
    await page.goto(`${this.baseUrl}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    return page;
  }

  /**
   * Picks `label` in an antd Select and waits until the Select shows it. A Select in a dialog
   * that is still opening loses its drop-down when the dialog takes the focus at the end of its
   * animation (seen in CI: the option hidden under the click), so this first waits for that
   * (settled), and tries the pick again (four times at most) while the Select does not show the
   * label, rather than letting the form go on with the field empty.
   */
  async choose(page: Page, select: Locator, label: string): Promise<void> {
    await this.settled(page);
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: label });
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await option.isVisible())) await select.click({ timeout: 5_000 });
        await option.click({ timeout: 5_000 });
        await select.filter({ hasText: label }).waitFor({ timeout: 3_000 });
        return;
      } catch (e) {
        if (attempt === 4) throw e;
      }
    }
  }

  /**
   * Waits until no antd element is still opening (rc-motion's `-appear`/`-enter` classes): a
   * dialog takes the focus when its opening animation ends, and a click or a drop-down opened
   * before that can be lost (seen in CI on a busy machine). Call it after a dialog is shown.
   */
  async settled(page: Page): Promise<void> {
    // Run in the page; this file is compiled without the DOM's types, hence the cast. (A string would be eval'd, which the console's CSP forbids.)
    const opening = '[class*="-appear-active"], [class*="-enter-active"], [class*="-appear-start"], [class*="-enter-start"]';
    await page.waitForFunction((selector) => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(selector), opening);
  }

  private watchFetches(page: Page): void {
    const under = new Set<unknown>();
    this.fetching.set(page, under);
    page.on('request', (r) => r.resourceType() === 'fetch' && under.add(r));
    page.on('requestfinished', (r) => under.delete(r));
    page.on('requestfailed', (r) => under.delete(r));
  }

  /** Waits until the page has no API call under way (the live stream aside), e.g. before signing out revokes the session. */
  async quiet(page: Page, timeoutMs = 15_000): Promise<void> {
    const under = this.fetching.get(page);
    if (!under) throw new Error('quiet() needs a page from signIn()');
    const deadline = Date.now() + timeoutMs;
    while (under.size > 0) {
      if (Date.now() > deadline) throw new Error(`${under.size} API calls still under way after ${timeoutMs} ms`);
      await page.waitForTimeout(50);
    }
  }

  async screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(this.shotsDir, `${String(++this.shot).padStart(2, '0')}-${name}.png`) });
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser.close();
  }
}
