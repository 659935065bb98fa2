// Which role sees which part of the staff side (the navigation). The API's policy still decides
// every call: a page reached by URL by a role that may not use it shows the API's 403.
import type { Role, Session } from '../../auth/session.ts';

export type StaffRole = Exclude<Role, 'client'>;
export type StaffSession = Session & { role: StaffRole };
export const isStaff = (s: Session | null): s is StaffSession => !!s && s.role !== 'client';

interface NavItem {
  href: string;
  label: string;
  roles: readonly StaffRole[];
}

/** The staff side's sections, and who sees a link to each. */
const STAFF_NAV: readonly NavItem[] = [
  { href: '/staff/day', label: 'Day', roles: ['frontdesk', 'clinician', 'admin'] },
  { href: '/staff/time-off', label: 'Time off', roles: ['frontdesk', 'clinician', 'admin'] },
  { href: '/staff/clients', label: 'Clients', roles: ['frontdesk', 'clinician', 'finance', 'admin'] },
  { href: '/staff/waitlist', label: 'Waitlist', roles: ['frontdesk', 'admin'] },
  { href: '/staff/invoices', label: 'Invoices', roles: ['frontdesk', 'finance', 'admin'] },
  { href: '/staff/exports', label: 'Exports', roles: ['finance', 'admin'] },
  { href: '/staff/revenue', label: 'Revenue', roles: ['finance', 'admin'] },
  { href: '/staff/settings', label: 'Settings', roles: ['admin'] },
];

export const staffNav = (role: StaffRole) => STAFF_NAV.filter((n) => n.roles.includes(role)).map(({ href, label }) => ({ href, label }));

/** Where a staff member lands after signing in. */
export const staffHome = (role: StaffRole) => (role === 'finance' ? '/staff/invoices' : '/staff/day');
