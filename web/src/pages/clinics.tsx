// Choose a clinic: every clinic with its city and currency.
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { ErrorAlert, Loading, PageTitle } from '../components/ui.tsx';
import { zoneLabel } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';

const COUNTRY: Record<string, string> = { US: 'United States', CA: 'Canada' };

export function ClinicsPage() {
  const { api } = useApp();
  const clinics = useLoad(() => ok(api.GET('/v1/clinics')), [api]);
  return (
    <>
      <PageTitle title="Choose a clinic">Choose a clinic</PageTitle>
      <p className="lead">See what each clinic offers, its prices, and book your first session online.</p>
      <ErrorAlert error={clinics.error} title="The clinics could not load" />
      {clinics.loading && !clinics.data && <Loading />}
      <ul className="card-list">
        {clinics.data?.map((c) => (
          <li key={c.id} className="card clinic-card">
            <h2>
              <Link href={`/clinics/${encodeURIComponent(c.id)}`}>{c.name}</Link>
            </h2>
            <p className="muted">
              {COUNTRY[c.country] ?? c.country} · prices in {c.currency} · times in {zoneLabel(c.timezone)}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
