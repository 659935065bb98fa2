// The reminder job's per-SMS decision, case by case: each row is what is known of one due SMS and
// what must happen to it. The job's I/O around it is covered by test/integration/reminders.test.ts.
import { describe, expect, it } from 'vitest';
import {
  decideSms,
  appointmentCondition,
  LATE_MS,
  type SmsDecision,
  type SmsFacts,
  type SmsItemFacts,
  type SmsRules,
} from '#domain/sms-decision.ts';
import { NY } from './fixtures.ts';

const MIN = 60_000;
const HOUR_MS = 60 * MIN;
const at = (iso: string) => Date.parse(iso);

// 10:00 in New York on a Tuesday: outside the default quiet hours (21:00-08:00)
const NOW = at('2026-12-01T15:00:00Z');
const STARTS = at('2026-12-03T15:00:00Z');
const RULES: SmsRules = { maxAttempts: 5, retryBaseMs: MIN, retryCapMs: 30 * MIN, dailyNoticeCap: 10 };

const item = (over: Partial<SmsItemFacts> = {}): SmsItemFacts => ({
  kind: 'confirmation',
  state: 'pending',
  attempts: 0,
  apptVersion: 3,
  startsAt: STARTS,
  sendAt: NOW - MIN,
  ...over,
});

/** Everything read, nothing claimed yet: a notice (or, with kind 'reminder', a reminder) that goes. */
function facts(over: Partial<SmsFacts> = {}, itemOver: Partial<SmsItemFacts> = {}): SmsFacts {
  const it = item(itemOver);
  return {
    item: it,
    now: NOW,
    appointment: { version: it.apptVersion, status: appointmentCondition(it).statuses[0]!, startsAt: it.startsAt },
    clinic: { timezone: NY, policy: { quietHours: { start: '21:00', end: '08:00' } } },
    client: { smsConsent: true, phone: '+12125550123' },
    validPhone: true,
    optedOut: false,
    providerOptedOut: false,
    dailyCount: 0,
    siblings: [],
    ...over,
  };
}

const reminder = (over: Partial<SmsFacts> = {}, itemOver: Partial<SmsItemFacts> = {}) => facts(over, { kind: 'reminder', ...itemOver });
const lateReminder = (over: Partial<SmsFacts> = {}) => reminder(over, { sendAt: NOW - LATE_MS - 1 });
const sibling = (over: Partial<SmsItemFacts>): SmsItemFacts => item({ kind: 'reminder', sendAt: NOW - MIN, ...over });

const SEND_WITH_SLOT: SmsDecision = { action: 'send', dailyCap: { day: '2026-12-01', cap: 10 } };
const SEND: SmsDecision = { action: 'send' };
const throttled = { outcome: 'retry', code: 'ThrottlingException' } as const;

