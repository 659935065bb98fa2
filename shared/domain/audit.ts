// An entry of a client's audit trail (HIPAA §164.312(b)): who read or changed which of the
// client's health or payment records, when, in which request. Ids only, never PHI.

export interface AuditEntry {
  /** Epoch milliseconds. */
  at: number;
  clientId: string;
  clinicId: string;
  actor: { sub: string; roles: string[] };
  /** The route's declared action, e.g. 'client.read' (shared/http/routes.ts). */
  action: string;
  record: { type: string; id: string };
  requestId: string;
}

/** The record an entry is about, and whose trail it belongs to. */
export type AuditTarget = Pick<AuditEntry, 'clientId' | 'clinicId' | 'record'>;
