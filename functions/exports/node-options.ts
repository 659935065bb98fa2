// The V8 heap limits the export job runs with (its Lambda's NODE_OPTIONS, infra/lib/exports.ts; the
// bench's export process uses the same). The job's live data is small and bounded (a page of
// invoices, the name cache, the date-order buffer); without a limit V8 lets garbage pile up between
// collections and the process grows by 110–135 MiB whatever the export's size. With a 64 MiB
// old space and 4 MiB semi-spaces a 200,000-row export grew by 37 MiB (target ≤ 50) at the same
// rows per second (docs/decisions.md, "Ledger exports").
export const EXPORT_JOB_NODE_OPTIONS = '--max-old-space-size=64 --max-semi-space-size=4';
