import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TestIsolation } from '@lianban/testing';
import { apiClient, Json } from './api';
import { Cell, Column, COLUMNS, MATRIX, renderMatrix } from './permission-matrix';
import { DemoPlatform, startDemoPlatform } from './platform';

/** Every cell of docs/permissions.md, allowed and refused, through the running services. */
describe('the permission matrix', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  let agencies: DataSource;
  let api: ReturnType<typeof apiClient>;
  const fixture: { transfer: string; unsent: string; clue: string; otherDistrictAgency: string; police: string } = { transfer: '', unsent: '', clue: '', otherDistrictAgency: '', police: '' };

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    ({ api, agencies } = platform);
    const id = async (sql: string, p: string) => (await agencies.query(sql, [p]))[0].id as string;
    fixture.police = await id(`SELECT id FROM agency WHERE name = $1`, '张掖市公安局甘州分局');
    fixture.otherDistrictAgency = await id(`SELECT id FROM agency WHERE name = $1`, '临泽县人民法院');
    const officer = await api.tokenOf('ganzhou-mi-officer');
    const clue = await api.call('POST', '/clues', officer, {
      source: 'tip_off_web', subject: { kind: 'institution', name: '甘州区仁和骨科医院（示例民营）', institutionCode: 'H62070200005' }, categories: ['H03'],
      periodFrom: '2025-01-01', periodTo: '2025-12-31', description: '网络举报虚构医疗服务项目。', reporter: { name: '实名举报人', phone: '13700000000' },
    });
    fixture.clue = clue.body.id;
    const team = [await id(`SELECT id FROM account WHERE username = $1`, 'ganzhou-mi-officer'), await id(`SELECT id FROM account WHERE username = $1`, 'ganzhou-mi-officer2')];
    const t = await api.call('POST', '/transfers', officer, { route: 'mi_to_police', receiverAgencyId: fixture.police, clueId: fixture.clue, title: '矩阵测试移送', summary: '用于检查每个机关能看到和能做什么。', teamOfficerIds: team });
    fixture.transfer = t.body.id;
    await api.call('POST', `/transfers/${t.body.id}/steps`, officer, { action: 'submit' });
    await api.call('POST', `/transfers/${t.body.id}/steps`, await api.tokenOf('ganzhou-mi-head'), { action: 'approve' });
    expect((await api.call('POST', `/transfers/${t.body.id}/steps`, officer, { action: 'send', documentNumber: '甘医保移〔2026〕99号' })).body.state).toBe('sent');
    const d = await api.call('POST', '/transfers', officer, { route: 'mi_to_police', receiverAgencyId: fixture.police, title: '矩阵测试待批移送', summary: '尚未移送：只有移送机关能看到。', teamOfficerIds: team });
    fixture.unsent = d.body.id;
    expect((await api.call('POST', `/transfers/${d.body.id}/steps`, officer, { action: 'submit' })).body.state).toBe('awaiting_approval');
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('is printed in docs/permissions.md exactly as tested', () => {
    expect(readFileSync(join(__dirname, '../../../docs/permissions.md'), 'utf8')).toContain(renderMatrix());
  });

  /** What the caller gets for one cell: a status, or whether a list has rows. */
  async function probe(user: string, column: Column, token: string): Promise<Cell> {
    switch (column) {
      case 'readTransfer':
        return (await api.call('GET', `/transfers/${fixture.transfer}`, token)).status;
      case 'readUnsentTransfer':
        return (await api.call('GET', `/transfers/${fixture.unsent}`, token)).status;
      case 'receiptTransfer': {
        // Allowed: offered as the next step (taking it would change the fixture). Refused: really tried.
        const seen = await api.call('GET', `/transfers/${fixture.transfer}`, token);
        if (seen.status === 200 && seen.body.allowedActions.includes('receipt')) return 200;
        return (await api.call('POST', `/transfers/${fixture.transfer}/steps`, token, { action: 'receipt' })).status;
      }
      case 'readClue':
        return (await api.call('GET', `/clues/${fixture.clue}`, token)).status;
      case 'revealReporter':
        return (await api.call('POST', `/clues/${fixture.clue}/reporter`, token)).status;
      case 'createClue':
        return (await api.call('POST', '/clues', token, { source: 'big_data', subject: { kind: 'gang', name: `矩阵测试团伙-${user}` }, categories: ['G02'], periodFrom: '2025-01-01', periodTo: '2025-02-01', description: '大数据筛查发现异常聚集就医。' })).status;
      case 'draftToPolice': {
        const [me] = await agencies.query(`SELECT id, agency_id FROM account WHERE username = $1`, [user]);
        const [mate] = await agencies.query(`SELECT id FROM account WHERE agency_id = $1 AND id <> $2 AND 'officer' = ANY(roles) LIMIT 1`, [me.agency_id, me.id]);
        const team = me.agency_id && mate ? [me.id, mate.id] : undefined;
        return (await api.call('POST', '/transfers', token, { route: 'mi_to_police', receiverAgencyId: fixture.police, title: '矩阵测试起草', summary: '检查谁可以起草移送公安。', teamOfficerIds: team })).status;
      }
      case 'institutions': {
        const res = await api.call('GET', '/institutions', token);
        expect(res.status).toBe(200);
        return (res.body as Json[]).length ? 'rows' : 'none';
      }
      case 'readOtherDistrictAgency':
        return (await api.call('GET', `/agencies/${fixture.otherDistrictAgency}`, token)).status;
    }
  }

  it.each(MATRIX.map((r) => [r.who, r]))('%s', async (_who, row) => {
    const token = await api.tokenOf(row.user);
    const got: Record<string, Cell> = {};
    for (const column of Object.keys(COLUMNS) as Column[]) got[column] = await probe(row.user, column, token);
    expect(got).toEqual(row.cells);
  });
});
