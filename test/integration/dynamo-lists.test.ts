/** The DynamoDB stores' keyset pages, bounds and filters against a real DynamoDB Local. */
import { AttemptStatus, type Message } from '../../functions/core/model.ts';
import type { PageQuery, Slice } from '../../functions/core/ports.ts';
import { newId } from '../../functions/core/ids.ts';
import { queryPage } from '../../functions/adapters/dynamo/paging.ts';
import { messageFilter } from '../../functions/adapters/dynamo/filter.ts';
import { partition } from '../../functions/adapters/dynamo/keys.ts';
import { onTable } from '../../functions/adapters/dynamo/table.ts';
import type { Item } from '../../functions/adapters/dynamo/codec.ts';
import { aMessage, anApp, anAttempt, anEventType, sorted, startDynamoStores, type DynamoHarness } from './dynamo-fixtures.ts';

let h: DynamoHarness;
beforeAll(async () => {
  h = await startDynamoStores();
});
afterAll(async () => {
  await h.stop();
});

const ids = (slice: Slice<{ id: string }>): string[] => slice.items.map((i) => i.id);
const base = Date.parse('2026-01-01T00:00:00Z');

/** Walks every page the way the API does (cursor = last item) and returns the ids seen. */
async function walk(list: (q: PageQuery) => Promise<Slice<{ id: string }>>, query: PageQuery): Promise<string[]> {
  const seen: string[] = [];
  let from = query.from;
  for (;;) {
    const page = await list({ ...query, from });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    seen.push(...ids(page));
    if (!page.more) return seen;
    from = page.items.at(-1)!.id;
  }
}

describe('applications pages', () => {
  const created: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      const app = anApp({ id: newId('application', new Date(base + i * 1000)) });
      await h.stores.applications.create(app);
      created.push(app.id);
    }
  });

  test('both orders, limit+1 detection, exclusive cursor', async () => {
    const asc = sorted(created);
    const page = await h.stores.applications.list({ limit: 3, order: 'ascending' });
    expect(ids(page)).toEqual(asc.slice(0, 3));
    expect(page.more).toBe(true);
    const next = await h.stores.applications.list({ limit: 3, order: 'ascending', from: asc[2] });
    expect(ids(next)).toEqual(asc.slice(3, 6));
    const exact = await h.stores.applications.list({ limit: 7, order: 'ascending' });
    expect(exact.items).toHaveLength(7);
    expect(exact.more).toBe(false);

    const desc = await h.stores.applications.list({ limit: 2, order: 'descending', from: asc[4] });
    expect(ids(desc)).toEqual([asc[3], asc[2]]);
    expect(desc.more).toBe(true);
    expect(await walk((q) => h.stores.applications.list(q), { limit: 2, order: 'descending' })).toEqual(
      [...asc].reverse(),
    );
    expect(await walk((q) => h.stores.applications.list(q), { limit: 3, order: 'ascending' })).toEqual(asc);
  });

  test('inclusive bounds combine with the cursor; empty ranges are empty', async () => {
    const asc = sorted(created);
    const bounded = { lower: asc[1], upper: asc[5] };
    expect(ids(await h.stores.applications.list({ limit: 10, order: 'ascending', ...bounded }))).toEqual(asc.slice(1, 6));
    expect(ids(await h.stores.applications.list({ limit: 10, order: 'descending', ...bounded }))).toEqual(
      asc.slice(1, 6).reverse(),
    );
    const cursorInside = await h.stores.applications.list({ limit: 10, order: 'ascending', from: asc[2], ...bounded });
    expect(ids(cursorInside)).toEqual(asc.slice(3, 6));
    const descCursor = await h.stores.applications.list({ limit: 10, order: 'descending', from: asc[3], ...bounded });
    expect(ids(descCursor)).toEqual([asc[2], asc[1]]);
    // A cursor that is not an existing id still works as an exclusive bound.
    const between = `${asc[2]}0`;
    expect(ids(await h.stores.applications.list({ limit: 1, order: 'ascending', from: between }))).toEqual([asc[3]]);
    expect(await h.stores.applications.list({ limit: 5, order: 'ascending', from: asc[5], upper: asc[5] })).toEqual({
      items: [],
      more: false,
    });
    expect(await h.stores.applications.list({ limit: 5, order: 'ascending', lower: asc[4], upper: asc[1] })).toEqual({
      items: [],
      more: false,
    });
  });
});

