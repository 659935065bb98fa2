// What the client's Profile sends (web/src/lib/client-contact.ts, shared with the staff chart's
// Edit details): only the contact fields the client changed, so a change the clinic made meanwhile
// to another one is not written back; and half a ride-home contact is said before sending.
import { describe, expect, it } from 'vitest';
import { contactChanges, contactOf, phoneProblem, rideHomeProblems } from '../src/lib/client-contact.ts';
import type { Client } from '../src/lib/clinic-data.ts';
import { client as aClient } from './fixtures.ts';

const client = aClient({ rideHome: { name: 'Sam Tester', phone: '+16465550199' } });

describe('the profile’s contact fields', () => {
  it('sends only the consent when only the consent changed', () => {
    expect(contactChanges(client, { ...contactOf(client), smsConsent: false })).toEqual({ smsConsent: false });
  });

  it('sends nothing for the record as it is (phones as typed)', () => {
    const form = contactOf(client);
    expect(form).toEqual({ phone: '(212) 555-0177', smsConsent: true, rideName: 'Sam Tester', ridePhone: '(646) 555-0199' });
    expect(contactChanges(client, { ...form, phone: '212 555 0177', rideName: ' Sam Tester ' })).toEqual({});
  });

  it('a form opened before the clinic changed the ride home writes back only what the client changed', () => {
    const opened = contactOf(client);
    const meanwhile: Client = { ...client, rideHome: { name: 'Sam Tester', phone: '+16465550123' } };
    // judged against the record read when the page opened: the ride home is not in the body
    expect(contactChanges(client, { ...opened, smsConsent: false })).toEqual({ smsConsent: false });
    // a changed ride-home phone is sent whole, as the API takes the contact
    expect(contactChanges(meanwhile, { ...contactOf(meanwhile), ridePhone: '646-555-0100' })).toEqual({
      rideHome: { name: 'Sam Tester', phone: '+16465550100' },
    });
    expect(contactChanges(meanwhile, { ...contactOf(meanwhile), rideName: '', ridePhone: ' ' })).toEqual({ rideHome: null });
  });

  it('says half a ride-home contact and an empty phone before sending, under the field the API would name', () => {
    const form = contactOf(client);
    expect(rideHomeProblems(form)).toEqual([]);
    expect(rideHomeProblems({ ...form, rideName: '', ridePhone: '' })).toEqual([]);
    expect(rideHomeProblems({ ...form, ridePhone: ' ' })).toEqual([
      { path: 'rideHome.phone', message: 'Enter their phone too, or clear the name to remove the contact.' },
    ]);
    expect(rideHomeProblems({ ...form, rideName: '' })).toEqual([
      { path: 'rideHome.name', message: 'Enter their name too, or clear the phone to remove the contact.' },
    ]);
    expect(phoneProblem(form)).toBeUndefined();
    expect(phoneProblem({ ...form, phone: '  ' })).toEqual({ path: 'phone', message: 'Enter a mobile phone number.' });
  });
});
