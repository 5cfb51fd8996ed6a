import type { TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Page } from './api/types';
import { useI18n } from './i18n';
import { useLive } from './inbox/live';
import { useApi } from './useApi';

/**
 * A list paged, sorted and filtered by the server, its state kept in the page's URL (so a list
 * can be bookmarked or reloaded) and reloaded when a live notification arrives. `filters` are the
 * URL parameters passed on to the API as they are; changing any of them goes back to page 1.
 * `defaultSort` null: a list the API keeps in its own order, no `sort` sent.
 */
export function usePagedList<T>(path: string, filters: string[], defaultSort: string | null = '-createdAt') {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  // The filters' names, not the array's identity (a new literal on every render), decide the query.
  const filterKeys = [...filters, 'q'].join(',');
  const query = useMemo(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    const sort = params.get('sort') ?? defaultSort;
    if (sort) q.set('sort', sort);
    for (const k of filterKeys.split(',')) if (params.get(k)) q.set(k, params.get(k)!);
    return q.toString();
  }, [params, page, pageSize, defaultSort, filterKeys]);
  const { data, error, loading, reload } = useApi<Page<T>>(`${path}?${query}`);
  useLive(useCallback(() => reload(), [reload]));

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  /** The table's onChange: page, page size and the sort key (`-` first for descending). */
  const onTableChange = (p: TablePaginationConfig, _filters: unknown, sorter: SorterResult<T> | SorterResult<T>[]) => {
    const s = sorter as SorterResult<T>;
    set({ page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20), sort: s.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : undefined });
  };

  /** A column's sort order as the URL (or the default sort) says it, for a table whose headers show it. */
  const sortOrder = (key: string): 'ascend' | 'descend' | null => {
    const sort = params.get('sort') ?? defaultSort;
    return sort === key ? 'ascend' : sort === `-${key}` ? 'descend' : null;
  };

  /** The table's pagination: this page of the server's total, the size changeable, the total said. */
  const pagination: TablePaginationConfig = { current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => `${t('total')} ${n}` };

  return { params, page, pageSize, data, error, loading, reload, set, onTableChange, pagination, sortOrder };
}
