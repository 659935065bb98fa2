// A clinic's reminders re-planned after its reminder offsets or quiet hours changed
// (docs/domain.md, "SMS notices and reminders"): every appointment of the clinic still booked that starts
// after now gets the plan a booking would give it now (appointmentReminders), in one conditional
// transaction per appointment (AppointmentRepository.replanReminders). What to put, delete or leave
// is decided by replanReminders (#domain/reminder-replan.ts); here are the reads and the writes.
//
// The appointments come from the clinic's by-start index from now on, with no upper bound (staff
// may book beyond the booking window), and are re-planned REPLAN_CONCURRENCY at a time. Each is
// read again strongly consistently with its reminder items, decided, and written on what was read;
// a refused write (the appointment moved or was cancelled, the job claimed a reminder, the clinic
// changed again) reads again and decides again, up to REPLAN_ATTEMPTS times. An appointment found
// not booked, started, or with nothing to change is left without a write, so running the re-plan
// again after it completed writes nothing.
import { asUnavailable, backoff, ContentionError, StaleReadError } from '#db/errors.ts';
import { ServiceUnavailableError } from '#domain/errors.ts';
import { appointmentReminders, reminderOffsets } from '#domain/reminders.ts';
import { replanReminders } from '#domain/reminder-replan.ts';
import { smsReplanWrite } from '#db/sms-repo.ts';
import type { Clinic } from '#domain/types.ts';
import type { Clock } from '#adapters/clock.ts';
import type { Repositories } from './context.ts';
import { pool } from './pool.ts';

/** Appointments re-planned at a time: each costs one Query and at most one transaction per attempt. */
const REPLAN_CONCURRENCY = 8;
/** Reads and writes of one appointment before it is counted as failed. */
const REPLAN_ATTEMPTS = 6;

export type ReminderReplanDeps = Pick<Repositories, 'appointments' | 'clinics'> & { clock: Clock };

/** What a re-plan did: appointments found, re-planned (written), left as they were, given up. */
export interface ReplanOutcome {
  appointments: number;
  replanned: number;
  unchanged: number;
  failed: number;
}

type One = 'replanned' | 'unchanged' | 'failed';

export class ReminderReplan {
  constructor(private readonly deps: ReminderReplanDeps) {}

  /**
   * Re-plans the reminders of every appointment of `clinic` (as stored after its change) that is
   * booked and starts after now. Throws a 503 when any appointment could not be re-planned (it is
   * then on its old plan or the new one, never a mix): the same change sent again completes it.
   */
  async clinic(clinic: Clinic): Promise<ReplanOutcome> {
    const now = this.deps.clock.now();
    const upcoming = (await this.deps.appointments.byClinicFrom(clinic.id, now + 1)).filter(
      (a) => a.status === 'booked' && a.startsAt > now,
    );
    let current = clinic;
    // the clinic changed again meanwhile (a write refused on its version): read it once for all
    let reread: Promise<Clinic> | null = null;
    const fresher = async (seen: Clinic): Promise<Clinic> => {
      if (current.version > seen.version) return current;
      reread ??= this.deps.clinics.require(clinic.id, true).then((c) => {
        reread = null;
        if (c.version > current.version) current = c;
        return current;
      });
      return reread;
    };

    const results = await pool(upcoming, REPLAN_CONCURRENCY, (a) => this.one(a.id, () => current, fresher));
    const count = (r: One) => results.filter((x) => x === r).length;
    const outcome = {
      appointments: upcoming.length,
      replanned: count('replanned'),
      unchanged: count('unchanged'),
      failed: count('failed'),
    };
    if (outcome.failed > 0) {
      throw new ServiceUnavailableError(
        'The clinic was changed, but the reminders of some of its appointments are still on the old plan: send the same change again',
      );
    }
    return outcome;
  }

  private async one(appointmentId: string, clinicNow: () => Clinic, fresher: (seen: Clinic) => Promise<Clinic>): Promise<One> {
    let clinic = clinicNow();
    for (let attempt = 0; attempt < REPLAN_ATTEMPTS; attempt++) {
      try {
        const read = await this.deps.appointments.withReminders(appointmentId);
        const now = this.deps.clock.now();
        if (!read || read.appointment.status !== 'booked' || read.appointment.startsAt <= now) return 'unchanged';
        const { appointment, reminders } = read;
        const decision = replanReminders({
          appointment,
          existing: reminders.flatMap((r) =>
            r.offsetHours === undefined
              ? []
              : [{ offsetHours: r.offsetHours, state: r.state, sendAt: r.sendAt, apptVersion: r.apptVersion, startsAt: r.startsAt }],
          ),
          plan: appointmentReminders(appointment.startsAt, clinic, now),
          policyOffsets: reminderOffsets(clinic.policy),
          now,
        });
        if (!decision.changed) return 'unchanged';
        await this.deps.appointments.replanReminders(appointment, decision.offsets, smsReplanWrite(appointment, decision, reminders), {
          clinicId: clinic.id,
          version: clinic.version,
        });
        return 'replanned';
      } catch (err) {
        // the database unavailable: this one is counted as failed, the others go on (a 503 at the end)
        if (asUnavailable(err)) return 'failed';
        if (!(err instanceof StaleReadError || err instanceof ContentionError)) throw err;
        clinic = await fresher(clinic).catch(() => clinic);
        await backoff(attempt);
      }
    }
    return 'failed';
  }
}
