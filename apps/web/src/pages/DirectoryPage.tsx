import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { AgencyView, LeadingGroupView } from '../api/types';
import { ErrorNote } from '../components/Loading';
import { SearchBox } from '../components/SearchBox';
import { useI18n } from '../i18n';
import { useNames } from '../session';
import { useApi } from '../useApi';

const POSITIONS = ['leader', 'deputy_leader', 'member'] as const;
/** Agencies of one region in the order of the campaign notices: medical insurance first, the office last. */
const KIND_ORDER = ['MEDICAL_INSURANCE', 'POLICE', 'PROCURATORATE', 'COURT', 'FINANCE', 'HEALTH', 'MARKET', 'DISCIPLINE', 'LEADING_GROUP_OFFICE'];

/**
 * 联络名录: whom to work with in the caller's jurisdiction and above it (the city's and the province's agencies). The leading groups (领导小组, seed 002
 * Annex 5) with their office and member agencies (`GET /leading-groups`), and the agencies
 * (`GET /agencies`, the directory the console loads at sign-in) with their kind, region, contact
 * phone and address (each agency's administrator keeps them, on 本单位人员) and the names of their
 * officers (`GET /officers/names`: names only, no accounts).
 */
export default function DirectoryPage() {
  const { t, c } = useI18n();
  const { directory, region, agency } = useNames();
  const groups = useApi<LeadingGroupView[]>('/leading-groups');
  const [query, setQuery] = useState('');
  const officersOf = useMemo(() => {
    const by = new Map<string, string[]>();
    for (const o of directory.officerNames.values()) by.set(o.agencyId, [...(by.get(o.agencyId) ?? []), o.displayName]);
    return by;
  }, [directory]);
  const q = query.trim();
  const agencies = [...directory.agencies.values()]
    .filter((a) => !q || a.name.includes(q) || region(a.regionCode).includes(q))
    .sort((a, b) => a.regionCode.localeCompare(b.regionCode) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name, 'zh'));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {groups.error ? <ErrorNote error={groups.error} /> : null}
      {(groups.data ?? []).map((g) => (
        <Card key={g.id} size="small" title={g.name} extra={<Typography.Text type="secondary">{region(g.regionCode)}</Typography.Text>} data-testid="leading-group" data-region={g.regionCode}>
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('groupOffice')}>{agency(g.officeAgencyId)}</Descriptions.Item>
            {POSITIONS.map((position) => {
              const members = g.members.filter((m) => m.position === position);
              return members.length ? (
                <Descriptions.Item key={position} label={c(`position:${position}`)}>
                  <Space size={[16, 4]} wrap>
                    {members.map((m) => (
                      <span key={`${m.agencyId}-${m.title}`} data-testid="group-member">
                        {m.agencyName}
                        <Typography.Text type="secondary">（{m.title}）</Typography.Text>
                      </span>
                    ))}
                  </Space>
                </Descriptions.Item>
              ) : null;
            })}
          </Descriptions>
        </Card>
      ))}
      <Card
        title={t('directory')}
        extra={<SearchBox placeholder={t('directorySearch')} onSearch={setQuery} testId="directory-search" />}
      >
        <Table<AgencyView>
          rowKey="id"
          size="small"
          dataSource={agencies}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="agency-list"
          onRow={(a) => ({ 'data-agency': a.name }) as React.HTMLAttributes<HTMLElement>}
          expandable={{
            expandedRowRender: (a) => (
              <Space orientation="vertical" size={4}>
                {a.contactAddress && (
                  <Typography.Text data-testid="agency-address">
                    {t('contactAddress')}：{a.contactAddress}
                  </Typography.Text>
                )}
                <Typography.Text data-testid="agency-officers">{(officersOf.get(a.id) ?? []).join('、') || t('noOfficers')}</Typography.Text>
              </Space>
            ),
          }}
          columns={[
            { title: t('agencyName'), dataIndex: 'name' },
            { title: t('agencyKind'), key: 'kind', render: (_, a) => <Tag>{c(a.kind)}</Tag>, filters: [...new Set(agencies.map((a) => a.kind))].map((k) => ({ value: k, text: c(k) })), onFilter: (v, a) => a.kind === v },
            { title: t('region'), key: 'region', render: (_, a) => region(a.regionCode) },
            { title: t('contactPhone'), key: 'phone', render: (_, a) => a.contactPhone ?? '—' },
            { title: t('officerCount'), key: 'officers', render: (_, a) => officersOf.get(a.id)?.length ?? 0 },
          ]}
        />
      </Card>
    </Space>
  );
}
