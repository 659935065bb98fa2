// Sending an SMS: an interface, SNS on AWS and an in-memory outbox locally (GET /v1/dev/outbox).
//
// Exactly-once is the job's business (shared/services/reminder-job.ts), but it depends on one
// thing from here: knowing whether a failed send might still have gone out. So every failure is
// an SmsSendError with an `outcome`:
//   - 'retry'     SNS answered and refused for now (throttling, its own 5xx): nothing was sent;
//   - 'permanent' SNS answered and will never take it (invalid number, opted out, no rights);
//   - 'unknown'   no answer (network cut, timeout): the message may or may not have gone out.
// The SNS client must be built with `maxAttempts: 1` (functions/reminders/handler.ts): the SDK's
// own retries would resend a request whose first try SNS may already have accepted.
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsKind } from '#domain/sms.ts';

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
}

export interface SmsSender {
  send(to: string, body: string, meta: SmsMeta): Promise<{ messageId: string }>;
  /** Whether the number is on the provider's opt-out list (a STOP reply). */
  isOptedOut(phone: string): Promise<boolean>;
}

const THROTTLED = new Set([
  'ThrottledException',
  'ThrottlingException',
  'KMSThrottlingException',
  'TooManyRequestsException',
  'Throttling',
]);
const SERVER = new Set(['InternalErrorException', 'ServiceUnavailable', 'InternalFailure']);

/** An SDK error as our own, by what it says about whether the message went out. */
export function classifySnsError(err: unknown): SmsSendError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || status === 429) return new SmsSendError('SNS throttled the request', 'retry', name);
  if (SERVER.has(name) || (status !== undefined && status >= 500)) return new SmsSendError('SNS failed the request', 'retry', name);
  if (status !== undefined && status >= 400) return new SmsSendError('SNS refused the request', 'permanent', name);
  return new SmsSendError('No answer from SNS: the message may have been sent', 'unknown', name);
}

export interface SnsSmsSenderOptions {
  /** Alphanumeric sender id, where the destination country supports it (not the US or Canada). */
  senderId?: string | undefined;
  /** The origination number (toll-free, 10DLC or short code) registered for this use. */
  originationNumber?: string | undefined;
}

export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly opts: SnsSmsSenderOptions = {},
  ) {}

  /** `meta` stays out of SNS: message attributes are visible to carriers' and SNS's logs. */
  async send(to: string, body: string, _meta?: SmsMeta): Promise<{ messageId: string }> {
    const attributes: Record<string, MessageAttributeValue> = {
      // Transactional: delivered with the higher reliability route, not subject to marketing hours.
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.opts.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.opts.senderId };
    if (this.opts.originationNumber) {
      attributes['AWS.MM.SMS.OriginationNumber'] = { DataType: 'String', StringValue: this.opts.originationNumber };
    }
    try {
      const res = await this.sns.send(new PublishCommand({ PhoneNumber: to, Message: body, MessageAttributes: attributes }));
      return { messageId: res.MessageId ?? '' };
    } catch (err) {
      throw classifySnsError(err);
    }
  }

  async isOptedOut(phone: string): Promise<boolean> {
    try {
      const res = await this.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone }));
      return res.isOptedOut === true;
    } catch (err) {
      // Nothing was sent either way; the job retries the whole SMS later.
      const mapped = classifySnsError(err);
      throw new SmsSendError(mapped.message, mapped.outcome === 'permanent' ? 'permanent' : 'retry', mapped.code);
    }
  }
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
    this.entries.push({ to, body, sentAt: new Date(this.now()).toISOString(), appointmentId: meta.appointmentId, kind: meta.kind });
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
