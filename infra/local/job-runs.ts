// The local server's background jobs run one at a time: a run asked for while one is running
// happens once, right after it. A run is either of every job (the timer's: the offline Stripe's
// checkout expiries, the reminder job, the refund job) or of the SMS job alone (asked for when a
// change queued an SMS, so that it shows in the outbox at once); asked for both meanwhile, the next
// run is of every job. A dev route may also make a change between runs (`betweenRuns`): it waits
// for the run in progress and holds the next until it is done, as the refund job's give-up helper
// must (it may not mark as given up a refund the job is asking Stripe for at that moment).
export type JobRunKind = 'all' | 'sms';

export class JobRuns {
  private running: Promise<unknown> | undefined;
  private held: Promise<unknown> | undefined;
  private again: JobRunKind | undefined;

  /** `run` does one run; its failure is the caller's to catch (it is logged there). */
  constructor(private readonly run: (kind: JobRunKind) => Promise<unknown>) {}

  /** A run now, or once the run in progress (or a held change) is done; asked twice meanwhile, one run. */
  readonly request = (kind: JobRunKind = 'all'): void => {
    if (this.running || this.held) {
      this.again = this.again === 'all' || kind === 'all' ? 'all' : 'sms';
      return;
    }
    this.running = this.run(kind).finally(() => {
      this.running = undefined;
      this.next();
    });
  };

  /** Runs `change` after the run in progress ends, with no run starting until it is done. */
  async betweenRuns<T>(change: () => Promise<T>): Promise<T> {
    while (this.running || this.held) await (this.running ?? this.held);
    const done = change();
    this.held = done
      .catch(() => undefined)
      .finally(() => {
        this.held = undefined;
        this.next();
      });
    return done;
  }

  /** No more runs asked for; the one in progress ends. */
  async stop(): Promise<void> {
    this.again = undefined;
    await this.running;
  }

  private next(): void {
    const kind = this.again;
    if (kind === undefined) return;
    this.again = undefined;
    this.request(kind);
  }
}
