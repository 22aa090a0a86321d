/** Loading data: one async call per view, and iterator-based pages that never fetch everything. */
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { isUnauthorized } from '../api.ts';
import { AuthContext } from './context.ts';

export type Load<T> =
  | { state: 'loading'; data?: T }
  | { state: 'ok'; data: T }
  | { state: 'error'; error: unknown; data?: T };

/** Runs `fetcher` when `deps` change; an expired token anywhere sends the whole page to "link expired". */
export function useLoad<T>(fetcher: () => Promise<T>, deps: readonly unknown[]): Load<T> & { reload(): void } {
  const { onUnauthorized } = useContext(AuthContext);
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setLoad((prev) => ({ state: 'loading', ...(prev.data === undefined ? {} : { data: prev.data }) }));
    fetcher().then(
      (data) => {
        if (call === latest.current) setLoad({ state: 'ok', data });
      },
      (error: unknown) => {
        if (isUnauthorized(error)) onUnauthorized();
        if (call === latest.current) setLoad({ state: 'error', error });
      },
    );
    // `deps` lists what `fetcher` reads (the caller knows; a fresh closure each render is expected).
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...load, reload };
}

export interface Page<T> {
  data: T[];
  iterator?: string | null;
  done: boolean;
}

/**
 * One page at a time. Svix iterators only go forward reliably, so "previous" replays the iterator that
 * opened the page before (a stack), which works against any Svix-compatible server.
 */
export function usePages<T>(
  fetchPage: (iterator: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): Load<Page<T>> & { reload(): void; next(): void; prev(): void; hasPrev: boolean; pageNumber: number } {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const depsKey = JSON.stringify(deps);
  useEffect(() => setStack([undefined]), [depsKey]);
  const iterator = stack[stack.length - 1];
  const load = useLoad(() => fetchPage(iterator), [depsKey, iterator]);
  const next = (): void => {
    if (load.state === 'ok' && !load.data.done && load.data.iterator != null) {
      const it = load.data.iterator;
      setStack((s) => [...s, it]);
    }
  };
  const prev = (): void => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
  return { ...load, next, prev, hasPrev: stack.length > 1, pageNumber: stack.length };
}

/** Calls `tick` every `ms` while `active`, e.g. to watch for a new attempt without reloading. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return undefined;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms, active]);
}