const cases: Array<[string, SmsFacts, SmsDecision]> = [
  // a claim whose lease ran out
  [
    'claimed and its lease ran out: never resent',
    facts({}, { state: 'sending', attempts: 2 }),
    { action: 'dead_letter', reason: 'outcome_unknown', attempts: 2, error: 'lease expired while sending' },
  ],

  // the appointment
  [
    'the appointment is read first',
    facts({ appointment: undefined, clinic: undefined, client: undefined }),
    { action: 'read', fact: 'appointment' },
  ],
  ['appointment gone', facts({ appointment: null }), { action: 'skip', reason: 'superseded' }],
  [
    'appointment version changed: its reminder does not go',
    reminder({ appointment: { version: 4, status: 'booked', startsAt: STARTS } }),
    { action: 'skip', reason: 'superseded' },
  ],
  [
    'appointment moved: its reminder does not go',
    reminder({ appointment: { version: 3, status: 'booked', startsAt: STARTS + 60 * MIN } }),
    { action: 'skip', reason: 'superseded' },
  ],
  [
    'appointment moved since: its confirmation still goes (the move sends its own notice next)',
    facts({ appointment: { version: 4, status: 'booked', startsAt: STARTS + 60 * MIN } }),
    SEND_WITH_SLOT,
  ],
  [
    'appointment moved again since: the first move’s notice still goes',
    facts({ appointment: { version: 5, status: 'booked', startsAt: STARTS + 120 * MIN } }, { kind: 'moved' }),
    SEND_WITH_SLOT,
  ],
  [
    'appointment cancelled since: its confirmation still goes (the cancel notice follows)',
    facts({ appointment: { version: 4, status: 'cancelled', startsAt: STARTS } }),
    SEND_WITH_SLOT,
  ],
  [
    'appointment completed: its move’s notice does not go',
    facts({ appointment: { version: 6, status: 'completed', startsAt: STARTS } }, { kind: 'moved' }),
    { action: 'skip', reason: 'superseded' },
  ],
  [
    'appointment cancelled: its reminder does not go',
    reminder({ appointment: { version: 3, status: 'cancelled', startsAt: STARTS } }),
    { action: 'skip', reason: 'superseded' },
  ],
  [
    'appointment checked in: its confirmation does not go',
    facts({ appointment: { version: 3, status: 'checked_in', startsAt: STARTS } }),
    { action: 'skip', reason: 'superseded' },
  ],
  ['cancel notice of a cancelled appointment goes', facts({}, { kind: 'cancelled' }), SEND_WITH_SLOT],
  [
    'a notice reads the appointment’s other SMS (to go in order)',
    facts({ siblings: undefined, clinic: undefined }),
    { action: 'read', fact: 'siblings' },
  ],
  [
    'a notice waits while an earlier notice has not gone (retried after a refusal)',
    facts({ siblings: [item({ kind: 'confirmation', apptVersion: 2, state: 'pending' })] }, { kind: 'moved' }),
    { action: 'retry', at: NOW + MIN, attempts: 0, error: 'an earlier notice has not gone yet', cause: 'in_order' },
  ],
  [
    'or is still claimed by a run',
    facts({ siblings: [item({ kind: 'confirmation', apptVersion: 2, state: 'sending' })] }, { kind: 'moved' }),
    { action: 'retry', at: NOW + MIN, attempts: 0, error: 'an earlier notice has not gone yet', cause: 'in_order' },
  ],
  [
    'an earlier notice sent, skipped or dead-lettered, or a pending reminder, holds nothing up',
    facts(
      {
        siblings: [
          item({ kind: 'confirmation', apptVersion: 1, state: 'sent' }),
          item({ kind: 'moved', apptVersion: 2, state: 'dead' }),
          item({ kind: 'reminder', apptVersion: 2, state: 'pending' }),
          item({ kind: 'moved', apptVersion: 3, state: 'pending' }),
        ],
      },
      { kind: 'moved' },
    ),
    SEND_WITH_SLOT,
  ],
  [
    'cancel notice of an appointment that is booked',
    facts({ appointment: { version: 3, status: 'booked', startsAt: STARTS } }, { kind: 'cancelled' }),
    { action: 'skip', reason: 'superseded' },
  ],
  ['the clinic is read once the appointment holds', facts({ clinic: undefined, client: undefined }), { action: 'read', fact: 'clinic' }],

  // a reminder's timing
  [
    'reminder at its appointment start: too late',
    reminder({ now: STARTS }),
    { action: 'dead_letter', reason: 'too_late', attempts: 0, error: 'due time passed before it could be sent' },
  ],
  ['reminder on time: no sibling read, goes', reminder({ siblings: undefined }), SEND],
  ['late reminder: its siblings are read', lateReminder({ siblings: undefined }), { action: 'read', fact: 'siblings' }],
  [
    'late reminder, a later one of the plan due too: only the latest goes',
    lateReminder({ siblings: [sibling({ sendAt: NOW - MIN, state: 'pending' })] }),
    { action: 'skip', reason: 'superseded_by_later_reminder' },
  ],
  [
    'late reminder, the later one already sent',
    lateReminder({ siblings: [sibling({ state: 'sent' })] }),
    { action: 'skip', reason: 'superseded_by_later_reminder' },
  ],
  [
    'late reminder, the later one being sent',
    lateReminder({ siblings: [sibling({ state: 'sending' })] }),
    { action: 'skip', reason: 'superseded_by_later_reminder' },
  ],
  ['late reminder, the later one not due yet', lateReminder({ siblings: [sibling({ sendAt: NOW + MIN })] }), SEND],
  ['late reminder, the later one skipped', lateReminder({ siblings: [sibling({ state: 'skipped' })] }), SEND],
  ['late reminder, the later one of an older plan', lateReminder({ siblings: [sibling({ apptVersion: 2 })] }), SEND],
  ['late reminder, a later notice is no reminder', lateReminder({ siblings: [sibling({ kind: 'moved' })] }), SEND],
  [
    'late reminder, an earlier reminder already sent does not stand for it',
    lateReminder({ siblings: [sibling({ sendAt: NOW - LATE_MS - HOUR_MS, state: 'sent' })] }),
    SEND,
  ],
  [
    'late reminder, the later one due this very moment',
    lateReminder({ siblings: [sibling({ sendAt: NOW, state: 'pending' })] }),
    { action: 'skip', reason: 'superseded_by_later_reminder' },
  ],
  [
    'late reminder, one later reminder due among other siblings is enough',
    lateReminder({ siblings: [sibling({ kind: 'moved' }), sibling({ state: 'pending' })] }),
    { action: 'skip', reason: 'superseded_by_later_reminder' },
  ],
  [
    'a reminder exactly LATE_MS late is not late yet: a later one due does not stand for it',
    reminder({ siblings: [sibling({ state: 'pending' })] }, { sendAt: NOW - LATE_MS }),
    SEND,
  ],
  [
    'reminder in quiet hours: waits for their end, no attempt counted',
    reminder({ now: at('2026-12-02T03:10:00Z') }, { attempts: 1, sendAt: at('2026-12-02T03:09:00Z') }),
    { action: 'retry', at: at('2026-12-02T13:00:00Z'), attempts: 1, error: 'quiet hours', cause: 'quiet_hours' },
  ],
  [
    'a notice in quiet hours still goes',
    facts({ now: at('2026-12-02T03:10:00Z') }),
    { action: 'send', dailyCap: { day: '2026-12-01', cap: 10 } },
  ],

  // the client
  ['the client is read after the appointment checks', facts({ client: undefined }), { action: 'read', fact: 'client' }],
  ['client gone', facts({ client: null }), { action: 'skip', reason: 'no_consent' }],
  ['no consent', facts({ client: { smsConsent: false, phone: '+12125550123' } }), { action: 'skip', reason: 'no_consent' }],
  ['no number', facts({ client: { smsConsent: true, phone: '' } }), { action: 'skip', reason: 'no_valid_number' }],
  ['a number is checked next', facts({ validPhone: undefined }), { action: 'read', fact: 'valid_phone' }],
  [
    'no number: nothing to check',
    facts({ client: { smsConsent: true, phone: '' }, validPhone: undefined }),
    { action: 'skip', reason: 'no_valid_number' },
  ],
  ['an invalid number', facts({ validPhone: false }), { action: 'skip', reason: 'no_valid_number' }],
  ['our opt-out record is read', facts({ optedOut: undefined }), { action: 'read', fact: 'opt_out' }],
  ['opted out with us', facts({ optedOut: true }), { action: 'skip', reason: 'opted_out' }],
  ['the provider is asked next', facts({ providerOptedOut: undefined }), { action: 'read', fact: 'provider_opt_out' }],
  ['opted out with the provider', facts({ providerOptedOut: true }), { action: 'skip', reason: 'opted_out' }],
  [
    'asking the provider throttled: a failed attempt',
    facts({ providerOptedOut: throttled }),
    { action: 'retry', at: NOW + MIN, attempts: 1, error: 'ThrottlingException', cause: 'send_failed' },
  ],
  [
    'asking the provider got no answer',
    facts({ providerOptedOut: { outcome: 'unknown', code: 'TimeoutError' } }),
    { action: 'dead_letter', reason: 'outcome_unknown', attempts: 1, error: 'TimeoutError' },
  ],

  // the daily notice cap
  ['a notice reads its client-day count', facts({ dailyCount: undefined }), { action: 'read', fact: 'daily_count', day: '2026-12-01' }],
  [
    'the count is of the clinic-local day',
    facts({ now: at('2026-12-02T04:30:00Z'), dailyCount: undefined }),
    { action: 'read', fact: 'daily_count', day: '2026-12-01' },
  ],
  ['count below the cap: goes, taking a slot', facts({ dailyCount: 9 }), SEND_WITH_SLOT],
  ['count at the cap', facts({ dailyCount: 10 }), { action: 'skip', reason: 'daily_cap' }],
  ['a notice holding a slot from an earlier claim takes no other', facts({ dailyCount: undefined }, { capDay: '2026-12-01' }), SEND],
  ['reminders are not capped', reminder({ dailyCount: undefined }), SEND],
  ['a notice of a change staff made is not capped', facts({ dailyCount: undefined }, { capExempt: true }), SEND],
  ['not even with the count at the cap', facts({ dailyCount: 10 }, { capExempt: true }), SEND],

  // the claim's own checks
  ['claim: the appointment changed meanwhile', facts({ claim: 'stale_appointment' }), { action: 'skip', reason: 'superseded' }],
  ['claim: consent withdrawn meanwhile', facts({ claim: 'no_consent' }), { action: 'skip', reason: 'no_consent' }],
  ['claim: the cap filled meanwhile', facts({ claim: 'daily_cap' }), { action: 'skip', reason: 'daily_cap' }],

  // a failed send: backoff 1, 2, 4, 8 min … capped, then the dead letter
  [
    '1st send throttled',
    facts({ claim: 'claimed', sendError: throttled }),
    { action: 'retry', at: NOW + MIN, attempts: 1, error: 'ThrottlingException', cause: 'send_failed' },
  ],
  [
    '3rd send failed (5xx)',
    facts({ claim: 'claimed', sendError: { outcome: 'retry', code: 'InternalErrorException' } }, { attempts: 2 }),
    { action: 'retry', at: NOW + 4 * MIN, attempts: 3, error: 'InternalErrorException', cause: 'send_failed' },
  ],
  [
    '4th send throttled',
    facts({ claim: 'claimed', sendError: throttled }, { attempts: 3 }),
    { action: 'retry', at: NOW + 8 * MIN, attempts: 4, error: 'ThrottlingException', cause: 'send_failed' },
  ],
  [
    '5th (max) send throttled: dead letter',
    facts({ claim: 'claimed', sendError: throttled }, { attempts: 4 }),
    { action: 'dead_letter', reason: 'failed', attempts: 5, error: 'ThrottlingException' },
  ],
  [
    'refused for good (invalid number)',
    facts({ claim: 'claimed', sendError: { outcome: 'permanent', code: 'InvalidParameterException' } }),
    { action: 'dead_letter', reason: 'refused', attempts: 1, error: 'InvalidParameterException' },
  ],
  [
    'no answer: it may have gone, never resent',
    facts({ claim: 'claimed', sendError: { outcome: 'unknown', code: 'TimeoutError' } }, { attempts: 1 }),
    { action: 'dead_letter', reason: 'outcome_unknown', attempts: 2, error: 'TimeoutError' },
  ],
];

