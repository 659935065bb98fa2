// Injected failures: the next N requests matching a method and path fail with an error answer or
// a dropped connection (InjectedFailure), consumed in the order they were injected.
import type { InjectedFailure } from './types.ts';

export class FailureQueue {
  private readonly pending: InjectedFailure[] = [];

  add(failure: InjectedFailure): void {
    this.pending.push(failure);
  }

  /** The failure this request meets, if any (one of its `times` used up). */
  take(method: string, path: string): InjectedFailure | undefined {
    const i = this.pending.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) && (!f.path || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = this.pending[i]!;
    if (f.skip) {
      this.pending[i] = { ...f, skip: f.skip - 1 };
      return undefined;
    }
    const left = (f.times ?? 1) - 1;
    if (left <= 0) this.pending.splice(i, 1);
    else this.pending[i] = { ...f, times: left };
    return f;
  }
}
