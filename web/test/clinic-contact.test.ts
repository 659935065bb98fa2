import { describe, expect, it } from 'vitest';
import { addressLines, oneLineAddress, phoneLink } from '../src/lib/clinic-contact.ts';

const address = { line1: '350 Hudson St', line2: null, city: 'New York', region: 'NY', postalCode: '10013', country: 'US' as const };

describe('the clinic’s contact as shown', () => {
  it('a street line and a city line; the second address line only when there is one', () => {
    expect(addressLines(address)).toEqual(['350 Hudson St', 'New York, NY 10013']);
    expect(addressLines({ ...address, line2: 'Suite 4' })).toEqual(['350 Hudson St, Suite 4', 'New York, NY 10013']);
    expect(addressLines({ ...address, line2: '  ' })).toEqual(['350 Hudson St', 'New York, NY 10013']);
  });

  it('on one line for a sentence, a Canadian postal code as written', () => {
    expect(oneLineAddress({ ...address, line1: '1 King St W', city: 'Toronto', region: 'ON', postalCode: 'M5H 1A1', country: 'CA' })).toBe(
      '1 King St W, Toronto, ON M5H 1A1',
    );
  });

  it('the phone as read and as dialled', () => {
    expect(phoneLink('+12125550100')).toEqual({ text: '(212) 555-0100', href: 'tel:+12125550100' });
  });
});
