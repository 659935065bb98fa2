// The local server's background jobs (reminders, refunds, the offline Stripe's checkout expiries)
// run one at a time: a run asked for while one is running happens once, right after it. A dev
// route may also make a change between runs (`betweenRuns`): it waits for the run in progress and
// holds the next until it is done, as the refund job's give-up helper must (it may not mark as
// given up a refund the job is asking Stripe for at that moment).
export class JobRuns {
  private running: Promise<unknown> | undefined;
  private held: Promise<unknown> | undefined;
  private again = false;

  /** `run` does one run of the jobs; its failure is the caller's to catch (it is logged there). */
  constructor(private readonly run: () => Promise<unknown>) {}

  /** A run now, or once the run in progress (or a held change) is done; asked twice meanwhile, one run. */
  readonly request = (): void => {
    if (this.running || this.held) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
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
    this.again = false;
    await this.running;
  }

  private next(): void {
    if (!this.again) return;
    this.again = false;
    this.request();
  }
}
