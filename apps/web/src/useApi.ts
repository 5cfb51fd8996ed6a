import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api/client';

/**
 * GETs a path and keeps the answer, its error and a reload; `null` as the path waits. A view set
 * by the page itself (e.g. the answer to a step just taken) is not overwritten by an older GET
 * that was already under way when it came (a reload triggered by a live notification).
 */
export function useApi<T>(path: string | null): { data: T | undefined; error: unknown; loading: boolean; reload: () => void; setData: (d: T) => void } {
  const [data, setDataState] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const version = useRef(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    const started = ++version.current;
    setLoading(true);
    api
      .get<T>(path)
      .then((d) => {
        if (live && version.current === started) {
          setDataState(d);
          setError(undefined);
        }
      })
      .catch((e) => live && version.current === started && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const setData = useCallback((d: T) => {
    version.current++;
    setDataState(d);
  }, []);
  return { data, error, loading, reload, setData };
}