describe('appointmentCondition: what the appointment must still be for the SMS to go', () => {
  it('a reminder: booked, at the version it was planned for; a cancel notice: cancelled; other notices: booked or cancelled since', () => {
    expect(appointmentCondition({ kind: 'reminder', apptVersion: 7 })).toEqual({ statuses: ['booked'], version: 7 });
    expect(appointmentCondition({ kind: 'cancelled', apptVersion: 7 })).toEqual({ statuses: ['cancelled'] });
    expect(appointmentCondition({ kind: 'confirmation', apptVersion: 7 })).toEqual({ statuses: ['booked', 'cancelled'] });
    expect(appointmentCondition({ kind: 'moved', apptVersion: 7 })).toEqual({ statuses: ['booked', 'cancelled'] });
  });

  it('an SMS whose appointment is no longer so is skipped as superseded', () => {
    const appointment = (status: 'booked' | 'cancelled' | 'no_show' | 'completed') => ({ version: 3, status, startsAt: STARTS });
    const superseded: SmsDecision = { action: 'skip', reason: 'superseded' };
    expect(decideSms(facts({ appointment: appointment('booked') }, { kind: 'cancelled' }), RULES)).toEqual(superseded);
    expect(decideSms(facts({ appointment: appointment('no_show') }, { kind: 'confirmation' }), RULES)).toEqual(superseded);
    expect(decideSms(facts({ appointment: appointment('cancelled') }, { kind: 'reminder' }), RULES)).toEqual(superseded);
    expect(decideSms(facts({ appointment: appointment('cancelled') }, { kind: 'moved' }), RULES)).toEqual(SEND_WITH_SLOT);
  });
});

