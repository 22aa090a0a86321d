import { boundaryId, idTime, isId, newId } from '../../functions/core/ids.ts';

describe('ids', () => {
  test('have the prefix and a 27-character base62 KSUID', () => {
    const id = newId('message');
    expect(id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    expect(isId('message', id)).toBe(true);
    expect(isId('application', id)).toBe(false);
    expect(isId('message', 'msg_short')).toBe(false);
  });

  test('are unique', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('attempt')));
    expect(ids.size).toBe(10_000);
  });

  test('sort by creation time as plain strings', () => {
    // The sub-second byte has ~3.9 ms resolution: ids closer than that share a slot and order randomly.
    const times = [0, 4, 8, 996, 1000, 60_000, 86_400_000, 3_000_000_000_000].map((ms) => new Date(1_500_000_000_000 + ms));
    const ids = times.map((t) => newId('application', t));
    expect([...ids].sort()).toEqual(ids);
  });

  test('encode their time to within one 3.9 ms slot', () => {
    const time = new Date('2026-11-30T12:34:56.789Z');
    const decoded = idTime(newId('endpoint', time)).getTime();
    expect(decoded).toBeLessThanOrEqual(time.getTime());
    expect(time.getTime() - decoded).toBeLessThan(4);
  });

  test('boundary ids enclose every id of their millisecond slot', () => {
    const time = new Date('2026-01-01T00:00:00.500Z');
    const start = boundaryId('message', time, 'start');
    const end = boundaryId('message', time, 'end');
    for (let i = 0; i < 100; i++) {
      const id = newId('message', time);
      expect(id >= start && id <= end).toBe(true);
    }
    expect(newId('message', new Date(time.getTime() + 10)) > end).toBe(true);
    expect(newId('message', new Date(time.getTime() - 10)) < start).toBe(true);
  });
});

test('ids made in one process within the same slot still sort in the order they were made', () => {
  const time = new Date('2026-06-01T00:00:00.100Z');
  const ids = Array.from({ length: 1_000 }, () => newId('attempt', time));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(1_000);
  expect(ids.every((id) => idTime(id).getTime() === idTime(ids[0]!).getTime())).toBe(true);
});