describe('event type pages', () => {
  test('archived ones are skipped and the page is still filled', async () => {
    // Archived names sort first: the matches come after 30 filtered-out items.
    for (let i = 0; i < 30; i++) await h.stores.eventTypes.create(anEventType(`a.${String(i).padStart(2, '0')}`, { archived: true }));
    for (const name of ['b.1', 'b.2', 'b.3', 'b.4']) await h.stores.eventTypes.create(anEventType(name));
    const page = await h.stores.eventTypes.list({ limit: 3, order: 'ascending', includeArchived: false });
    expect(page.items.map((e) => e.name)).toEqual(['b.1', 'b.2', 'b.3']);
    expect(page.more).toBe(true);
    const rest = await h.stores.eventTypes.list({ limit: 3, order: 'ascending', includeArchived: false, from: 'b.3' });
    expect(rest).toMatchObject({ items: [{ name: 'b.4' }], more: false });
    const all = await h.stores.eventTypes.list({ limit: 100, order: 'descending', includeArchived: true });
    expect(all.items).toHaveLength(34);
    expect(all.items[0]?.name).toBe('b.4');
  });
});

describe('message lists', () => {
  const appId = newId('application');
  const messages: Message[] = [];
  beforeAll(async () => {
    const specs: Partial<Message>[] = [
      { eventType: 'a', channels: ['c1'], tags: ['t1'] },
      { eventType: 'b', channels: ['c1', 'c2'] },
      { eventType: 'a' },
      { eventType: 'c', channels: ['c2'], tags: ['t1', 't2'] },
      { eventType: 'a', channels: ['c1'] },
    ];
    for (const [i, spec] of specs.entries()) {
      const msg = aMessage(appId, { id: newId('message', new Date(base + i * 1000)), ...spec });
      await h.stores.messages.create(msg);
      messages.push(msg);
    }
  });
  const newestFirst = (pick: (m: Message) => boolean) =>
    messages.filter(pick).map((m) => m.id).reverse();

  test('channel, tag and eventTypes filters, alone and together', async () => {
    const list = (filter: object, limit = 10) => h.stores.messages.list(appId, { limit, order: 'descending' }, filter);
    expect(ids(await list({}))).toEqual(newestFirst(() => true));
    expect(ids(await list({ channel: 'c1' }))).toEqual(newestFirst((m) => m.channels?.includes('c1') ?? false));
    expect(ids(await list({ tag: 't1' }))).toEqual(newestFirst((m) => m.tags?.includes('t1') ?? false));
    expect(ids(await list({ eventTypes: ['b', 'c'] }))).toEqual(newestFirst((m) => ['b', 'c'].includes(m.eventType)));
    expect(ids(await list({ eventTypes: ['a'], channel: 'c1' }))).toEqual([messages[4]!.id, messages[0]!.id]);
    const firstOfTwo = await list({ eventTypes: ['a'] }, 2);
    expect(firstOfTwo).toEqual({ items: [messages[4], messages[2]], more: true });
    expect(await list({ channel: 'none' })).toEqual({ items: [], more: false });
  });

  test('a sparse filter reads on across query pages, and stops at the page bound reporting more', async () => {
    const sparseApp = newId('application');
    const start = base + 10_000_000;
    const writes = Array.from({ length: 25 }, (_, i) =>
      aMessage(sparseApp, { id: newId('message', new Date(start + i * 1000)), eventType: i % 12 === 0 ? 'rare' : 'common' }),
    );
    await Promise.all(writes.map((m) => h.stores.messages.create(m)));
    const target = onTable({ client: h.client, name: h.tableName }, partition.messages(sparseApp));
    const filter = messageFilter({ eventTypes: ['rare'] });
    const query: PageQuery = { limit: 3, order: 'descending' };
    const sk = (page: { items: Item[] }) => page.items.map((item) => item['sk']?.S);
    // limit 3 → query pages of 5 items; the matches at 24, 12 and 0 lie in different ones.
    const all = await queryPage(target, query, filter, { maxPages: 10, filteredPageSize: 5 });
    expect(sk(all)).toEqual([writes[24]!.id, writes[12]!.id, writes[0]!.id]);
    expect(all.more).toBe(false);
    const bounded = await queryPage(target, query, filter, { maxPages: 2, filteredPageSize: 5 });
    expect(bounded).toMatchObject({ more: true });
    expect(sk(bounded)).toEqual([writes[24]!.id]);
    const resumed = await queryPage(target, { ...query, from: writes[15]!.id }, filter, { maxPages: 2, filteredPageSize: 5 });
    expect(sk(resumed)).toEqual([writes[12]!.id]);
    expect(resumed.more).toBe(true);
    // The store's own defaults read the whole (small) partition.
    expect(await h.stores.messages.list(sparseApp, query, { eventTypes: ['rare'] })).toEqual({
      items: [writes[24], writes[12], writes[0]],
      more: false,
    });
  });
});

