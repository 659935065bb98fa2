// The SMS job: sends the reminders and notices that are due, once each, at a capped rate.
// Run every minute by EventBridge (functions/reminders/handler.ts) and locally on a timer and by
// POST /v1/dev/reminders/run (infra/local/dev-reminders.ts).
//
// One SMS, in this order:
//   1. found through the due index (GSI1 `SMS_DUE`, due ≤ now: a Query, never a Scan);
//   2. re-read: the appointment must still be what the SMS needs (appointmentCondition: a
//      reminder at the version it was planned for and booked; a notice, which tells of its own
//      change, booked or cancelled since), a reminder not past the start nor in quiet hours
//      (a retry can drift there: it waits for their end), the client must consent and have a
//      valid number that neither our opt-out record nor SNS's opt-out list names. Otherwise it is
//      marked skipped with the reason — recorded, not sent;
//   3. a token of the rate cap (SMS_RATE_PER_SECOND, evenly spaced: never more than that many in
//      any second, a burst drains at that rate and whatever is not reached within the run's time
//      budget stays due for the next run);
//   4. CLAIMED: one transaction moves it to 'sending' with a lease, on the index entry read (so of
//      two overlapping runs one wins), checking again what 2 said of the appointment and that the
//      client's consent still holds, and — for a notice of a change the client made — taking a
//      slot of the client's daily notice cap (SMS_DAILY_NOTICE_CAP per clinic-local day: a
//      conditional counter in the same transaction, so overlapping runs never send more than the
//      cap; a notice refused a slot is skipped as 'daily_cap', with a `metric:
//      "SmsDailyCapReached"` log line). Reminders and notices of staff changes are not capped
//      (dailyCapSlot in shared/domain/sms.ts says why);
//   5. sent; 6. marked 'sent' on the claim.
// What each check decides, and in which order, is decideSms's (shared/domain/sms-decision.ts): this
// job does the reads, the claim, the send and the writes it asks for.
//
// Worst case, chosen: AT MOST ONCE. A crash (or timeout) after the claim and before the mark
// leaves the SMS 'sending'; when its lease ends the job finds it again and, since nobody can tell
// whether SNS took it (SNS Publish has no idempotency key), it is never sent again: it is
// dead-lettered as `outcome_unknown`, which raises the alarm, and an operator checks SNS's delivery
// log. The same goes for a send that got no answer. The alternative — resend after the lease —
// would turn the same crash into a duplicate SMS, which the issue forbids; a missed SMS is visible
// (dead letter + alarm), a duplicate is not. The window is the length of one SNS call.
//
// Failures SNS answered (throttling, its 5xx) put the SMS back to pending with attempts + 1 and a
// backoff (1, 2, 4, 8 min, …); after maxAttempts, or at once for a permanent refusal (invalid
// number), it is dead-lettered: a SMS_DEAD_LETTER record plus a log line with
// `metric: "SmsDeadLettered"` that the CloudWatch metric filter and alarm count. Nothing is
// dropped silently. Logs carry ids, kinds and reasons only: never a number, a name or a text.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import { onFirstUse } from '#adapters/on-first-use.ts';
import { SmsSendError, type SmsSender } from '#adapters/sms.ts';
import { formatInstant } from '#domain/time.ts';
import { renderSms, type SmsKind } from '#domain/sms.ts';
import { appointmentCondition, decideSms, type SmsDecision, type SmsFacts, type SmsSkipReason } from '#domain/sms-decision.ts';
import type { Appointment, Clinic } from '#domain/types.ts';
import type { StoredClient } from '#db/client-repo.ts';
import { type SmsRepository, type SmsRecord } from '#db/sms-repo.ts';
import type { Repositories } from './context.ts';
import { pool } from './pool.ts';

