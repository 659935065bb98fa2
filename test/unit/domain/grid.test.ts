// The 15-minute booking grid, and storage's slot locks built on the same blocks.
import { describe, expect, it } from 'vitest';
import { GRID_MINUTES, GRID_MS, isOnGrid } from '#domain/grid.ts';
import { LOCK_BLOCK_MS, lockBlocks } from '#db/keys.ts';
import { at } from './fixtures.ts';

const MIN = 60_000;

describe('the booking grid', () => {
  it('is 15 minutes', () => {
    expect(GRID_MINUTES).toBe(15);
    expect(GRID_MS).toBe(15 * MIN);
  });

  it('quarter hours are on it; anything in between is not', () => {
    const nine = at('2026-12-03', '09:00');
    for (const m of [0, 15, 30, 45, 60]) expect(isOnGrid(nine + m * MIN)).toBe(true);
    for (const offset of [1, 5 * MIN, 10 * MIN, 14 * MIN + 59_999, 1_000]) expect(isOnGrid(nine + offset)).toBe(false);
  });

  it('local quarter hours in zones offset by 30 or 45 minutes are on it too', () => {
    expect(isOnGrid(at('2026-12-03', '09:15', 'Asia/Kolkata'))).toBe(true);
    expect(isOnGrid(at('2026-12-03', '09:15', 'Asia/Kathmandu'))).toBe(true);
  });

  it('slot locks use the same blocks: a session on the grid holds exactly its own blocks', () => {
    expect(LOCK_BLOCK_MS).toBe(GRID_MS);
    const start = at('2026-12-03', '09:15');
    expect(lockBlocks(start, start + 60 * MIN)).toEqual([0, 1, 2, 3].map((i) => start + i * GRID_MS));
  });
});
