// replanReminders: which reminder items a clinic's re-plan puts, deletes or leaves, given the items
// an appointment holds and the new plan (docs/domain.md, "SMS notices and reminders").
import { describe, expect, it } from 'vitest';
import { replanReminders, type ReminderReplan, type StoredReminder } from '#domain/reminder-replan.ts';
import type { PlannedReminder } from '#domain/reminders.ts';
import type { SmsItemState } from '#domain/sms-decision.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const START = NOW + 72 * HOUR;
const VERSION = 3;

/** A stored reminder of the appointment as planned for its version and start, at `offset` hours before the start. */
const item = (offsetHours: number, state: SmsItemState = 'pending', over: Partial<StoredReminder> = {}): StoredReminder => ({
  offsetHours,
  state,
  sendAt: START - offsetHours * HOUR,
  apptVersion: VERSION,
  startsAt: START,
  ...over,
});
const planned = (offsetHours: number, sendAt = START - offsetHours * HOUR): PlannedReminder => ({ offsetHours, sendAt });

interface Case {
  name: string;
  existing: StoredReminder[];
  plan: PlannedReminder[];
  /** The new policy's offsets; by default the plan's (none of its times has passed). */
  policy?: number[];
  offsets?: number[];
  put?: Array<[offset: number, replaces: boolean]>;
  delete?: number[];
  keep?: Array<[offset: number, reason: ReminderReplan['keep'][number]['reason']]>;
  after: number[];
  changed: boolean;
}

const CASES: Case[] = [
  {
    name: 'quiet hours now begin earlier and the 2 h reminder’s new time has passed: the pending one stays at its time',
    existing: [item(48), item(2)],
    plan: [planned(48)],
    policy: [48, 2],
    keep: [
      [2, 'passed'],
      [48, 'unchanged'],
    ],
    after: [2, 48],
    changed: false,
  },
  {
    name: 'a reminder that went for an earlier start of the appointment (moved since): the new plan’s is put over it',
    existing: [item(48, 'sent', { startsAt: START - 24 * HOUR, apptVersion: VERSION - 1 }), item(2)],
    plan: [planned(48), planned(2)],
    offsets: [2],
    put: [[48, true]],
    keep: [[2, 'unchanged']],
    after: [2, 48],
    changed: true,
  },
  {
    name: 'one that went for an earlier start, its offset no longer planned: left as it is, not tracked',
    existing: [item(48, 'skipped', { startsAt: START - 24 * HOUR })],
    plan: [planned(2)],
    offsets: [],
    put: [[2, false]],
    keep: [[48, 'not_pending']],
    after: [2],
    changed: true,
  },
  {
    name: 'one being sent (claimed) for an earlier start: never touched',
    existing: [item(48, 'sending', { startsAt: START - 24 * HOUR })],
    plan: [planned(48)],
    offsets: [],
    keep: [[48, 'not_pending']],
    after: [],
    changed: false,
  },
  {
    name: 'the same plan: nothing to write',
    existing: [item(48), item(2)],
    plan: [planned(48), planned(2)],
    keep: [
      [2, 'unchanged'],
      [48, 'unchanged'],
    ],
    after: [2, 48],
    changed: false,
  },
  {
    name: 'offsets [48, 2] → [24]: 24 put, 48 and 2 deleted',
    existing: [item(48), item(2)],
    plan: [planned(24)],
    put: [[24, false]],
    delete: [2, 48],
    after: [24],
    changed: true,
  },
  {
    name: 'quiet hours moved the 2 h reminder: put over the pending one, 48 left',
    existing: [item(48), item(2)],
    plan: [planned(48), planned(2, START - 14 * HOUR)],
    put: [[2, true]],
    keep: [[48, 'unchanged']],
    after: [2, 48],
    changed: true,
  },
  {
    name: '[48, 2] → [48, 3] after the 48 h went: 48 left sent (not planned again, not tracked), 3 put, 2 deleted',
    existing: [item(48, 'sent'), item(2)],
    plan: [planned(3)],
    put: [[3, false]],
    delete: [2],
    keep: [[48, 'not_pending']],
    after: [3],
    changed: true,
  },
  {
    name: 'a sent reminder whose offset the new plan has at another time: never planned again',
    existing: [item(2, 'sent', { sendAt: START - 14 * HOUR })],
    plan: [planned(2)],
    keep: [[2, 'not_pending']],
    after: [],
    offsets: [2],
    changed: true,
  },
  ...(['sending', 'skipped', 'dead'] as const).map((state): Case => ({
    name: `a ${state} reminder is left as it is, in the plan or not`,
    existing: [item(48, state), item(2, state)],
    plan: [planned(2, START - 3 * HOUR)],
    keep: [
      [2, 'not_pending'],
      [48, 'not_pending'],
    ],
    after: [],
    offsets: [],
    changed: false,
  })),
  {
    name: 'a pending reminder already due that the plan drops: the job has it, left as it is',
    existing: [item(48, 'pending', { sendAt: NOW - 60_000 }), item(2)],
    plan: [planned(2)],
    keep: [
      [2, 'unchanged'],
      [48, 'due'],
    ],
    after: [2],
    offsets: [2, 48],
    changed: true,
  },
  {
    name: 'a pending reminder due exactly now counts as due',
    existing: [item(48, 'pending', { sendAt: NOW })],
    plan: [],
    keep: [[48, 'due']],
    after: [],
    offsets: [],
    changed: false,
  },
  {
    name: 'a pending reminder of an older version or start (left by a race): put over at the same time',
    existing: [item(48, 'pending', { apptVersion: VERSION - 1 }), item(2, 'pending', { startsAt: START - HOUR })],
    plan: [planned(48), planned(2)],
    put: [
      [48, true],
      [2, true],
    ],
    after: [2, 48],
    changed: true,
  },
  {
    name: 'no items yet (nothing was planned): the whole plan put',
    existing: [],
    plan: [planned(24), planned(2)],
    offsets: [],
    put: [
      [24, false],
      [2, false],
    ],
    after: [2, 24],
    changed: true,
  },
  {
    name: 'an empty plan (every new time past): pending future ones deleted',
    existing: [item(48), item(2)],
    plan: [],
    delete: [2, 48],
    after: [],
    changed: true,
  },
  {
    name: 'items right but smsReminderOffsets not: only the offsets written',
    existing: [item(48), item(2)],
    plan: [planned(48), planned(2)],
    offsets: [48, 2, 24],
    keep: [
      [2, 'unchanged'],
      [48, 'unchanged'],
    ],
    after: [2, 48],
    changed: true,
  },
];

