import { DEFAULT_LIMIT, paginate, planPage, toListOut, type ListParams } from '../../functions/core/pagination.ts';
import type { PageQuery, Slice } from '../../functions/core/ports.ts';

/** A reference store over sorted keys, implementing PageQuery exactly as ports.ts documents it. */
function memoryStore(keys: string[]) {
  const sorted = [...keys].sort();
  return async (q: PageQuery): Promise<Slice<string>> => {
    let items = sorted.filter((k) => (q.lower === undefined || k >= q.lower) && (q.upper === undefined || k <= q.upper));
    if (q.order === 'descending') items = items.reverse();
    if (q.from !== undefined) items = items.filter((k) => (q.order === 'ascending' ? k > q.from! : k < q.from!));
    return { items: items.slice(0, q.limit), more: items.length > q.limit };
  };
}

const id = (k: string): string => k;
const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);

describe('planPage', () => {
  it('reads forward from the iterator', () => {
    expect(planPage({ limit: 2, order: 'ascending', iterator: 'k1' })).toEqual({
      query: { limit: 2, order: 'ascending', from: 'k1' },
      backwards: false,
    });
  });

  it('reads in the opposite order for a "-" iterator', () => {
    expect(planPage({ limit: 2, order: 'descending', iterator: '-k4', lower: 'a', upper: 'z' })).toEqual({
      query: { limit: 2, order: 'ascending', from: 'k4', lower: 'a', upper: 'z' },
      backwards: true,
    });
  });

  it('starts at the beginning without an iterator', () => {
    expect(planPage({ limit: DEFAULT_LIMIT, order: 'ascending' }).query).toEqual({ limit: 50, order: 'ascending' });
  });
});

describe('toListOut', () => {
  it('sets iterator to the last key even when done, prevIterator to "-" + first', () => {
    const out = toListOut({ items: ['a', 'b'], more: false }, planPage({ limit: 2, order: 'ascending' }), id);
    expect(out).toEqual({ data: ['a', 'b'], iterator: 'b', prevIterator: '-a', done: true });
  });

  it('gives null cursors on an empty page', () => {
    const out = toListOut({ items: [], more: false }, planPage({ limit: 2, order: 'ascending' }), id);
    expect(out).toEqual({ data: [], iterator: null, prevIterator: null, done: true });
  });

  it('reverses a backwards slice into the requested order', () => {
    const plan = planPage({ limit: 2, order: 'ascending', iterator: '-c' });
    const out = toListOut({ items: ['b', 'a'], more: false }, plan, id);
    expect(out.data).toEqual(['a', 'b']);
    expect(out.iterator).toBe('b');
    expect(out.prevIterator).toBe('-a');
  });
});

describe('paginate', () => {
  const walk = async (params: Omit<ListParams, 'iterator'>) => {
    const fetch = memoryStore(keys);
    const seen: string[] = [];
    let iterator: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await paginate({ ...params, iterator }, fetch, id);
      seen.push(...page.data);
      if (page.done) return { seen, last: page };
      iterator = page.iterator ?? undefined;
    }
    throw new Error('did not finish');
  };

  it.each(['ascending', 'descending'] as const)('visits every key once, in %s order', async (order) => {
    const { seen, last } = await walk({ limit: 3, order });
    expect(seen).toEqual(order === 'ascending' ? keys : [...keys].reverse());
    expect(last.iterator).toBe(seen.at(-1));
  });

  it('pages back with prevIterator to the previous page', async () => {
    const fetch = memoryStore(keys);
    const first = await paginate({ limit: 3, order: 'descending' }, fetch, id);
    const second = await paginate({ limit: 3, order: 'descending', iterator: first.iterator! }, fetch, id);
    expect(second.data).toEqual(['k3', 'k2', 'k1']);
    const back = await paginate({ limit: 3, order: 'descending', iterator: second.prevIterator! }, fetch, id);
    expect(back.data).toEqual(first.data);
    expect(back.done).toBe(true);
  });

  it('applies inclusive bounds', async () => {
    const page = await paginate({ limit: 10, order: 'ascending', lower: 'k2', upper: 'k4' }, memoryStore(keys), id);
    expect(page).toEqual({ data: ['k2', 'k3', 'k4'], iterator: 'k4', prevIterator: '-k2', done: true });
  });

  it('reports done only when no row follows', async () => {
    const fetch = memoryStore(keys);
    expect((await paginate({ limit: 7, order: 'ascending' }, fetch, id)).done).toBe(true);
    expect((await paginate({ limit: 6, order: 'ascending' }, fetch, id)).done).toBe(false);
  });
});
