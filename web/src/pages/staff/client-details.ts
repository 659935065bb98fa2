// The client's details as the chart's edit form holds them: the name, e-mail and date of birth
// here, the contact fields (phone, consent, ride home) and their rules shared with the client's
// Profile (lib/client-contact.ts). Only what changed is sent: a change made meanwhile by someone
// else to another field is not written back.
import { birthDateProblem } from '../../lib/birth-date.ts';
import {
  contactChanges,
  contactOf,
  phoneProblem,
  rideHomeProblems,
  type ClientPatch,
  type ContactForm,
  type Problem,
} from '../../lib/client-contact.ts';
import type { Client } from '../../lib/clinic-data.ts';

export interface DetailsForm extends ContactForm {
  firstName: string;
  lastName: string;
  email: string;
  dateOfBirth: string;
}

export function detailsOf(client: Client): DetailsForm {
  return {
    firstName: client.firstName,
    lastName: client.lastName,
    email: client.email,
    dateOfBirth: client.dateOfBirth,
    ...contactOf(client),
  };
}

/** The fields that differ from the record, as the API takes them; empty when nothing changed. */
export function changesOf(client: Client, form: DetailsForm): ClientPatch {
  const patch: ClientPatch = {};
  const firstName = form.firstName.trim();
  const lastName = form.lastName.trim();
  const email = form.email.trim();
  if (firstName !== client.firstName) patch.firstName = firstName;
  if (lastName !== client.lastName) patch.lastName = lastName;
  // the API keeps addresses in lower case
  if (email.toLowerCase() !== client.email) patch.email = email;
  if (form.dateOfBirth !== client.dateOfBirth) patch.dateOfBirth = form.dateOfBirth;
  return { ...patch, ...contactChanges(client, form) };
}

/** What the form can tell before sending (the API checks the rest): each problem under its field. */
export function detailsProblems(form: DetailsForm, today: string): Problem[] {
  const out: Problem[] = [];
  if (form.firstName.trim() === '') out.push({ path: 'firstName', message: 'Enter the first name.' });
  if (form.lastName.trim() === '') out.push({ path: 'lastName', message: 'Enter the last name.' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim()))
    out.push({ path: 'email', message: 'Enter an e-mail address, e.g. name@example.com.' });
  const phone = phoneProblem(form);
  if (phone) out.push(phone);
  const born = form.dateOfBirth === '' ? 'Enter the date of birth.' : birthDateProblem(form.dateOfBirth, today);
  if (born) out.push({ path: 'dateOfBirth', message: born });
  return [...out, ...rideHomeProblems(form)];
}
