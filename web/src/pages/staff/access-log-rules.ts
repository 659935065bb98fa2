// The client's access log as admin reads it on the chart (GET /v1/clients/{id}/audit): each entry
// said in words — who (a role and a short id of the signed-in user, or the system job that acted),
// what (the action), on which record — with a link to the record's own page where staff have one.
// Pure (no React): web/test/access-log-rules.test.ts.

/** An entry's `actor` and `record`, as the API answers them. */
export interface AuditEntryLike {
  actor: { sub: string; roles: readonly string[] };
  action: string;
  record: { type: string; id: string };
}

const ACTION_WORDS: Record<string, string> = {
  'client.read': 'Opened the client’s record',
  'client.create': 'Added the client',
  'client.update': 'Changed the client’s details',
  'clients.search': 'Found the client in a search',
  'clearance.record': 'Recorded the medical clearance',
  'clearances.read': 'Read the clearance history',
  'diagnoses.read': 'Read the diagnosis codes',
  'diagnoses.update': 'Changed the diagnosis codes',
  'appointment.book': 'Booked a session',
  'appointment.read': 'Opened a session',
  'appointment.reschedule': 'Moved a session',
  'appointment.cancel': 'Cancelled a session',
  'appointment.check_in': 'Checked the client in',
  'appointment.complete': 'Marked a session completed',
  'appointment.no_show': 'Marked a session missed',
  'appointment.use_credit': 'Paid a session with a program credit',
  'appointments.list': 'Listed the client’s sessions',
  'availability.read': 'Looked for times to book',
  'schedule.read': 'Saw the client on the day’s schedule',
  'package.purchase': 'Started a program purchase',
  'package.read': 'Opened a program',
  'packages.list': 'Listed the client’s programs',
  'package.cancel': 'Cancelled a program',
  'package.payment_method': 'Asked for a new card for a program',
  'payment.webhook': 'Payment news from the card processor',
  'payment.refund': 'Made a refund (automatic)',
  'invoice.read': 'Opened an invoice',
  'invoice.receipt': 'Downloaded a receipt',
  'invoice.checkout': 'Opened a payment page',
  'invoice.payment_record': 'Recorded a payment taken at the clinic',
  'invoice.refund_retry': 'Had a refund tried again',
  'invoice.refund_record': 'Recorded a refund made another way',
  'invoices.list': 'Listed the client’s invoices',
  'superbill.read': 'Read the superbill or receipt for insurance',
  'export.ledger': 'Included in a ledger export',
  'audit.read': 'Read this access log',
  'waitlist.add': 'Added a waitlist entry',
  'waitlist.read': 'Read the client’s waitlist',
  'waitlist.remove': 'Removed a waitlist entry',
  'waitlist.list': 'Saw the client on the clinic’s waitlist',
};

/** What was done, in words; an action this page does not know yet is shown as the API names it. */
export const actionWords = (action: string): string => ACTION_WORDS[action] ?? action;

const ROLE_WORDS: Record<string, string> = {
  client: 'The client',
  frontdesk: 'Front desk',
  clinician: 'Clinician',
  finance: 'Finance',
  admin: 'Admin',
};

const SYSTEM_WORDS: Record<string, string> = {
  'refund-job': 'The refund job',
  system: 'The system',
  stripe: 'The card processor',
  anonymous: 'Someone not signed in',
};

/**
 * Who acted: the client, or a staff role with the user's id, its first 8 characters when longer
 * than 12 (staff have no names in the API; the id tells two people of one role apart), or a job
 * of the system.
 */
export function actorWords(actor: AuditEntryLike['actor']): string {
  if (actor.roles.includes('client')) return ROLE_WORDS.client!;
  const role = actor.roles.find((r) => r in ROLE_WORDS);
  if (role) return `${ROLE_WORDS[role]} · user ${actor.sub.length > 12 ? actor.sub.slice(0, 8) : actor.sub}`;
  return SYSTEM_WORDS[actor.sub] ?? `System (${actor.sub})`;
}

/** The staff page of the record an entry names, when there is one (an invoice); else none. */
export function recordHref(record: AuditEntryLike['record']): string | undefined {
  return record.type === 'invoice' ? `/staff/invoices/${encodeURIComponent(record.id)}` : undefined;
}

const RECORD_WORDS: Record<string, string> = {
  client: 'Client record',
  appointment: 'Session',
  package: 'Program',
  invoice: 'Invoice',
  diagnoses: 'Diagnosis codes',
  waitlist: 'Waitlist entry',
};

export const recordWords = (record: AuditEntryLike['record']): string => RECORD_WORDS[record.type] ?? record.type;
