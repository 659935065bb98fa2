// "Book again at this time" (web/src/pages/staff/repeat-rules.ts): the same wall-clock time in
// the clinic's zone each week or two (across a daylight-saving change both ways), the count's
// bounds, and sending: one at a time in date order, a refusal the row's own, a busy system
// holding the rest, and each row's Idempotency-Key kept when it is tried again.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import {
  canRetry,
  everyWeeks,
  moreSessions,
  newRows,
  repeatBody,
  repeatDates,
  retryHeld,
  retryRow,
  sendInOrder,
  tally,
  verdictOf,
  withAnswer,
  type RepeatRow,
} from '../src/pages/staff/repeat-rules.ts';

const NY = 'America/New_York';
const starts = (first: string, every: 1 | 2, more: number, zone = NY) => repeatDates(first, every, more, zone).map((d) => d.startsAt);

describe('the dates of the sessions after the first', () => {
  it('weekly, the same 10:00 in New York after clocks go back (Nov 1, 2026): one hour later in UTC', () => {
    // Tue Oct 27, 10:00 EDT
    expect(starts('2026-10-27T14:00:00.000Z', 1, 3)).toEqual([
      '2026-11-03T15:00:00.000Z',
      '2026-11-10T15:00:00.000Z',
      '2026-11-17T15:00:00.000Z',
    ]);
  });

  it('weekly, the same 10:00 in New York after clocks go forward (Mar 8, 2026): one hour earlier in UTC', () => {
    // Tue Mar 3, 10:00 EST, given as the API writes it (the clinic's offset)
    expect(starts('2026-03-03T10:00:00-05:00', 1, 2)).toEqual(['2026-03-10T14:00:00.000Z', '2026-03-17T14:00:00.000Z']);
  });

  it('every 2 weeks: 14 days apart by the calendar, into the next year', () => {
    expect(repeatDates('2026-12-08T15:00:00.000Z', 2, 3, NY)).toEqual([
      { date: '2026-12-22', startsAt: '2026-12-22T15:00:00.000Z' },
      { date: '2027-01-05', startsAt: '2027-01-05T15:00:00.000Z' },
      { date: '2027-01-19', startsAt: '2027-01-19T15:00:00.000Z' },
    ]);
  });

  it('the clinic’s own zone, not the browser’s: 9:00 in Toronto; an evening session keeps its local date', () => {
    expect(starts('2026-10-28T13:00:00.000Z', 1, 1, 'America/Toronto')).toEqual(['2026-11-04T14:00:00.000Z']);
    // 19:00 in New York is the next day in UTC
    expect(repeatDates('2026-12-09T00:00:00.000Z', 1, 1, NY)).toEqual([{ date: '2026-12-15', startsAt: '2026-12-16T00:00:00.000Z' }]);
  });

  it('a time the spring-forward hour skips on that date: no instant (nothing is sent for it)', () => {
    // 2:30 on Sun Mar 1, 2026; Mar 8 has no 2:30
    expect(repeatDates('2026-03-01T07:30:00.000Z', 1, 2, NY)).toEqual([
      { date: '2026-03-08', startsAt: null },
      { date: '2026-03-15', startsAt: '2026-03-15T06:30:00.000Z' },
    ]);
    expect(newRows(repeatDates('2026-03-01T07:30:00.000Z', 1, 1, NY), () => 'k')[0]?.state).toEqual({ kind: 'skipped' });
  });

  it('1 to 7 more, every 1 or 2 weeks: anything else is refused', () => {
    expect(moreSessions('1')).toBe(1);
    expect(moreSessions('7')).toBe(7);
    expect(moreSessions(3)).toBe(3);
    for (const bad of ['0', '8', '2.5', '', 'three', '-1', 0, 8, 2.5]) expect(moreSessions(bad), String(bad)).toBeUndefined();
    expect(everyWeeks('1')).toBe(1);
    expect(everyWeeks('2')).toBe(2);
    expect(everyWeeks('3')).toBeUndefined();
    expect(repeatDates('2026-12-08T15:00:00.000Z', 1, 7, NY)).toHaveLength(7);
    expect(() => repeatDates('2026-12-08T15:00:00.000Z', 1, 0, NY)).toThrow(RangeError);
    expect(() => repeatDates('2026-12-08T15:00:00.000Z', 1, 8, NY)).toThrow(RangeError);
    expect(() => repeatDates('2026-12-08T15:00:00.000Z', 3 as 1, 2, NY)).toThrow(RangeError);
  });
});

