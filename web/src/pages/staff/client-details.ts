// The client's details as the chart's edit form holds them (phones as people type them), what
// the form asks before sending, and the PATCH /v1/clients/{id} body of what changed (only those
// fields: a change made meanwhile by someone else to another field is not written back).
import type { paths } from '../../api/openapi';
import { birthDateProblem } from '../../lib/birth-date.ts';
import type { Client } from '../../lib/clinic-data.ts';
import { formatPhone, toE164 } from '../../lib/phone.ts';

export type ClientPatch = NonNullable<paths['/v1/clients/{clientId}']['patch']['requestBody']>['content']['application/json'];

export interface DetailsForm {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  smsConsent: boolean;
  rideName: string;
  ridePhone: string;
}

/** A field's problem, with the path the API's 400 would name (shown under that field). */
export interface Problem {
  path: string;
  message: string;
}

export function detailsOf(client: Client): DetailsForm {
  return {
    firstName: client.firstName,
    lastName: client.lastName,
    email: client.email,
    phone: formatPhone(client.phone),
    dateOfBirth: client.dateOfBirth,
    smsConsent: client.smsConsent,
    rideName: client.rideHome?.name ?? '',
    ridePhone: client.rideHome ? formatPhone(client.rideHome.phone) : '',
  };
}

/** The ride-home contact the form says: none when both fields are empty (PATCH's `null` removes it). */
function rideHomeOf(form: DetailsForm): Client['rideHome'] {
  const name = form.rideName.trim();
  const phone = form.ridePhone.trim();
  return name === '' && phone === '' ? null : { name, phone: toE164(phone) };
}

/** The fields that differ from the record, as the API takes them; empty when nothing changed. */
export function changesOf(client: Client, form: DetailsForm): ClientPatch {
  const patch: ClientPatch = {};
  const firstName = form.firstName.trim();
  const lastName = form.lastName.trim();
  const email = form.email.trim();
  const phone = toE164(form.phone);
  if (firstName !== client.firstName) patch.firstName = firstName;
  if (lastName !== client.lastName) patch.lastName = lastName;
  // the API keeps addresses in lower case
  if (email.toLowerCase() !== client.email) patch.email = email;
  if (phone !== client.phone) patch.phone = phone;
  if (form.dateOfBirth !== client.dateOfBirth) patch.dateOfBirth = form.dateOfBirth;
  if (form.smsConsent !== client.smsConsent) patch.smsConsent = form.smsConsent;
  const ride = rideHomeOf(form);
  const was = client.rideHome;
  if (ride === null ? was !== null : was === null || ride.name !== was.name || ride.phone !== was.phone) patch.rideHome = ride;
  return patch;
}

/** What the form can tell before sending (the API checks the rest): each problem under its field. */
export function detailsProblems(form: DetailsForm, today: string): Problem[] {
  const out: Problem[] = [];
  if (form.firstName.trim() === '') out.push({ path: 'firstName', message: 'Enter the first name.' });
  if (form.lastName.trim() === '') out.push({ path: 'lastName', message: 'Enter the last name.' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim()))
    out.push({ path: 'email', message: 'Enter an e-mail address, e.g. name@example.com.' });
  if (form.phone.trim() === '') out.push({ path: 'phone', message: 'Enter a mobile phone number.' });
  const born = form.dateOfBirth === '' ? 'Enter the date of birth.' : birthDateProblem(form.dateOfBirth, today);
  if (born) out.push({ path: 'dateOfBirth', message: born });
  const name = form.rideName.trim();
  const phone = form.ridePhone.trim();
  if (name === '' && phone !== '')
    out.push({ path: 'rideHome.name', message: 'Enter their name too, or clear the phone to remove the contact.' });
  if (phone === '' && name !== '')
    out.push({ path: 'rideHome.phone', message: 'Enter their phone too, or clear the name to remove the contact.' });
  return out;
}
