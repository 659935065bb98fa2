// The app's frame (skip link, header, navigation, sign-out) and its routes. Which pages a person
// sees follows from the session: anyone browses clinics; a client books, sees its care, invoices
// and profile, buys a program and follows its credits; staff see the parts of the staff side their
// role may use (pages/staff/common.tsx).
import { lazy, Suspense, type ReactNode } from 'react';
import { useApp } from './app-context.tsx';
import { currentPage, Link, match, navigate, Redirect, signInHref, useLocation } from './router.tsx';
import { Alert, Button, Loading } from './components/ui.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SignUpPage } from './pages/sign-up.tsx';
import { ClinicsPage } from './pages/clinics.tsx';
import { ClinicPage } from './pages/clinic.tsx';
import { BookPage, OldBookLink } from './pages/book.tsx';
import { CarePage } from './pages/care.tsx';
import { ReschedulePage } from './pages/reschedule.tsx';
import { InvoicesPage } from './pages/invoices.tsx';
import { InvoicePage } from './pages/invoice.tsx';
import { ProfilePage } from './pages/profile.tsx';
import { BuyPage } from './pages/buy.tsx';
import { PackagePage } from './pages/package.tsx';
import { SuperbillPage } from './pages/superbill.tsx';
import { isStaff, staffHome, staffNav } from './pages/staff/nav.ts';
import { serviceInOldLink, storeBookService } from './lib/book-service.ts';
import { NotFoundPage } from './pages/not-found.tsx';
import type { Session } from './auth/session.ts';
import type { EndedSession } from './app-context.tsx';

// the staff side is a chunk of its own: a client's first page never downloads it
const StaffRoutes = lazy(() => import('./pages/staff/routes.tsx').then((m) => ({ default: m.StaffRoutes })));

/** A client with a record: what the client pages need. */
export type ClientSession = Session & { clientId: string; role: 'client' };
const isClient = (s: Session | null): s is ClientSession => s?.role === 'client' && s.clientId !== undefined;

export function App() {
  const { session, ended } = useApp();
  const { path, query } = useLocation();
  // the page the session ended on says so (not the sign-in page: it is where "sign in again" goes)
  const endedHere = ended?.path === path && path !== '/sign-in' && path !== '/sign-up';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" className="container">
        {endedHere && (
          <Alert kind="warning" title="Your session has ended">
            You are signed out. Please <Link href={signInHref(currentPage())}>sign in again</Link> to go on.
          </Alert>
        )}
        {route(path, query, session, ended)}
      </main>
      <footer className={`site-footer container${isStaff(session) ? ' container-wide' : ''}`}>
        <p>In a crisis, call or text 988 (US and Canada). This app does not replace care from your clinic.</p>
      </footer>
    </>
  );
}