export interface ReminderJobOptions {
  /** Messages per second of the origination number. */
  ratePerSecond: number;
  /** "How to reschedule" in every text, e.g. 'call 212-555-0100' or a URL. */
  rescheduleHint: string;
  /** Attempts before a failing SMS is dead-lettered. @default 5 */
  maxAttempts?: number;
  /** How long a claim holds before the job looks at the SMS again. @default 5 minutes */
  leaseMs?: number;
  /** First retry delay, doubled per attempt up to retryCapMs. @default 1 minute */
  retryBaseMs?: number;
  /** @default 30 minutes */
  retryCapMs?: number;
  /** SMS worked on at once (their sends still spaced by the rate). @default 8 */
  concurrency?: number;
  /** Index page size. @default 100 */
  pageSize?: number;
  /**
   * Notices (not reminders) per client per clinic-local day; more are skipped as 'daily_cap'.
   * SMS_DAILY_NOTICE_CAP. @default 50
   */
  dailyNoticeCap?: number;
}

/** Real elapsed time, for the rate cap and the time budget (not the business clock). */
export interface Timer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
};

export interface SentSms {
  to: string;
  body: string;
  sentAt: string;
  appointmentId: string;
  kind: SmsKind;
  messageId: string;
}

export interface RunResult {
  sent: SentSms[];
  skipped: Array<{ appointmentId: string; kind: SmsKind; reason: string }>;
  retried: number;
  deadLettered: number;
  /** Due SMS were left for the next run (time budget reached). */
  remaining: boolean;
}

type Outcome = 'sent' | 'skipped' | 'retried' | 'dead' | 'lost' | 'deferred';

/** decideSms's facts with the whole records read, which the send needs. */
interface JobFacts extends SmsFacts {
  appointment?: Appointment | null;
  clinic?: Clinic;
  client?: StoredClient | null;
}

/**
 * The rate cap, in two steps. `take` spaces sends evenly at `rate` per second across every run of
 * this job instance: each send reserves the next slot; a slot past the run's deadline is not
 * taken. `sending`, right before the send itself, holds it until the send `rate` before it is a
 * full second old, by the times sends actually went: what runs between the slot and the send (the
 * claim's transaction) takes a varying time, and a timer may fire late, so evenly spaced slots
 * alone let 201 sends into one second at a cap of 200 (the bench saw it). The hold is short: it
 * only ever waits out such crowding.
 */
export class RateLimiter {
  private next = -Infinity;
  /** When the last sends went, oldest first (at most `window` of them). */
  private readonly sent: number[] = [];
  /** Sends per `span` ms: `rate` per second, in whole sends. */
  private readonly window: number;
  private readonly span: number;
  constructor(
    private readonly rate: number,
    private readonly timer: Timer,
  ) {
    if (!(rate > 0)) throw new RangeError('The SMS rate must be positive');
    this.window = Math.max(1, Math.floor(rate));
    this.span = (this.window * 1000) / rate;
  }

  async take(deadline: number): Promise<boolean> {
    const at = Math.max(this.timer.now(), this.next);
    if (at > deadline) return false;
    this.next = at + 1000 / this.rate;
    const wait = at - this.timer.now();
    if (wait > 0) await this.timer.sleep(wait);
    return true;
  }

  /** Waits until a send now keeps every `span` ms (a second at a whole rate) to `window` sends, and counts it. */
  async sending(): Promise<void> {
    for (;;) {
      const oldest = this.sent.length >= this.window ? this.sent[this.sent.length - this.window] : undefined;
      const now = this.timer.now();
      if (oldest === undefined || now >= oldest + this.span) break;
      await this.timer.sleep(oldest + this.span - now);
    }
    // no await between the check and this: no other send can slip in
    this.sent.push(this.timer.now());
    if (this.sent.length > this.window) this.sent.shift();
  }
}

const MINUTE = 60_000;

/**
 * The phone library, imported by the first run that has a client's number to check: most runs find
 * nothing due, and a Lambda bundle keeps what only `import()` reaches out of its cold start
 * (docs/decisions.md, "Cold start").
 */