const api = (status: number, code: string, rule?: string, retryAfterSeconds?: number) =>
  new ApiError(status, code, code, rule, [], undefined, retryAfterSeconds);

/** Four rows from Dec 8, keys k1…k4. */
function fourRows(): RepeatRow[] {
  let n = 0;
  return newRows(repeatDates('2026-12-01T15:00:00.000Z', 1, 4, NY), () => `k${++n}`);
}

/** A sender that answers from `answers` by date (an error thrown, else booked), records each call and how many run at once. */
function fakeSender(answers: Record<string, Error[]> = {}) {
  const calls: { date: string; key: string }[] = [];
  let running = 0;
  let most = 0;
  const send = async (row: RepeatRow) => {
    running += 1;
    most = Math.max(most, running);
    calls.push({ date: row.date, key: row.key });
    await new Promise((r) => setTimeout(r, 1));
    running -= 1;
    const next = answers[row.date]?.shift();
    if (next) throw next;
    return { id: `appt-${row.date}-${row.key}` };
  };
  return { send, calls, most: () => most };
}

describe('sending the rows', () => {
  it('each row has a key of its own and waits, in date order', () => {
    let n = 0;
    const rows = newRows(
      [
        { date: '2026-12-15', startsAt: '2026-12-15T15:00:00.000Z' },
        { date: '2026-12-08', startsAt: '2026-12-08T15:00:00.000Z' },
      ],
      () => `k${++n}`,
    );
    expect(rows.map((r) => r.date)).toEqual(['2026-12-08', '2026-12-15']);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
    expect(rows.every((r) => r.state.kind === 'waiting')).toBe(true);
  });

  it('one at a time, in date order, every row booked', async () => {
    const sender = fakeSender();
    const seen: string[][] = [];
    const rows = await sendInOrder(fourRows(), sender.send, (r) => seen.push(r.map((x) => x.state.kind)));
    expect(sender.calls.map((c) => c.date)).toEqual(['2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29']);
    expect(sender.most()).toBe(1);
    expect(tally(rows).booked).toBe(4);
    expect(rows[0]?.state).toEqual({ kind: 'booked', appointmentId: 'appt-2026-12-08-k1' });
    // the row on its way is shown as such, then its answer
    expect(seen[0]).toEqual(['sending', 'waiting', 'waiting', 'waiting']);
    expect(seen[1]).toEqual(['booked', 'waiting', 'waiting', 'waiting']);
  });

  it('a refusal is that row’s own: the others are still sent', async () => {
    const taken = api(409, 'slot_unavailable');
    const spacing = api(422, 'rule_violated', 'exploration_spacing');
    const sender = fakeSender({ '2026-12-15': [taken], '2026-12-29': [spacing] });
    const rows = await sendInOrder(fourRows(), sender.send, () => undefined);
    expect(rows.map((r) => r.state.kind)).toEqual(['booked', 'refused', 'booked', 'refused']);
    expect(rows[1]?.state).toEqual({ kind: 'refused', error: taken });
    expect(sender.calls).toHaveLength(4);
  });

  it('429, 503 or no answer: the rest are held, not sent, until "Try the rest again"', async () => {
    for (const busy of [api(429, 'rate_limited'), api(503, 'unavailable'), api(0, 'network')]) {
      const sender = fakeSender({ '2026-12-15': [busy] });
      const held = await sendInOrder(fourRows(), sender.send, () => undefined);
      expect(
        held.map((r) => r.state.kind),
        busy.code,
      ).toEqual(['booked', 'held', 'held', 'held']);
      expect(held[1]?.state).toEqual({ kind: 'held', error: busy });
      expect(held[2]?.state).toEqual({ kind: 'held' });
      expect(sender.calls).toHaveLength(2);

      const done = await sendInOrder(retryHeld(held), sender.send, () => undefined);
      expect(done.map((r) => r.state.kind)).toEqual(['booked', 'booked', 'booked', 'booked']);
      // the first row is not sent again
      expect(sender.calls.map((c) => c.date)).toEqual(['2026-12-08', '2026-12-15', '2026-12-15', '2026-12-22', '2026-12-29']);
    }
  });

  it('a row tried again is sent with the key it had: an answer lost on the way books nothing twice', async () => {
    const sender = fakeSender({ '2026-12-15': [api(0, 'network')], '2026-12-22': [api(500, 'internal')] });
    let rows = await sendInOrder(fourRows(), sender.send, () => undefined);
    expect(rows.map((r) => r.state.kind)).toEqual(['booked', 'held', 'held', 'held']);
    rows = await sendInOrder(retryHeld(rows), sender.send, () => undefined);
    expect(rows.map((r) => r.state.kind)).toEqual(['booked', 'booked', 'failed', 'booked']);
    rows = await sendInOrder(retryRow(rows, 2), sender.send, () => undefined);
    expect(tally(rows).booked).toBe(4);
    const keysOf = (date: string) => sender.calls.filter((c) => c.date === date).map((c) => c.key);
    expect(keysOf('2026-12-15')).toEqual(['k2', 'k2']);
    expect(keysOf('2026-12-22')).toEqual(['k3', 'k3']);
    expect(rows.map((r) => r.key)).toEqual(['k1', 'k2', 'k3', 'k4']);
  });

  it('only a row not booked and not on its way may be tried again', () => {
    const rows = withAnswer(withAnswer(fourRows(), 0, { appointmentId: 'a1' }), 1, { error: api(422, 'rule_violated', 'no_credit') });
    expect(canRetry(rows[0]!)).toBe(false);
    expect(canRetry(rows[1]!)).toBe(true);
    expect(canRetry(rows[2]!)).toBe(false);
    expect(retryRow(rows, 0)[0]?.state).toEqual({ kind: 'booked', appointmentId: 'a1' });
    expect(retryRow(rows, 1)[1]).toEqual({ ...rows[1], state: { kind: 'waiting' } });
  });

  it('how an error counts', () => {
    expect(verdictOf(api(409, 'slot_unavailable'))).toBe('refused');
    expect(verdictOf(api(422, 'rule_violated', 'outside_hours'))).toBe('refused');
    expect(verdictOf(api(403, 'forbidden'))).toBe('refused');
    // the same key still at work on an earlier attempt: tried again, not refused
    expect(verdictOf(api(409, 'conflict', undefined, 20))).toBe('failed');
    expect(verdictOf(api(500, 'internal'))).toBe('failed');
    expect(verdictOf(new Error('boom'))).toBe('failed');
    expect(verdictOf(api(429, 'rate_limited'))).toBe('stop');
    expect(verdictOf(api(503, 'unavailable'))).toBe('stop');
    expect(verdictOf(api(0, 'network'))).toBe('stop');
  });
});

