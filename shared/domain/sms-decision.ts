// What happens to one due SMS: sent, skipped (recorded, never sent), tried again later, or
// dead-lettered. The reminder job (shared/services/reminder-job.ts) does the reads and writes; every
// rule about them is here. Pure: `now` and every fact read are passed in.
//
// The job reads lazily, in the order the checks need (an appointment that moved costs no client
// read; a reminder on time costs no read of its siblings). So decideSms answers with the next fact
// to read (`{ action: 'read' }`) until it has what it needs, and the job loops: read, add the fact,
// ask again. After the claim or a failed send the job adds that outcome and asks once more.
//
// The checks, in order (the first that fails decides):
//   1. a claim found after its lease ran out: the run that held it died between claim and mark, and
//      nobody can tell whether the provider took it: dead-lettered as outcome_unknown, never resent
//      (at most once: a missed SMS raises the alarm, a duplicate would not);
//   2. a reminder: the appointment must still be at the version, status (booked) and start it was
//      planned for; a notice (confirmation, moved, cancelled) tells of a change that happened and
//      goes even when another change followed, each in its turn (the job sends an appointment's
//      SMS in order), unless the appointment is gone or under way or over (checked in, completed,
//      no-show); a cancel notice needs it cancelled. Else skipped as 'superseded';
//   2b. a notice: no earlier notice of the appointment still to go (pending, or claimed and not
//      yet marked): else tried again a minute later, no attempt counted, so that a notice held up
//      by a refusal is never overtaken by the next change's;
//   3. a reminder: not at or past the start (dead-lettered as too_late: it should have gone);
//      when late, not followed by a later reminder of the same plan that is due too (only the
//      latest goes, so the client never gets the same text twice in a row); not in quiet hours (a
//      retry can drift there: it waits for their end, no attempt counted);
//   4. the client consents, has a valid number, and neither our opt-out record nor the provider's
//      opt-out list names it (asking the provider can fail: a failed attempt, as a send);
//   5. a notice of a change the client made takes a slot of the client's daily notice cap
//      (dailyCapSlot in sms.ts says why reminders and staff changes do not) unless it holds one
//      from an earlier claim: a count already at the cap is final for the day (counters only
//      grow), so it is skipped without spending a send slot;
//   6. then it is sent: claimed first, in one transaction that checks 2, the consent and the cap
//      again (its refusal is a skip for the same reason);
//   7. a failed send: no answer (it may have gone) → dead-lettered as outcome_unknown; refused for
//      good (invalid number) → 'refused'; refused for now (throttled, the provider's 5xx) → tried
//      again with attempts + 1 after a backoff doubling from retryBaseMs up to retryCapMs, until
//      maxAttempts → 'failed'.

import { inQuietHours } from '#domain/reminders.ts';
import { dailyCapSlot, type SmsKind } from '#domain/sms.ts';
import type { Appointment, AppointmentStatus, Client, Clinic, Policy } from '#domain/types.ts';

const MINUTE = 60_000;

/** A reminder this much past its time is checked against later reminders of its plan. */
export const LATE_MS = 5 * MINUTE;

/** How long a notice waits for an earlier notice of its appointment that has not gone yet. */
export const NOTICE_WAIT_MS = MINUTE;

export type SmsItemState = 'pending' | 'sending' | 'sent' | 'skipped' | 'dead';

/** What the decision looks at of a stored SMS (the job's SmsRecord has these fields). */
export interface SmsItemFacts {
  kind: SmsKind;
  state: SmsItemState;
  attempts: number;
  /** The appointment version it was planned for. */
  apptVersion: number;
  /** The start it speaks of. */
  startsAt: number;
  /** When it was planned to go. */
  sendAt: number;
  /** The day whose daily notice cap it took a slot of, at an earlier claim given back for a retry. */
  capDay?: string | undefined;
  /** A notice of a change staff made (or the system): it takes no slot of the daily cap. */
  capExempt?: boolean | undefined;
}

/** How a send (or a question to the provider) failed: the sender's SmsSendError. */
export interface SmsFailure {
  /** retry: refused for now, nothing sent; permanent: refused for good; unknown: no answer, it may have gone. */
  outcome: 'retry' | 'permanent' | 'unknown';
  /** The provider's error name. */
  code: string;
}

export type SmsClaimOutcome = 'claimed' | 'stale_appointment' | 'no_consent' | 'daily_cap';