const phoneRules = onFirstUse(() => import('#domain/phone.ts'));

/** What ReminderJob reads besides its SMS records: the appointment, its clinic and its client, and the clock. */
export type ReminderJobDeps = Pick<Repositories, 'appointments' | 'clinics' | 'clients'> & { clock: Clock };

export class ReminderJob {
  readonly sms: SmsRepository;
  private readonly limiter: RateLimiter;
  private readonly o: Required<ReminderJobOptions>;

  constructor(
    private readonly deps: ReminderJobDeps,
    sms: SmsRepository,
    private readonly sender: SmsSender,
    private readonly logger: Logger,
    options: ReminderJobOptions,
    private readonly timer: Timer = realTimer,
  ) {
    this.sms = sms;
    this.o = {
      maxAttempts: 5,
      leaseMs: 5 * MINUTE,
      retryBaseMs: MINUTE,
      retryCapMs: 30 * MINUTE,
      concurrency: 8,
      pageSize: 100,
      dailyNoticeCap: 50,
      ...options,
    };
    if (!(Number.isInteger(this.o.dailyNoticeCap) && this.o.dailyNoticeCap >= 1))
      throw new RangeError('The daily notice cap must be a positive integer');
    this.limiter = new RateLimiter(this.o.ratePerSecond, timer);
  }

  /** Sends what is due at `now` (default: the clock) within `budgetMs` of real time. */
  async run(opts: { now?: number; budgetMs?: number } = {}): Promise<RunResult> {
    const now = opts.now ?? this.deps.clock.now();
    const deadline = this.timer.now() + (opts.budgetMs ?? 50_000);
    const result: RunResult = { sent: [], skipped: [], retried: 0, deadLettered: 0, remaining: false };
    const clinics = new Map<string, Promise<Clinic>>();
    let start: Record<string, unknown> | undefined;
    do {
      if (this.timer.now() >= deadline) {
        result.remaining = true;
        break;
      }
      const page = await this.sms.due(now, this.o.pageSize, start);
      // one appointment's SMS one after the other, in the order they fell due (a confirmation before
      // the move's notice that followed it); different appointments side by side
      const outcomes = (
        await pool(byAppointment(page.items), this.o.concurrency, async (items) => {
          const done: Outcome[] = [];
          for (const item of items) {
            done.push(await this.one(item, now, deadline, clinics, result));
            // out of this run's time budget: the rest stays due (a later notice waits for an
            // earlier one that did not go by decideSms's own rule, in_order)
            if (done.at(-1) === 'deferred') break;
          }
          return done;
        })
      ).flat();
      if (outcomes.includes('deferred')) {
        result.remaining = true;
        break;
      }
      start = page.next;
    } while (start);
    const idle = result.sent.length + result.skipped.length + result.retried + result.deadLettered === 0 && !result.remaining;
    const summary = {
      sent: result.sent.length,
      skipped: result.skipped.length,
      retried: result.retried,
      deadLettered: result.deadLettered,
      remaining: result.remaining,
    };
    if (idle) this.logger.debug('sms job run', summary);
    else this.logger.info('sms job run', summary);
    return result;
  }

  private async one(
    item: SmsRecord,
    now: number,
    deadline: number,
    clinics: Map<string, Promise<Clinic>>,
    result: RunResult,
  ): Promise<Outcome> {
    try {
      const outcome = await this.process(item, now, deadline, clinics, result);
      if (outcome === 'retried') result.retried += 1;
      if (outcome === 'dead') result.deadLettered += 1;
      return outcome;
    } catch (err) {
      // A DynamoDB failure here leaves the SMS as it was: due again next run (or, if claimed,
      // dead-lettered as outcome_unknown after its lease). Nothing about the client is logged.
      this.logger.error('sms processing failed', { appointmentId: item.appointmentId, kind: item.kind, error: (err as Error)?.name });
      return 'lost';
    }
  }

