// A practitioner's week (front desk, clinicians, admin): Monday to Sunday on one time axis in the
// clinic's zone, to plan a course (a dosing session a week, each followed by an integration
// session) and to see a practitioner's load. Read from the day's API: the seven days' schedules
// and the week's time off side by side; a day that fails is named and the others shown. The
// address holds the week's date and the practitioner's id only (`?date=&provider=`, an admin's
// `?clinic=`). Each session is a link to its day, where its actions are. A phone gets a list by
// day instead of the grid (CSS: both are rendered, one is shown). The layout is week-layout.ts.
import './day.css';
import './week.css';
import { useId, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, Checkbox, ErrorAlert, Field, Loading, PageTitle, Select } from '../../components/ui.tsx';
import { clinicSetup } from '../../lib/clinic-data.ts';
import { formatLongDate, formatTime, mondayOf, addDays, todayIn } from '../../lib/format.ts';
import { periodZoneText } from '../../lib/time-off-rules.ts';
import { useLoad } from '../../lib/use-load.ts';
import { useRefreshWhileVisible } from '../../lib/use-refresh.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { Badges } from './day.tsx';
import { type DayTimeOff, type ScheduleAppointment, type Shown } from './day-layout.ts';
import { chosenProvider, weekDates, weekHref, weekLayout, weekTitle, type WeekDay, type WeekLayout, type WeekOff } from './week-layout.ts';

/**
 * Every 2 minutes, not the day view's 30 s: each read of a schedule writes an audit entry per appointment
 * in it, and the week reads seven (a week is for planning; "Refresh now" reads at once).
 */
const REFRESH_MS = 120_000;

