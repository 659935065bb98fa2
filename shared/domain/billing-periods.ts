// Monthly billing periods as Stripe counts them: calendar months in UTC from the schedule's start.

/**
 * `months` calendar months after `epochSeconds`, in UTC, keeping the anchor's day of month and time
 * and clamping to the month's last day (Jan 31 → Feb 28/29 → Mar 31), as Stripe bills monthly.
 */
export function addMonthsUtc(epochSeconds: number, months: number): number {
  const d = new Date(epochSeconds * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(targetYear, targetMonth, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

/**
 * Which installment (1-based) an installment invoice is for: its line's billing period starts
 * exactly (n−1) months after the schedule's start (`startAt` given to scheduleInstallments).
 * Read `invoice.lines.data[0].period.start`. Retries of a failed installment keep the invoice id
 * and the period, so they map to the same number. Returns 0 when the period starts before startAt.
 */
export function installmentNumber(startAt: number, periodStart: number): number {
  const a = new Date(startAt * 1000);
  const b = new Date(periodStart * 1000);
  let k = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  while (k > 0 && addMonthsUtc(startAt, k) > periodStart) k -= 1;
  while (addMonthsUtc(startAt, k + 1) <= periodStart) k += 1;
  return addMonthsUtc(startAt, k) <= periodStart && k >= 0 ? k + 1 : 0;
}