describe('what each later booking sends', () => {
  const who = { clientId: 'cl_1', clinicId: 'demo-nyc' };
  it('the practitioner the first one got, its place and kind, the same program’s credit', () => {
    const first = {
      startsAt: '2026-12-08T10:00:00-05:00',
      providerId: 'demo-nyc-ther-2',
      service: 'exploration',
      mode: 'in_person' as const,
      packageId: 'pk_1',
    };
    expect(repeatBody(first, who, '2026-12-15T15:00:00.000Z')).toEqual({
      clientId: 'cl_1',
      clinicId: 'demo-nyc',
      service: 'exploration',
      providerId: 'demo-nyc-ther-2',
      startsAt: '2026-12-15T15:00:00.000Z',
      mode: 'in_person',
      packageId: 'pk_1',
    });
  });

  it('self-pay when the first was: no package', () => {
    const first = {
      startsAt: '2026-12-08T10:00:00-05:00',
      providerId: 'p',
      service: 'preparation',
      mode: 'telehealth' as const,
      packageId: null,
    };
    expect(repeatBody(first, who, '2026-12-15T15:00:00.000Z')).not.toHaveProperty('packageId');
    expect(repeatBody(first, who, '2026-12-15T15:00:00.000Z').mode).toBe('telehealth');
  });
});
