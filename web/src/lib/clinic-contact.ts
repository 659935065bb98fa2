// Where the clinic is and how to call it (GET /v1/clinics/{id}'s `contact`: public, from its billing
// profile), as a person reads it: the street line, then the city line; the phone as dialled in North
// America with a tel: link. Pure (no React): web/test/clinic-contact.test.ts has its cases.
import type { Clinic } from './clinic-data.ts';
import { formatPhone } from './phone.ts';

export type ClinicContact = NonNullable<Clinic['contact']>;

/** "350 Hudson St, Suite 4", "New York, NY 10013": a second address line only when there is one. */
export function addressLines(address: ClinicContact['address']): [string, string] {
  const street = [address.line1, address.line2].filter((part): part is string => !!part && part.trim() !== '').join(', ');
  return [street, `${address.city}, ${address.region} ${address.postalCode}`];
}

/** The address on one line, for a sentence. */
export const oneLineAddress = (address: ClinicContact['address']): string => addressLines(address).join(', ');

/** The phone as shown ("(212) 555-0100") and as dialled (tel:+12125550100). */
export const phoneLink = (phone: string): { text: string; href: string } => ({ text: formatPhone(phone), href: `tel:${phone}` });
