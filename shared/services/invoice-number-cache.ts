// The number each clinic's next invoice takes, as last known by this warm function instance, so
// that a self-pay booking does not read the clinic's invoice counter every time (docs/domain.md,
// "Self-pay invoices"). The number is only a guess: the booking's transaction moves the counter on
// the condition that it still holds it (InvoiceRepository.invoiceWrites). A guess that is behind
// (another instance, or a concurrent request, took the number) fails that condition, commits
// nothing and consumes no number; the caller then drops the entry (`invalidate`) and the retry
// reads the counter. So the cache saves a read per booking and can cost a retry, never a gap or a
// repeat.
import type { InvoiceRepository } from '#db/invoice-repo.ts';

/** Bounds memory only (one small entry per clinic booked at by this instance). */
const MAX_ENTRIES = 500;

export class InvoiceNumberCache {
  private readonly next = new Map<string, number>();

  constructor(private readonly repo: Pick<InvoiceRepository, 'nextNumber'>) {}

  /** The number the clinic's next invoice should take: from memory, else read (consistently). */
  async get(clinicId: string): Promise<number> {
    const known = this.next.get(clinicId);
    if (known !== undefined) return known;
    const read = await this.repo.nextNumber(clinicId);
    this.remember(clinicId, read);
    return this.next.get(clinicId) ?? read;
  }

  /** An invoice of the clinic committed with number `n`: the next one takes `n + 1`. */
  taken(clinicId: string, n: number): void {
    this.remember(clinicId, n + 1);
  }

  /** The guess failed the counter's condition: the next `get` reads the counter. */
  invalidate(clinicId: string): void {
    this.next.delete(clinicId);
  }

  /** Never moves an entry back: a concurrent request of this instance may have committed a later number. */
  private remember(clinicId: string, next: number): void {
    const known = this.next.get(clinicId);
    if (known !== undefined && known >= next) return;
    if (known === undefined && this.next.size >= MAX_ENTRIES) this.next.clear();
    this.next.set(clinicId, next);
  }
}
