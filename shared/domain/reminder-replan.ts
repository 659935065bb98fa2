// A booked appointment's reminders re-planned after its clinic changed its reminder offsets or
// quiet hours (docs/domain.md, "SMS notices and reminders"): which reminder items to put, delete or leave,
// given the items the appointment holds and the new plan (appointmentReminders, the booking's
// own). The clinic service does the reads and the one conditional write per appointment
// (shared/services/reminder-replan.ts); every rule about them is here. Pure: `now` is a parameter.
//
// Per reminder offset (one item per offset, keys.smsReminder):
//   1. an item that is not pending (sent, skipped, dead-lettered, or claimed by the job and being
//      sent) for the appointment's start as it is is left as it is, and a new reminder at its
//      offset is not planned: a reminder that went (or may have gone) is never sent again;
//      one that went for an earlier start of the appointment (it moved since) is history: the new
//      plan's reminder at its offset is put over it (as a move would), else it is left;
//   2. a pending item the new plan has at the same time, for the appointment's version and start,
//      is left as it is (a retry's attempts and due time stay);
//   3. a pending item the new plan has at another time (or of another version or start) is put
//      over with the new time;
//   4. a pending item the new plan does not have is deleted, unless it is already due (its time at
//      or before `now`): the job has it in hand, maybe between attempts, and decides it under the
//      clinic's quiet hours of the moment; deleting it would lose a reminder that was due. Nor is
//      it deleted when its offset is still the policy's and only its new time has passed (quiet
//      hours that now begin earlier): it stays at its time, and the job holds it back out of
//      the quiet hours then; deleting it would leave the offset with no reminder at all;
//   5. an offset of the new plan without an item is put.
// The plan already leaves out what would go at or before `now`. `offsets` is what the appointment's
// smsReminderOffsets becomes: the offsets of its pending items after the write (put, or left by 2
// or 4 for an offset still the policy's), at most the plan's five, so that a later move or cancel
// still fits its one transaction; an item left by 1, or due by 4 for an offset no longer the
// policy's, is not in it (a later move puts over it or leaves it; either way the job refuses it
// once the appointment has moved on, appointmentCondition in #domain/sms-decision.ts).

import type { PlannedReminder } from '#domain/reminders.ts';
import type { SmsItemState } from '#domain/sms-decision.ts';

/** What the decision looks at of a stored reminder item of the appointment. */
export interface StoredReminder {
  offsetHours: number;
  state: SmsItemState;
  sendAt: number;
  apptVersion: number;
  startsAt: number;
}

export interface ReplanInput {
  appointment: { version: number; startsAt: number; smsReminderOffsets?: readonly number[] | undefined };
  /** Every reminder item the appointment holds, as read. */
  existing: readonly StoredReminder[];
  /** The new plan: appointmentReminders under the clinic's new policy. */
  plan: readonly PlannedReminder[];
  /** The offsets the new policy plans (reminderOffsets), including those whose time has passed. */
  policyOffsets: readonly number[];
  now: number;
}

export type KeepReason = 'not_pending' | 'unchanged' | 'due' | 'passed';

export interface ReminderReplan {
  /**
   * Reminders to write; `replaces`: over the item as read, a pending one, or with `overDone` one
   * that went for an earlier start (else: where there is none).
   */
  put: Array<PlannedReminder & { replaces: boolean; overDone?: true }>;
  /** Offsets whose pending item, as read, is deleted. */
  delete: number[];
  /** Items left as they are, and why. */
  keep: Array<{ offsetHours: number; reason: KeepReason }>;
  /** The appointment's smsReminderOffsets after the write, ascending. */
  offsets: number[];
  /** False when there is nothing to write. */
  changed: boolean;
}

/** The decision for one appointment: see the top of this file for the rules. */
export function replanReminders(input: ReplanInput): ReminderReplan {
  const { appointment, existing, plan, now } = input;
  const stored = new Map(existing.map((r) => [r.offsetHours, r]));
  const planned = new Map(plan.map((r) => [r.offsetHours, r]));
  const policy = new Set(input.policyOffsets);
  const out: ReminderReplan = { put: [], delete: [], keep: [], offsets: [], changed: false };

  for (const item of existing) {
    const next = planned.get(item.offsetHours);
    if (item.state !== 'pending') {
      const history = item.state !== 'sending' && item.startsAt !== appointment.startsAt;
      if (history && next !== undefined) {
        out.put.push({ ...next, replaces: true, overDone: true });
        out.offsets.push(item.offsetHours);
      } else out.keep.push({ offsetHours: item.offsetHours, reason: 'not_pending' });
    } else if (next === undefined) {
      const kept = policy.has(item.offsetHours);
      if (kept) {
        out.keep.push({ offsetHours: item.offsetHours, reason: 'passed' });
        out.offsets.push(item.offsetHours);
      } else if (item.sendAt <= now) out.keep.push({ offsetHours: item.offsetHours, reason: 'due' });
      else out.delete.push(item.offsetHours);
    } else if (next.sendAt === item.sendAt && item.apptVersion === appointment.version && item.startsAt === appointment.startsAt) {
      out.keep.push({ offsetHours: item.offsetHours, reason: 'unchanged' });
      out.offsets.push(item.offsetHours);
    } else {
      out.put.push({ ...next, replaces: true });
      out.offsets.push(item.offsetHours);
    }
  }
  for (const r of plan) {
    if (stored.has(r.offsetHours)) continue;
    out.put.push({ ...r, replaces: false });
    out.offsets.push(r.offsetHours);
  }

  out.offsets.sort((a, b) => a - b);
  out.put.sort((a, b) => a.sendAt - b.sendAt || a.offsetHours - b.offsetHours);
  out.delete.sort((a, b) => a - b);
  out.keep.sort((a, b) => a.offsetHours - b.offsetHours);
  const before = [...(appointment.smsReminderOffsets ?? [])].sort((a, b) => a - b);
  out.changed =
    out.put.length > 0 || out.delete.length > 0 || before.length !== out.offsets.length || before.some((o, i) => o !== out.offsets[i]);
  return out;
}