describe('attempts and statuses', () => {
  test('by endpoint, by message, filters, statuses window', async () => {
    const appId = newId('application');
    const [ep1, ep2] = [newId('endpoint'), newId('endpoint')];
    const m1 = aMessage(appId, { id: newId('message', new Date(base)), eventType: 'a', channels: ['c1'] });
    const m2 = aMessage(appId, { id: newId('message', new Date(base + 1000)), eventType: 'b', tags: ['t'] });
    const at = (n: number) => newId('attempt', new Date(base + n * 1000));
    const attempts = [
      anAttempt(m1, ep1, { id: at(1), responseStatusCode: 500, status: AttemptStatus.Fail }),
      anAttempt(m1, ep1, { id: at(2), responseStatusCode: 200 }),
      anAttempt(m1, ep2, { id: at(3), responseStatusCode: 0, status: AttemptStatus.Fail }),
      anAttempt(m2, ep1, { id: at(4), responseStatusCode: 404, status: AttemptStatus.Fail }),
    ];
    for (const a of attempts) {
      await h.stores.attempts.record(a, {
        appId,
        msgId: a.msgId,
        endpointId: a.endpointId,
        status: a.status,
        attempts: 1,
        lastAttemptAt: a.timestamp,
        nextAttemptAt: a.status === AttemptStatus.Fail ? '2030-01-01T00:00:00.000Z' : null,
      });
    }
    const desc: PageQuery = { limit: 10, order: 'descending' };
    const byEp1 = await h.stores.attempts.listByEndpoint(appId, ep1, desc, {});
    expect(byEp1.items).toEqual([attempts[3], attempts[1], attempts[0]]);
    expect(ids(await h.stores.attempts.listByEndpoint(appId, ep1, { limit: 1, order: 'ascending' }, {}))).toEqual([attempts[0]!.id]);
    expect(ids(await h.stores.attempts.listByEndpoint(appId, ep1, desc, { status: AttemptStatus.Fail }))).toEqual([attempts[3]!.id, attempts[0]!.id]);
    expect(ids(await h.stores.attempts.listByEndpoint(appId, ep1, desc, { statusCodeClass: 4 }))).toEqual([attempts[3]!.id]);
    expect(ids(await h.stores.attempts.listByEndpoint(appId, ep1, desc, { tag: 't' }))).toEqual([attempts[3]!.id]);
    expect(ids(await h.stores.attempts.listByEndpoint(appId, ep1, desc, { channel: 'c1', eventTypes: ['a'] }))).toEqual([attempts[1]!.id, attempts[0]!.id]);

    const byM1 = await h.stores.attempts.listByMessage(appId, m1.id, desc, {});
    expect(byM1.items).toEqual([attempts[2], attempts[1], attempts[0]]);
    expect(ids(await h.stores.attempts.listByMessage(appId, m1.id, desc, { endpointId: ep2 }))).toEqual([attempts[2]!.id]);
    expect(ids(await h.stores.attempts.listByMessage(appId, m1.id, desc, { statusCodeClass: 0 }))).toEqual([attempts[2]!.id]);
    const paged = await h.stores.attempts.listByMessage(appId, m1.id, { limit: 1, order: 'descending', from: attempts[2]!.id }, {});
    expect(paged).toEqual({ items: [attempts[1]], more: true });

    const statuses = await h.stores.attempts.statusesForEndpoint(appId, ep1, m1.id, m2.id);
    expect(statuses.map((s) => [s.msgId, s.status])).toEqual([
      [m1.id, AttemptStatus.Success],
      [m2.id, AttemptStatus.Fail],
    ]);
    expect(statuses[1]).toEqual({
      appId, msgId: m2.id, endpointId: ep1, status: AttemptStatus.Fail, attempts: 1,
      lastAttemptAt: attempts[3]!.timestamp, nextAttemptAt: '2030-01-01T00:00:00.000Z',
    });
    expect(await h.stores.attempts.statusesForEndpoint(appId, ep1, m2.id, m2.id)).toHaveLength(1);
    expect(await h.stores.attempts.statusesForEndpoint(appId, ep1, m2.id, m1.id)).toEqual([]);
  });
});
