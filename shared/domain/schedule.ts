// What the front desk's day view flags on an appointment that needs attention before it happens.
// Pure: the caller reads the appointment, its client and its package, and says whether the viewer
// may see clinical status (shared/auth/policy.ts `visibility()`).

import { tookCredit } from '#domain/allocation.ts';
import { clearanceValidOn, explorationCourse } from '#domain/booking-rules.ts';
import { packagePaidUp } from '#domain/package-rules.ts';
import type { Package } from '#domain/packages.ts';
import { ACTIVE_STATUSES, type Appointment, type Client, type Policy } from '#domain/types.ts';

export type ScheduleFlag = 'intake_missing' | 'clearance_missing' | 'preparation_missing' | 'ride_home_missing' | 'unpaid';

/** The flags the API's `flags` holds (the published set); the course flags go in `courseFlags` beside it. */
export const LISTED_FLAGS = ['clearance_missing', 'ride_home_missing', 'unpaid'] as const satisfies readonly ScheduleFlag[];
/** What the course of care lacks before an exploration (intake, preparation): the API's `courseFlags`. */
export const COURSE_FLAGS = ['intake_missing', 'preparation_missing'] as const satisfies readonly ScheduleFlag[];

export interface ScheduleFlagInput {
  appointment: Pick<Appointment, 'service' | 'status' | 'startsAt' | 'invoiceId' | 'late' | 'packageId'>;
  /** The appointment's client; null when it could not be read. */
  client: Pick<Client, 'clearance' | 'rideHome' | 'intakeCompleted'> | null;
  /**
   * For an exploration: the client's appointments (this one may be among them) and the clinic's
   * policy, to check its intake and preparation sessions again; undefined when not read (no
   * course flag is given then).
   */
  course?: { appointments: readonly Appointment[]; policy: Pick<Policy, 'requiredPreparationSessions'> } | undefined;
  /** The package it is booked against; undefined when none (or not found). */
  package: Pick<Package, 'status' | 'payments' | 'price' | 'cancellation'> | undefined;
  /**
   * What the package's invoice holds (paid less refunded), read for a cancelled package only: the
   * balance a cancel left owing may be paid there (packagePaidUp). Undefined: not read.
   */
  packageInvoiceHeld?: number | undefined;
  /** The balance of the appointment's own invoice (a self-pay session); undefined when none (or not found). */
  invoiceBalance?: number | undefined;
  /** policy.lateCancellationForfeitsCredit: a package session cancelled late then keeps its credit spent, as a no-show does. */
  lateCancellationForfeitsCredit: boolean;
  /** The clinic's time zone: a clearance is valid up to a clinic-local date. */
  zone: string;
  /** Whether the viewer sees clinical status. Minimum necessary: finance sees only 'unpaid'. */
  seesClinicalStatus: boolean;
}

/**
 * The flags of one appointment, in this order (the booking rules' order, then unpaid).
 *  - intake_missing, clearance_missing, preparation_missing, ride_home_missing: an exploration
 *    still on the day's plan (booked, checked in, completed) that lacks what booking required of
 *    it, checked again on the day since each can lapse or be undone after booking: no intake done
 *    or booked before it (one cancelled, or moved after it), no valid clearance on the session's
 *    date, fewer preparation sessions before it than the policy asks (one cancelled or moved), no
 *    ride home on file. The intake and preparation flags need the client's appointments (`course`);
 *    clinical, so only for viewers who see clinical status;
 *  - unpaid, whatever the status: a self-pay session (an invoiceId, no packageId) whose invoice still has a
 *    balance above 0 (or could not be read), so a late cancellation's or a no-show's unpaid fee
 *    shows; any other appointment that holds its package credit (tookCredit: a no-show, and a
 *    late cancel whose credit the policy forfeits, included) booked against a package that is not
 *    paid up (packagePaidUp: a package paid for and cancelled since is, as is one whose cancel left
 *    a balance that was paid since on its invoice). A session cancelled with its credit given back
 *    costs the package nothing, so it is never flagged.
 */
export function scheduleFlags(input: ScheduleFlagInput): ScheduleFlag[] {
  const { appointment: a, client } = input;
  const flags: ScheduleFlag[] = [];
  if (ACTIVE_STATUSES.includes(a.status) && input.seesClinicalStatus && a.service === 'exploration') {
    const { course } = input;
    const met = client && course ? explorationCourse(client, course.appointments, a.startsAt, course.policy) : undefined;
    if (met && !met.intake) flags.push('intake_missing');
    if (!clearanceValidOn(client?.clearance, a.startsAt, input.zone)) flags.push('clearance_missing');
    if (met && !met.preparations) flags.push('preparation_missing');
    if (!client?.rideHome) flags.push('ride_home_missing');
  }
  if (isUnpaid(input)) flags.push('unpaid');
  return flags;
}

function isUnpaid({
  appointment: a,
  invoiceBalance,
  package: pkg,
  packageInvoiceHeld,
  lateCancellationForfeitsCredit,
}: ScheduleFlagInput): boolean {
  // a session a program credit pays for since keeps its voided invoice: its package decides
  if (a.invoiceId && a.packageId === undefined) return invoiceBalance === undefined || invoiceBalance > 0;
  if (!tookCredit(a, lateCancellationForfeitsCredit)) return false;
  return !packagePaidUp(pkg, packageInvoiceHeld);
}
