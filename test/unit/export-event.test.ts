// The export job's event: `{ exportId }` and nothing else (functions/exports/app.ts exportIdOf,
// which the handler checks before it runs the job; anything else is logged and skipped).
import { describe, expect, it } from 'vitest';
import { exportIdOf } from '#functions/exports/app.ts';

describe('exportIdOf', () => {
  it('takes an id of 1 to 100 letters, digits, _ and -', () => {
    expect(exportIdOf({ exportId: 'exp_0a1B-z' })).toBe('exp_0a1B-z');
    expect(exportIdOf({ exportId: 'x'.repeat(100) })).toBe('x'.repeat(100));
  });

  it('refuses anything else', () => {
    const refused: unknown[] = [
      undefined,
      null,
      'exp_1',
      42,
      [],
      ['exp_1'],
      {},
      { exportId: '' },
      { exportId: 'x'.repeat(101) },
      { exportId: 'exp/../1' },
      { exportId: 'exp 1' },
      { exportId: 'exp_1\n' },
      { exportId: 7 },
      { exportId: null },
      { exportId: 'exp_1', extra: true },
      { id: 'exp_1' },
    ];
    for (const event of refused) expect(exportIdOf(event), JSON.stringify(event)).toBeUndefined();
  });
});
