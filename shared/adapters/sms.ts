// Sending an SMS: an interface, SNS on AWS (./sns-sms.ts, loaded by the reminder job on its first
// SMS) and an in-memory outbox locally (GET /v1/dev/outbox).
//
// Exactly-once is the job's business (shared/services/reminder-job.ts), but it depends on one
// thing from here: knowing whether a failed send might still have gone out. So every failure is
// an SmsSendError with an `outcome`:
//   - 'retry'     SNS answered and refused for now (throttling, its own 5xx): nothing was sent;
//   - 'permanent' SNS answered and will never take it (invalid number, opted out, no rights);
//   - 'unknown'   no answer (network cut, timeout): the message may or may not have gone out.
import type { SmsKind } from '#domain/sms.ts';
import { formatInstant } from '#domain/time.ts';

export type SmsSendOutcome = 'retry' | 'permanent' | 'unknown';

export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  constructor(
    message: string,
    readonly outcome: SmsSendOutcome,
    /** The provider's error name, for logs and the dead-letter record (never the number or text). */
    readonly code: string,
  ) {
    super(message);
  }
}

export interface SmsMeta {
  appointmentId: string;
  kind: SmsKind;
  /** When the job sends it, by the job's clock (epoch ms): the local outbox's `sentAt`. */
  at?: number | undefined;
  /** The clinic's zone, in which the local outbox gives `sentAt` (with its offset, as the API gives times). */
  timezone?: string | undefined;
}

export interface SmsSender {
  send(to: string, body: string, meta: SmsMeta): Promise<{ messageId: string }>;
  /** Whether the number is on the provider's opt-out list (a STOP reply). */
  isOptedOut(phone: string): Promise<boolean>;
}

export interface OutboxEntry {
  to: string;
  body: string;
  sentAt: string;
  appointmentId: string;
  kind: SmsKind;
}

/**
 * The local sender behind `npm start`: keeps what would have been sent, oldest first, in memory
 * (the last `limit`), for GET /v1/dev/outbox. `optOut` plays a STOP reply to SNS.
 */
export class OutboxSmsSender implements SmsSender {
  private readonly entries: OutboxEntry[] = [];
  private readonly optedOut = new Set<string>();
  private n = 0;

  constructor(
    private readonly now: () => number,
    private readonly limit = 1000,
  ) {}

  async send(to: string, body: string, meta: SmsMeta): Promise<{ messageId: string }> {
    const at = meta.at ?? this.now();
    const sentAt = meta.timezone ? formatInstant(at, meta.timezone) : new Date(at).toISOString();
    this.entries.push({ to, body, sentAt, appointmentId: meta.appointmentId, kind: meta.kind });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.n += 1;
    return { messageId: `local-${this.n}` };
  }

  async isOptedOut(phone: string): Promise<boolean> {
    return this.optedOut.has(phone);
  }

  optOut(phone: string, optedOut = true): void {
    if (optedOut) this.optedOut.add(phone);
    else this.optedOut.delete(phone);
  }

  list(): OutboxEntry[] {
    return [...this.entries];
  }
}
