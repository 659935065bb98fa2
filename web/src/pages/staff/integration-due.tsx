// "Integration session due" on the staff side, so the front desk can offer the booking while the
// client is in front of them: the client chart and the day's panel name each dosing session still
// without its integration session within the clinic's days after it, with the last day to hold it
// (the rule My care uses, lib/integration-rules.ts, so both sides say the same), and for the roles
// that book a link to the staff booking page opened on an integration session. The kind travels in
// the tab (lib/book-service.ts), never in the address, with the first such dosing session's id: the
// booking page opens its week on that session's window, names it and marks its days.
import { Alert } from '../../components/ui.tsx';
import { storeBookService } from '../../lib/book-service.ts';
import { serviceName, type Appointment, type ClinicSetup } from '../../lib/clinic-data.ts';
import { formatDate } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import type { IntegrationWindow } from '../../lib/integration-rules.ts';
import { integrationsDue, IntegrationWindowNote } from '../integration-due.tsx';

/**
 * The notice: one line per dosing session that needs its integration session, nothing when none
 * does. `bookHref`: the client's staff booking page, for the roles that book (else none: the
 * notice says who books it).
 */
export function IntegrationDueNotice({
  setup,
  appointments,
  bookHref,
}: {
  setup: ClinicSetup;
  appointments: readonly Appointment[];
  bookHref: string | undefined;
}) {
  const due = integrationsDue(setup, appointments);
  if (due.length === 0) return null;
  const integration = serviceName(setup, 'integration');
  const exploration = serviceName(setup, 'exploration').toLowerCase();
  return (
    // a box with a link in it: a group named by its title, not a live region
    <Alert kind="warning" title={`${integration} due`} live={false}>
      <ul className="integration-due">
        {due.map((d) => (
          <li key={d.exploration.id}>
            After the {exploration} on {formatDate(d.from)}: book by <strong>{formatDate(d.by)}</strong>
          </li>
        ))}
      </ul>
      <p className="hint">
        Within {setup.clinic.policy.integrationWithinDays} days after each {exploration}, by the clinic’s policy.
      </p>
      {bookHref ? (
        <Link className="btn btn-secondary" href={bookHref} onClick={() => storeBookService('integration', due[0]?.exploration.id)}>
          Book {integration.toLowerCase()}
        </Link>
      ) : (
        <p className="hint">The front desk can book it.</p>
      )}
    </Alert>
  );
}

/** The staff booking page's note while an integration session is the kind chosen: the client page's, about "their" session. */
export const IntegrationWindowHint = (props: {
  setup: ClinicSetup;
  appointments: readonly Appointment[];
  window: IntegrationWindow | undefined;
}) => <IntegrationWindowNote {...props} whose="their" />;