/** A real calendar date of the API's working range, as YYYY-MM-DD. */
function isDate(d: string | null): d is string {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d) || d < '2000-01-01' || d > '2100-12-31') return false;
  const t = new Date(`${d}T12:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

export function WeekPage({ session }: { session: StaffSession }) {
  const { api } = useApp();
  const { query } = useLocation();
  const { clinicId, picker } = useStaffClinic(session);

  const base = useLoad(async () => {
    if (!clinicId) return undefined;
    return { clinicId, setup: await clinicSetup(api, clinicId) };
  }, [api, clinicId]);
  const ready = base.data && base.data.clinicId === clinicId ? base.data : undefined;
  const tz = ready?.setup.clinic.timezone;
  const asked = query.get('date');
  const date = isDate(asked) ? asked : tz ? todayIn(tz) : undefined;
  const monday = date ? mondayOf(date) : undefined;
  const provider = ready ? chosenProvider(ready.setup.providers, query.get('provider')) : undefined;

  // the seven days and the week's time off, all at once; each may fail on its own
  const week = useLoad(async () => {
    if (!clinicId || !monday) return undefined;
    const dates = weekDates(monday);
    const [days, off] = await Promise.all([
      Promise.all(
        dates.map((d) =>
          ok(api.GET('/v1/clinics/{clinicId}/schedule', { params: { path: { clinicId }, query: { date: d } } })).then(
            (answer) => ({ date: d, appointments: answer.appointments }),
            () => ({ date: d, appointments: undefined }),
          ),
        ),
      ),
      ok(
        api.GET('/v1/clinics/{clinicId}/time-off', {
          params: { path: { clinicId }, query: { from: dates[0] ?? monday, to: dates[6] ?? monday } },
        }),
      ).then(
        (a): { timeOff: DayTimeOff[]; timeOffFailed: boolean } => ({ timeOff: a.timeOff, timeOffFailed: false }),
        () => ({ timeOff: [], timeOffFailed: true }),
      ),
    ]);
    const schedules = new Map<string, readonly ScheduleAppointment[]>();
    for (const d of days) if (d.appointments) schedules.set(d.date, d.appointments);
    return { clinicId, monday, schedules, ...off, loadedAt: new Date().toISOString() };
  }, [api, clinicId, monday]);
  const loaded = week.data && week.data.clinicId === clinicId && week.data.monday === monday ? week.data : undefined;
  const reload = week.reload;

  // again every 2 minutes while the tab is visible, and at once when it is again
  useRefreshWhileVisible(reload, REFRESH_MS);

  const [showCancelled, setShowCancelled] = useState(false);
  const layout = useMemo(
    () =>
      loaded && ready && provider && tz
        ? weekLayout({
            date: loaded.monday,
            timezone: tz,
            providerId: provider.id,
            setup: ready.setup,
            schedules: loaded.schedules,
            timeOff: loaded.timeOff,
            showCancelled,
          })
        : undefined,
    [loaded, ready, provider, tz, showCancelled],
  );

  const go = (to: { date?: string; provider?: string }) =>
    navigate(withClinic(weekHref(to.date ?? monday ?? '', to.provider ?? provider?.id), session, clinicId));

  if (base.error) return <Page picker={picker} body={<ErrorAlert error={base.error} title="The week could not load" />} />;
  if (!ready || !date || !monday || !tz) return <Page picker={picker} body={<Loading />} />;
  if (!provider) return <Page picker={picker} body={<p>This clinic has no practitioners yet.</p>} />;
  const thisWeek = mondayOf(todayIn(tz));
  const sunday = addDays(monday, 6);
  const failed = layout?.days.filter((d) => !d.loaded) ?? [];

  return (
    <Page
      picker={picker}
      lead={
        <p className="lead">
          {ready.setup.clinic.name}. Times are in {periodZoneText(tz, monday, sunday)}.{' '}
          <Link href={withClinic(`/staff/day?date=${date}`, session, clinicId)}>The day…</Link>
        </p>
      }
      body={
        <>
          <div className="week-provider">
            <Select
              label="Practitioner"
              value={provider.id}
              onChange={(id) => go({ provider: id })}
              options={ready.setup.providers.map((p) => ({ value: p.id, label: p.name }))}
            />
          </div>
          <div className="day-bar" role="group" aria-label="Choose the week">
            <Button kind="secondary" onClick={() => go({ date: addDays(monday, -7) })}>
              Previous week
            </Button>
            <Button kind="secondary" onClick={() => go({ date: thisWeek })} aria-current={monday === thisWeek ? 'date' : undefined}>
              This week
            </Button>
            <Button kind="secondary" onClick={() => go({ date: addDays(monday, 7) })}>
              Next week
            </Button>
            <Field
              className="day-date"
              label="Date"
              type="date"
              value={date}
              min="2000-01-01"
              max="2100-12-31"
              onChange={(e) => {
                if (isDate(e.target.value)) go({ date: e.target.value });
              }}
            />
          </div>
          <h2 className="day-heading">
            {provider.name}: {weekTitle(monday)}
          </h2>
          <div className="day-tools">
            <Checkbox
              label={`Show cancelled${layout && layout.cancelled > 0 ? ` (${layout.cancelled})` : ''}`}
              checked={showCancelled}
              onChange={(e) => setShowCancelled(e.target.checked)}
            />
            <p className="day-updated">
              {loaded ? `Updated ${formatTime(loaded.loadedAt, tz)}` : 'Loading…'}{' '}
              <Button kind="link" onClick={() => void reload()}>
                Refresh now
              </Button>
            </p>
          </div>
          {failed.length > 0 && (
            <Alert
              kind="warning"
              title={
                failed.length === 7 ? 'The week could not load' : `${failed.map((d) => formatLongDate(d.date)).join('; ')}: could not load`
              }
            >
              {failed.length === 7 ? 'No day answered.' : 'The other days are shown.'} It will try again in a moment.
            </Alert>
          )}
          {loaded?.timeOffFailed ? (
            <Alert kind="warning" title="Time off could not load">
              The week does not show who is away. It will try again in a moment.
            </Alert>
          ) : null}
          {week.error && !loaded ? (
            <ErrorAlert error={week.error} title="The week could not load" />
          ) : !layout ? (
            <Loading label="Loading the week…" />
          ) : (
            <>
              <WeekGrid layout={layout} dayHref={(d) => withClinic(`/staff/day?date=${d}`, session, clinicId)} who={provider.name} />
              <WeekList layout={layout} dayHref={(d) => withClinic(`/staff/day?date=${d}`, session, clinicId)} />
            </>
          )}
        </>
      }
    />
  );
}

function Page({ picker, lead, body }: { picker: ReactNode; lead?: ReactNode; body: ReactNode }) {
  return (
    <div className="day-page week-page">
      <PageTitle title="Week">Week</PageTitle>
      {lead}
      {picker}
      {body}
    </div>
  );
}

/** What a day's heading says under its date: the hours, time off, and whether it answered. */
function DayDetail({ day }: { day: WeekDay }) {
  return (
    <>
      <span className="week-head-detail">{day.loaded ? day.hoursText : 'Could not load'}</span>
      {day.off.map((o) => (
        <span key={o.id} className="day-head-off">
          {offWords(o)} {o.when}
        </span>
      ))}
    </>
  );
}

const offWords = (o: WeekOff) =>
  `${o.closed ? 'Clinic closed' : 'Time off'}${o.label && o.label !== 'Clinic closed' ? ` · ${o.label}` : ''}`;

function WeekGrid({ layout, dayHref, who }: { layout: WeekLayout; dayHref: (date: string) => string; who: string }) {
  const id = useId();
  const span = layout.end - layout.start;
  const style = { '--week-hours': layout.hours.length } as CSSProperties;
  return (
    <div className="day-grid-wrap week-grid-wrap" role="region" aria-label={`${who}’s week by day`} tabIndex={0}>
      <div className="week-grid" style={style}>
        <div className="day-corner" />
        <div className="day-axis week-axis" aria-hidden="true">
          {layout.hours.map((h) => (
            <span key={h.minute} style={{ top: `${((h.minute - layout.start) / span) * 100}%` }}>
              {h.label}
            </span>
          ))}
        </div>
        {layout.days.map((d, i) => (
          <div key={d.date} className="week-day" role="group" aria-labelledby={`${id}-${i}`} style={{ gridColumn: i + 2 }}>
            <div className="day-head week-head">
              <h3 id={`${id}-${i}`}>{d.label}</h3>
              <DayDetail day={d} />
            </div>
            <div className={`day-col week-col${d.off.length > 0 ? ' day-col-off' : ''}${d.loaded ? '' : ' week-col-failed'}`}>
              {d.working.map((b, k) => (
                <div key={k} className="week-working" style={{ top: `${b.top}%`, height: `${b.height}%` }} aria-hidden="true" />
              ))}
              {d.off.map(
                (o) =>
                  o.height > 0 && (
                    <div key={o.id} className="day-off" style={{ top: `${o.top}%`, height: `${o.height}%` }} aria-hidden="true">
                      <span className="day-off-text">{offWords(o)}</span>
                    </div>
                  ),
              )}
              {d.items.map((p) => (
                <Link
                  key={p.s.a.id}
                  href={dayHref(d.date)}
                  className={`day-card week-card${p.short ? ' week-card-short' : ''} day-${p.s.a.status}`}
                  data-appointment={p.s.a.id}
                  style={{
                    top: `${p.top}%`,
                    height: `${p.height}%`,
                    left: `calc((100% - var(--day-gutter, 0px)) * ${p.lane / p.lanes})`,
                    width: `calc((100% - var(--day-gutter, 0px)) / ${p.lanes} - 3px)`,
                  }}
                >
                  <SessionWords s={p.s} compact />
                </Link>
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * A session as its card and its row say it: time, client, status and flags, then the kind. A card
 * of the grid is narrow: its time is the start and the place ("10:00 AM · Video"; the end is for
 * screen readers, the card's height shows it), and each line but the badges' is one line, cut short
 * with an ellipsis (the card's name has the whole words; pointed at or focused, the card shows them
 * whole), so that an hour's card always has room for its status and flags.
 */
function SessionWords({ s, compact = false }: { s: Shown; compact?: boolean }) {
  const [from, to] = s.time.split(' – ');
  const name = <span className="day-card-name">{s.a.client?.name ?? 'Client'}</span>;
  const badges = <Badges a={s.a} inTimeOff={s.inTimeOff} />;
  if (!compact || !to)
    return (
      <>
        <span className="day-card-time">{s.time}</span> {name} {badges}{' '}
        <span className="day-card-line">
          {s.service} · {s.mode}
        </span>
      </>
    );
  return (
    <>
      <span className="day-card-time">
        {from}
        <span className="visually-hidden"> – {to}</span>
        <span className="week-card-mode"> · {s.mode}</span>
      </span>{' '}
      {name} {badges} <span className="day-card-line">{s.service}</span>
    </>
  );
}

/** The phone's week: each day a heading and its sessions in time order. */
function WeekList({ layout, dayHref }: { layout: WeekLayout; dayHref: (date: string) => string }) {
  const id = useId();
  return (
    <div className="week-list">
      {layout.days.map((d, i) => (
        <div key={d.date} className="week-list-day" role="group" aria-labelledby={`${id}-${i}`}>
          <h3 id={`${id}-${i}`}>{d.label}</h3>
          <p className="week-list-detail">
            <DayDetail day={d} />
          </p>
          {d.list.length > 0 ? (
            <ul>
              {d.list.map((s) => (
                <li key={s.a.id}>
                  <Link href={dayHref(d.date)} className={`day-row week-row day-${s.a.status}`} data-appointment={s.a.id}>
                    <SessionWords s={s} />
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            d.loaded && <p className="muted">No sessions.</p>
          )}
        </div>
      ))}
    </div>
  );
}
