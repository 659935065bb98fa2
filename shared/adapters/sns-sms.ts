// The SMS sender on AWS: SNS Publish, and its opt-out list. Every SDK failure becomes an
// SmsSendError whose `outcome` says whether the message may have gone out (./sms.ts).
// Only the reminder job sends, and only on a run that finds an SMS due, so its handler imports this
// module (and with it the SNS client) on the first SMS of the process, not at cold start
// (docs/decisions.md, "Cold start").
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { SmsSendError, type SmsMeta, type SmsSender } from './sms.ts';

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

/**
 * The sender the reminder job uses on AWS. `maxAttempts: 1`: the SDK's own retries would resend a
 * Publish whose first try SNS may already have accepted (the job decides about retries).
 */
export function createSnsSmsSender(region: string, opts: SnsSmsSenderOptions): SnsSmsSender {
  return new SnsSmsSender(new SNSClient({ region, maxAttempts: 1 }), opts);
}
