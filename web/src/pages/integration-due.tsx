// "Book your integration session": on the client's My care page and on the booking page when an
// integration session is the kind chosen, each dosing session still without its integration
// session within the clinic's days after it (lib/integration-rules.ts), with the dates to book in.
import { Alert } from '../components/ui.tsx';
import { storeBookService } from '../lib/book-service.ts';
import { serviceName, type Appointment, type ClinicSetup } from '../lib/clinic-data.ts';
import { formatDate, todayIn } from '../lib/format.ts';
import { integrationsToBook } from '../lib/integration-rules.ts';
import { Link } from '../router.tsx';

/** What is due, for the pages: none when every dosing session has its integration session, or its window has ended. */
export const integrationsDue = (setup: ClinicSetup, appointments: readonly Appointment[], now = new Date()) =>
  integrationsToBook(appointments, setup.clinic.policy.integrationWithinDays, todayIn(setup.clinic.timezone, now));

/** The My care page's card: each dosing session without its integration session, and a link to book one. */
export function IntegrationDueCard({ setup, appointments }: { setup: ClinicSetup; appointments: readonly Appointment[] }) {
  const due = integrationsDue(setup, appointments);
  if (due.length === 0) return null;
  const integration = serviceName(setup, 'integration');
  const exploration = serviceName(setup, 'exploration');
  return (
    <section className="card" aria-labelledby="integration-due">
      <h2 id="integration-due">Book your {integration.toLowerCase()}</h2>
      <p>
        After each {exploration.toLowerCase()}, the clinic sees you within {setup.clinic.policy.integrationWithinDays} days to talk it
        through.
      </p>
      <ul>
        {due.map((d) => (
          <li key={d.exploration.id}>
            After the one on {formatDate(d.from)}: book by <strong>{formatDate(d.by)}</strong>.
          </li>
        ))}
      </ul>
      <Link className="btn btn-secondary" href="/book" onClick={() => storeBookService('integration')}>
        Book {integration.toLowerCase()}
      </Link>
    </section>
  );
}

/** The booking page's note while an integration session is the kind chosen: the dates it is best booked in. */
export function IntegrationWindowNote({ setup, appointments }: { setup: ClinicSetup; appointments: readonly Appointment[] }) {
  const next = integrationsDue(setup, appointments)[0];
  if (!next) return null;
  return (
    <Alert kind="info" title="When to book it">
      Best between {formatDate(next.from)} and {formatDate(next.by)}: within {setup.clinic.policy.integrationWithinDays} days after your{' '}
      {serviceName(setup, 'exploration').toLowerCase()} on {formatDate(next.from)}.
    </Alert>
  );
}
