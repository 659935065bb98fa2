// shared/domain/clearance-history.ts: the clearance history as shown, newest first, never without
// the profile's current clearance.
import { describe, expect, it } from 'vitest';
import { clearanceHistory } from '#domain/clearance-history.ts';
import type { Clearance } from '#domain/types.ts';

const entry = (over: Partial<Clearance>): Clearance => ({
  status: 'cleared',
  screenedFor: ['blood pressure'],
  recordedBy: 'doc-1',
  recordedAt: 1_000,
  ...over,
});

describe('clearanceHistory', () => {
  it('lists the entries newest first', () => {
    const a = entry({ id: 'clr_a', recordedAt: 1_000 });
    const b = entry({ id: 'clr_b', recordedAt: 3_000 });
    const c = entry({ id: 'clr_c', recordedAt: 2_000 });
    expect(clearanceHistory([a, b, c], b)).toEqual([b, c, a]);
  });

  it('orders entries of the same millisecond as the table does: by id, descending', () => {
    const a = entry({ id: 'clr_a' });
    const b = entry({ id: 'clr_b' });
    expect(clearanceHistory([a, b], b)).toEqual([b, a]);
  });

  it('no entries: the current clearance is the one entry (recorded before entries were kept)', () => {
    const current = entry({ recordedAt: 5_000 });
    expect(clearanceHistory([], current)).toEqual([current]);
  });

  it('a current clearance no entry holds is shown with them', () => {
    const older = entry({ id: 'clr_old', recordedAt: 1_000 });
    const current = entry({ recordedAt: 9_000, recordedBy: 'doc-2' });
    expect(clearanceHistory([older], current)).toEqual([current, older]);
  });

  it('the current clearance is not shown twice: the same id, or without ids the same time and recorder', () => {
    const withId = entry({ id: 'clr_1', recordedAt: 2_000 });
    expect(clearanceHistory([withId], { ...withId })).toEqual([withId]);
    const noId = entry({ recordedAt: 2_000 });
    expect(clearanceHistory([noId], { ...noId })).toEqual([noId]);
    // another recorder at the same instant is another clearance
    expect(clearanceHistory([noId], { ...noId, recordedBy: 'doc-2' })).toHaveLength(2);
  });

  it('no clearance at all: no entries', () => {
    expect(clearanceHistory([], undefined)).toEqual([]);
  });
});