function route(path: string, query: URLSearchParams, session: Session | null, ended: EndedSession | null): ReactNode {
  let p: Record<string, string> | null;
  // the page a session ended on stays as it was, so that what was asked and refused stays on
  // screen with its "sign in again" (that comes back here); elsewhere the person is a visitor
  const was = ended?.path === path ? ended.session : null;
  if (path === '/') {
    if (isClient(session)) return <Redirect to="/care" />;
    if (isStaff(session)) return <Redirect to={staffHome(session.role)} />;
    return <ClinicsPage />;
  }
  if (path === '/sign-in') return <SignInPage />;
  if (path === '/sign-up') return <SignUpPage />;
  if (path === '/clinics') return <ClinicsPage />;
  if ((p = match('/clinics/:clinicId', path))) return <ClinicPage clinicId={p.clinicId ?? ''} />;
  if (path === '/staff' || path.startsWith('/staff/')) {
    const staff = isStaff(session) ? session : isStaff(was) ? was : null;
    return staff ? (
      <Suspense fallback={<Loading />}>
        <StaffRoutes path={path} session={staff} />
      </Suspense>
    ) : (
      signInFirst(path)
    );
  }

  // an older link's kind of session leaves the address before the session is looked at (a
  // visitor's sign-in `next` would carry it on)
  const oldLink = serviceInOldLink(path, query);
  if (oldLink !== undefined) return <OldBookLink service={oldLink} />;

  // the client's own pages
  const clientPage = (page: (s: ClientSession) => ReactNode) =>
    isClient(session) ? page(session) : isClient(was) ? page(was) : signInFirst(path);
  if (path === '/book') return clientPage((s) => <BookPage session={s} />);
  if (path === '/care') return clientPage((s) => <CarePage session={s} />);
  if ((p = match('/care/:appointmentId/reschedule', path))) {
    const id = p.appointmentId ?? '';
    return clientPage((s) => <ReschedulePage session={s} appointmentId={id} />);
  }
  if (path === '/invoices') return clientPage((s) => <InvoicesPage session={s} />);
  if ((p = match('/invoices/:invoiceId', path))) {
    const id = p.invoiceId ?? '';
    return clientPage((s) => <InvoicePage session={s} invoiceId={id} />);
  }
  if (path === '/profile') return clientPage((s) => <ProfilePage session={s} />);
  if ((p = match('/clinics/:clinicId/programs/:programId', path))) {
    const { clinicId = '', programId = '' } = p;
    return clientPage((s) => <BuyPage session={s} clinicId={clinicId} programId={programId} />);
  }
  if ((p = match('/packages/:packageId', path))) {
    const id = p.packageId ?? '';
    return clientPage((s) => <PackagePage session={s} packageId={id} />);
  }
  if (path === '/superbill') return clientPage((s) => <SuperbillPage session={s} />);
  return <NotFoundPage />;
}

const ROLE_LABELS: Record<Session['role'], string> = {
  client: 'Client',
  frontdesk: 'Front desk',
  clinician: 'Clinician',
  finance: 'Finance',
  admin: 'Admin',
};

/** Who is signed in: the role on the staff side, and the e-mail address when the token has one. */
function SignedIn({ session }: { session: Session }) {
  const role = session.role === 'client' ? undefined : ROLE_LABELS[session.role];
  if (!role && !session.email) return null;
  return (
    <p className="signed-in">
      <span className="visually-hidden">Signed in as </span>
      {role && <span className="signed-in-role">{role}</span>}
      {session.email && (
        <span className="signed-in-email" title={session.email}>
          {session.email}
        </span>
      )}
    </p>
  );
}

function signInFirst(path: string): ReactNode {
  const back = `${path}${location.search}`;
  return <Redirect to={`/sign-in?next=${encodeURIComponent(back)}`} />;
}

function Header() {
  const { session, signOut } = useApp();
  const { path } = useLocation();
  const links: { href: string; label: string; onClick?: () => void }[] = isClient(session)
    ? [
        // the booking page as it opens by itself: no kind a link stored earlier
        { href: '/book', label: 'Book', onClick: () => storeBookService(undefined) },
        { href: '/care', label: 'My care' },
        { href: '/invoices', label: 'Invoices' },
        { href: '/profile', label: 'Profile' },
      ]
    : isStaff(session)
      ? staffNav(session.role)
      : [{ href: '/clinics', label: 'Clinics' }];
  const current = (href: string) => path === href || path.startsWith(`${href}/`);
  return (
    <header className="site-header">
      {/* staff pages share one header width (the day view's), so it does not move between pages */}
      <div className={`container header-row${isStaff(session) ? ' container-wide' : ''}`}>
        <Link href="/" className="brand">
          Kapstone
        </Link>
        <nav aria-label="Main">
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <Link href={l.href} onClick={l.onClick} aria-current={current(l.href) ? 'page' : undefined}>
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {session && <SignedIn session={session} />}
        {session ? (
          <Button
            kind="secondary"
            className="sign-out"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in'));
            }}
          >
            Sign out
          </Button>
        ) : (
          path !== '/sign-in' && (
            <Link href="/sign-in" className="btn btn-secondary sign-out">
              Sign in
            </Link>
          )
        )}
      </div>
    </header>
  );
}
