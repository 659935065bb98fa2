// The one definition of the table's keys and indexes. The CDK stack (infra/lib) and the local
// runtime (infra/local) both build the table from this, so they cannot drift apart.

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /**
   * Epoch seconds; DynamoDB TTL deletes what carries it: idempotency records, stale slot locks,
   * Stripe-event claims, rate-limit and daily SMS counters, finance export records after 30 days,
   * waitlist entries 30 days after their last date, and audit entries after six years.
   */
  ttlAttribute: 'expiresAt',
  indexes: [
    // the list of all clinics, a clinic's clients by name, SMS waiting to be sent, refunds due,
    // and a client's invoices by issue date
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    // a clinic's appointments by start (schedule, availability), its invoices by issue date and its
    // waitlist by last date
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ] satisfies IndexDefinition[],
} as const;
