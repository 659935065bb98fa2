// The HTTP routes of the deployed API, as data. The CDK stack creates one API Gateway route per
// entry (with or without the JWT authorizer), the local server matches requests against the same
// list, and each function dispatches on `routeKey`. Dev-only routes are not here (infra/local).

export type FunctionName = 'scheduling' | 'payments';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string; // API Gateway syntax: /v1/clinics/{clinicId}
  /** 'jwt': API Gateway's JWT authorizer must pass; 'none': public (claims absent). */
  auth: 'jwt' | 'none';
  fn: FunctionName;
}

const r = (method: RouteDef['method'], path: string, auth: RouteDef['auth'], fn: FunctionName = 'scheduling'): RouteDef => ({
  method,
  path,
  auth,
  fn,
});

export const ROUTES: readonly RouteDef[] = [
  r('GET', '/v1/health', 'none'),
  r('GET', '/v1/clinics', 'none'),
  r('POST', '/v1/clinics', 'jwt'),
  r('GET', '/v1/clinics/{clinicId}', 'none'),
  r('PATCH', '/v1/clinics/{clinicId}', 'jwt'),
  r('POST', '/v1/clinics/{clinicId}/providers', 'jwt'),
  r('GET', '/v1/clinics/{clinicId}/providers', 'none'),
  r('POST', '/v1/clinics/{clinicId}/rooms', 'jwt'),
  r('GET', '/v1/clinics/{clinicId}/rooms', 'jwt'),
  r('GET', '/v1/clinics/{clinicId}/services', 'none'),
  r('GET', '/v1/clinics/{clinicId}/availability', 'none'),
  r('GET', '/v1/clinics/{clinicId}/schedule', 'jwt'),
  r('POST', '/v1/clients', 'none'),
  r('GET', '/v1/clients/{clientId}', 'jwt'),
  r('PATCH', '/v1/clients/{clientId}', 'jwt'),
  r('POST', '/v1/clients/{clientId}/clearance', 'jwt'),
  r('GET', '/v1/clients/{clientId}/appointments', 'jwt'),
  r('POST', '/v1/appointments', 'jwt'),
  r('GET', '/v1/appointments/{appointmentId}', 'jwt'),
  r('POST', '/v1/appointments/{appointmentId}/reschedule', 'jwt'),
  r('POST', '/v1/appointments/{appointmentId}/cancel', 'jwt'),
  r('POST', '/v1/appointments/{appointmentId}/check-in', 'jwt'),
  r('POST', '/v1/appointments/{appointmentId}/no-show', 'jwt'),
  r('POST', '/v1/appointments/{appointmentId}/complete', 'jwt'),

  // Programs, packages and payments
  r('GET', '/v1/clinics/{clinicId}/programs', 'none', 'payments'),
  r('POST', '/v1/clinics/{clinicId}/programs', 'jwt', 'payments'),
  r('POST', '/v1/clinics/{clinicId}/programs/{programId}/retire', 'jwt', 'payments'),
  r('POST', '/v1/packages', 'jwt', 'payments'),
  r('GET', '/v1/packages/{packageId}', 'jwt', 'payments'),
  r('POST', '/v1/packages/{packageId}/cancel', 'jwt', 'payments'),
  // Stripe signs its deliveries; no JWT (the signature is checked on the raw body)
  r('POST', '/v1/webhooks/stripe', 'none', 'payments'),
];

export const routeKey = (route: Pick<RouteDef, 'method' | 'path'>): string => `${route.method} ${route.path}`;
