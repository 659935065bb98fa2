// Loads data for a page: { data } once it arrived, { error } if it failed, and reload() to fetch
// again (after a change, or on a timer). A newer load wins over an older one still in flight.
// replace() shows what a write answered (the record as it is now) without reading it again: a
// reload could already see what a background job did next.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  /** The data changed by `update`; a load still in flight is dropped (it may have read the state before). */
  replace: (update: (data: T) => T) => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const generation = useRef(0);
  // the caller names what the load depends on (as with useEffect)
  const run = useCallback(load, deps);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await run();
      if (mine === generation.current) setState({ data, error: undefined, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [run]);

  const replace = useCallback((update: (data: T) => T) => {
    generation.current++;
    setState((s) => (s.data === undefined ? s : { data: update(s.data), error: undefined, loading: false }));
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { ...state, reload, replace };
}
