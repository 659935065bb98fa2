// The daily notice cap's pure part: which SMS count against it, and on which clinic-local day.
import { describe, expect, it } from 'vitest';
import { dailyCapSlot, type SmsKind } from '#domain/sms.ts';
import { loadConfig } from '#shared/config.ts';
import { NY } from './fixtures.ts';

const at = (iso: string) => Date.parse(iso);

describe('dailyCapSlot', () => {
  it('notices count (confirmation, moved, cancelled); reminders never do', () => {
    const now = at('2026-12-01T12:00:00Z');
    const kinds: SmsKind[] = ['confirmation', 'moved', 'cancelled'];
    for (const kind of kinds) expect(dailyCapSlot(kind, now, NY)).toEqual({ day: '2026-12-01' });
    expect(dailyCapSlot('reminder', now, NY)).toBeNull();
  });

  it('the day is the clinic-local date of the send, not the UTC one', () => {
    // 23:59 on Dec 1 in New York is already Dec 2 in UTC; midnight there starts Dec 2
    expect(dailyCapSlot('confirmation', at('2026-12-02T04:59:00Z'), NY)).toEqual({ day: '2026-12-01' });
    expect(dailyCapSlot('confirmation', at('2026-12-02T05:00:00Z'), NY)).toEqual({ day: '2026-12-02' });
    // east of UTC the other way round: 00:30 on Dec 2 in Auckland is Dec 1 in UTC
    expect(dailyCapSlot('moved', at('2026-12-01T11:30:00Z'), 'Pacific/Auckland')).toEqual({ day: '2026-12-02' });
    // across the fall-back change the local date still changes at local midnight
    expect(dailyCapSlot('cancelled', at('2026-11-02T04:59:00Z'), NY)).toEqual({ day: '2026-11-01' });
    expect(dailyCapSlot('cancelled', at('2026-11-02T05:00:00Z'), NY)).toEqual({ day: '2026-11-02' });
  });

  it('SMS_DAILY_NOTICE_CAP: 50 by default (a whole course booked in one day fits), a positive integer when set', () => {
    expect(loadConfig({ TABLE_NAME: 't' }).SMS_DAILY_NOTICE_CAP).toBe(50);
    expect(loadConfig({ TABLE_NAME: 't', SMS_DAILY_NOTICE_CAP: '3' }).SMS_DAILY_NOTICE_CAP).toBe(3);
    expect(() => loadConfig({ TABLE_NAME: 't', SMS_DAILY_NOTICE_CAP: '0' })).toThrow(/SMS_DAILY_NOTICE_CAP/);
    expect(() => loadConfig({ TABLE_NAME: 't', SMS_DAILY_NOTICE_CAP: '2.5' })).toThrow(/SMS_DAILY_NOTICE_CAP/);
  });
});