  /** One due SMS: the checks and their order are decideSms's (shared/domain/sms-decision.ts); this does the I/O. */
  private async process(
    item: SmsRecord,
    now: number,
    deadline: number,
    clinics: Map<string, Promise<Clinic>>,
    result: RunResult,
  ): Promise<Outcome> {
    const ref = { appointmentId: item.appointmentId, kind: item.kind };
    const facts: JobFacts = { item, now };
    let claimId: string | undefined;
    for (;;) {
      const d = decideSms(facts, this.o);
      if (d.action === 'read') {
        await this.read(d, item, facts, clinics);
        continue;
      }
      if (d.action === 'skip') return this.skip(item, d.reason, now, result);
      if (d.action === 'retry') return this.retry(item, d, claimId);
      if (d.action === 'dead_letter') return this.dead(item, d.reason, d.attempts, claimId, d.error);

      // every check passed: a slot of the rate cap, then the claim, then the send
      const body = this.render(item, facts.appointment!, facts.clinic!);
      if (!(await this.limiter.take(deadline))) return 'deferred';
      const id = randomUUID();
      const claim = await this.sms.claim(item, {
        claimId: id,
        leaseUntil: now + this.o.leaseMs,
        appointment: appointmentCondition(item),
        ...(d.dailyCap ? { dailyCap: d.dailyCap } : {}),
      });
      if (claim === 'lost') return 'lost';
      facts.claim = claim;
      if (claim !== 'claimed') continue; // refused: decideSms says which skip
      claimId = id;
      let messageId: string;
      try {
        await this.limiter.sending();
        ({ messageId } = await this.sender.send(facts.client!.phone, body, { ...ref, at: now, timezone: facts.clinic!.timezone }));
      } catch (err) {
        facts.sendError = toSendError(err);
        continue;
      }
      await this.markSent(item, claimId, now, messageId);
      result.sent.push({ to: facts.client!.phone, body, sentAt: formatInstant(now, facts.clinic!.timezone), ...ref, messageId });
      this.logger.info('sms sent', { ...ref, messageId });
      return 'sent';
    }
  }

  private render(item: SmsRecord, appt: Appointment, clinic: Clinic): string {
    return renderSms({
      kind: item.kind,
      clinicName: clinic.smsName ?? clinic.name,
      // the time the SMS was planned for: a notice tells of its own change, even if another followed
      startsAt: item.startsAt,
      zone: clinic.timezone,
      mode: appt.mode,
      service: appt.service,
      rescheduleHint: this.o.rescheduleHint,
      ...(item.previousStartsAt === undefined ? {} : { previousStartsAt: item.previousStartsAt }),
    });
  }

  /** Reads the fact decideSms asked for into `facts`: never left undefined, or it would be asked for again. */
  private async read(
    d: Extract<SmsDecision, { action: 'read' }>,
    item: SmsRecord,
    facts: JobFacts,
    clinics: Map<string, Promise<Clinic>>,
  ): Promise<void> {
    switch (d.fact) {
      case 'appointment':
        facts.appointment = (await this.deps.appointments.get(item.appointmentId)) ?? null;
        return;
      case 'clinic': {
        const clinicId = facts.appointment!.clinicId;
        let clinic = clinics.get(clinicId);
        if (!clinic) {
          clinic = this.deps.clinics.require(clinicId);
          clinics.set(clinicId, clinic);
        }
        facts.clinic = await clinic;
        return;
      }
      case 'siblings':
        facts.siblings = await this.sms.ofAppointment(item.appointmentId);
        return;
      case 'client':
        facts.client = (await this.deps.clients.get(item.clientId)) ?? null;
        return;
      case 'valid_phone':
        facts.validPhone = (await phoneRules()).isValidPhone(facts.client!.phone);
        return;
      case 'opt_out':
        facts.optedOut = Boolean(await this.sms.isOptedOut(facts.client!.phone));
        return;
      case 'provider_opt_out':
        try {
          facts.providerOptedOut = Boolean(await this.sender.isOptedOut(facts.client!.phone));
        } catch (err) {
          facts.providerOptedOut = toSendError(err);
        }
        return;
      case 'daily_count':
        facts.dailyCount = await this.sms.dailyCount(item.clientId, d.day);
        return;
    }
  }

