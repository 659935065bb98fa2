// What the staff chart's "Edit details" sends (web/src/pages/staff/client-details.ts): only the
// fields that changed, phones as E.164, a ride-home contact cleared as null; and what it says
// before sending.
import { describe, expect, it } from 'vitest';
import type { Client } from '../src/lib/clinic-data.ts';
import { changesOf, detailsOf, detailsProblems } from '../src/pages/staff/client-details.ts';
import { client as aClient } from './fixtures.ts';

const client = aClient({
  firstName: 'Jules',
  lastName: 'Moreau',
  email: 'jules@example.com',
  phone: '+12125550160',
  dateOfBirth: '1984-07-19',
  smsConsent: false,
});

describe('the chart’s edit form', () => {
  it('sends nothing for the record as it is, phones shown as typed', () => {
    const form = detailsOf(client);
    expect(form.phone).toBe('(212) 555-0160');
    expect(changesOf(client, form)).toEqual({});
    // spaces and the e-mail's case are not changes
    expect(changesOf(client, { ...form, firstName: ' Jules ', email: 'Jules@Example.com', phone: '212 555 0160' })).toEqual({});
  });

  it('sends only what changed, phones as E.164', () => {
    const form = detailsOf(client);
    expect(changesOf(client, { ...form, phone: '(646) 555-0199', smsConsent: true })).toEqual({ phone: '+16465550199', smsConsent: true });
    expect(changesOf(client, { ...form, lastName: 'Moreau-Li ', dateOfBirth: '1984-07-09' })).toEqual({
      lastName: 'Moreau-Li',
      dateOfBirth: '1984-07-09',
    });
  });

  it('adds, changes and removes the ride-home contact (removed as null)', () => {
    const added = { ...detailsOf(client), rideName: 'Jordan Ride', ridePhone: '(212) 555-0111' };
    expect(changesOf(client, added)).toEqual({ rideHome: { name: 'Jordan Ride', phone: '+12125550111' } });
    const withRide: Client = { ...client, rideHome: { name: 'Jordan Ride', phone: '+12125550111' } };
    expect(changesOf(withRide, detailsOf(withRide))).toEqual({});
    expect(changesOf(withRide, { ...detailsOf(withRide), ridePhone: '212-555-0112' })).toEqual({
      rideHome: { name: 'Jordan Ride', phone: '+12125550112' },
    });
    expect(changesOf(withRide, { ...detailsOf(withRide), rideName: ' ', ridePhone: '' })).toEqual({ rideHome: null });
  });

  it('says before sending what it can see, under the field the API would name', () => {
    const today = '2026-11-30';
    expect(detailsProblems(detailsOf(client), today)).toEqual([]);
    const problems = detailsProblems(
      { ...detailsOf(client), firstName: ' ', email: 'jules', phone: '', dateOfBirth: '2027-01-01', rideName: 'Jordan' },
      today,
    );
    expect(problems.map((p) => p.path)).toEqual(['firstName', 'email', 'phone', 'dateOfBirth', 'rideHome.phone']);
    expect(problems.find((p) => p.path === 'dateOfBirth')?.message).toBe('Date of birth can’t be in the future.');
    expect(detailsProblems({ ...detailsOf(client), ridePhone: '212 555 0111' }, today).map((p) => p.path)).toEqual(['rideHome.name']);
    expect(detailsProblems({ ...detailsOf(client), dateOfBirth: '' }, today)[0]?.message).toBe('Enter the date of birth.');
  });
});
