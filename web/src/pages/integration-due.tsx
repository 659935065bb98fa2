// "Book your integration session": on the client's My care page and on the booking page when an
// integration session is the kind chosen, each dosing session still without its integration
// session within the clinic's days after it (lib/integration-rules.ts), with the dates to book in.
// The card's link keeps the first such dosing session's id in the tab beside the kind, and the
// booking page opens its week of open times on that session's window and names it.
import { Alert } from '../components/ui.tsx';
import { storeBookService } from '../lib/book-service.ts';
import { serviceName, type Appointment, type ClinicSetup } from '../lib/clinic-data.ts';
import { formatDate, formatDayParts, formatShortDay, todayIn } from '../lib/format.ts';
import { integrationsToBook, linkedWindow, windowAfter, type IntegrationWindow } from '../lib/integration-rules.ts';
import { Link } from '../router.tsx';

/** What is due, for the pages: none when every dosing session has its integration session, or its window has ended. */
export const integrationsDue = (setup: ClinicSetup, appointments: readonly Appointment[], now = new Date()) =>
  integrationsToBook(appointments, setup.clinic.policy.integrationWithinDays, todayIn(setup.clinic.timezone, now));

/** The window of the dosing session a link stored (`dosingId`), while it is still the client's and still due. */
export const windowOfLink = (setup: ClinicSetup, appointments: readonly Appointment[], dosingId: string | undefined, now = new Date()) =>
  linkedWindow(appointments, dosingId, setup.clinic.policy.integrationWithinDays, todayIn(setup.clinic.timezone, now));

/** "Within 7 days after your exploration session on Tue, Dec 8: Dec 9 – Dec 15", in the clinic's names. */
export function windowWords(setup: ClinicSetup, window: IntegrationWindow, whose: 'your' | 'their'): string {
  const exploration = serviceName(setup, 'exploration').toLowerCase();
  const days = `${formatDayParts(window.first).day} – ${formatDayParts(window.last).day}`;
  return `Within ${setup.clinic.policy.integrationWithinDays} days after ${whose} ${exploration} on ${formatShortDay(window.after)}: ${days}`;
}

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
      <Link className="btn btn-secondary" href="/book" onClick={() => storeBookService('integration', due[0]?.exploration.id)}>
        Book {integration.toLowerCase()}
      </Link>
    </section>
  );
}

/**
 * The booking pages' note while an integration session is the kind chosen (the client's: "your";
 * the staff's: "their"): the dates it is best booked in; the window the link named (`window`),
 * marked in the week below, else the first one due.
 */
export function IntegrationWindowNote({
  setup,
  appointments,
  window,
  whose = 'your',
}: {
  setup: ClinicSetup;
  appointments: readonly Appointment[];
  window: IntegrationWindow | undefined;
  whose?: 'your' | 'their';
}) {
  const shown =
    window ?? integrationsDue(setup, appointments).map((d) => windowAfter(d.exploration, setup.clinic.policy.integrationWithinDays))[0];
  if (!shown) return null;
  return (
    <Alert kind="info" title="When to book it">
      {windowWords(setup, shown, whose)}.{window ? ' Those days are marked in the week below.' : ''}
    </Alert>
  );
}