  private async skip(item: SmsRecord, reason: SmsSkipReason, now: number, result: RunResult): Promise<Outcome> {
    const ref = { appointmentId: item.appointmentId, kind: item.kind };
    if (!(await this.sms.markSkipped(item, reason, now))) return 'lost';
    result.skipped.push({ ...ref, reason });
    this.logger.info('sms skipped', { ...ref, reason });
    if (reason === 'daily_cap') {
      // ids, kind and the cap only (no number, name or text); a metric filter on `metric` can count it
      this.logger.warn('sms daily notice cap reached', {
        metric: 'SmsDailyCapReached',
        ...ref,
        clinicId: item.clinicId,
        cap: this.o.dailyNoticeCap,
      });
    }
    return 'skipped';
  }

  private async retry(item: SmsRecord, d: Extract<SmsDecision, { action: 'retry' }>, claimId: string | undefined): Promise<Outcome> {
    const ok = await this.sms.retryLater(item, {
      ...(claimId === undefined ? {} : { claimId }),
      dueAt: d.at,
      attempts: d.attempts,
      error: d.error,
    });
    if (d.cause === 'send_failed') {
      this.logger.warn('sms send failed, retrying', {
        appointmentId: item.appointmentId,
        kind: item.kind,
        attempts: d.attempts,
        error: d.error,
      });
    }
    return ok ? 'retried' : 'lost';
  }

  /** Marks a sent SMS, retrying a failed write twice: it went out, so it must not look due again. */
  private async markSent(item: SmsRecord, claimId: string, now: number, messageId: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (!(await this.sms.markSent(item, claimId, now, messageId))) {
          // Moved or cancelled between the claim and the send: it went out for the plan it had.
          this.logger.warn('sms sent but its plan changed meanwhile', { appointmentId: item.appointmentId, kind: item.kind });
        }
        return;
      } catch (err) {
        if (attempt === 2) throw err;
      }
    }
  }

  private async dead(item: SmsRecord, reason: string, attempts: number, claimId: string | undefined, lastError: string): Promise<Outcome> {
    const ok = await this.sms.deadLetter(
      item,
      {
        appointmentId: item.appointmentId,
        kind: item.kind,
        reason,
        attempts,
        lastError,
        at: this.deps.clock.now(),
        smsKey: { PK: item.PK, SK: item.SK },
      },
      claimId,
    );
    if (!ok) return 'lost';
    // The alarm counts this line (infra/lib/reminders.ts: metric filter on `metric`).
    this.logger.error('sms dead-lettered', {
      metric: 'SmsDeadLettered',
      appointmentId: item.appointmentId,
      kind: item.kind,
      reason,
      attempts,
      error: lastError,
    });
    return 'dead';
  }
}

function toSendError(err: unknown): SmsSendError {
  return err instanceof SmsSendError ? err : new SmsSendError('Unexpected sender failure', 'unknown', (err as Error)?.name ?? 'Error');
}

/** Runs `f` over `items` with at most `limit` at a time, results in order. */
/** The items grouped by appointment, each group and the groups in the order of `items` (due order). */
function byAppointment(items: readonly SmsRecord[]): SmsRecord[][] {
  const groups = new Map<string, SmsRecord[]>();
  for (const item of items) {
    const group = groups.get(item.appointmentId);
    if (group) group.push(item);
    else groups.set(item.appointmentId, [item]);
  }
  return [...groups.values()];
}
