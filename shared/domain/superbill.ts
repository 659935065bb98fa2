// Superbills (US) and receipts for insurance (Canada): what a client hands to an insurer to claim
// the therapy it paid for (docs/api.md, "Superbills and receipts for insurance"; docs/domain.md,
// "Superbills and insurance receipts"). Pure: no clock, no I/O; the service
// (shared/services/superbill-service.ts) reads the records and hands them in.
//
// What is listed: the client's appointments that are COMPLETED, whose clinic-local date is in the
// period, and whose service is billable in the catalog (in the US it also needs a CPT code). Never
// an exploration (also guarded by name, whatever the catalog says), never a fee or a program line
// (those are invoice lines, not appointments). Sorted by start, then id.
//
// What each line charges and what was paid on it:
//  - a self-pay session: its invoice's session line (charge = the line's amount); paid = what the
//    clinic holds on that invoice (paid − refunded, pending refunds counting as refunded, as the
//    invoice's totals do), never below 0 and never above the charge. A session without an invoice
//    (booked before invoices existed) is left out: no charge is recorded to claim.
//  - a session paid by a package: its share of the package price (allocation.ts packageShares:
//    in proportion to list prices, exact to the cent over the whole package). The k-th session of
//    a service gets the k-th share of that service, k being its rank (by start, then id) among the
//    package's appointments of that service that took a credit: completed, checked in, booked,
//    no-show, or cancelled late when the clinic's policy forfeits the credit (an on-time cancel
//    gave its credit back). paid = the same share of what the package holds (its succeeded
//    charges − its succeeded refunds, at most its price), capped at the charge (largest-remainder
//    rounding may put a cent on the paid share that the charge share did not get).
//    A package cancelled by staff, once the cancel fixed the value used (cancellation.usedValue):
//    its invoice now charges that value alone, at most the price (the rest was credited and
//    refunded; cancelledCharge), so the allocation runs over the sessions used (its credits' `used`
//    counts) and that charge, and what it still holds is spread over the same sessions — with
//    what was paid on its invoice after the cancel (the balance the cancel left owing, paid on
//    the invoice's own checkout), which the package's own records do not hold.
//    A session ranked beyond the package's credits (inconsistent data) gets a share of 0.
//
// Codes: CPT from the catalog; place of service and modifier from the mode, as invoices do (in
// person 11 and no modifier, telehealth 10 with modifier 95). Diagnosis pointers: the codes are
// lettered A, B, … (up to 12, as on a CMS-1500); every line points at the first four (A–D), the
// most a CMS-1500 service line carries, the first being the primary diagnosis.
//
// Canada (clinic.country 'CA'): kind 'receipt': the clinic's business number and tax note; each
// line's provider with credentials and licence (the college registration); no CPT, place of
// service or modifier keys at all.
//
// Rules (422): billing_profile_missing (any country: nothing to print the clinic's legal name,
// address and tax id from; an extension of the published API), diagnosis_required (US, no code
// recorded), provider_npi_missing (US, the provider of a listed session has no NPI), in that
// order. Messages never carry a code, a name or a date.
import {
  clientName,
  type Appointment,
  type Clinic,
  type Client,
  type Currency,
  type Money,
  type Provider,
  type Service,
  type ServiceCode,
} from './types.ts';
import type { CreditService, Package } from './packages.ts';
import { CREDIT_SERVICES } from './packages.ts';
import { creditSlots, packageShares } from './allocation.ts';
import { creditListPrices } from './programs.ts';
import { cancelledCharge, packageNetPaid } from './package-rules.ts';
import { TELEHEALTH_MODIFIER, heldOn, isSessionLine, type Invoice, type PlaceOfService } from './invoices.ts';
import { RuleViolation, type FieldIssue, type RuleName } from './errors.ts';
import { dateRangeIssues, isValidDate, localDate } from './time.ts';
import { ruleMessage } from './booking-rules.ts';

// ---------------------------------------------------------------------------------------------
// Period

/** The longest period a superbill covers, in days, both ends included (a leap year). */
export const MAX_SUPERBILL_DAYS = 366;

