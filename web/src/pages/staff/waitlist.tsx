// The desk's waitlist (/staff/waitlist, front desk and admin): who waits for what, by first date,
// with the times open for each now (GET /v1/clinics/{id}/waitlist). Nobody is told when a time
// opens: the desk calls the client and books one. An open time goes to the staff booking page for
// that client, opened on the entry's kind, place and practitioner, on that time's week and with
// that time chosen (kept in the tab, lib/book-service.ts, never in the address). Read again every 2 minutes while the tab is
// visible and when it is shown again: every read is audited per entry, so not more often.
import { useApp } from '../../app-context.tsx';
import { ok } from '../../api/client.ts';
import { ErrorAlert, Loading, PageTitle, TableWrap } from '../../components/ui.tsx';
import { RemoveEntry, entryWords } from '../../components/waitlist.tsx';
import { storeBookOpening } from '../../lib/book-service.ts';
import { clinicSetup, providerName, serviceName } from '../../lib/clinic-data.ts';
import { formatDateTimeZone, zoneLabel } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useRefreshWhileVisible } from '../../lib/use-refresh.ts';
import { openNowWords, waitlistDates, waitlistMode, waitlistOpening, waitlistPractitioner } from '../../lib/waitlist-rules.ts';
import { Link } from '../../router.tsx';
import { useStaffClinic, type StaffSession } from './common.tsx';
import { staffLinks } from './clients-data.ts';
import './clients-pages.css';

const EVERY_MS = 120_000;

const capitalized = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

export function WaitlistPage({ session }: { session: StaffSession }) {
  const { api } = useApp();
  const { clinicId, picker } = useStaffClinic(session);
  const setup = useLoad(() => (clinicId ? clinicSetup(api, clinicId) : Promise.resolve(undefined)), [api, clinicId]);
  const list = useLoad(
    () =>
      clinicId
        ? ok(api.GET('/v1/clinics/{clinicId}/waitlist', { params: { path: { clinicId } } })).then((r) => r.entries)
        : Promise.resolve(undefined),
    [api, clinicId],
  );
  useRefreshWhileVisible(list.reload, EVERY_MS);
  const links = staffLinks(session, clinicId);
  const s = setup.data;
  const entries = list.data;

  return (
    <>
      <PageTitle title="Waitlist">Waitlist</PageTitle>
      {picker}
      <p className="lead">
        Clients waiting for a time, by first date, with the times open for each now. Nobody is sent a message: call the client, then book
        the time.{s && ` Times are in ${zoneLabel(s.clinic.timezone)}.`}
      </p>
      <ErrorAlert error={setup.error ?? list.error} title="The waitlist could not load" />
      {!s || !entries ? (
        !(setup.error ?? list.error) && <Loading />
      ) : entries.length === 0 ? (
        <p className="empty">Nobody is waiting.</p>
      ) : (
        <TableWrap label="Clients waiting">
          <table className="waitlist-table">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Session</th>
                <th scope="col">Practitioner, where</th>
                <th scope="col">Dates</th>
                <th scope="col">Open times</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const count = e.openings?.count ?? 0;
                return (
                  <tr key={e.id}>
                    <th scope="row">
                      <Link href={links.chart(e.client.id)}>{e.client.name}</Link>
                    </th>
                    <td>{serviceName(s, e.service)}</td>
                    {/* one column for both: the table keeps its Remove in view at 1280 px */}
                    <td>
                      {capitalized(waitlistPractitioner(e.providerId ? providerName(s, e.providerId) : undefined))}
                      <br />
                      {capitalized(waitlistMode(e.mode))}
                    </td>
                    <td className="waitlist-when">{waitlistDates(e.from, e.to)}</td>
                    <td>
                      <p>{openNowWords(count)}</p>
                      {count > 0 && (
                        <ul className="waitlist-times" aria-label={`Earliest open times for ${e.client.name}`}>
                          {(e.openings?.first ?? []).map((slot) => (
                            <li key={slot.startsAt}>
                              <Link
                                className="btn btn-secondary"
                                href={links.book(e.client.id)}
                                onClick={() => storeBookOpening(waitlistOpening(e, slot))}
                                aria-label={`Book ${formatDateTimeZone(slot.startsAt, s.clinic.timezone)} for ${e.client.name}: ${entryWords(s, e)}`}
                              >
                                {formatDateTimeZone(slot.startsAt, s.clinic.timezone)}
                              </Link>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <RemoveEntry
                        clientId={e.client.id}
                        entryId={e.id}
                        canRemove
                        what={`${e.client.name}, ${serviceName(s, e.service)}`}
                        onRemoved={() => void list.reload()}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
