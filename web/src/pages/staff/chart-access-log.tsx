// The chart's access log (admin only): who read or changed this client's health and payment
// records, what they did and when, newest first (GET /v1/clients/{id}/audit, 100 entries a page,
// "Load more"). Read only when admin asks for it: reading the log is itself an audited access
// (`audit.read`), which opening the chart should not add each time. Times in the clinic's zone;
// words for actions and people in access-log-rules.ts.
import { useState } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Button, ErrorAlert, TableWrap } from '../../components/ui.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { actionWords, actorWords, recordHref, recordWords, type AuditEntryLike } from './access-log-rules.ts';
import { withClinic, type StaffSession } from './common.tsx';

type Entry = AuditEntryLike & { at: string; requestId: string };

export function AccessLogPart({
  session,
  clientId,
  clinicId,
  timezone,
}: {
  session: StaffSession;
  clientId: string;
  clinicId: string;
  timezone: string;
}) {
  const { api } = useApp();
  const [entries, setEntries] = useState<Entry[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const read = async (after: string | null) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await ok(
        api.GET('/v1/clients/{clientId}/audit', { params: { path: { clientId }, query: after ? { cursor: after } : {} } }),
      );
      setEntries((before) => [...(after ? (before ?? []) : []), ...page.entries]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="access-log">
      <h2 id="access-log">Access log</h2>
      <p className="muted">
        Every time someone opened or changed this client’s health or payment records. Reading the log is recorded too.
      </p>
      {entries === undefined ? (
        <Button kind="secondary" busy={busy} onClick={() => void read(null)}>
          Show the access log
        </Button>
      ) : entries.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <TableWrap label="Access log, newest first">
          <table className="fin-table access-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Record</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const href = recordHref(e.record);
                return (
                  <tr key={`${e.requestId}-${e.action}-${e.record.type}-${e.record.id}-${e.at}`}>
                    <td className="fin-nowrap">{formatDateTime(e.at, timezone)}</td>
                    <td>{actorWords(e.actor)}</td>
                    <td>{actionWords(e.action)}</td>
                    <td>
                      {href ? <Link href={withClinic(href, session, clinicId)}>{recordWords(e.record)}</Link> : recordWords(e.record)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <ErrorAlert error={error} title="The access log could not load" />
      {entries !== undefined && cursor && (
        <div className="actions">
          <Button kind="secondary" busy={busy} onClick={() => void read(cursor)}>
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}