/** Everything known so far about one due SMS. Each optional fact is undefined until read. */
export interface SmsFacts {
  item: SmsItemFacts;
  now: number;
  /** Re-read; null when gone. */
  appointment?: Pick<Appointment, 'version' | 'status' | 'startsAt'> | null;
  clinic?: Pick<Clinic, 'timezone'> & { policy: Pick<Policy, 'quietHours'> };
  /** Every SMS item of the appointment (read for a notice, and for a late reminder). */
  siblings?: SmsItemFacts[];
  /** Null when gone. */
  client?: Pick<Client, 'smsConsent' | 'phone'> | null;
  /**
   * The client's number is a valid US or Canadian number (isValidPhone, #domain/phone.ts). A fact
   * the job reads like the others, so that the phone library is loaded by a run that has an SMS to
   * check, not at every cold start of the job.
   */
  validPhone?: boolean;
  /** Our own opt-out record names the number. */
  optedOut?: boolean;
  /** The provider's opt-out list names it; or asking failed. */
  providerOptedOut?: boolean | SmsFailure;
  /** Notices already counted on the client's day (read for a notice that takes a slot). */
  dailyCount?: number;
  /** What the claim transaction said. */
  claim?: SmsClaimOutcome;
  sendError?: SmsFailure;
}

export interface SmsRules {
  /** Attempts before a failing SMS is dead-lettered. */
  maxAttempts: number;
  /** First retry delay, doubled per attempt up to retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Notices per client per clinic-local day. */
  dailyNoticeCap: number;
}

export type SmsFactName = 'appointment' | 'clinic' | 'siblings' | 'client' | 'valid_phone' | 'opt_out' | 'provider_opt_out';

export type SmsSkipReason = 'superseded' | 'superseded_by_later_reminder' | 'no_consent' | 'no_valid_number' | 'opted_out' | 'daily_cap';

export type SmsDeadLetterReason = 'outcome_unknown' | 'too_late' | 'refused' | 'failed';

export type SmsDecision =
  | { action: 'read'; fact: SmsFactName }
  | { action: 'read'; fact: 'daily_count'; day: string }
  /** Claim it (taking a slot of `dailyCap` when given) and send it. */
  | { action: 'send'; dailyCap?: { day: string; cap: number } }
  | { action: 'skip'; reason: SmsSkipReason }
  /** Back to pending until `at`; `attempts` is what the item records (a quiet-hours wait counts none). */
  | { action: 'retry'; at: number; attempts: number; error: string; cause: 'quiet_hours' | 'send_failed' | 'in_order' }
  | { action: 'dead_letter'; reason: SmsDeadLetterReason; attempts: number; error: string };

/**
 * What the appointment must still be for an SMS to go (check 2; the claim checks it again): a
 * reminder, at the version it was planned for and booked; a cancel notice, cancelled; a
 * confirmation or a move's notice, booked or cancelled since (its cancel notice follows it).
 */
export function appointmentCondition(item: Pick<SmsItemFacts, 'kind' | 'apptVersion'>): {
  statuses: readonly AppointmentStatus[];
  version?: number;
} {
  if (item.kind === 'reminder') return { statuses: ['booked'], version: item.apptVersion };
  return { statuses: item.kind === 'cancelled' ? ['cancelled'] : ['booked', 'cancelled'] };
}

