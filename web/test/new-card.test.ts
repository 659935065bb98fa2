// Back from saving another card for a past-due plan: the package page waits for the webhook until
// the package is no longer past due.
import { describe, expect, it } from 'vitest';
import { newCardSettled } from '../src/lib/packages.ts';

describe('newCardSettled', () => {
  it('waits while the package is past due', () => {
    expect(newCardSettled({ status: 'past_due' })).toBe(false);
  });

  it('settled once it is active again, or whatever else it became', () => {
    expect(newCardSettled({ status: 'active' })).toBe(true);
    expect(newCardSettled({ status: 'completed' })).toBe(true);
    expect(newCardSettled({ status: 'cancelled' })).toBe(true);
  });
});
