import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Page } from 'playwright-core';
import { eventually, shanghaiDay, TestIsolation } from '@lianban/testing';
import { yuan } from '../../web/src/money';
import { webConsoleDir } from '../src/web/web-console';
import { Json } from './api';
import { ConsoleBrowser } from './browser';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * The administrative cases in the web console (a real headless Chromium against the whole platform
 * with the demo data, the console built and served by the gateway): a case filed through the API
 * shows in the bureau's workbench and list, a step is taken through its button and form with the
 * penalty typed in yuan and stored in fen, and the leading-group office reads it without buttons.
 * Every page is checked for console errors and 401/403 answers. Screenshots go to test-output/web-cases/.
 */
const SHOTS = path.resolve(__dirname, '../../../test-output/web-cases');

describe('web console: cases, self-inspection ledgers and supervision orders, in a browser', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let web: ConsoleBrowser;
  const storeDir = mkdtempSync(path.join(tmpdir(), 'lianban-web-evidence-'));

  beforeAll(async () => {
    process.env.WEB_CONSOLE_DIR ??= webConsoleDir();
    platform = await startDemoPlatform(iso, { config: { evidenceStoreDir: storeDir } });
    web = await ConsoleBrowser.open(platform.url, SHOTS);
  }, 90_000);

  afterAll(async () => {
    await web?.close();
    await platform?.stop();
    await iso.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  });

  const signIn = (username: string) => web.signIn(username);

  const screenshot = (page: Page, name: string) => web.screenshot(page, name);

  it('shows a filed case on the workbench and in the list, and notifies the penalty through its form in yuan', async () => {
    const { api, as, ids } = platform;
    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '张掖康泰医院涉嫌分解住院案（控制台）',
      partyName: '张掖康泰医院（示例民营）',
      partyInstitutionCode: 'H62070200004',
      facts: '经大数据筛查，该院2025年存在分解住院行为。',
      documentNumber: '甘医保立〔2026〕9号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(filed.status).toBe(201);
    const caseId = (filed.body as Json).id as string;
    const number = (filed.body as Json).number as string;

    const mi = await signIn('ganzhou-mi-officer');
    const investigating = mi.getByTestId('panel-cases-by-stage').getByTestId('stage-investigating');
    await investigating.waitFor();
    expect(Number(await investigating.getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    await screenshot(mi, 'mi-workbench-cases-by-stage');

    // The list, filtered by the stage from the panel, searched by the title, finds it; the link opens it.
    await investigating.click();
    await mi.waitForURL(/\/cases\?stage=investigating/);
    await mi.getByTestId('cases-search').locator('input').fill('（控制台）');
    await mi.getByTestId('cases-search').locator('input').press('Enter');
    await mi.waitForURL(/q=/);
    const link = mi.getByRole('link', { name: number });
    await link.waitFor();
    await screenshot(mi, 'mi-cases-list');
    await link.click();
    await mi.waitForURL(new RegExp(`/cases/${caseId}$`));
    await mi.locator('[data-testid="case-state"][data-state="investigating"]').waitFor();
    await mi.getByTestId('clock').first().waitFor();
    await expect(mi.getByTestId('timeline-step').first().getAttribute('data-action')).resolves.toBe('file');

    // 事先告知: the form insists on the document number, then sends the penalty typed in yuan as fen.
    await mi.getByTestId('action-notify_penalty').click();
    const form = mi.getByTestId('case-step-form-notify_penalty');
    await form.waitFor();
    await web.settled(mi);
    await form.getByTestId('penalty-loss').fill('380000.5');
    await form.getByTestId('penalty-refund').fill('380000.50');
    await form.getByTestId('penalty-fine').fill('570000.75');
    await form.getByTestId('step-submit').click();
    await form.locator('.ant-form-item-explain-error').first().waitFor();
    await screenshot(mi, 'mi-notify-needs-document');
    await form.locator('#documentNumber').fill('甘医保告〔2026〕9号');
    await form.getByTestId('step-submit').click();
    await form.waitFor({ state: 'detached' });
    await mi.locator('[data-testid="case-state"][data-state="notified"]').waitFor();
    await mi.locator('[data-testid="timeline-step"][data-action="notify_penalty"]').waitFor();
    await screenshot(mi, 'mi-case-notified');

    const view = (await api.call('GET', `/cases/${caseId}`, await as('ganzhou-mi-officer'))).body as Json;
    expect(view.state).toBe('notified');
    expect(view.notifiedPenalty).toMatchObject({ violationKind: 'violation', lossFen: 38_000_050, refundFen: 38_000_050, fineFen: 57_000_075, agreement: 'none', creditRecord: false });
    expect(view.steps.at(-1)).toMatchObject({ action: 'notify_penalty', documentNumber: '甘医保告〔2026〕9号' });

    // A money entry: the form insists on an amount in yuan with at most two decimals, then the entry and the totals show it in yuan, stored in fen.
    const fundsBefore = (await api.call('GET', `/reports/statistics?regionCode=620702&from=${shanghaiDay(0).slice(0, 4)}-01-01&to=${shanghaiDay(0)}`, await as('ganzhou-lgo-officer'))).body.funds as Json;
    await mi.getByTestId('record-money').click();
    const moneyForm = mi.getByTestId('money-form');
    await web.choose(mi, moneyForm.getByTestId('money-kind'), '违规金额（职工医保）');
    await moneyForm.getByTestId('money-amount').fill('12345.678');
    await moneyForm.getByTestId('money-submit').click();
    const amountItem = moneyForm.locator('.ant-form-item').filter({ has: mi.getByTestId('money-amount') });
    await expect(amountItem.locator('.ant-form-item-explain-error').first().innerText()).resolves.toContain('最多两位小数');
    await moneyForm.getByTestId('money-amount').fill('12345.67');
    await moneyForm.locator('#documentNumber').fill('甘医保核〔2026〕9号');
    await screenshot(mi, 'mi-money-form');
    await moneyForm.getByTestId('money-submit').click();
    await moneyForm.waitFor({ state: 'detached' });
    const entry = mi.locator('[data-testid="money-entry"][data-kind="violating_employees"]');
    await entry.waitFor();
    await expect(entry.innerText()).resolves.toMatch(/¥12,345\.67[\s\S]*甘医保核〔2026〕9号[\s\S]*甘州区医疗保障局经办人/);
    await expect(mi.getByTestId('money-violatingEmployeesFen').innerText()).resolves.toBe('¥12,345.67');
    await expect(mi.getByTestId('money-violatingTotalFen').innerText()).resolves.toBe('¥12,345.67');
    await screenshot(mi, 'mi-money-recorded');
    const withMoney = (await api.call('GET', `/cases/${caseId}`, await as('ganzhou-mi-officer'))).body as Json;
    expect(withMoney.money.violatingEmployeesFen).toBe(1_234_567);
    expect(withMoney.moneyEntries).toEqual([expect.objectContaining({ kind: 'violating_employees', amountFen: 1_234_567, documentNumber: '甘医保核〔2026〕9号', actorId: ids['ganzhou-mi-officer'] })]);
    // The city bureau reads the district's case but does not keep its ledger (the API answers it 403): no form for it.
    const city = await signIn('zhangye-mi-officer');
    await city.goto(`${platform.url}/cases/${caseId}`);
    await city.getByTestId('money-entry').waitFor();
    await expect(city.getByTestId('record-money').count()).resolves.toBe(0);

    // The leading-group office reads the case, with no button to take a step.
    const lgo = await signIn('ganzhou-lgo-officer');
    await lgo.goto(`${platform.url}/cases`);
    await lgo.getByRole('link', { name: number }).click();
    await lgo.locator('[data-testid="case-state"][data-state="notified"]').waitFor();
    await lgo.getByTestId('no-actions').waitFor();
    await expect(lgo.getByTestId('actions').count()).resolves.toBe(0);
    // It reads the money entry, with who recorded it, and is offered no form to add one.
    await expect(lgo.getByTestId('money-entry').innerText()).resolves.toContain('甘州区医疗保障局经办人');
    await expect(lgo.getByTestId('record-money').count()).resolves.toBe(0);
    await screenshot(lgo, 'lgo-case-read-only');

    // The office issues a supervision order from the case page: the form first insists on its fields, then the link opens the order.
    await lgo.getByTestId('issue-supervision').click();
    const issue = lgo.getByTestId('issue-supervision-form');
    await issue.waitFor();
    await web.settled(lgo);
    await issue.getByTestId('issue-supervision-submit').click();
    await issue.locator('.ant-form-item-explain-error').first().waitFor();
    // 督办 (the default; 挂牌督办 is for major cases only, which the API enforces).
    await expect(issue.getByTestId('supervision-kind').innerText()).resolves.toContain('督办');
    await issue.locator('#documentNumber').fill('甘打骗办督〔2026〕3号');
    await issue.locator('#requirements').fill('请于期限内查清全部违规金额并报告进展。');
    await issue.locator('#deadline').fill(shanghaiDay(30));
    await issue.locator('#reportEveryWorkingDays').fill('5');
    await screenshot(lgo, 'lgo-issue-supervision-form');
    await issue.getByTestId('issue-supervision-submit').click();
    await issue.waitFor({ state: 'detached' });
    const orderLink = lgo.getByTestId('issued-order-link');
    await orderLink.waitFor();
    await orderLink.click();
    await lgo.waitForURL(/\/supervisions\/[0-9a-f-]{36}$/);
    await lgo.locator('[data-testid="supervision-status"][data-status="open"]').waitFor();
    const orderId = lgo.url().split('/').pop()!;
    const order = (await api.call('GET', `/supervisions/${orderId}`, await as('ganzhou-lgo-officer'))).body as Json;
    expect(order).toMatchObject({ caseId, kind: 'supervision', documentNumber: '甘打骗办督〔2026〕3号', reportEveryWorkingDays: 5 });

    // The office's dashboard: the funds in yuan have grown by the entry, and the open order is listed and opens.
    await lgo.goto(`${platform.url}/`);
    await expect(lgo.getByTestId('fund-violatingEmployeesFen').innerText()).resolves.toBe(yuan(fundsBefore.violatingEmployeesFen + 1_234_567));
    await expect(lgo.getByTestId('fund-involvedFen').innerText()).resolves.toBe(yuan(fundsBefore.involvedFen + 1_234_567));
    const listedOrder = lgo.getByTestId('open-supervisions').getByRole('link', { name: '甘打骗办督〔2026〕3号' });
    await listedOrder.waitFor();
    await screenshot(lgo, 'lgo-dashboard-funds-and-orders');
    await listedOrder.click();
    await lgo.waitForURL(new RegExp(`/supervisions/${orderId}$`));

    expect(web.problems).toEqual([]);
  }, 120_000);

  it('lets the handling bureau upload an evidence file on the case page and download the same bytes, sees a tampered file refused, and seals it; the office sees no evidence', async () => {
    const { api, as, ids } = platform;
    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '甘州区某药店串换药品案（证据）',
      partyName: '甘州区某药店（示例）',
      facts: '经现场检查，该药店存在串换药品行为。',
      documentNumber: '甘医保立〔2026〕12号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(filed.status).toBe(201);
    const caseId = (filed.body as Json).id as string;
    const bytes = Buffer.from('询问笔录：当事人承认串换药品。\n', 'utf8');

    const mi = await signIn('ganzhou-mi-officer');
    await mi.goto(`${platform.url}/cases/${caseId}`);
    const card = mi.getByTestId('evidence');
    await card.getByTestId('evidence-upload').waitFor();
    await card.locator('input[type=file]').setInputFiles({ name: '询问笔录.txt', mimeType: 'text/plain', buffer: bytes });
    const row = card.locator('[data-testid="evidence-row"][data-name="询问笔录.txt"]');
    await row.waitFor();
    const listed = ((await api.call('GET', `/cases/${caseId}/evidence`, await as('ganzhou-mi-officer'))).body as Json[])[0];
    expect(listed).toMatchObject({ name: '询问笔录.txt', mediaType: 'text/plain', sizeBytes: bytes.length, sealed: false });
    await expect(row.innerText()).resolves.toContain((listed.sha256 as string).slice(0, 12));
    await screenshot(mi, 'mi-evidence-uploaded');

    const [download] = await Promise.all([mi.waitForEvent('download'), row.getByTestId('evidence-download').click()]);
    expect(download.suggestedFilename()).toBe('询问笔录.txt');
    const saved = await download.path();
    expect(readFileSync(saved)).toEqual(bytes);

    // The stored file altered behind the system's back: the download is refused and the page says why.
    const stored = path.join(storeDir, 'cases', caseId, listed.id as string);
    const altered = Buffer.from(bytes);
    altered[3] ^= 0xff;
    writeFileSync(stored, altered);
    await row.getByTestId('evidence-download').click();
    await card.getByTestId('evidence-integrity-failed').waitFor();
    await expect(card.getByTestId('evidence-integrity-failed').innerText()).resolves.toContain('完整性校验失败');
    await screenshot(mi, 'mi-evidence-integrity-failed');
    // The browser logs the 409 as a failed resource: that one is expected here.
    const expected = web.problems.findIndex((p) => p.includes('status of 409'));
    expect(expected).toBeGreaterThanOrEqual(0);
    web.problems.splice(expected, 1);
    writeFileSync(stored, bytes);

    // 封存 through its button; the seal button is gone after.
    await row.getByTestId('evidence-seal').click();
    await row.getByText('已封存').waitFor();
    await expect(row.getByTestId('evidence-seal').count()).resolves.toBe(0);
    // Its chain of custody: added, downloaded, refused as altered, sealed (the download after the refusal was not one).
    await expect(row.getByTestId('evidence-custody').innerText()).resolves.toBe('4');
    await row.getByTestId('evidence-custody').hover();
    await expect(mi.locator('.ant-tooltip').last().innerText()).resolves.toMatch(/下载[\s\S]*完整性校验失败[\s\S]*封存/);

    // The leading-group office reads the case but is shown no evidence (the API answers it 404).
    const lgo = await signIn('ganzhou-lgo-officer');
    await lgo.goto(`${platform.url}/cases/${caseId}`);
    await lgo.getByTestId('case-number').waitFor();
    await expect(lgo.getByTestId('evidence').count()).resolves.toBe(0);

    expect(web.problems).toEqual([]);
  }, 120_000);

  it('lets an investigator verify an invoice, save finance’s signed receipt, and file it with a case by its number', async () => {
    const { api, as, ids } = platform;
    const mi = await signIn('ganzhou-mi-officer');
    // Verification is every agency's: the bureau has the section too.
    await mi.getByRole('menuitem', { name: '票据核验' }).click();
    await mi.locator('#code').fill('62060126');
    await mi.locator('#number').fill('0000077777');
    await mi.locator('#checkCode').fill('1a9c3f');
    await mi.getByRole('button', { name: /核\s*验/ }).click();
    const result = mi.getByTestId('verification-result');
    await expect(result.innerText()).resolves.toContain('查无此票');
    const id = Number(await result.getByTestId('verification-id').innerText());
    expect(id).toBeGreaterThan(0);
    // The receipt as the API gives it: finance's signature over what it says.
    const [download] = await Promise.all([mi.waitForEvent('download'), result.getByTestId('verification-receipt').click()]);
    expect(download.suggestedFilename()).toBe(`发票查验回执-${id}.json`);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8')) as { receipt: string; signature: string; publicKeyPem: string };
    expect(JSON.parse(saved.receipt)).toMatchObject({ verificationId: id, number: '0000077777', verdict: 'not_found', agencyId: ids['甘州区医疗保障局'] });
    expect(verify('sm3', Buffer.from(saved.receipt, 'utf8'), createPublicKey(saved.publicKeyPem), Buffer.from(saved.signature, 'hex'))).toBe(true);
    // The agency's verifications list it, with its receipt.
    await mi.locator(`[data-testid="verification-row"][data-id="${id}"]`).waitFor();
    await screenshot(mi, 'mi-invoice-verified');
    // Searched by the invoice's number, or its code and number as printed: its verifications only;
    // under another code or by a claim nobody asked for: none.
    const search = mi.getByTestId('verifications').getByPlaceholder('按票据代码和号码、票据号码或结算/案件编号查找');
    const other = (await api.call('POST', '/invoices/verifications', await as('ganzhou-mi-officer'), { code: '62060126', number: '0000066666', checkCode: '1a9c3f' })).body.verificationId;
    const row = (n: number) => mi.locator(`[data-testid="verification-row"][data-id="${n}"]`);
    const listed = () => mi.locator('[data-testid="verification-row"]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    const find = async (text: string) => {
      await search.fill(text);
      await search.press('Enter');
    };
    await find('0000066666');
    await row(other).waitFor();
    await find('0000077777');
    await row(other).waitFor({ state: 'detached' });
    await expect(listed()).resolves.toEqual([id]);
    await find('62060126 0000066666');
    await row(other).waitFor();
    await expect(listed()).resolves.toEqual([other]);
    await mi.getByTestId('verifications').evaluate((card) => card.scrollIntoView());
    await screenshot(mi, 'mi-verifications-by-invoice');
    await find('620601250000066666');
    await row(other).waitFor({ state: 'detached' });
    await expect(listed()).resolves.toEqual([]);
    await find('0000077777');
    await row(id).waitFor();
    await find('甘医保立〔2099〕1号');
    await row(id).waitFor({ state: 'detached' });
    await expect(listed()).resolves.toEqual([]);

    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '甘州区某诊所虚假票据报销案',
      partyName: '甘州区某诊所（示例）',
      facts: '报销材料所附票据在财政票据库中查无此票。',
      documentNumber: '甘医保立〔2026〕13号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    const caseId = (filed.body as Json).id as string;
    await mi.goto(`${platform.url}/cases/${caseId}`);
    const card = mi.getByTestId('evidence');
    await card.getByTestId('receipt-id').fill(String(id));
    await card.getByTestId('receipt-attach').click();
    await card.locator(`[data-testid="evidence-row"][data-name="发票查验回执-${id}.json"]`).waitFor();
    await screenshot(mi, 'mi-receipt-filed');
    // Filed once: the second time the card says so.
    await card.getByTestId('receipt-id').fill(String(id));
    await card.getByTestId('receipt-attach').click();
    await expect(card.getByTestId('evidence-error').innerText()).resolves.toContain('该查验回执已附入本案');
    const expected = web.problems.findIndex((p) => p.includes('status of 409'));
    expect(expected).toBeGreaterThanOrEqual(0);
    web.problems.splice(expected, 1);
    expect(((await api.call('GET', `/cases/${caseId}/evidence`, await as('ganzhou-mi-officer'))).body as Json[]).length).toBe(1);
    expect(web.problems).toEqual([]);
  }, 120_000);

  it('lets an institution fill in, submit and resubmit its ledger in yuan, and the bureau return, accept and download Annex 4', async () => {
    const { api, as } = platform;
    const campaign = await api.call('POST', '/campaigns', await as('zhangye-mi-officer'), {
      name: '张掖市打击欺诈骗保专项整治行动（控制台）',
      documentNumber: '张医保发〔2026〕31号',
      regionCode: '620700',
      targets: ['hospital', 'pharmacy'],
      auditPeriodFrom: '2025-01-01',
      auditPeriodTo: shanghaiDay(-1),
      startsOn: shanghaiDay(0),
      endsOn: shanghaiDay(40),
      phases: [
        { kind: 'self_inspection', startsOn: shanghaiDay(0), endsOn: shanghaiDay(10) },
        { kind: 'inspection', startsOn: shanghaiDay(11), endsOn: shanghaiDay(40) },
      ],
    });
    expect(campaign.status).toBe(201);

    // The institution's portal account lands on its ledger: none yet, so the form that opens it.
    const inst = await signIn('h62070200001');
    await inst.getByTestId('ledger-form').waitFor();
    // Its inbox holds the campaign's notice (when to self-inspect), which opens the ledger of that campaign.
    await inst.getByTestId('inbox-badge').locator('.ant-badge-count').waitFor();
    await inst.getByTestId('inbox-button').click();
    await web.settled(inst);
    const notice = inst.getByTestId('inbox-item').filter({ hasText: '专项整治：张掖市打击欺诈骗保专项整治行动（控制台）' });
    await notice.waitFor();
    await expect(notice.innerText()).resolves.toContain(`自查自纠阶段为 ${shanghaiDay(0)} 至 ${shanghaiDay(10)}`);
    await screenshot(inst, 'institution-inbox-campaign');
    await notice.click();
    await inst.waitForURL(`**/ledgers?campaign=${campaign.body.id}`);
    await inst.getByTestId('ledger-form').waitFor();
    // Read now: the badge goes.
    await inst.getByTestId('inbox-badge').locator('.ant-badge-count').waitFor({ state: 'detached' });
    await inst.getByTestId('ledger-add-row').click();
    const row = inst.getByTestId('ledger-row').first();
    await row.getByTestId('row-category').fill('重复收费、超标准收费、分解项目收费');
    await row.getByTestId('row-content').fill('护理费与床位费重复收取');
    await row.getByTestId('row-violatingEmployeesFen').fill('1234.56');
    await row.getByTestId('row-refundedEmployeesFen').fill('1000');
    await row.getByTestId('row-reason').fill('正在核对退款明细');
    await screenshot(inst, 'institution-ledger-row');
    await inst.getByTestId('ledger-save').click();
    await inst.locator('[data-testid="ledger-status"][data-status="draft"]').waitFor();
    await inst.getByTestId('ledger-step-submit').click();
    await inst.locator('[data-testid="ledger-status"][data-status="submitted"]').waitFor();
    await screenshot(inst, 'institution-ledger-submitted');

    const ledgers = (await api.call('GET', `/campaigns/${campaign.body.id}/ledgers`, await as('h62070200001'))).body as Json;
    expect(ledgers.total).toBe(1);
    const ledger = (await api.call('GET', `/ledgers/${ledgers.items[0].id}`, await as('h62070200001'))).body as Json;
    expect(ledger.problems).toEqual([
      expect.objectContaining({ seq: 1, violatingEmployeesFen: 123_456, violatingResidentsFen: 0, refundedEmployeesFen: 100_000, refundedResidentsFen: 0, rectified: false, reason: '正在核对退款明细' }),
    ]);

    // The district bureau sees it in the campaign's list and returns it with its reasons.
    const mi = await signIn('ganzhou-mi-officer');
    await mi.goto(`${platform.url}/ledgers`);
    const listed = mi.getByTestId('ledger-list').getByRole('link', { name: ledger.institution.name });
    await listed.waitFor();
    await expect(mi.getByTestId('ledger-list').locator('[data-testid="ledger-row-status"][data-status="submitted"]').count()).resolves.toBe(1);
    await mi.getByTestId('summary').waitFor();
    // Who is still to file in the district (催报): its designated institutions but the one that submitted.
    const unfiled = mi.getByTestId('unfiled-list');
    await unfiled.getByText('张掖市中医医院').waitFor();
    expect(await unfiled.getByText('张掖市人民医院').count()).toBe(0);
    await expect(mi.getByTestId('unfiled-counts').textContent()).resolves.toContain('已提交 1');
    await screenshot(mi, 'mi-ledger-list');
    await listed.click();
    await mi.getByTestId('ledger-step-return').click();
    await mi.getByTestId('return-note').waitFor();
    await web.settled(mi);
    await mi.getByTestId('return-note').fill('退回资金与违规资金不一致，请核实。');
    await mi.getByTestId('return-confirm').click();
    await mi.locator('[data-testid="ledger-status"][data-status="returned"]').waitFor();

    // Without reloading, the institution's inbox gets the return live (its own inbox, with the reasons), and the item opens the ledger.
    await inst.getByTestId('inbox-badge').locator('.ant-badge-count').waitFor();
    await inst.getByTestId('inbox-button').click();
    await web.settled(inst);
    const news = inst.getByTestId('inbox-item');
    await news.filter({ hasText: '自查台账被退回修改' }).waitFor();
    // The newest first, above the campaign's notice it has read.
    await expect(news.count()).resolves.toBe(2);
    await expect(news.first().innerText()).resolves.toContain('自查台账被退回修改');
    await expect(news.first().innerText()).resolves.toContain('退回理由：退回资金与违规资金不一致，请核实。');
    await screenshot(inst, 'institution-inbox-returned');
    await news.first().click();
    await inst.waitForURL(`**/ledgers/${ledger.id}`);
    // The router keeps the workbench (its campaign picker, the same ledger form) on screen until the ledger page has loaded: wait for the swap, not to type into the old form.
    await inst.getByTestId('campaign-select').waitFor({ state: 'detached' });

    // The institution sees why and resubmits; the bureau accepts and downloads Annex 4 with its token.
    await expect(inst.getByTestId('return-reasons').innerText()).resolves.toBe('退回资金与违规资金不一致，请核实。');
    await inst.getByTestId('ledger-form').locator('[data-testid="row-refundedEmployeesFen"]').fill('1234.56');
    await inst.getByTestId('ledger-step-resubmit').click();
    await inst.locator('[data-testid="ledger-status"][data-status="resubmitted"]').waitFor();
    await screenshot(inst, 'institution-ledger-resubmitted');

    await mi.reload();
    await mi.getByTestId('ledger-step-accept').click();
    await mi.locator('[data-testid="ledger-status"][data-status="accepted"]').waitFor();
    expect(((await api.call('GET', `/ledgers/${ledger.id}`, await as('ganzhou-mi-officer'))).body as Json).problems[0].refundedEmployeesFen).toBe(123_456);
    await mi.goto(`${platform.url}/ledgers`);
    await mi.getByTestId('summary').waitFor();
    // On screen as in the file: Annex 4's 未整改 column, the accepted row not rectified yet.
    const hospitals = mi.getByTestId('summary-table').filter({ hasText: '医疗机构' });
    await expect(hospitals.locator('thead').innerText()).resolves.toContain('未整改');
    const [download] = await Promise.all([mi.waitForEvent('download'), mi.getByTestId('summary-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^附件4_.*\.csv$/);
    const csv = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(csv).toContain('1234.56');
    await screenshot(mi, 'mi-summary');

    // After acceptance the institution reports its progress, 55 times through the API while the row is not yet rectified.
    const first = ((await api.call('GET', `/ledgers/${ledger.id}`, await as('ganzhou-mi-officer'))).body as Json).problems[0];
    const institution = await as('h62070200001');
    for (let i = 1; i <= 55; i++) {
      const entry = { seq: 1, refundedEmployeesFen: first.refundedEmployeesFen, refundedResidentsFen: first.refundedResidentsFen, rectified: false, reason: `整改进行中（第${i}次报告）` };
      expect((await api.call('POST', `/ledgers/${ledger.id}/progress`, institution, { problems: [entry], note: `整改进行中（第${i}次报告）` })).status).toBe(200);
    }

    // Then through its form: a refund above the violating funds is refused next to the field (in Chinese), then the row is rectified.
    await inst.reload();
    await inst.locator('[data-testid="ledger-status"][data-status="accepted"]').waitFor();
    const progress = inst.getByTestId('progress-form');
    const refund = progress.getByTestId('progress-refundedEmployeesFen');
    await expect(refund.inputValue()).resolves.toBe('1234.56');
    await refund.fill('1234.57');
    await progress.getByTestId('progress-submit').click();
    const refundItem = progress.locator('.ant-form-item').filter({ has: inst.getByTestId('progress-refundedEmployeesFen') });
    // Said in Chinese from the rule's code and amounts, not in the API's English.
    await expect(refundItem.locator('.ant-form-item-explain-error').innerText()).resolves.toBe('退回金额（¥1,234.57）不能超过违规金额（¥1,234.56）');
    await screenshot(inst, 'institution-progress-refused');
    // The browser logs the refused request (400) as a failed resource: that one is expected here.
    const refused = web.problems.findIndex((p) => p.startsWith('h62070200001') && p.includes('status of 400'));
    expect(refused).toBeGreaterThanOrEqual(0);
    web.problems.splice(refused, 1);
    await refund.fill('1234.56');
    await progress.getByTestId('progress-rectified').check();
    await progress.getByTestId('progress-note').fill('已完成整改，违规资金已全部退回');
    await progress.getByTestId('progress-submit').click();
    await inst.getByTestId('progress-complete').waitFor();
    const recorded = inst.locator('[data-testid="ledger-history"][data-action="progress"]').last();
    await expect(recorded.innerText()).resolves.toContain('已完成整改，违规资金已全部退回');
    await expect(recorded.getByTestId('ledger-change').innerText()).resolves.toContain('已完成整改 否 → 是');
    await screenshot(inst, 'institution-progress-recorded');
    expect(((await api.call('GET', `/ledgers/${ledger.id}`, await as('ganzhou-mi-officer'))).body as Json).problems[0]).toMatchObject({ refundedEmployeesFen: 123_456, rectified: true });

    // The bureau sees the progress in the ledger's history, and is offered no progress form (it is the institution's).
    await mi.goto(`${platform.url}/ledgers/${ledger.id}`);
    const seen = mi.locator('[data-testid="ledger-history"][data-action="progress"]').last();
    await seen.waitFor();
    await expect(seen.innerText()).resolves.toContain(ledger.institution.name);
    await expect(seen.getByTestId('ledger-change').innerText()).resolves.toContain('已完成整改 否 → 是');
    await expect(mi.getByTestId('progress-form').count()).resolves.toBe(0);
    await screenshot(mi, 'mi-ledger-progress');

    // A long history (the 55 reports above): the view carries the latest steps, and the page reads the older ones on request.
    await mi.reload();
    const count = mi.getByTestId('ledger-history-count');
    await count.waitFor();
    const total = Number(await count.getAttribute('data-total'));
    expect(total).toBeGreaterThan(60);
    expect(Number(await count.getAttribute('data-shown'))).toBeLessThan(total);
    // Before, the steps past the view's were not reachable from the page: the ledger's creation and submission among them.
    await expect(mi.locator('[data-testid="ledger-history"][data-action="create"]').count()).resolves.toBe(0);
    while ((await mi.getByTestId('ledger-history-earlier').count()) > 0) {
      const shown = Number(await count.getAttribute('data-shown'));
      await mi.getByTestId('ledger-history-earlier').click();
      await eventually(async () => Number(await count.getAttribute('data-shown')) > shown);
    }
    await expect(mi.getByTestId('ledger-history').count()).resolves.toBe(total);
    await expect(mi.getByTestId('ledger-history').first().getAttribute('data-action')).resolves.toBe('create');
    await expect(mi.getByTestId('ledger-history').nth(total - 2).innerText()).resolves.toContain('整改进行中（第55次报告）');
    await expect(mi.getByTestId('ledger-history').last().innerText()).resolves.toContain('已完成整改，违规资金已全部退回');
    // Oldest first, each step once.
    const order = await mi.getByTestId('ledger-history').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step'))));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(total);
    await screenshot(mi, 'mi-ledger-history-all');

    expect(web.problems).toEqual([]);
  }, 150_000);

  it('pages, filters and sorts a campaign’s ledgers on the server, the list kept in the URL', async () => {
    const { api, as } = platform;
    const campaign = await api.call('POST', '/campaigns', await as('zhangye-mi-officer'), {
      name: '张掖市医保基金自查自纠（分页）',
      documentNumber: '张医保发〔2026〕32号',
      regionCode: '620700',
      targets: ['hospital', 'pharmacy'],
      auditPeriodFrom: '2025-01-01',
      auditPeriodTo: shanghaiDay(-1),
      startsOn: shanghaiDay(0),
      endsOn: shanghaiDay(30),
      phases: [{ kind: 'self_inspection', startsOn: shanghaiDay(0), endsOn: shanghaiDay(30) }],
    });
    expect(campaign.status).toBe(201);
    const campaignId = (campaign.body as Json).id as string;
    // Every demo institution of the city files a ledger; the nth declares n yuan of violating funds.
    const codes = ['H62070200001', 'H62070200002', 'H62070200003', 'H62070200004', 'H62070200005', 'H62070200006', 'H62070200007', 'H62072300001', 'H62072300002', 'H62072300003', 'H62072300004', 'H62072300005'];
    for (const [n, code] of codes.entries()) {
      const opened = await api.call('POST', `/campaigns/${campaignId}/ledgers`, await as(code.toLowerCase()), {
        insuranceTypes: ['employees'],
        problems: [{ category: '串换药品、医用耗材、诊疗项目和服务设施', content: '将甲类耗材串换为乙类项目收费', violatingEmployeesFen: (n + 1) * 100, violatingResidentsFen: 0, refundedEmployeesFen: 0, refundedResidentsFen: 0, rectified: true }],
      });
      expect(opened.status).toBe(201);
    }

    const city = await signIn('zhangye-mi-officer');
    const list = city.getByTestId('ledger-list');
    const pager = city.getByTestId('ledgers').locator('.ant-table-pagination');
    const rows = list.locator('tbody tr.ant-table-row');
    const amounts = async () => (await list.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts()).map((x) => x.trim());
    // Ten a page, the most declared first: the first page ¥12.00 … ¥3.00, the second the last two, and the total is the server's.
    await city.goto(`${platform.url}/ledgers?campaign=${campaignId}&pageSize=10&sort=-violatingFen`);
    await pager.locator('.ant-pagination-total-text', { hasText: '12' }).waitFor();
    await expect(amounts()).resolves.toEqual(['¥12.00', '¥11.00', '¥10.00', '¥9.00', '¥8.00', '¥7.00', '¥6.00', '¥5.00', '¥4.00', '¥3.00']);
    await pager.locator('.ant-pagination-item-2').click();
    await city.waitForURL(/[?&]page=2/);
    await list.locator('tbody tr.ant-table-row td:nth-child(5)', { hasText: '¥1.00' }).waitFor();
    await expect(amounts()).resolves.toEqual(['¥2.00', '¥1.00']);
    await screenshot(city, 'city-ledgers-page-2');
    // The pharmacies only (four of them), in the default order, the latest change first (the order they were filed in, reversed).
    await city.goto(`${platform.url}/ledgers?campaign=${campaignId}&pageSize=10&kind=pharmacy`);
    await pager.locator('.ant-pagination-total-text', { hasText: '4' }).waitFor();
    await expect(amounts()).resolves.toEqual(['¥12.00', '¥11.00', '¥7.00', '¥6.00']);
    // Sorting by the column header, kept in the URL: the fewest declared first, then the most.
    await list.locator('th', { hasText: '违规金额合计' }).click();
    await city.waitForURL(/sort=violatingFen/);
    await list.locator('tbody tr.ant-table-row').first().locator('td:nth-child(5)', { hasText: '¥6.00' }).waitFor();
    await expect(amounts()).resolves.toEqual(['¥6.00', '¥7.00', '¥11.00', '¥12.00']);
    await list.locator('th', { hasText: '违规金额合计' }).click();
    await city.waitForURL(/sort=-violatingFen/);
    await list.locator('tbody tr.ant-table-row').first().locator('td:nth-child(5)', { hasText: '¥12.00' }).waitFor();
    await expect(rows.count()).resolves.toBe(4);
    await screenshot(city, 'city-ledgers-pharmacies');
    expect(web.problems).toEqual([]);
  }, 120_000);

  it('shows a supervision order to the supervised bureau, which reports progress through its form, and lets the office close it', async () => {
    const { api, as, ids } = platform;
    const filed = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
      title: '张掖康泰医院涉嫌挂床住院案（督办）',
      partyName: '张掖康泰医院（示例民营）',
      facts: '现场检查发现挂床住院。',
      documentNumber: '甘医保立〔2026〕11号',
      officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
    });
    expect(filed.status).toBe(201);
    const order = await api.call('POST', '/supervisions', await as('zhangye-lgo-officer'), {
      caseId: filed.body.id,
      kind: 'supervision',
      documentNumber: '张打骗办督〔2026〕7号',
      requirements: '限期查清违法事实，每5个工作日报告进展',
      deadline: new Date(Date.now() + 60 * 86_400_000).toISOString(),
      reportEveryWorkingDays: 5,
    });
    expect(order.status).toBe(201);

    const mi = await signIn('ganzhou-mi-officer');
    await mi.goto(`${platform.url}/supervisions`);
    await mi.getByTestId('supervision-list').getByRole('link', { name: '张打骗办督〔2026〕7号' }).click();
    await mi.locator('[data-testid="supervision-status"][data-status="open"]').waitFor();
    await expect(mi.getByTestId('close-form').count()).resolves.toBe(0);
    const form = mi.getByTestId('report-form');
    await form.getByTestId('report-form-submit').click();
    await form.locator('.ant-form-item-explain-error').first().waitFor();
    await form.locator('#progress').fill('已调取住院病历312份，正在比对');
    await form.getByTestId('report-form-submit').click();
    await mi.getByTestId('supervision-report').first().waitFor();
    await expect(mi.getByTestId('supervision-report').first().innerText()).resolves.toContain('已调取住院病历312份');
    await screenshot(mi, 'mi-supervision-reported');
    expect(((await api.call('GET', `/supervisions/${order.body.id}`, await as('zhangye-lgo-officer'))).body as Json).reports).toHaveLength(1);

    const lgo = await signIn('zhangye-lgo-officer');
    await lgo.goto(`${platform.url}/supervisions/${order.body.id}`);
    await lgo.getByTestId('supervision-report').first().waitFor();
    await expect(lgo.getByTestId('report-form').count()).resolves.toBe(0);
    await lgo.getByTestId('close-form').locator('#note').fill('案件已依法处理完毕');
    await lgo.getByTestId('close-form-submit').click();
    await lgo.locator('[data-testid="supervision-status"][data-status="closed"]').waitFor();
    await screenshot(lgo, 'lgo-supervision-closed');

    expect(web.problems).toEqual([]);
  }, 120_000);

  it('lets a bureau’s administrator give an officer a role on its officers page, and not give up the last administrator role', async () => {
    const { api } = platform;
    const admin = await signIn('zhangye-mi-admin');
    await admin.getByRole('menuitem', { name: '本单位人员' }).click();
    const list = admin.getByTestId('officer-list');
    const row = (username: string) => list.locator(`tr[data-username="${username}"]`);
    const roles = async (username: string) => (await row(username).getByTestId('officer-roles').locator('[data-role]').evaluateAll((tags) => tags.map((e) => (e as unknown as { dataset: { role: string } }).dataset.role)));
    await row('zhangye-mi-officer2').waitFor();
    // Only the bureau's own officers.
    await expect(list.locator('tr[data-username^="ganzhou-"]').count()).resolves.toBe(0);
    expect(await roles('zhangye-mi-officer2')).toEqual(['officer']);

    // 法制审核 for the second officer: the modal closes, the list shows it, and the officer's next sign-in carries it.
    await row('zhangye-mi-officer2').getByTestId('change-roles').click();
    const form = admin.getByTestId('roles-form');
    await form.waitFor();
    await web.settled(admin);
    await form.getByRole('checkbox', { name: '法制审核' }).check();
    await screenshot(admin, 'mi-admin-gives-role');
    await admin.getByTestId('roles-submit').click();
    await form.waitFor({ state: 'detached' });
    await row('zhangye-mi-officer2').getByText('法制审核').waitFor();
    expect(await roles('zhangye-mi-officer2')).toEqual(['officer', 'legal_reviewer']);
    expect((await api.login('zhangye-mi-officer2')).body.principal.roles).toEqual(['officer', 'legal_reviewer']);

    // Its own admin role, the bureau's only one: refused in the form, in Chinese, and nothing changes; nor may it disable itself.
    await row('zhangye-mi-admin').getByTestId('change-roles').click();
    await form.waitFor();
    await web.settled(admin);
    await expect(form.innerText()).resolves.toContain('须重新登录');
    await form.getByRole('checkbox', { name: '管理员' }).uncheck();
    await admin.getByTestId('roles-submit').click();
    await form.getByText('至少选择一个角色').waitFor();
    await form.getByRole('checkbox', { name: '经办人' }).check();
    await admin.getByTestId('roles-submit').click();
    await form.getByTestId('form-error').waitFor();
    await expect(form.getByTestId('form-error').innerText()).resolves.toContain('最后一名启用的管理员');
    await screenshot(admin, 'mi-admin-last-administrator');
    await admin.getByRole('button', { name: /取\s*消/ }).click();
    await form.waitFor({ state: 'detached' });
    await row('zhangye-mi-admin').getByTestId('disable-officer').click();
    await admin.getByTestId('confirm-disable').click();
    await expect(admin.getByTestId('officers-error').innerText()).resolves.toContain('最后一名启用的管理员');
    expect(await roles('zhangye-mi-admin')).toEqual(['admin']);
    await expect(row('zhangye-mi-admin').getByTestId('officer-status').getAttribute('data-disabled')).resolves.toBe('false');
    // The browser logs each of the two refusals (409) as a failed resource: those are expected here.
    for (let n = 0; n < 2; n++) {
      const expected = web.problems.findIndex((p) => p.includes('status of 409'));
      expect(expected).toBeGreaterThanOrEqual(0);
      web.problems.splice(expected, 1);
    }

    // An officer who is not the administrator has no such section, and the page offers it no change.
    const officer = await signIn('zhangye-mi-officer');
    await expect(officer.getByRole('menuitem', { name: '本单位人员' }).count()).resolves.toBe(0);
    await officer.goto(`${platform.url}/officers`);
    await officer.getByTestId('officer-list').locator('tr[data-username="zhangye-mi-admin"]').waitFor();
    await expect(officer.getByTestId('change-roles').count()).resolves.toBe(0);
    await expect(officer.getByTestId('disable-officer').count()).resolves.toBe(0);
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('lets a bureau’s administrator open an account for a new officer, who chooses a password before the console lets them in', async () => {
    const admin = await signIn('linze-mi-admin');
    await admin.getByRole('menuitem', { name: '本单位人员' }).click();
    const list = admin.getByTestId('officer-list');
    await list.locator('tr[data-username="linze-mi-admin"]').waitFor();
    await admin.getByTestId('add-officer').click();
    const form = admin.getByTestId('add-officer-form');
    await form.waitFor();
    await web.settled(admin);
    await form.locator('#username').fill('linze-mi-officer');
    await form.locator('#displayName').fill('孙丽');
    await form.getByRole('checkbox', { name: '举报受理' }).check();
    await admin.getByTestId('add-officer-submit').click();
    // A username already taken is refused in the form, in Chinese; another is accepted.
    await expect(form.getByTestId('form-error').innerText()).resolves.toContain('该用户名已被使用');
    await form.locator('#username').fill('linze-mi-sun');
    await admin.getByTestId('add-officer-submit').click();
    const credentials = admin.getByTestId('credentials');
    await credentials.waitFor();
    await web.settled(admin);
    await expect(admin.getByTestId('issued-username').innerText()).resolves.toBe('linze-mi-sun');
    const temporary = (await admin.getByTestId('temporary-password').innerText()).trim();
    expect(temporary).toMatch(/^\S{4}-\S{4}-\S{4}$/);
    await screenshot(admin, 'mi-admin-new-officer-credentials');
    await admin.getByTestId('credentials-close').click();
    await credentials.waitFor({ state: 'detached' });
    await list.locator('tr[data-username="linze-mi-sun"]').getByText('举报受理').waitFor();

    // The new officer's first sign-in leads to the password page and nowhere else, until a password of their own is saved.
    const sun = await web.submitSignIn('linze-mi-sun', temporary);
    await sun.waitForURL(/\/password$/);
    await sun.getByTestId('must-change-password').waitFor();
    await sun.goto(`${platform.url}/clues`);
    await sun.waitForURL(/\/password$/);
    const page = sun.getByTestId('password-form');
    await page.locator('#currentPassword').fill(temporary);
    await page.locator('#newPassword').fill('linze-mi-sun-2026');
    await page.locator('#confirm').fill('linze-mi-sun-2026');
    await sun.getByTestId('password-submit').click();
    // The API's rules, said next to the field in Chinese.
    await page.getByText('至少 10 位，须同时包含大写字母、小写字母和数字', { exact: true }).waitFor();
    await page.locator('#newPassword').fill('Linze#Sun2026');
    await page.locator('#confirm').fill('Linze#Sun2027');
    await sun.getByTestId('password-submit').click();
    await page.getByText('两次输入的新密码不一致').waitFor();
    await screenshot(sun, 'new-officer-chooses-password');
    await page.locator('#confirm').fill('Linze#Sun2026');
    await sun.getByTestId('password-submit').click();
    await sun.getByTestId('officer-name').waitFor();
    await expect(sun.getByTestId('officer-name').innerText()).resolves.toBe('孙丽');
    await sun.getByRole('menuitem', { name: '线索' }).click();
    await sun.waitForURL(/\/clues$/);
    expect((await platform.api.login('linze-mi-sun', 'Linze#Sun2026')).status).toBe(200);
    // The rule the API checks is a 400 the browser logs as a failed resource: expected here.
    const refused = web.problems.findIndex((p) => p.includes('status of 400'));
    expect(refused).toBeGreaterThanOrEqual(0);
    web.problems.splice(refused, 1);
    const taken = web.problems.findIndex((p) => p.includes('status of 409'));
    expect(taken).toBeGreaterThanOrEqual(0);
    web.problems.splice(taken, 1);
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('lets a bureau register an institution, open its portal account and suspend its agreement on 定点医药机构; police read the register without acting on it', async () => {
    const mi = await signIn('linze-mi-officer');
    await mi.getByRole('menuitem', { name: '定点医药机构' }).click();
    const list = mi.getByTestId('institution-list');
    await list.locator('tr[data-code="H62072300001"]').waitFor();
    // Its own district's institutions only.
    expect(await list.locator('tr[data-code^="H620702"]').count()).toBe(0);

    await mi.getByTestId('register-institution').click();
    const form = mi.getByTestId('register-institution-form');
    await form.waitFor();
    await web.settled(mi);
    await form.locator('#code').fill('H62070200010');
    await form.locator('#name').fill('临泽县蓼泉镇卫生院');
    await web.choose(mi, form.getByTestId('institution-kind'), '定点医疗机构');
    await web.choose(mi, form.getByTestId('institution-ownership'), '公立');
    await web.choose(mi, form.getByTestId('institution-level'), '一级及以下');
    await mi.getByTestId('register-submit').click();
    // A code of another district is refused in the form, in Chinese; the district's own is registered.
    await expect(form.getByTestId('form-error').innerText()).resolves.toContain('不在本局管辖范围内');
    await form.locator('#code').fill('h62072300010');
    await mi.getByTestId('register-submit').click();
    await form.waitFor({ state: 'detached' });
    const row = list.locator('tr[data-code="H62072300010"]');
    await row.locator('[data-testid="portal-account"][data-state="none"]').waitFor();

    await row.getByTestId('issue-account').click();
    await mi.getByTestId('confirm-issue-account').click();
    await mi.getByTestId('credentials').waitFor();
    await web.settled(mi);
    await expect(mi.getByTestId('issued-username').innerText()).resolves.toBe('h62072300010');
    const temporary = (await mi.getByTestId('temporary-password').innerText()).trim();
    await screenshot(mi, 'mi-institution-portal-account');
    await mi.getByTestId('credentials-close').click();
    await row.locator('[data-testid="portal-account"][data-state="active"]').waitFor();
    expect((await platform.api.login('h62072300010', temporary)).body.principal).toMatchObject({ kind: 'institution', institutionName: '临泽县蓼泉镇卫生院', passwordChangeRequired: true });

    await row.getByTestId('change-agreement').click();
    const agreement = mi.getByTestId('agreement-form');
    await agreement.waitFor();
    await web.settled(mi);
    await web.choose(mi, agreement.getByTestId('agreement-status'), '暂停');
    await agreement.locator('#reason').fill('违反服务协议，暂停结算（临医保决〔2026〕3号）');
    await mi.getByTestId('agreement-submit').click();
    await agreement.waitFor({ state: 'detached' });
    await row.locator('[data-testid="agreement"][data-status="suspended"]').waitFor();
    await screenshot(mi, 'mi-institutions');

    // Police read the register, agreement included, and are offered none of the bureau's changes.
    const police = await signIn('linze-police-officer');
    await police.getByRole('menuitem', { name: '定点医药机构' }).click();
    const seen = police.getByTestId('institution-list').locator('tr[data-code="H62072300010"]');
    await seen.locator('[data-testid="agreement"][data-status="suspended"]').waitFor();
    expect(await police.getByTestId('register-institution').count()).toBe(0);
    expect(await police.getByTestId('change-agreement').count()).toBe(0);
    expect(await police.getByTestId('issue-account').count()).toBe(0);
    // Finance verifies invoices and has no business with the register: no menu entry.
    const finance = await signIn('linze-finance-officer');
    await finance.getByRole('menuitem', { name: '票据核验' }).waitFor();
    expect(await finance.getByRole('menuitem', { name: '定点医药机构' }).count()).toBe(0);

    // The refused code of another district: a 403 the browser logs as a failed resource and the harness as a refused action, expected here.
    for (const expected of ['status of 403', '403 from POST']) {
      const refused = web.problems.findIndex((p) => p.includes(expected));
      expect(refused).toBeGreaterThanOrEqual(0);
      web.problems.splice(refused, 1);
    }
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('shows whom to work with on 联络名录: the leading groups with their members, and the agencies of the jurisdiction with their officers’ names', async () => {
    const lgo = await signIn('zhangye-lgo-officer');
    await lgo.getByRole('menuitem', { name: '联络名录' }).click();
    // The city office reaches the city and its districts: three leading groups.
    const city = lgo.locator('[data-testid="leading-group"][data-region="620700"]');
    await city.getByText('张掖市打击欺诈骗保专项整治行动领导小组办公室', { exact: true }).waitFor();
    await expect(city.getByTestId('group-member').filter({ hasText: '医疗保障局局长' }).innerText()).resolves.toBe('张掖市医疗保障局（医疗保障局局长）');
    await expect(lgo.getByTestId('leading-group').count()).resolves.toBe(3);
    await screenshot(lgo, 'lgo-directory-groups');

    const list = lgo.getByTestId('agency-list');
    const police = list.locator('tr[data-agency="张掖市公安局甘州分局"]');
    await police.waitFor();
    await police.locator('.ant-table-row-expand-icon').click();
    await expect(list.getByTestId('agency-officers').innerText()).resolves.toContain('张掖市公安局甘州分局经办人');
    await screenshot(lgo, 'lgo-directory-officers');
    await lgo.getByTestId('directory-search').locator('input').fill('临泽');
    await lgo.getByTestId('directory-search').locator('input').press('Enter');
    await police.waitFor({ state: 'detached' });
    await list.locator('tr[data-agency="临泽县公安局"]').waitFor();

    // A district's police reach their district and the agencies above it, not another district.
    const linze = await signIn('linze-police-officer');
    await linze.getByRole('menuitem', { name: '联络名录' }).click();
    await linze.locator('[data-testid="leading-group"][data-region="620723"]').waitFor();
    await expect(linze.getByTestId('leading-group').count()).resolves.toBe(1);
    await linze.getByTestId('agency-list').locator('tr[data-agency="临泽县医疗保障局"]').waitFor();
    await linze.getByTestId('agency-list').locator('tr[data-agency="张掖市医疗保障局"]').waitFor();
    expect(await linze.getByTestId('agency-list').locator('tr[data-agency="甘州区医疗保障局"]').count()).toBe(0);
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('lets a bureau’s administrator keep its telephone and address, which the city reads on 联络名录, and enable a disabled officer again with a new temporary password', async () => {
    const admin = await signIn('ganzhou-mi-admin');
    await admin.getByRole('menuitem', { name: '本单位人员' }).click();
    const own = admin.getByTestId('own-agency');
    await own.getByText('甘州区医疗保障局', { exact: true }).waitFor();
    await admin.getByTestId('edit-contacts').click();
    const form = admin.getByTestId('contacts-form');
    await form.waitFor();
    await web.settled(admin);
    await form.locator('#contactPhone').fill('找办公室');
    await admin.getByTestId('contacts-submit').click();
    await form.getByText('只能包含数字、空格、+、- 和括号', { exact: false }).waitFor();
    await form.locator('#contactPhone').fill('0936-8212393');
    await form.locator('#contactAddress').fill('张掖市甘州区县府街 32 号');
    await form.getByText('只能包含数字、空格、+、- 和括号', { exact: false }).waitFor({ state: 'detached' });
    await screenshot(admin, 'mi-admin-edits-contacts');
    await admin.getByTestId('contacts-submit').click();
    await form.waitFor({ state: 'detached' });
    await expect(admin.getByTestId('own-phone').innerText()).resolves.toBe('0936-8212393');
    await expect(admin.getByTestId('own-address').innerText()).resolves.toBe('张掖市甘州区县府街 32 号');

    // The city bureau reads them in its directory.
    const city = await signIn('zhangye-mi-officer');
    await city.getByRole('menuitem', { name: '联络名录' }).click();
    const row = city.getByTestId('agency-list').locator('tr[data-agency="甘州区医疗保障局"]');
    await row.getByText('0936-8212393').waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    await expect(city.getByTestId('agency-address').innerText()).resolves.toBe('联系地址：张掖市甘州区县府街 32 号');

    // An officer disabled by mistake comes back with a new temporary password, shown once.
    const list = admin.getByTestId('officer-list');
    const officer = list.locator('tr[data-username="ganzhou-mi-officer2"]');
    await officer.getByTestId('disable-officer').click();
    await admin.getByTestId('confirm-disable').click();
    await officer.locator('[data-testid="officer-status"][data-disabled="true"]').waitFor();
    await expect(officer.getByTestId('change-roles').count()).resolves.toBe(0);
    expect((await platform.api.login('ganzhou-mi-officer2')).body).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
    await officer.getByTestId('enable-officer').click();
    await admin.getByTestId('confirm-enable').click();
    const credentials = admin.getByTestId('credentials');
    await credentials.waitFor();
    await web.settled(admin);
    await expect(admin.getByTestId('issued-username').innerText()).resolves.toBe('ganzhou-mi-officer2');
    const temporary = (await admin.getByTestId('temporary-password').innerText()).trim();
    await screenshot(admin, 'mi-admin-enables-officer');
    await admin.getByTestId('credentials-close').click();
    await officer.locator('[data-testid="officer-status"][data-disabled="false"]').waitFor();
    expect((await platform.api.login('ganzhou-mi-officer2')).status).toBe(401);
    expect((await platform.api.login('ganzhou-mi-officer2', temporary)).body.principal).toMatchObject({ username: 'ganzhou-mi-officer2', passwordChangeRequired: true });
    // Lost before it reached the officer: 重置密码 gives another, and the first stops working.
    await officer.getByTestId('reset-password').click();
    await admin.getByTestId('confirm-reset-password').click();
    await credentials.waitFor();
    const another = (await admin.getByTestId('temporary-password').innerText()).trim();
    expect(another).not.toBe(temporary);
    await admin.getByTestId('credentials-close').click();
    expect((await platform.api.login('ganzhou-mi-officer2', temporary)).status).toBe(401);
    expect((await platform.api.login('ganzhou-mi-officer2', another)).status).toBe(200);
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('shows a bureau’s administrator on 操作日志 what its officers did, narrowed to the accounts, with the detail each service recorded', async () => {
    const admin = await signIn('ganzhou-mi-admin');
    await admin.getByRole('menuitem', { name: '操作日志' }).click();
    const list = admin.getByTestId('audit-list');
    // The account enabled again and the contacts changed in the test before, in words, newest first.
    const enabled = list.locator('tr[data-action="officer.enable"]');
    await enabled.waitFor();
    await expect(enabled.innerText()).resolves.toContain('人员账号 · 恢复启用');
    await expect(enabled.innerText()).resolves.toContain('甘州区医疗保障局管理员');
    await list.locator('tr[data-action="agency.update_contacts"]').getByText('本单位信息 · 修改联系方式').waitFor();
    await expect(list.locator('tr[data-action]').first().getAttribute('data-action')).resolves.toBe('session.create');

    await web.choose(admin, admin.getByTestId('audit-group'), '人员账号');
    await admin.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'detached' });
    await list.locator('tr[data-action="session.create"]').waitFor({ state: 'detached' });
    const actions = await list.locator('tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.length).toBeGreaterThanOrEqual(2);
    expect(actions.every((a) => a!.startsWith('officer.'))).toBe(true);
    await enabled.locator('.ant-table-row-expand-icon').click();
    await expect(list.getByTestId('audit-detail').innerText()).resolves.toContain('"expiresAt"');
    // The account acted on, by name.
    await expect(enabled.innerText()).resolves.toContain('甘州区医疗保障局经办人2');
    await screenshot(admin, 'mi-admin-audit-trail');
    // Each page read is itself on the trail: the two the administrator has just read.
    await admin.getByTestId('audit-group').click();
    await admin.getByTestId('audit-group').locator('input').fill('操作');
    await web.choose(admin, admin.getByTestId('audit-group'), '操作日志');
    await enabled.waitFor({ state: 'detached' });
    const reads = list.locator('tr[data-action="audit_trail.read"]');
    await reads.first().getByText('操作日志 · 查看').waitFor();
    await expect(reads.count()).resolves.toBe(2);

    // Only administrators have the section.
    const officer = await signIn('ganzhou-mi-officer');
    await officer.getByRole('menuitem', { name: '线索' }).waitFor();
    await expect(officer.getByRole('menuitem', { name: '操作日志' }).count()).resolves.toBe(0);
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('lets a bureau’s administrator correct an officer’s name, and their own, which its console and the city’s directory show at once', async () => {
    const admin = await signIn('ganzhou-mi-admin');
    await admin.getByRole('menuitem', { name: '本单位人员' }).click();
    const officer = admin.getByTestId('officer-list').locator('tr[data-username="ganzhou-mi-officer2"]');
    await officer.getByTestId('rename-officer').click();
    const form = admin.getByTestId('rename-form');
    await form.waitFor();
    await web.settled(admin);
    await form.locator('#displayName').fill('   ');
    await admin.getByTestId('rename-submit').click();
    await form.getByText('必填').waitFor();
    await form.locator('#displayName').fill('王晓燕');
    await form.getByText('必填').waitFor({ state: 'detached' });
    await screenshot(admin, 'mi-admin-renames-officer');
    await admin.getByTestId('rename-submit').click();
    await form.waitFor({ state: 'detached' });
    await officer.getByText('王晓燕', { exact: true }).waitFor();

    // The administrator's own directory names the officer anew without signing in again, and so does the city's.
    const officersOf = async (page: typeof admin) => {
      await page.getByRole('menuitem', { name: '联络名录' }).click();
      const row = page.getByTestId('agency-list').locator('tr[data-agency="甘州区医疗保障局"]');
      await row.locator('.ant-table-row-expand-icon').click();
      return page.getByTestId('agency-officers').innerText();
    };
    for (const page of [admin, await signIn('zhangye-mi-officer')]) {
      const names = await officersOf(page);
      expect(names).toContain('王晓燕');
      expect(names).not.toContain('甘州区医疗保障局经办人2');
    }

    // Administrators who correct their own name see it in the header at once, still signed in.
    const header = admin.getByTestId('officer-name');
    await expect(header.innerText()).resolves.toBe('甘州区医疗保障局管理员');
    await admin.getByRole('menuitem', { name: '本单位人员' }).click();
    await admin.getByTestId('officer-list').locator('tr[data-username="ganzhou-mi-admin"]').getByTestId('rename-officer').click();
    await form.waitFor();
    await form.locator('#displayName').fill('李建华');
    await admin.getByTestId('rename-submit').click();
    await form.waitFor({ state: 'detached' });
    await header.getByText('李建华', { exact: true }).waitFor();
    await admin.getByTestId('officer-list').locator('tr[data-username="ganzhou-mi-admin"]').getByText('李建华', { exact: true }).waitFor();
    expect(web.problems).toEqual([]);
  }, 90_000);

  it('offers 下达督办 only where the API takes it, 挂牌督办 for major cases only, shows no 已超期 on a new listed order, and says the procedure’s refusals in Chinese', async () => {
    const { api, as, ids } = platform;
    const file = async (title: string, documentNumber: string, major = false) => {
      const res = await api.call('POST', '/cases', await as('ganzhou-mi-officer'), {
        title,
        partyName: '甘州区某医院（示例）',
        facts: '经大数据筛查发现异常结算。',
        documentNumber,
        officerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
        major,
      });
      expect(res.status).toBe(201);
      return res.body as Json;
    };
    const step = async (user: string, id: string, body: Json) => {
      const res = await api.call('POST', `/cases/${id}/steps`, await as(user), body);
      expect(res.status).toBe(201);
    };
    const ordinary = await file('甘州区某医院分解住院案（督办按钮）', '甘医保立〔2026〕21号');
    const major = await file('甘州区某医院虚构诊疗案（挂牌督办）', '甘医保立〔2026〕22号', true);
    const closed = await file('甘州区某医院超标准收费案（不予处罚）', '甘医保立〔2026〕23号');
    await step('ganzhou-mi-head', closed.id, { action: 'close_without_penalty', documentNumber: '甘医保不罚〔2026〕1号', note: '违法行为轻微并及时改正，没有造成危害后果' });

    const lgo = await signIn('ganzhou-lgo-officer');
    const openCase = async (id: string) => {
      await lgo.goto(`${platform.url}/cases/${id}`);
      await lgo.getByTestId('case-number').waitFor();
      await web.quiet(lgo);
    };
    // A closed case: nothing left to supervise, no button.
    await openCase(closed.id);
    await expect(lgo.getByTestId('issue-supervision').count()).resolves.toBe(0);
    // An ordinary case: 督办 only, no 挂牌督办.
    await openCase(ordinary.id);
    await lgo.getByTestId('issue-supervision').click();
    const form = lgo.getByTestId('issue-supervision-form');
    await form.waitFor();
    await web.settled(lgo);
    await form.getByTestId('supervision-kind').click();
    const options = lgo.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    await expect(options.allInnerTexts()).resolves.toEqual(['督办']);
    await lgo.keyboard.press('Escape');
    // A major case: 挂牌督办 issued through the form; the button then gives way to the order, after a reload too.
    await openCase(major.id);
    await lgo.getByTestId('issue-supervision').click();
    await form.waitFor();
    await web.choose(lgo, form.getByTestId('supervision-kind'), '挂牌督办');
    await form.locator('#documentNumber').fill('甘打骗办督〔2026〕8号');
    await form.locator('#requirements').fill('重大案件挂牌督办，请于期限内办结。');
    await form.locator('#deadline').fill(shanghaiDay(30));
    await form.getByTestId('issue-supervision-submit').click();
    await form.waitFor({ state: 'detached' });
    await lgo.getByTestId('issued-order-link').waitFor();
    await expect(lgo.getByTestId('issue-supervision').count()).resolves.toBe(0);
    await lgo.reload();
    await expect(lgo.getByTestId('open-order-link').innerText()).resolves.toBe('督办中 甘打骗办督〔2026〕8号');
    await expect(lgo.getByTestId('issue-supervision').count()).resolves.toBe(0);
    await screenshot(lgo, 'lgo-case-under-listed-supervision');

    // The bureau's inbox: the listed order comes with high priority, and is not called overdue.
    const mi = await signIn('ganzhou-mi-officer');
    await mi.getByTestId('inbox-button').click();
    const listed = mi.getByTestId('inbox-item').filter({ hasText: '挂牌督办' }).first();
    await listed.waitFor();
    await expect(listed.getByTestId('inbox-overdue').count()).resolves.toBe(0);
    await screenshot(mi, 'mi-inbox-listed-supervision');

    // A decision heavier than the notice is refused, said in Chinese rather than in the service's English.
    await step('ganzhou-mi-officer', ordinary.id, { action: 'notify_penalty', documentNumber: '甘医保告〔2026〕21号', penalty: { violationKind: 'violation', lossFen: 1_000_000, refundFen: 1_000_000, fineFen: 1_000_000, agreement: 'none', creditRecord: false } });
    await step('ganzhou-mi-officer', ordinary.id, { action: 'submit_for_review', note: '当事人放弃陈述申辩' });
    await step('ganzhou-mi-legal-reviewer', ordinary.id, { action: 'pass_review', note: '事实清楚，证据确凿' });
    const head = await signIn('ganzhou-mi-head');
    await head.goto(`${platform.url}/cases/${ordinary.id}`);
    await head.getByTestId('action-decide').click();
    const decide = head.getByTestId('case-step-form-decide');
    await decide.waitFor();
    await web.settled(head);
    await decide.getByTestId('penalty-loss').fill('10000');
    await decide.getByTestId('penalty-refund').fill('10000');
    await decide.getByTestId('penalty-fine').fill('15000');
    await decide.locator('#documentNumber').fill('甘医保罚〔2026〕21号');
    await decide.getByTestId('step-submit').click();
    await expect(decide.getByTestId('form-error').innerText()).resolves.toBe('处罚不得重于已事先告知当事人的处罚（当事人已陈述、申辩或要求听证的，重新告知也不得加重）。');
    await screenshot(head, 'head-decision-heavier-refused');
    const refused = web.problems.findIndex((p) => p.startsWith('ganzhou-mi-head') && p.includes('status of 409'));
    expect(refused).toBeGreaterThanOrEqual(0);
    web.problems.splice(refused, 1);
    expect(web.problems).toEqual([]);
  }, 120_000);

  it('keeps a list’s sort when paging, after a reload too', async () => {
    const mi = await signIn('ganzhou-mi-officer');
    const table = mi.getByTestId('cases-table');
    await mi.goto(`${platform.url}/cases?sort=number&pageSize=2`);
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    // The headers say what the URL says: by number, ascending; not by the default 创建时间.
    await expect(table.locator('th', { hasText: '编号' }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(table.locator('th', { hasText: '创建时间' }).getAttribute('aria-sort')).resolves.toBeNull();
    const firstRow = await table.locator('tbody tr.ant-table-row td:nth-child(1)').first().innerText();
    // Page 2 asks the API for the same sort, and the URL keeps it (it used to become -createdAt).
    // The pager is drawn beside the table, not inside the element that carries its test id.
    await mi.locator('.ant-table-pagination .ant-pagination-item-2').click();
    await mi.waitForURL(/[?&]page=2/);
    expect(new URL(mi.url()).searchParams.get('sort')).toBe('number');
    await table.locator('tbody tr.ant-table-row td:nth-child(1)', { hasText: firstRow }).waitFor({ state: 'detached' });
    await expect(table.locator('th', { hasText: '编号' }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await screenshot(mi, 'mi-cases-sorted-page-2');
    expect(web.problems).toEqual([]);
  }, 60_000);
});