describe('decideSms', () => {
  it.each(cases)('%s', (_name, input, want) => {
    expect(decideSms(input, RULES)).toEqual(want);
  });

  it('quiet hours that leave no quarter hour free: the reminder waits at most a day', () => {
    const allDay = { timezone: NY, policy: { quietHours: { start: '08:00', end: '07:59' } } };
    expect(decideSms(reminder({ clinic: allDay }), RULES)).toEqual({
      action: 'retry',
      at: NOW + 15 * MIN + 24 * HOUR_MS,
      attempts: 0,
      error: 'quiet hours',
      cause: 'quiet_hours',
    });
  });

  it('the backoff stops doubling at retryCapMs', () => {
    const rules = { ...RULES, maxAttempts: 20 };
    expect(decideSms(facts({ claim: 'claimed', sendError: throttled }, { attempts: 5 }), rules)).toMatchObject({
      action: 'retry',
      at: NOW + 30 * MIN,
      attempts: 6,
    });
    expect(decideSms(facts({ claim: 'claimed', sendError: throttled }, { attempts: 4 }), rules)).toMatchObject({
      action: 'retry',
      at: NOW + 16 * MIN,
      attempts: 5,
    });
  });

  it('reads lazily, in order: a full walk asks for each fact once', () => {
    const full = facts();
    let known: SmsFacts = { item: full.item, now: NOW };
    const asked: string[] = [];
    for (let d = decideSms(known, RULES); d.action === 'read'; d = decideSms(known, RULES)) {
      asked.push(d.fact);
      const key =
        (
          { valid_phone: 'validPhone', opt_out: 'optedOut', provider_opt_out: 'providerOptedOut', daily_count: 'dailyCount' } as Record<
            string,
            keyof SmsFacts
          >
        )[d.fact] ?? (d.fact as keyof SmsFacts);
      known = { ...known, [key]: full[key] };
    }
    expect(asked).toEqual(['appointment', 'siblings', 'clinic', 'client', 'valid_phone', 'opt_out', 'provider_opt_out', 'daily_count']);
    expect(decideSms(known, RULES)).toEqual(SEND_WITH_SLOT);
  });
});
