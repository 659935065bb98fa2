// The chart's clearance history (clinicians and admin): every clearance recorded for the client,
// newest first (GET /v1/clients/{id}/clearances) — when, the outcome, until when it held, what was
// screened, the notes and who recorded it. Read only when asked for, as the access log is: each read is an
// audited access of health data (`clearances.read`), which opening the chart should not add each
// time. Read again after a clearance is saved on the chart. Times in the clinic's zone; words in
// clearance-history-rules.ts.
import { useState } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Badge, Button, ErrorAlert, Loading } from '../../components/ui.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { recorderWords, validUntilWords } from './clearance-history-rules.ts';
import type { StaffSession } from './common.tsx';

interface HistoryProps {
  session: StaffSession;
  clientId: string;
  timezone: string;
  /** Counts the clearances saved on the chart: a shown history is read again after each. */
  changes: number;
}

export function ClearanceHistoryPart(props: HistoryProps) {
  const [shown, setShown] = useState(false);
  return (
    <section className="card" aria-labelledby="clearance-history">
      <h2 id="clearance-history">Clearance history</h2>
      <p className="muted">Every clearance recorded for this client, newest first. Opening it is recorded in the access log.</p>
      {shown ? (
        <HistoryList {...props} />
      ) : (
        <Button kind="secondary" onClick={() => setShown(true)}>
          Show clearance history
        </Button>
      )}
    </section>
  );
}

function HistoryList({ session, clientId, timezone, changes }: HistoryProps) {
  const { api } = useApp();
  const history = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/clearances', { params: { path: { clientId } } })),
    // `changes` is not read: a clearance saved means one more entry
    [api, clientId, changes],
  );
  if (history.error && !history.data) return <ErrorAlert error={history.error} title="The clearance history could not load" />;
  if (!history.data) return <Loading />;
  const entries = history.data.clearances;
  if (entries.length === 0) return <p>No clearance recorded yet.</p>;
  // a list, not a table: each entry's screening and notes read whole on a phone too
  return (
    <ol className="clearance-history" aria-label="Clearances, newest first">
      {entries.map((e, i) => (
        <li key={`${e.recordedAt}-${e.recordedBy.id}-${i}`}>
          <p className="clearance-history-head">
            <strong>{formatDateTime(e.recordedAt, timezone)}</strong>
            {i === 0 && <span className="muted"> (latest)</span>}
          </p>
          <dl className="facts">
            <dt>Outcome</dt>
            <dd>
              <Badge tone={e.status === 'cleared' ? 'good' : 'bad'}>{e.status === 'cleared' ? 'Cleared' : 'Not cleared'}</Badge>
            </dd>
            <dt>Valid until</dt>
            <dd>{validUntilWords(e, formatDate)}</dd>
            <dt>Screened for</dt>
            <dd>{e.screenedFor.length > 0 ? e.screenedFor.join('; ') : 'Nothing ticked'}</dd>
            {e.notes && (
              <>
                <dt>Notes</dt>
                <dd className="clearance-notes">{e.notes}</dd>
              </>
            )}
            <dt>Recorded by</dt>
            <dd>{recorderWords(e.recordedBy, session.sub)}</dd>
          </dl>
        </li>
      ))}
    </ol>
  );
}