/** What is wrong with a period of clinic-local dates (both included): `to` before `from`, or longer than MAX_SUPERBILL_DAYS. */
export function periodIssues(from: string, to: string): FieldIssue[] {
  if (!isValidDate(from) || !isValidDate(to)) return [{ path: isValidDate(from) ? 'to' : 'from', message: 'Must be a date YYYY-MM-DD' }];
  return dateRangeIssues(from, to, { days: MAX_SUPERBILL_DAYS, message: `A superbill covers at most ${MAX_SUPERBILL_DAYS} days` });
}

// ---------------------------------------------------------------------------------------------
// Output: the JSON of docs/api.md, "Superbills and receipts for insurance"

export interface SuperbillAddress {
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface Licence {
  number: string;
  jurisdiction: string;
}

interface Totals {
  charge: Money;
  paid: Money;
}

export interface SuperbillClient {
  name: string;
  dateOfBirth: string;
}

/** A US superbill line (CMS-1500 vocabulary). */
export interface SuperbillLine {
  serviceDate: string;
  service: ServiceCode;
  cptCode: string;
  modifiers: string[];
  placeOfService: PlaceOfService;
  units: 1;
  diagnosisPointers: string[];
  provider: { name: string; npi: string; licence: Licence | null };
  charge: Money;
  paid: Money;
}

/** A Canadian receipt line: no CPT, place of service or modifier. */
export interface ReceiptLine {
  serviceDate: string;
  service: ServiceCode;
  units: 1;
  diagnosisPointers: string[];
  provider: { name: string; credentials: string; licence: Licence | null };
  charge: Money;
  paid: Money;
}

export interface Superbill {
  kind: 'superbill';
  clinic: { legalName: string; address: SuperbillAddress; phone: string; taxId: string; npi: string | null };
  client: SuperbillClient;
  diagnosisCodes: string[];
  lines: SuperbillLine[];
  totals: Totals;
}

export interface InsuranceReceipt {
  kind: 'receipt';
  clinic: { legalName: string; address: SuperbillAddress; phone: string; taxId: string; taxNote: string | null };
  client: SuperbillClient;
  diagnosisCodes: string[];
  lines: ReceiptLine[];
  totals: Totals;
}

export type SuperbillDocument = Superbill | InsuranceReceipt;

// ---------------------------------------------------------------------------------------------
// Input

export interface SuperbillInput {
  /** The policy: whether a late cancel forfeits a package credit, and the rule messages. */
  clinic: Pick<Clinic, 'name' | 'country' | 'currency' | 'timezone' | 'billing' | 'policy'>;
  client: Pick<Client, 'firstName' | 'lastName' | 'dateOfBirth'>;
  /** The client's ICD-10-CM codes, the primary first ([] when none are recorded). */
  diagnosisCodes: readonly string[];
  /** Clinic-local dates, both included. */
  from: string;
  to: string;
  /**
   * The client's appointments: at least those in the period, and every appointment of each package
   * that paid for one of them (the client's whole list has them all: a package is one client's).
   */
  appointments: readonly Appointment[];
  /**
   * The invoices of the self-pay sessions listed, and of the cancelled packages that paid for some
   * (what a cancel left owing is paid on the invoice); others are ignored.
   */
  invoices: readonly Invoice[];
  /** The packages that paid for sessions listed (others are ignored). */
  packages: readonly Package[];
  /** The clinic's catalog: billable flag, CPT code, list prices. */
  services: readonly Service[];
  providers: readonly Provider[];
}

// ---------------------------------------------------------------------------------------------
// Rules and small pieces

/** The letters of diagnosis pointers, one per code (a CMS-1500 has 12: A–L). */
export const DIAGNOSIS_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'] as const;

/** How many diagnoses one service line points at (a CMS-1500 line's 24E holds four). */
export const POINTERS_PER_LINE = 4;

/** Services never billed to insurance, whatever a catalog says: the dosing session (off-label). */
const NEVER_BILLED: readonly ServiceCode[] = ['exploration'];

/** The 422 rules a superbill may break (messages: booking-rules.ts ruleMessage; no PHI). */
export type SuperbillRule = Extract<RuleName, 'billing_profile_missing' | 'diagnosis_required' | 'provider_npi_missing'>;

const byStart = (a: Appointment, b: Appointment) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Each credit-taking appointment of `pkg` (from `appointments`, any client list holding them) with
 * its charge and paid share, by appointment id (see the top of this file).
 */
export function packageSessionAmounts(
  pkg: Pick<Package, 'id' | 'price' | 'credits' | 'payments' | 'cancellation'>,
  appointments: readonly Appointment[],
  listPrices: Record<CreditService, number>,
  lateCancellationForfeitsCredit = true,
  invoice?: Invoice,
): Map<string, { charge: number; paid: number }> {
  const cancelledValue = cancelledCharge(pkg);
  const counts = {} as Record<CreditService, number>;
  for (const s of CREDIT_SERVICES) {
    const line = pkg.credits[s];
    counts[s] = Math.max(0, (cancelledValue === undefined ? line?.total : line?.used) ?? 0);
  }
  const amount = cancelledValue ?? pkg.price.amount;
  // what the package holds; its invoice may hold more: what a cancel left owing, paid on the invoice's own checkout
  const onInvoice = invoice ? heldOn(invoice) : 0;
  const held = Math.min(Math.max(packageNetPaid(pkg), onInvoice), amount);
  // no session to spread over (a program of none, a cancelled package that used none): every share is 0
  const none = CREDIT_SERVICES.every((s) => counts[s] === 0);
  const noShares = (): Record<CreditService, number[]> => ({ preparation: [], exploration: [], integration: [] });
  const charges = none ? noShares() : packageShares(amount, counts, listPrices);
  const paids = none ? noShares() : packageShares(held, counts, listPrices);

  const out = new Map<string, { charge: number; paid: number }>();
  for (const [id, { service, index }] of creditSlots(pkg.id, appointments, lateCancellationForfeitsCredit)) {
    const charge = charges[service][index] ?? 0;
    out.set(id, { charge, paid: Math.min(paids[service][index] ?? 0, charge) });
  }
  return out;
}

/** Where a session was held, as billed (invoices.ts does the same for its lines). */
function placeOf(mode: Appointment['mode']): { placeOfService: PlaceOfService; modifiers: string[] } {
  return mode === 'telehealth' ? { placeOfService: '10', modifiers: [TELEHEALTH_MODIFIER] } : { placeOfService: '11', modifiers: [] };
}

/** A self-pay session's charge and paid, from its invoice; null when the invoice has no live line for it. */
function selfPayAmounts(a: Appointment, invoice: Invoice | undefined): { charge: number; paid: number } | null {
  if (!invoice) return null;
  const line = invoice.lines.find((l) => l.appointmentId === a.id && isSessionLine(l) && !l.voided);
  if (!line) return null;
  const charge = Math.max(0, line.amount);
  return { charge, paid: Math.min(charge, Math.max(0, heldOn(invoice))) };
}

// ---------------------------------------------------------------------------------------------
// The superbill

/**
 * The superbill (US) or receipt for insurance (Canada) of the client's completed, billable
 * sessions in the period. Throws RuleViolation (billing_profile_missing, diagnosis_required,
 * provider_npi_missing) and RangeError on amounts in another currency than the clinic's.
 */
export function superbill(input: SuperbillInput): SuperbillDocument {
  const { clinic } = input;
  const billing = clinic.billing;
  if (!billing) throw superbillViolation('billing_profile_missing', clinic);
  const us = clinic.country === 'US';
  const codes = [...input.diagnosisCodes];
  if (us && codes.length === 0) throw superbillViolation('diagnosis_required', clinic);
  for (const i of input.invoices) assertCurrency(i.currency, clinic.currency, `Invoice ${i.id}`);
  for (const p of input.packages) assertCurrency(p.price.currency, clinic.currency, `Package ${p.id}`);

  const services = new Map(input.services.map((s) => [s.code, s]));
  const providers = new Map(input.providers.map((p) => [p.id, p]));
  const amountsOf = sessionAmounts(input);
  const pointers = DIAGNOSIS_LETTERS.slice(0, Math.min(codes.length, POINTERS_PER_LINE));
  const money = (amount: number): Money => ({ amount, currency: clinic.currency });

  const usLines: SuperbillLine[] = [];
  const caLines: ReceiptLine[] = [];
  for (const a of sessionsInPeriod(input)) {
    const service = services.get(a.service);
    if (!service?.billable || (us && !service.cptCode)) continue;
    const amounts = amountsOf(a);
    if (!amounts) continue;
    const provider = providers.get(a.providerId);
    const licence = provider?.licence ? { number: provider.licence.number, jurisdiction: provider.licence.jurisdiction } : null;
    const common = { serviceDate: localDate(a.startsAt, clinic.timezone), service: a.service };
    const amount = { charge: money(amounts.charge), paid: money(amounts.paid) };
    if (us) {
      if (!provider?.npi) throw superbillViolation('provider_npi_missing', clinic);
      usLines.push({
        ...common,
        cptCode: service.cptCode!,
        ...placeOf(a.mode),
        units: 1,
        diagnosisPointers: [...pointers],
        provider: { name: provider.name, npi: provider.npi, licence },
        ...amount,
      });
    } else {
      caLines.push({
        ...common,
        units: 1,
        diagnosisPointers: [...pointers],
        provider: { name: provider?.name ?? '', credentials: provider?.credentials ?? '', licence },
        ...amount,
      });
    }
  }

  const { line1, line2, city, region, postalCode, country } = billing.address;
  const address: SuperbillAddress = { line1, line2: line2 ?? null, city, region, postalCode, country };
  const client = { name: clientName(input.client), dateOfBirth: input.client.dateOfBirth };
  const header = { legalName: billing.legalName, address, phone: billing.phone, taxId: billing.taxId };
  if (us) {
    const clinicPart = { ...header, npi: billing.npi ?? null };
    return { kind: 'superbill', clinic: clinicPart, client, diagnosisCodes: codes, lines: usLines, totals: totalsOf(usLines, money) };
  }
  const clinicPart = { ...header, taxNote: billing.taxNote ?? null };
  return { kind: 'receipt', clinic: clinicPart, client, diagnosisCodes: codes, lines: caLines, totals: totalsOf(caLines, money) };
}

function superbillViolation(rule: SuperbillRule, clinic: Pick<Clinic, 'policy'>): RuleViolation {
  return new RuleViolation(rule, ruleMessage(rule, clinic.policy));
}

/** The client's completed sessions on the clinic-local days of the period, by start: never a dosing session. */
function sessionsInPeriod(input: SuperbillInput): Appointment[] {
  const zone = input.clinic.timezone;
  return input.appointments
    .filter((a) => a.status === 'completed' && !NEVER_BILLED.includes(a.service))
    .filter((a) => {
      const date = localDate(a.startsAt, zone);
      return date >= input.from && date <= input.to;
    })
    .sort(byStart);
}

/**
 * What a session charged and what was paid on it: a package session its share of the package
 * (each package's shares worked out once), a self-pay session its invoice line. Null or undefined
 * when neither is known (the session is then left off).
 */
function sessionAmounts(input: SuperbillInput): (a: Appointment) => { charge: number; paid: number } | null | undefined {
  const invoices = new Map(input.invoices.map((i) => [i.id, i]));
  const packages = new Map(input.packages.map((p) => [p.id, p]));
  const shares = new Map<string, Map<string, { charge: number; paid: number }>>();
  let listPrices: Record<CreditService, number> | undefined;
  const sharesOf = (pkg: Package) => {
    let s = shares.get(pkg.id);
    if (!s) {
      listPrices ??= creditListPrices([...input.services], input.clinic.currency);
      const invoice = pkg.invoiceId === undefined ? undefined : invoices.get(pkg.invoiceId);
      s = packageSessionAmounts(pkg, input.appointments, listPrices, input.clinic.policy.lateCancellationForfeitsCredit, invoice);
      shares.set(pkg.id, s);
    }
    return s;
  };
  return (a) => {
    if (a.packageId !== undefined) {
      const pkg = packages.get(a.packageId);
      return pkg ? sharesOf(pkg).get(a.id) : undefined;
    }
    return selfPayAmounts(a, a.invoiceId === undefined ? undefined : invoices.get(a.invoiceId));
  };
}

function totalsOf(lines: ReadonlyArray<{ charge: Money; paid: Money }>, money: (amount: number) => Money): Totals {
  return {
    charge: money(lines.reduce((s, l) => s + l.charge.amount, 0)),
    paid: money(lines.reduce((s, l) => s + l.paid.amount, 0)),
  };
}

function assertCurrency(actual: Currency, expected: Currency, what: string): void {
  if (actual !== expected) throw new RangeError(`${what} is in ${actual}, not the clinic's ${expected}`);
}
