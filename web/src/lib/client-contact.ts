// A client's contact details as a form holds them (phones as people type them): the phone the
// clinic texts, consent to texts and the ride-home contact. The client's Profile and the staff
// chart's "Edit details" (pages/staff/client-details.ts) share them: what the form asks before
// sending, and the PATCH /v1/clients/{id} body of what changed (only those fields: a change made
// meanwhile by someone else to another field is not written back).
import type { paths } from '../api/openapi';
import type { Client } from './clinic-data.ts';
import { formatPhone, toE164 } from './phone.ts';

export type ClientPatch = NonNullable<paths['/v1/clients/{clientId}']['patch']['requestBody']>['content']['application/json'];

export interface ContactForm {
  phone: string;
  smsConsent: boolean;
  rideName: string;
  ridePhone: string;
}

/** A field's problem, with the path the API's 400 would name (shown under that field). */
export interface Problem {
  path: string;
  message: string;
}

export function contactOf(client: Client): ContactForm {
  return {
    phone: formatPhone(client.phone),
    smsConsent: client.smsConsent,
    rideName: client.rideHome?.name ?? '',
    ridePhone: client.rideHome ? formatPhone(client.rideHome.phone) : '',
  };
}

/** The ride-home contact the form says: none when both fields are empty (PATCH's `null` removes it). */
function rideHomeOf(form: ContactForm): Client['rideHome'] {
  const name = form.rideName.trim();
  const phone = form.ridePhone.trim();
  return name === '' && phone === '' ? null : { name, phone: toE164(phone) };
}

/** The contact fields that differ from the record, as the API takes them; empty when nothing changed. */
export function contactChanges(client: Client, form: ContactForm): ClientPatch {
  const patch: ClientPatch = {};
  const phone = toE164(form.phone);
  if (phone !== client.phone) patch.phone = phone;
  if (form.smsConsent !== client.smsConsent) patch.smsConsent = form.smsConsent;
  const ride = rideHomeOf(form);
  const was = client.rideHome;
  if (ride === null ? was !== null : was === null || ride.name !== was.name || ride.phone !== was.phone) patch.rideHome = ride;
  return patch;
}

export const phoneProblem = (form: ContactForm): Problem | undefined =>
  form.phone.trim() === '' ? { path: 'phone', message: 'Enter a mobile phone number.' } : undefined;

/** Half a ride-home contact (a name without a phone, or a phone without a name), under the missing field. */
export function rideHomeProblems(form: ContactForm): Problem[] {
  const name = form.rideName.trim();
  const phone = form.ridePhone.trim();
  if (name === '' && phone !== '')
    return [{ path: 'rideHome.name', message: 'Enter their name too, or clear the phone to remove the contact.' }];
  if (phone === '' && name !== '')
    return [{ path: 'rideHome.phone', message: 'Enter their phone too, or clear the name to remove the contact.' }];
  return [];
}
