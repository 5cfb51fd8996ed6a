import path from 'node:path';
import { Locator, Page } from 'playwright-core';
import { shanghaiDay, TestIsolation } from '@lianban/testing';
import { webConsoleDir } from '../src/web/web-console';
import { Json } from './api';
import { ConsoleBrowser } from './browser';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * Clues in the web console (a real headless Chromium against the whole platform with the demo
 * data, the console built and served by the gateway): the city bureau assigns a clue down to a
 * district bureau through the 登记线索 form (交办), the district verifies it and reports its result
 * up, the city returns the report with its reasons and a new date, and accepts it the second time
 * (销号); the tip-off desk records a real-name tip-off through the same form. Every page is checked
 * for console errors and 401/403 answers. Screenshots go to test-output/web-clues/.
 */
const SHOTS = path.resolve(__dirname, '../../../test-output/web-clues');

describe('web console: clues taken in and assigned down, in a browser', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let web: ConsoleBrowser;

  beforeAll(async () => {
    process.env.WEB_CONSOLE_DIR ??= webConsoleDir();
    platform = await startDemoPlatform(iso);
    web = await ConsoleBrowser.open(platform.url, SHOTS);
  }, 90_000);

  afterAll(async () => {
    await web?.close();
    await platform?.stop();
    await iso.cleanup();
  });

  const signIn = (username: string) => web.signIn(username);

  const screenshot = (page: Page, name: string) => web.screenshot(page, name);

  const clueOf = async (username: string, id: string) => (await platform.api.call('GET', `/clues/${id}`, await platform.as(username))).body as Json;

  /** The clue's status tag says `status`. */
  const statusIs = (page: Page, status: string) => page.locator(`[data-testid="clue-status"][data-status="${status}"]`).first().waitFor();

  /**
   * Takes a step on the clue page through its button and the form in the dialog (`fill` fills it
   * in); the status tag then says `expected`. A refusal fails the test with what the form said.
   */
  async function step(page: Page, action: string, expected: string, fill: (form: Locator) => Promise<void> = async () => undefined): Promise<void> {
    await page.getByTestId(`clue-action-${action}`).click();
    const form = page.getByTestId(`clue-step-form-${action}`);
    await form.waitFor();
    await web.settled(page);
    await fill(form);
    await form.getByTestId('step-submit').click();
    const refused = form.locator('[data-testid="form-error"], .ant-form-item-explain-error').first();
    await Promise.race([
      form.waitFor({ state: 'detached' }),
      refused.waitFor().then(async () => {
        await screenshot(page, `refused-${action}`);
        throw new Error(`${action} refused: ${await refused.innerText()}`);
      }),
    ]);
    await statusIs(page, expected);
  }

  /** Closes a multiple Select's drop-down (it stays open after a pick) and waits until none is left over the form. */
  async function closeDropdowns(page: Page): Promise<void> {
    await page.keyboard.press('Escape');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').first().waitFor({ state: 'hidden', timeout: 5_000 });
  }

  /** Submits the 登记线索 form; the console then opens the new clue. A refusal fails the test with what the form said. */
  async function submitClue(page: Page, form: Locator): Promise<string> {
    await form.getByTestId('clue-submit').click();
    const refused = form.locator('[data-testid="form-error"], .ant-form-item-explain-error').first();
    await Promise.race([
      page.waitForURL(/\/clues\/[0-9a-f-]{36}$/),
      refused.waitFor().then(async () => {
        await screenshot(page, 'refused-new-clue');
        throw new Error(`the new clue was refused: ${await refused.innerText()}`);
      }),
    ]);
    await page.getByTestId('clue-number').waitFor();
    return page.url().split('/').pop()!;
  }

  it('lets the city bureau assign a clue to Ganzhou through the form, Ganzhou verify and report it, the city return it with reasons and a new date, and accept it the second time', async () => {
    const { ids } = platform;

    // 张掖市医疗保障局 assigns the clue down (交办) from its clue list.
    const city = await signIn('zhangye-mi-officer');
    await city.getByRole('menuitem', { name: '线索' }).click();
    await city.getByTestId('new-clue').click();
    await city.waitForURL(/\/clues\/new$/);
    const form = city.getByTestId('clue-form');
    await form.waitFor();
    await web.choose(city, form.getByTestId('clue-source'), '上级交办');
    // The bureaus below the city are offered, the city itself not.
    await web.settled(city);
    await form.getByTestId('clue-assignee').click();
    // (The source's drop-down may still be on its way out: only the bureaus' options count.)
    const options = city.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '医疗保障局' });
    await options.first().waitFor();
    await expect(options.allInnerTexts()).resolves.toEqual(['甘州区医疗保障局', '临泽县医疗保障局']);
    await city.keyboard.press('Escape');
    await web.choose(city, form.getByTestId('clue-assignee'), '甘州区医疗保障局');
    await form.locator('#reportBackBy').fill(shanghaiDay(20));
    await form.locator('#assignmentReference').fill('张医保交〔2026〕7号');
    await form.locator('#subject_name').fill('张掖康泰医院（示例民营）');
    await form.locator('#subject_institutionCode').fill('H62070200004');
    await web.choose(city, form.getByTestId('clue-categories'), 'H04 分解住院、挂床住院');
    await closeDropdowns(city);
    await form.locator('#periodFrom').fill('2025-01-01');
    await form.locator('#periodTo').fill('2025-12-31');
    await form.getByTestId('clue-amount').fill('380000.5');
    await form.locator('#description').fill('省局大数据筛查发现该院2025年存在分解住院行为，请甘州区医疗保障局核查并按期反馈。');
    await form.getByTestId('clue-source').scrollIntoViewIfNeeded();
    await screenshot(city, 'city-assigns-clue');
    const clueId = await submitClue(city, form);
    await statusIs(city, 'received');
    await expect(city.getByTestId('assigned-by').innerText()).resolves.toBe('张掖市医疗保障局');
    await expect(city.getByTestId('assignment-reference').innerText()).resolves.toBe('张医保交〔2026〕7号');
    await expect(city.getByTestId('report-back-by').innerText()).resolves.toContain(`${shanghaiDay(20)} 24:00`);
    await city.getByTestId('report-back-by').getByTestId('clock').waitFor();
    // The district verifies it: the city has no step to take yet, and drafts no transfer from it.
    await city.getByText('当前无需您办理').waitFor();
    await expect(city.getByTestId('clue-new-transfer').count()).resolves.toBe(0);
    await screenshot(city, 'city-assigned-clue');
    const assigned = await clueOf('zhangye-mi-officer', clueId);
    expect(assigned).toMatchObject({
      source: 'assigned',
      agencyId: ids['甘州区医疗保障局'],
      assignedByAgencyId: ids['张掖市医疗保障局'],
      assignmentReference: '张医保交〔2026〕7号',
      subject: { kind: 'institution', name: '张掖康泰医院（示例民营）', institutionCode: 'H62070200004' },
      categories: ['H04'],
      amountFen: 38_000_050,
      status: 'received',
    });

    // 甘州区医疗保障局 finds it among its new clues, triages it, verifies it and concludes it: it goes up as reported.
    const ganzhou = await signIn('ganzhou-mi-officer');
    await ganzhou.getByTestId('panel-new-clues').getByRole('link', { name: assigned.number }).click();
    await ganzhou.waitForURL(new RegExp(`/clues/${clueId}$`));
    // A district's directory reaches the bureaus above it: the assigning bureau is named.
    await expect(ganzhou.getByTestId('assigned-by').innerText()).resolves.toBe('张掖市医疗保障局');
    await ganzhou.getByTestId('report-back-by').getByTestId('clock').waitFor();
    await screenshot(ganzhou, 'ganzhou-opens-assigned-clue');
    await step(ganzhou, 'triage', 'triaged');
    await step(ganzhou, 'start_verification', 'verifying');
    await step(ganzhou, 'conclude', 'reported', async (f) => {
      await web.choose(ganzhou, f.getByTestId('clue-outcome'), '不属实');
      await f.locator('#note').fill('经现场核查，住院记录与病程相符，未发现分解住院。');
    });
    await expect(ganzhou.getByTestId('clue-status').first().innerText()).resolves.toContain('已上报');
    await expect(ganzhou.getByTestId('awaiting-acceptance').innerText()).resolves.toContain('待张掖市医疗保障局审核销号');
    // Reported up, the clue leaves the district's hands: no step, no transfer, no clock.
    await ganzhou.getByText('当前无需您办理').waitFor();
    await expect(ganzhou.getByTestId('clue-new-transfer').count()).resolves.toBe(0);
    await expect(ganzhou.getByTestId('report-back-by').getByTestId('clock').count()).resolves.toBe(0);
    await screenshot(ganzhou, 'ganzhou-reported');

    // The city's workbench shows it waiting for its acceptance; a district assigns nothing and has no such panel.
    await city.getByRole('menuitem', { name: '工作台' }).click();
    const toAccept = city.getByTestId('panel-awaiting-acceptance');
    await toAccept.getByRole('link', { name: assigned.number }).waitFor();
    await expect(toAccept.getByTestId('panel-count').getAttribute('data-count')).resolves.toBe('1');
    await screenshot(city, 'city-workbench-to-accept');
    await ganzhou.getByRole('menuitem', { name: '工作台' }).click();
    await ganzhou.getByTestId('panel-new-clues').waitFor();
    await expect(ganzhou.getByTestId('panel-awaiting-acceptance').count()).resolves.toBe(0);

    // The city finds it among the clues it assigned down, and returns the report with its reasons and a new date.
    await city.getByRole('menuitem', { name: '线索' }).click();
    await city.getByTestId('assigned-by-us').click();
    await city.waitForURL(/assignedBy=/);
    const row = city.getByRole('link', { name: assigned.number });
    await row.waitFor();
    await screenshot(city, 'city-clues-assigned-by-us');
    await row.click();
    await city.waitForURL(new RegExp(`/clues/${clueId}$`));
    await statusIs(city, 'reported');
    await step(city, 'return_report', 'verifying', async (f) => {
      await f.getByTestId('step-submit').click();
      await f.locator('.ant-form-item-explain-error').first().waitFor();
      await f.locator('#note').fill('未核查2025年下半年的住院结算数据，请补充核查。');
      await f.locator('#reportBackBy').fill(shanghaiDay(10));
      await f.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
      await screenshot(city, 'city-returns-report');
    });
    await expect(city.getByTestId('report-back-by').innerText()).resolves.toContain(`${shanghaiDay(10)} 24:00`);
    await screenshot(city, 'city-returned');
    const returned = await clueOf('zhangye-mi-officer', clueId);
    expect(returned).toMatchObject({ status: 'verifying', outcome: null });
    expect(returned.reportBackBy).toBe(new Date(`${shanghaiDay(11)}T00:00:00+08:00`).toISOString());

    // Ganzhou has it back, verifying, with the new date, and concludes it again.
    await ganzhou.goto(`${platform.url}/clues/${clueId}`);
    await statusIs(ganzhou, 'verifying');
    await expect(ganzhou.getByTestId('report-back-by').innerText()).resolves.toContain(`${shanghaiDay(10)} 24:00`);
    await screenshot(ganzhou, 'ganzhou-has-it-back');
    await step(ganzhou, 'conclude', 'reported', async (f) => {
      await web.choose(ganzhou, f.getByTestId('clue-outcome'), '不属实');
      await f.locator('#note').fill('补充核查2025年下半年住院结算数据，仍未发现分解住院。');
    });

    // The city accepts the report (销号): the clue is concluded, as unfounded.
    await city.reload();
    await statusIs(city, 'reported');
    await step(city, 'accept_report', 'concluded', async (f) => {
      await f.locator('#note').fill('核查结论清楚，同意销号。');
    });
    await expect(city.getByTestId('clue-status').first().innerText()).resolves.toBe('已办结');
    await expect(city.getByTestId('clue-outcome-tag').innerText()).resolves.toBe('不属实');
    await city.getByText('当前无需您办理').waitFor();
    // The 办理记录 shows the whole round trip: each step, for which bureau, with the reasons.
    const timeline = city.getByTestId('timeline-step');
    await timeline.nth(6).waitFor();
    const mi = { city: '张掖市医疗保障局', ganzhou: '甘州区医疗保障局' };
    const rows = await timeline.evaluateAll((els) => els.map((e) => [e.querySelector('strong')?.textContent, e.querySelector('[data-testid="timeline-state"]')?.textContent, e.querySelector('[data-testid="timeline-agency"]')?.textContent]));
    expect(rows).toEqual([
      ['交办', '已受理', mi.city],
      ['初核', '已初核', mi.ganzhou],
      ['开始核查', '核查中', mi.ganzhou],
      ['办结', '已上报待销号', mi.ganzhou],
      ['退回重新核查', '核查中', mi.city],
      ['办结', '已上报待销号', mi.ganzhou],
      ['审核销号', '已办结', mi.city],
    ]);
    await expect(timeline.nth(4).innerText()).resolves.toContain('未核查2025年下半年的住院结算数据，请补充核查。');
    await screenshot(city, 'city-accepted');
    expect(await clueOf('ganzhou-mi-officer', clueId)).toMatchObject({ status: 'concluded', outcome: 'unfounded', allowedActions: [] });

    expect(web.problems).toEqual([]);
  }, 180_000);

  it('lets the tip-off desk record a real-name tip-off through the form from its workbench, and see the reporter it sealed', async () => {
    const desk = await signIn('ganzhou-mi-complaint-handler');
    await desk.getByTestId('workbench-new-clue').click();
    await desk.waitForURL(/\/clues\/new$/);
    const form = desk.getByTestId('clue-form');
    await form.waitFor();
    // A hotline call by default; a district's desk assigns nothing down.
    await expect(form.getByTestId('clue-source').innerText()).resolves.toContain('举报电话');
    await web.choose(desk, form.getByTestId('clue-subject-kind'), '参保人员');
    await form.locator('#subject_name').fill('参保人赵某');
    await form.locator('#subject_idNumber').fill('620702198505051234');
    await web.choose(desk, form.getByTestId('clue-categories'), 'I02 将本人医疗保障凭证交由他人冒名使用');
    await closeDropdowns(desk);
    await form.locator('#periodFrom').fill('2025-03-01');
    await form.locator('#periodTo').fill('2025-08-31');
    await form.locator('#description').fill('举报人来电称，赵某将本人医保卡交由他人在药店冒名购药。');
    await form.getByText('实名举报').click();
    await form.locator('#reporter_name').fill('举报人钱某');
    await form.locator('#reporter_phone').fill('13800001111');
    await screenshot(desk, 'desk-records-tip-off');
    const clueId = await submitClue(desk, form);
    await statusIs(desk, 'received');
    await desk.getByTestId('reporter-masked').waitFor();
    await expect(desk.locator('body').innerText()).resolves.toContain('620702********1234');
    await desk.getByTestId('reveal-reporter').click();
    await desk.locator('.ant-popover').getByRole('button', { name: /显\s*示/ }).click();
    await expect(desk.getByTestId('reporter').innerText()).resolves.toContain('13800001111');
    // The desk takes clues in; verifying them is the officers' work: no step, no transfer.
    await desk.getByText('当前无需您办理').waitFor();
    await expect(desk.getByTestId('clue-new-transfer').count()).resolves.toBe(0);
    await screenshot(desk, 'desk-tip-off-recorded');
    expect(await clueOf('ganzhou-mi-officer', clueId)).toMatchObject({
      source: 'tip_off_hotline',
      subject: { kind: 'insured_person', name: '参保人赵某', idNumber: '620702********1234' },
      categories: ['I02'],
      periodFrom: '2025-03-01',
      periodTo: '2025-08-31',
      hasReporter: true,
      assignedByAgencyId: null,
      reportBackBy: null,
      status: 'received',
    });

    // A district's officers see no 我局交办的 filter; the legal reviewer, who takes no clue in, no 登记线索 button.
    const officer = await signIn('ganzhou-mi-officer');
    await officer.getByRole('menuitem', { name: '线索' }).click();
    await officer.getByTestId('new-clue').waitFor();
    await expect(officer.getByTestId('assigned-by-us').count()).resolves.toBe(0);
    const reviewer = await signIn('ganzhou-mi-legal-reviewer');
    await reviewer.getByTestId('panel-new-clues').waitFor();
    await expect(reviewer.getByTestId('workbench-new-clue').count()).resolves.toBe(0);
    await reviewer.getByRole('menuitem', { name: '线索' }).click();
    await reviewer.getByTestId('clue-status-filter').waitFor();
    await web.quiet(reviewer);
    await expect(reviewer.getByTestId('new-clue').count()).resolves.toBe(0);

    expect(web.problems).toEqual([]);
  }, 120_000);
});
