// Clinic setups (clinic, providers, rooms, catalog) kept per warm function instance. A setup can
// be served stale, but never acted on stale: a booking checked against it carries a condition on
// the clinic's version into its transaction (any change to the setup bumps that version,
// ClinicRepository), and a failed condition drops the entry and re-checks on a fresh read.
import type { Clock } from '#adapters/clock.ts';
import type { ClinicRepository, ClinicSetup } from '#db/clinic-repo.ts';

/** Bounds memory staleness only; correctness comes from the version condition. */
const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 500;

export class ClinicSetupCache {
  private readonly entries = new Map<string, { setup: ClinicSetup; at: number }>();
  /** The check of changed() under way per clinic: refusals arriving together share its one read. */
  private readonly checking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly repo: ClinicRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The setup, from memory when it is young enough and knows `providerId`: a provider added since
   * it was cached is not a reason to answer 404.
   */
  async get(clinicId: string, providerId?: string): Promise<ClinicSetup> {
    const hit = this.entries.get(clinicId);
    const now = this.clock.now();
    const knows = !providerId || !!hit?.setup.providers.some((p) => p.id === providerId);
    if (hit && now - hit.at < TTL_MS && knows) return hit.setup;
    const setup = await this.repo.setup(clinicId);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(clinicId, { setup, at: now });
    return setup;
  }

  /**
   * Whether the clinic's setup changed since the copy in memory was read (a room or a provider's
   * hours added, the policy changed): one strongly consistent GetItem of the clinic's item, whose
   * version every change of the setup bumps; a changed copy is dropped, so the next get() reads it
   * whole. What a refusal checked against memory asks before it is answered, since only a write
   * carries the version condition and a refused request writes nothing. Refusals that arrive
   * together (fifty bookings of one slot) share one read.
   */
  changed(clinicId: string): Promise<boolean> {
    const held = this.entries.get(clinicId);
    if (!held) return Promise.resolve(false);
    const running = this.checking.get(clinicId);
    if (running) return running;
    const check = this.repo
      .require(clinicId, true)
      .then((clinic) => {
        if (clinic.version === held.setup.clinic.version) return false;
        if (this.entries.get(clinicId) === held) this.entries.delete(clinicId);
        return true;
      })
      .finally(() => this.checking.delete(clinicId));
    this.checking.set(clinicId, check);
    return check;
  }

  invalidate(clinicId: string): void {
    this.entries.delete(clinicId);
  }
}
