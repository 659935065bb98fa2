// Integration sessions still to book (web/src/lib/integration-rules.ts): each dosing session wants
// one within the policy's days after it; one integration session counts for the latest dosing
// session before it; a window that has ended is no longer suggested.
import { describe, expect, it } from 'vitest';
import { integrationsToBook } from '../src/lib/integration-rules.ts';

type A = {
  id: string;
  service: 'exploration' | 'integration';
  status: 'booked' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
  startsAt: string;
};
const at = (id: string, service: A['service'], date: string, status: A['status'] = 'booked'): A => ({
  id,
  service,
  status,
  startsAt: `${date}T10:00:00-05:00`,
});
const due = (appointments: A[], today = '2026-12-01', within = 7) =>
  integrationsToBook(appointments, within, today).map((d) => [d.exploration.id, d.from, d.by]);

describe('integration sessions to book', () => {
  it('a dosing session without one: from its day to its day plus the policy’s days', () => {
    expect(due([at('x1', 'exploration', '2026-12-07')])).toEqual([['x1', '2026-12-07', '2026-12-14']]);
    expect(due([at('x1', 'exploration', '2026-12-07')], '2026-12-01', 3)).toEqual([['x1', '2026-12-07', '2026-12-10']]);
  });

  it('one within the window covers it, on its last day too; one after the window does not', () => {
    expect(due([at('x1', 'exploration', '2026-12-07'), at('i1', 'integration', '2026-12-14')])).toEqual([]);
    expect(due([at('x1', 'exploration', '2026-12-07'), at('i1', 'integration', '2026-12-15')])).toEqual([
      ['x1', '2026-12-07', '2026-12-14'],
    ]);
  });

  it('one integration session counts for the latest dosing session before it only', () => {
    const two = [at('x1', 'exploration', '2026-12-07'), at('x2', 'exploration', '2026-12-09'), at('i1', 'integration', '2026-12-10')];
    expect(due(two)).toEqual([['x1', '2026-12-07', '2026-12-14']]);
    // one before the first dosing session counts for none
    expect(due([at('i0', 'integration', '2026-12-05'), at('x1', 'exploration', '2026-12-07')])).toEqual([
      ['x1', '2026-12-07', '2026-12-14'],
    ]);
  });

  it('cancelled and missed sessions count for nothing, on either side', () => {
    expect(due([at('x1', 'exploration', '2026-12-07', 'cancelled')])).toEqual([]);
    expect(due([at('x1', 'exploration', '2026-12-07'), at('i1', 'integration', '2026-12-08', 'cancelled')])).toEqual([
      ['x1', '2026-12-07', '2026-12-14'],
    ]);
    expect(due([at('x1', 'exploration', '2026-12-07', 'completed'), at('i1', 'integration', '2026-12-08', 'completed')])).toEqual([]);
  });

  it('a window that has ended is not suggested any more; one ending today still is', () => {
    const done = [at('x1', 'exploration', '2026-11-20', 'completed')];
    expect(due(done, '2026-11-27')).toEqual([['x1', '2026-11-20', '2026-11-27']]);
    expect(due(done, '2026-11-28')).toEqual([]);
  });
});
