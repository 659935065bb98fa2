// What the web app says a dosing session has before it (src/lib/course-rules.ts, dosingCourse)
// must be what the API decides (shared/domain/booking-rules.ts, explorationCourse): the booking page
// explains a refusal and the cancel dialog warns from it. Compared on random courses of care: any
// mix of intakes and preparations, in any status, before, at and after the dosing session.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { explorationCourse } from '#domain/booking-rules.ts';
import type { Appointment, AppointmentStatus, ServiceCode } from '#domain/types.ts';
import { dosingCourse } from '../src/lib/course-rules.ts';

const HOUR = 3_600_000;
const BASE = Date.parse('2026-12-01T09:00:00-05:00');
const iso = (ms: number) => new Date(ms).toISOString();

const STATUSES: AppointmentStatus[] = ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'];
const SERVICES: ServiceCode[] = ['intake', 'preparation', 'exploration', 'integration', 'ongoing_care'];

const appointment = fc.record({
  service: fc.constantFrom(...SERVICES),
  status: fc.constantFrom(...STATUSES),
  hour: fc.integer({ min: 0, max: 30 * 24 }),
});

describe('dosingCourse (web) = explorationCourse (API)', () => {
  it('agrees on the intake and the preparations for every course and start', () => {
    fc.assert(
      fc.property(
        fc.array(appointment, { maxLength: 8 }),
        fc.integer({ min: 0, max: 30 * 24 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        (list, startHour, intakeCompleted, required) => {
          const startsAt = BASE + startHour * HOUR;
          const api: Appointment[] = list.map((a, i) => ({
            id: `apt_${i}`,
            clinicId: 'c',
            clientId: 'k',
            providerId: 'p',
            roomId: null,
            mode: 'in_person',
            service: a.service,
            status: a.status,
            startsAt: BASE + a.hour * HOUR,
            endsAt: BASE + (a.hour + 1) * HOUR,
            createdAt: BASE,
            updatedAt: BASE,
            version: 1,
          }));
          const web = api.map((a) => ({
            id: a.id,
            service: a.service,
            status: a.status,
            startsAt: iso(a.startsAt),
            endsAt: iso(a.endsAt),
          }));
          const decided = explorationCourse({ intakeCompleted }, api, startsAt, { requiredPreparationSessions: required });
          const said = dosingCourse(intakeCompleted, web, iso(startsAt), required);
          expect({ intake: said.intake, preparations: said.preparationsMet }).toEqual(decided);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
