// The staff's side is the next release (issue 11 builds the client's side first). Staff can sign
// in already, see who they are signed in as, and browse the clinics.
import type { Session } from '../auth/session.ts';
import { Alert, PageTitle } from '../components/ui.tsx';
import { Link } from '../router.tsx';

const ROLE_NAMES: Record<string, string> = { frontdesk: 'front desk', clinician: 'clinician', finance: 'finance', admin: 'admin' };

export function StaffPage({ session }: { session: Session }) {
  return (
    <>
      <PageTitle title="Staff">Staff</PageTitle>
      <p className="lead">
        Signed in as {ROLE_NAMES[session.role] ?? session.role}
        {session.clinicId ? ` at ${session.clinicId}` : ' for every clinic'}.
      </p>
      <Alert kind="info" title="Coming next">
        The day’s schedule, check-in, clearance and finance pages come in the next release. Until then the API serves every staff task.
      </Alert>
      <p>
        <Link href="/clinics">Browse the clinics</Link>
      </p>
    </>
  );
}
