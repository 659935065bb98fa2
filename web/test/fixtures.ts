// Records as the API answers them, for the app's unit tests: each test gives only the fields that
// matter to it.
import type { Client } from '../src/lib/clinic-data.ts';

/** A client of Hudson Wellness at the start of their course (nothing done, no clearance), no ride home. */
export function client(overrides: Partial<Client> = {}): Client {
  return {
    id: 'cl_1',
    clinicId: 'demo-nyc',
    firstName: 'Robin',
    lastName: 'Tester',
    email: 'robin@example.com',
    phone: '+12125550177',
    dateOfBirth: '1990-05-01',
    smsConsent: true,
    rideHome: null,
    status: {
      intakeCompleted: false,
      clearance: { status: 'none', validUntil: null },
      preparationCount: 0,
      preparationCompleted: 0,
      explorationCount: 0,
      explorationCompleted: 0,
    },
    ...overrides,
  };
}