describe('replanReminders', () => {
  it.each(CASES)('$name', (c) => {
    const r = replanReminders({
      appointment: { version: VERSION, startsAt: START, smsReminderOffsets: c.offsets ?? c.existing.map((e) => e.offsetHours) },
      existing: c.existing,
      plan: c.plan,
      policyOffsets: c.policy ?? c.plan.map((p) => p.offsetHours),
      now: NOW,
    });
    expect(r.put.map((p) => [p.offsetHours, p.replaces])).toEqual(c.put ?? []);
    expect(r.delete).toEqual(c.delete ?? []);
    expect(r.keep.map((k) => [k.offsetHours, k.reason])).toEqual(c.keep ?? []);
    expect(r.offsets).toEqual(c.after);
    expect(r.changed).toBe(c.changed);
    // every put carries the plan's time for its offset
    for (const p of r.put) expect(p.sendAt).toBe(c.plan.find((x) => x.offsetHours === p.offsetHours)!.sendAt);
  });

  it('a put over a reminder that went for an earlier start says so (overDone); one over a pending item does not', () => {
    const r = replanReminders({
      appointment: { version: VERSION, startsAt: START, smsReminderOffsets: [2] },
      existing: [
        item(48, 'sent', { startsAt: START - 24 * HOUR, apptVersion: VERSION - 1 }),
        item(2, 'pending', { sendAt: START - 3 * HOUR }),
      ],
      plan: [planned(48), planned(2)],
      policyOffsets: [48, 2],
      now: NOW,
    });
    expect(r.put).toEqual([
      { offsetHours: 48, sendAt: START - 48 * HOUR, replaces: true, overDone: true },
      { offsetHours: 2, sendAt: START - 2 * HOUR, replaces: true },
    ]);
  });

  it('changed when only the offsets the appointment records were stale: they are written right', () => {
    const r = replanReminders({
      appointment: { version: VERSION, startsAt: START, smsReminderOffsets: [2, 72] },
      existing: [item(48), item(2)],
      plan: [planned(48), planned(2)],
      policyOffsets: [48, 2],
      now: NOW,
    });
    expect([r.put, r.delete, r.offsets, r.changed]).toEqual([[], [], [2, 48], true]);
  });

  it('never puts, deletes or tracks an offset whose item is not pending for the appointment’s start', () => {
    const states: SmsItemState[] = ['pending', 'sending', 'sent', 'skipped', 'dead'];
    for (const state of states) {
      for (const inPlan of [true, false]) {
        const r = replanReminders({
          appointment: { version: VERSION, startsAt: START, smsReminderOffsets: [2] },
          existing: [item(2, state)],
          plan: inPlan ? [planned(2, START - 5 * HOUR)] : [],
          policyOffsets: inPlan ? [2] : [],
          now: NOW,
        });
        const touched = r.put.some((p) => p.offsetHours === 2) || r.delete.includes(2);
        expect(touched).toBe(state === 'pending');
      }
    }
  });
});
