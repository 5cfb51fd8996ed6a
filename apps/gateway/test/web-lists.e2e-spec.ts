import { TestIsolation } from '@lianban/testing';
import { Json } from './api';
import { DemoPlatform, startDemoPlatform } from './platform';

/**
 * The lists the web console pages through: `?page=&pageSize=&sort=&q=` on /clues and /transfers
 * answer one page and the total, sorted and searched by the server, within what the caller may
 * read; without `page` or `pageSize` they answer the plain array as before.
 */
describe('paged, sorted and searched lists of clues and transfers', () => {
  const iso = new TestIsolation();
  let platform: DemoPlatform;
  const get = async (user: string, path: string) => platform.api.call('GET', path, await platform.as(user));
  const titles = ['甲医院虚构诊疗项目案', '乙药店串换药品案', '丙医院分解住院案'];
  const transferIds: string[] = [];
  const clueIds: string[] = [];

  beforeAll(async () => {
    platform = await startDemoPlatform(iso);
    const { api, ids, as } = platform;
    for (const title of titles) {
      const t = await api.call('POST', '/transfers', await as('ganzhou-mi-officer'), {
        route: 'mi_to_police',
        receiverAgencyId: ids['张掖市公安局甘州分局'],
        title,
        summary: '经调查，涉嫌骗取医保基金，依法移送公安机关。',
        teamOfficerIds: [ids['ganzhou-mi-officer'], ids['ganzhou-mi-officer2']],
      });
      expect(t).toMatchObject({ status: 201 });
      transferIds.push(t.body.id);
    }
    // The second one is submitted and approved, then sent: police see that one only.
    await api.call('POST', `/transfers/${transferIds[1]}/steps`, await as('ganzhou-mi-officer'), { action: 'submit' });
    await api.call('POST', `/transfers/${transferIds[1]}/steps`, await as('ganzhou-mi-head'), { action: 'approve' });
    await api.call('POST', `/transfers/${transferIds[1]}/steps`, await as('ganzhou-mi-officer'), { action: 'send', documentNumber: '甘医保移〔2026〕21号' });
    for (const [name, amountFen, source] of [['张掖甲医院', 500, 'big_data'], ['张掖乙药店', 90_000, 'tip_off_web'], ['张掖丙医院', 7_000, 'inspection']] as const) {
      const c = await api.call('POST', '/clues', await as('ganzhou-mi-officer'), {
        source,
        subject: { kind: 'insured_person', name },
        categories: ['H03'],
        periodFrom: '2025-01-01',
        periodTo: '2025-06-30',
        amountFen,
        description: '大数据筛查发现异常结算。',
      });
      expect(c).toMatchObject({ status: 201 });
      clueIds.push(c.body.id);
    }
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    await iso.cleanup();
  });

  it('answers one page with the total, newest first by default', async () => {
    const first = await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((t: Json) => t.id)).toEqual([transferIds[2], transferIds[1]]);
    const second = await get('ganzhou-mi-officer', '/transfers?page=2&pageSize=2');
    expect(second.body.items.map((t: Json) => t.id)).toEqual([transferIds[0]]);
    expect(second.body.total).toBe(3);
    // Each item carries what the caller may do and the next clock due (the time left).
    const sent = first.body.items[1];
    expect(sent).toMatchObject({ state: 'sent', allowedActions: [], nextClock: { step: 'receipt', dueAt: expect.any(String) } });
    expect(first.body.items[0]).toMatchObject({ state: 'drafted', allowedActions: ['submit'], nextClock: null });
  });

  it('sorts by an allowed key either way, and searches number and title', async () => {
    const byTitle = await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=10&sort=title');
    expect(byTitle.body.items.map((t: Json) => t.title)).toEqual([...titles].sort());
    const byTitleDesc = await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=10&sort=-title');
    expect(byTitleDesc.body.items.map((t: Json) => t.title)).toEqual([...titles].sort().reverse());
    const search = await get('ganzhou-mi-officer', `/transfers?page=1&pageSize=10&q=${encodeURIComponent('药店')}`);
    expect(search.body).toMatchObject({ total: 1, items: [{ id: transferIds[1] }] });
    const byNumber = await get('ganzhou-mi-officer', `/transfers?page=1&pageSize=10&q=${encodeURIComponent(search.body.items[0].number)}`);
    expect(byNumber.body.items.map((t: Json) => t.id)).toEqual([transferIds[1]]);
    // Wildcards in the search are literal.
    expect((await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=10&q=%25')).body.total).toBe(0);
  });

  it('filters by several states at once', async () => {
    const res = await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=10&state=sent,awaiting_approval');
    expect(res.body).toMatchObject({ total: 1, items: [{ id: transferIds[1], state: 'sent' }] });
    // The old single-state filter without paging still answers the plain array.
    const plain = await get('ganzhou-mi-officer', '/transfers?state=drafted');
    expect(Array.isArray(plain.body)).toBe(true);
    expect(plain.body.map((t: Json) => t.id).sort()).toEqual([transferIds[0], transferIds[2]].sort());
  });

  it('counts and pages only what the caller may read', async () => {
    const police = await get('ganzhou-police-officer', '/transfers?page=1&pageSize=10&state=sent,received');
    expect(police.body).toMatchObject({ total: 1, items: [{ id: transferIds[1], allowedActions: ['receipt'] }] });
    // Another district's police see none of them, and the total says so.
    expect((await get('linze-police-officer', '/transfers?page=1&pageSize=10')).body).toEqual({ items: [], total: 0, page: 1, pageSize: 10 });
    expect((await get('linze-mi-officer', '/clues?page=1&pageSize=10')).body).toMatchObject({ total: 0, items: [] });
    // Finance reads no clues at all.
    expect((await get('ganzhou-finance-officer', '/clues?page=1&pageSize=10')).body).toMatchObject({ total: 0, items: [] });
  });

  it('pages, sorts, searches and filters clues', async () => {
    const byAmount = await get('ganzhou-mi-officer', '/clues?page=1&pageSize=2&sort=-amountFen');
    expect(byAmount.body.total).toBe(3);
    expect(byAmount.body.items.map((c: Json) => c.amountFen)).toEqual([90_000, 7_000]);
    const search = await get('ganzhou-mi-officer', `/clues?page=1&pageSize=10&q=${encodeURIComponent('乙药店')}`);
    expect(search.body).toMatchObject({ total: 1, items: [{ id: clueIds[1] }] });
    const sources = await get('ganzhou-mi-officer', '/clues?page=1&pageSize=10&source=big_data,inspection&sort=createdAt');
    expect(sources.body.items.map((c: Json) => c.id)).toEqual([clueIds[0], clueIds[2]]);
    // The city's leading-group office reads the district's clues.
    expect((await get('zhangye-lgo-officer', '/clues?page=1&pageSize=10&status=received')).body.total).toBe(3);
    // Without paging: the plain array, as before.
    expect(Array.isArray((await get('ganzhou-mi-officer', '/clues')).body)).toBe(true);
  });

  it('refuses a sort key, a page size or a state it does not know with the field named', async () => {
    const badSort = await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=10&sort=summary');
    expect(badSort.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'sort' }] });
    const injected = await get('ganzhou-mi-officer', `/clues?page=1&sort=${encodeURIComponent('created_at; drop table clue')}`);
    expect(injected.body).toMatchObject({ status: 400, errors: [{ field: 'sort' }] });
    expect((await get('ganzhou-mi-officer', '/transfers?page=1&pageSize=1000')).body).toMatchObject({ status: 400, errors: [{ field: 'pageSize' }] });
    expect((await get('ganzhou-mi-officer', '/transfers?page=0')).body).toMatchObject({ status: 400, errors: [{ field: 'page' }] });
    expect((await get('ganzhou-mi-officer', '/transfers?state=sent,bogus')).body).toMatchObject({ status: 400, errors: [{ field: 'state' }] });
    expect((await get('ganzhou-mi-officer', '/clues?status=lost')).body).toMatchObject({ status: 400, errors: [{ field: 'status' }] });
  });
});