/** The next step for one due SMS: see the top of this file for the checks and their order. */
export function decideSms(facts: SmsFacts, rules: SmsRules): SmsDecision {
  const { item, now, appointment: appt, clinic, client } = facts;
  if (item.state === 'sending') return deadLetter('outcome_unknown', item.attempts, 'lease expired while sending');

  if (appt === undefined) return read('appointment');
  const holds = appointmentCondition(item);
  if (
    !appt ||
    !holds.statuses.includes(appt.status) ||
    (holds.version !== undefined && (appt.version !== holds.version || appt.startsAt !== item.startsAt))
  ) {
    return skip('superseded');
  }
  if (item.kind !== 'reminder') {
    // notices go in the order of their changes: one waits while an earlier one of the appointment
    // has not gone yet (retried after a refusal, or claimed by a run that has not finished)
    if (facts.siblings === undefined) return read('siblings');
    if (
      facts.siblings.some(
        (s) => s.kind !== 'reminder' && s.apptVersion < item.apptVersion && (s.state === 'pending' || s.state === 'sending'),
      )
    ) {
      return {
        action: 'retry',
        at: now + NOTICE_WAIT_MS,
        attempts: item.attempts,
        error: 'an earlier notice has not gone yet',
        cause: 'in_order',
      };
    }
  }
  if (clinic === undefined) return read('clinic');
  if (item.kind === 'reminder') {
    const timing = reminderTiming(facts, appt.startsAt, clinic);
    if (timing) return timing;
  }

  if (client === undefined) return read('client');
  if (!client || !client.smsConsent) return skip('no_consent');
  if (!client.phone) return skip('no_valid_number');
  if (facts.validPhone === undefined) return read('valid_phone');
  if (!facts.validPhone) return skip('no_valid_number');
  if (facts.optedOut === undefined) return read('opt_out');
  if (facts.optedOut) return skip('opted_out');
  if (facts.providerOptedOut === undefined) return read('provider_opt_out');
  if (typeof facts.providerOptedOut === 'object') return afterFailure(item, facts.providerOptedOut, now, rules);
  if (facts.providerOptedOut) return skip('opted_out');

  const capSlot = item.capDay === undefined && !item.capExempt ? dailyCapSlot(item.kind, now, clinic.timezone) : null;
  if (capSlot) {
    if (facts.dailyCount === undefined) return { action: 'read', fact: 'daily_count', day: capSlot.day };
    if (facts.dailyCount >= rules.dailyNoticeCap) return skip('daily_cap');
  }

  if (facts.claim === 'stale_appointment') return skip('superseded');
  if (facts.claim === 'no_consent') return skip('no_consent');
  if (facts.claim === 'daily_cap') return skip('daily_cap');
  if (facts.sendError) return afterFailure(item, facts.sendError, now, rules);
  return capSlot ? { action: 'send', dailyCap: { day: capSlot.day, cap: rules.dailyNoticeCap } } : { action: 'send' };
}

/** A reminder's own checks (3 above): null when it may go now. */
function reminderTiming(facts: SmsFacts, startsAt: number, clinic: NonNullable<SmsFacts['clinic']>): SmsDecision | null {
  const { item, now } = facts;
  if (now >= startsAt) return deadLetter('too_late', item.attempts, 'due time passed before it could be sent');
  if (now - item.sendAt > LATE_MS) {
    if (facts.siblings === undefined) return read('siblings');
    const laterDue = facts.siblings.some(
      (s) =>
        s.kind === 'reminder' &&
        s.apptVersion === item.apptVersion &&
        s.sendAt > item.sendAt &&
        s.sendAt <= now &&
        (s.state === 'pending' || s.state === 'sending' || s.state === 'sent'),
    );
    if (laterDue) return skip('superseded_by_later_reminder');
  }
  const quiet = clinic.policy.quietHours;
  if (inQuietHours(now, clinic.timezone, quiet)) {
    return {
      action: 'retry',
      at: quietEnd(now, clinic.timezone, quiet),
      attempts: item.attempts,
      error: 'quiet hours',
      cause: 'quiet_hours',
    };
  }
  return null;
}

/** A failed attempt (7 above). */
function afterFailure(item: SmsItemFacts, failure: SmsFailure, now: number, rules: SmsRules): SmsDecision {
  const attempts = item.attempts + 1;
  if (failure.outcome === 'unknown') return deadLetter('outcome_unknown', attempts, failure.code);
  if (failure.outcome === 'permanent') return deadLetter('refused', attempts, failure.code);
  if (attempts >= rules.maxAttempts) return deadLetter('failed', attempts, failure.code);
  const delay = Math.min(rules.retryCapMs, rules.retryBaseMs * 2 ** (attempts - 1));
  return { action: 'retry', at: now + delay, attempts, error: failure.code, cause: 'send_failed' };
}

/** The first quarter hour from `now` that is out of quiet hours (at most a day on). */
function quietEnd(now: number, zone: string, quiet: Policy['quietHours']): number {
  const STEP = 15 * MINUTE;
  let t = Math.ceil((now + 1) / STEP) * STEP;
  for (let i = 0; i < 24 * 4 && inQuietHours(t, zone, quiet); i++) t += STEP;
  return t;
}

const read = (fact: SmsFactName): SmsDecision => ({ action: 'read', fact });
const skip = (reason: SmsSkipReason): SmsDecision => ({ action: 'skip', reason });
const deadLetter = (reason: SmsDeadLetterReason, attempts: number, error: string): SmsDecision => ({
  action: 'dead_letter',
  reason,
  attempts,
  error,
});
