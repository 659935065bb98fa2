// The superbill (US) or receipt for insurance (Canada) as a PDF: GET
// /v1/clients/{clientId}/superbill with Accept: application/pdf. The same content as the JSON
// answer (shared/domain/superbill.ts), laid out as the superbills clinicians hand out: the clinic
// (legal name, address, phone, EIN or business number, NPI), the title and statement period, the
// patient (name, date of birth), the diagnoses with their pointer letters, one table row per
// session (date, CPT and service, modifier, place of service, units, diagnosis pointers, rendering
// provider with NPI and licence, charge, paid), the totals, notes and a signature line. A long
// period continues on further pages, each with a short header and the table's header again.
//
// Only the billing function loads this module, with a dynamic import() on the PDF answer alone
// (./routes.ts), as the invoice receipt (./receipt-pdf.ts); both draw with ./pdf-layout.ts (the
// formatting, the WinAnsi folding and the page machinery). Two pure steps: superbillModel (every string, formatted) and renderSuperbillPdf
// (laid out on US Letter). The same inputs always give the same bytes: no clock, no random.
// Nothing here logs: the document carries diagnoses and names.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Currency, Service, ServiceCode } from '#domain/types.ts';
import type { SuperbillDocument } from '#domain/superbill.ts';
import { ACCENT, BAND, INK, MUTED, PAGE, PdfPages, formatDate, formatMoney, formatPhone, type Align, type Color } from './pdf-layout.ts';

// ---------------------------------------------------------------------------------------------
// What the document says

export interface SuperbillPdfContext {
  /** The period, clinic-local dates. */
  from: string;
  to: string;
  /** The clinic's trading name (the document names the legal one). */
  clinicName: string;
  currency: Currency;
  /** The catalog: each line's service name. */
  services: readonly Pick<Service, 'code' | 'name'>[];
}

export interface SuperbillModel {
  title: string;
  us: boolean;
  issuer: { name: string; address: string[]; ids: Array<[string, string]> };
  period: string;
  /** 'Patient' (US) or 'Client' (Canada). */
  personLabel: string;
  person: { name: string; dateOfBirth: string };
  diagnoses: Array<{ pointer: string; code: string }>;
  lines: Array<{
    date: string;
    cptCode: string;
    service: string;
    modifiers: string;
    placeOfService: string;
    units: string;
    pointers: string;
    provider: string;
    /** NPI and licence (US), or credentials and registration (Canada). */
    providerIds: string;
    charge: string;
    paid: string;
  }>;
  totals: Array<{ label: string; value: string; strong?: boolean }>;
  notes: string[];
  taxNote?: string;
  signature: string;
  footer: string;
}

const CURRENCY_NAME: Record<Currency, string> = { USD: 'US dollars (USD)', CAD: 'Canadian dollars (CAD)' };
const COUNTRY_NAME: Record<string, string> = { US: 'United States', CA: 'Canada' };
const SERVICE_FALLBACK: Record<ServiceCode, string> = {
  intake: 'Intake assessment',
  medical_evaluation: 'Medical evaluation',
  preparation: 'Preparation session',
  exploration: 'Session',
  integration: 'Integration session',
  ongoing_care: 'Ongoing care session',
};

const licenceText = (l: { number: string; jurisdiction: string } | null, label: string): string | null =>
  l ? `${label} ${l.jurisdiction} ${l.number}` : null;

/** Every string the superbill shows, formatted; no layout. */
export function superbillModel(d: SuperbillDocument, ctx: SuperbillPdfContext): SuperbillModel {
  const money = (amount: number) => formatMoney(amount, ctx.currency);
  const us = d.kind === 'superbill';
  const names = new Map(ctx.services.map((s) => [s.code, s.name]));
  const a = d.clinic.address;
  const address = [a.line1, ...(a.line2 ? [a.line2] : []), `${a.city}, ${a.region} ${a.postalCode}`, COUNTRY_NAME[a.country] ?? a.country];
  address.push(`Phone ${formatPhone(d.clinic.phone)}`);
  const ids: Array<[string, string]> = us ? [['EIN', d.clinic.taxId]] : [['Business number', d.clinic.taxId]];
  if (d.kind === 'superbill' && d.clinic.npi) ids.push(['NPI', d.clinic.npi]);
  const period = `${formatDate(ctx.from)} – ${formatDate(ctx.to)}`;
  const title = us ? 'Superbill' : 'Receipt for insurance';
  const lines: SuperbillModel['lines'] =
    d.kind === 'superbill'
      ? d.lines.map((l) => ({
          date: formatDate(l.serviceDate),
          cptCode: l.cptCode,
          service: names.get(l.service) ?? SERVICE_FALLBACK[l.service],
          modifiers: l.modifiers.join(', ') || '—',
          placeOfService: l.placeOfService,
          units: String(l.units),
          pointers: l.diagnosisPointers.join(''),
          provider: l.provider.name,
          providerIds: [`NPI ${l.provider.npi}`, licenceText(l.provider.licence, 'Lic.')].filter(Boolean).join(' · '),
          charge: money(l.charge.amount),
          paid: money(l.paid.amount),
        }))
      : d.lines.map((l) => ({
          date: formatDate(l.serviceDate),
          cptCode: '',
          service: names.get(l.service) ?? SERVICE_FALLBACK[l.service],
          modifiers: '',
          placeOfService: '',
          units: String(l.units),
          pointers: l.diagnosisPointers.join(''),
          provider: l.provider.credentials ? `${l.provider.name}, ${l.provider.credentials}` : l.provider.name,
          providerIds: l.provider.licence ? `College registration ${l.provider.licence.number} (${l.provider.licence.jurisdiction})` : '',
          charge: money(l.charge.amount),
          paid: money(l.paid.amount),
        }));
  const notes = [`Amounts in ${CURRENCY_NAME[ctx.currency]}.`];
  if (us) {
    notes.unshift(
      'Place of service 11: office. Place of service 10: telehealth in the patient’s home; modifier 95: synchronous telehealth. ' +
        'Diagnosis pointers refer to the lettered ICD-10-CM codes above, the first being the primary diagnosis.',
    );
  }
  if (lines.length === 0) notes.unshift('No billable sessions were completed in this period.');
  return {
    title,
    us,
    issuer: { name: d.clinic.legalName || ctx.clinicName, address, ids },
    period,
    personLabel: us ? 'Patient' : 'Client',
    person: { name: d.client.name, dateOfBirth: formatDate(d.client.dateOfBirth) },
    diagnoses: d.diagnosisCodes.map((code, i) => ({ pointer: String.fromCharCode(65 + i), code })),
    lines,
    totals: [
      { label: 'Total charges', value: money(d.totals.charge.amount) },
      { label: 'Total paid', value: money(d.totals.paid.amount), strong: true },
    ],
    notes,
    ...(d.kind === 'receipt' && d.clinic.taxNote ? { taxNote: d.clinic.taxNote } : {}),
    signature: us ? 'Provider signature' : 'Practitioner signature',
    footer: `${d.clinic.legalName || ctx.clinicName} · ${title} · ${period}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Layout: US Letter, points (1/72 in), origin bottom left

const MARGIN = 44;
const LEFT = MARGIN;
const RIGHT = PAGE.width - MARGIN;
const TOP = PAGE.height - MARGIN;
/** Nothing but the footer below this line. */
const BOTTOM = MARGIN + 30;
const FRAME = { left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM };

/** One table column: where its text starts (left) or ends (right), its header and width. */
interface Column {
  key: keyof SuperbillModel['lines'][number];
  header: string;
  x: number;
  align: Align;
  width: number;
  bold?: boolean;
}

const label = (p: PdfPages, text: string, x: number, y: number) =>
  p.text(text.toUpperCase(), x, y, { font: p.bold, size: 7, color: MUTED });

/** The first page's header: the clinic on the left, the title and period on the right. */
function drawHeader(p: PdfPages, m: SuperbillModel): void {
  let left = TOP - 12;
  for (const line of p.wrap(m.issuer.name, p.bold, 14, 300, 2)) {
    p.text(line, LEFT, left, { font: p.bold, size: 14, color: ACCENT });
    left -= 17;
  }
  for (const line of m.issuer.address) {
    p.text(line, LEFT, left, { font: p.regular, size: 8.5, color: MUTED, maxWidth: 300 });
    left -= 11.5;
  }
  left -= 2;
  for (const [k, v] of m.issuer.ids) {
    const w = p.text(k, LEFT, left, { font: p.regular, size: 8.5, color: MUTED });
    p.text(v, LEFT + w + 4, left, { font: p.bold, size: 8.5 });
    left -= 11.5;
  }

  let right = TOP - 18;
  const titleSize = m.us ? 24 : 19;
  p.text(m.title.toUpperCase(), RIGHT, right, { font: p.bold, size: titleSize, color: ACCENT, align: 'right' });
  right -= 22;
  label(p, 'Statement period', RIGHT - 180, right);
  right -= 12;
  p.text(m.period, RIGHT - 180, right, { font: p.bold, size: 9.5, maxWidth: 180 });
  right -= 20;
  label(p, m.personLabel, RIGHT - 180, right);
  right -= 12;
  p.text(m.person.name, RIGHT - 180, right, { font: p.bold, size: 9.5, maxWidth: 180 });
  right -= 12;
  p.text(`Date of birth ${m.person.dateOfBirth}`, RIGHT - 180, right, { font: p.regular, size: 8.5, color: MUTED });

  p.y = Math.min(left, right) - 8;
  p.rule(p.y, LEFT, RIGHT, 1.25, ACCENT);
}

/** The header of a continuation page: who, what and which period, on one line. */
function drawShortHeader(p: PdfPages, m: SuperbillModel): void {
  p.text(m.issuer.name, LEFT, TOP - 10, { font: p.bold, size: 10, color: ACCENT, maxWidth: 260 });
  p.text(`${m.title} (continued)`, RIGHT, TOP - 10, { font: p.bold, size: 10, color: ACCENT, align: 'right' });
  p.text(`${m.personLabel}: ${m.person.name} · born ${m.person.dateOfBirth} · ${m.period}`, LEFT, TOP - 24, {
    font: p.regular,
    size: 8.5,
    color: MUTED,
    maxWidth: RIGHT - LEFT,
  });
  p.y = TOP - 32;
  p.rule(p.y, LEFT, RIGHT, 1, ACCENT);
  p.y -= 10;
}

function drawDiagnoses(p: PdfPages, m: SuperbillModel): void {
  if (m.diagnoses.length === 0) return;
  p.y -= 18;
  label(p, 'Diagnoses (ICD-10-CM)', LEFT, p.y);
  p.y -= 4;
  const perRow = 4;
  const width = (RIGHT - LEFT) / perRow;
  m.diagnoses.forEach((d, i) => {
    if (i % perRow === 0) p.y -= 14;
    const x = LEFT + (i % perRow) * width;
    p.page.drawRectangle({ x, y: p.y - 3, width: 13, height: 12, color: BAND });
    p.text(d.pointer, x + 6.5 - p.bold.widthOfTextAtSize(d.pointer, 8) / 2, p.y, { font: p.bold, size: 8, color: ACCENT });
    p.text(d.code, x + 19, p.y, { font: p.bold, size: 9.5, maxWidth: width - 24 });
  });
  p.y -= 6;
}

const HEADER_ROW = 18;
const ROW = 25;

function columnsOf(m: SuperbillModel): Column[] {
  const at = (dx: number) => LEFT + dx;
  const dx = m.diagnoses.length > 0;
  if (m.us) {
    return [
      { key: 'date', header: 'Date', x: at(6), align: 'left', width: 52 },
      { key: 'cptCode', header: 'CPT / service', x: at(62), align: 'left', width: 96, bold: true },
      { key: 'modifiers', header: 'Mod', x: at(164), align: 'left', width: 22 },
      { key: 'placeOfService', header: 'POS', x: at(190), align: 'left', width: 20 },
      { key: 'units', header: 'Units', x: at(214), align: 'left', width: 22 },
      { key: 'pointers', header: 'Dx ptr', x: at(242), align: 'left', width: 38 },
      { key: 'provider', header: 'Rendering provider', x: at(284), align: 'left', width: 134 },
      { key: 'charge', header: 'Charge', x: at(470), align: 'right', width: 50 },
      { key: 'paid', header: 'Paid', x: RIGHT - 6, align: 'right', width: 48 },
    ];
  }
  return [
    { key: 'date', header: 'Date', x: at(6), align: 'left', width: 60 },
    { key: 'service', header: 'Service', x: at(72), align: 'left', width: dx ? 120 : 150 },
    { key: 'units', header: 'Units', x: at(dx ? 198 : 228), align: 'left', width: 24 },
    ...(dx ? [{ key: 'pointers', header: 'Dx ptr', x: at(230), align: 'left', width: 34 } satisfies Column] : []),
    { key: 'provider', header: 'Practitioner', x: at(270), align: 'left', width: 150 },
    { key: 'charge', header: 'Charge', x: at(462), align: 'right', width: 54 },
    { key: 'paid', header: 'Paid', x: RIGHT - 6, align: 'right', width: 54 },
  ];
}

function tableHeader(p: PdfPages, columns: Column[]): void {
  p.band(p.y, HEADER_ROW);
  for (const c of columns) p.text(c.header.toUpperCase(), c.x, p.y - 12, { font: p.bold, size: 6.5, color: MUTED, align: c.align });
  p.y -= HEADER_ROW;
}

function drawLines(p: PdfPages, m: SuperbillModel): void {
  const columns = columnsOf(m);
  p.y -= 16;
  p.ensure(HEADER_ROW + ROW);
  tableHeader(p, columns);
  p.onContinue = () => {
    drawShortHeader(p, m);
    tableHeader(p, columns);
  };
  if (m.lines.length === 0) {
    p.y -= 20;
    p.text('No billable sessions in this period.', LEFT + 6, p.y + 6, { font: p.regular, size: 8.5, color: MUTED });
    p.rule(p.y, LEFT, RIGHT, 0.5);
  }
  for (const line of m.lines) {
    p.ensure(ROW);
    const first = p.y - 10.5;
    const second = p.y - 19.5;
    for (const c of columns) {
      const text = line[c.key];
      if (typeof text !== 'string') continue;
      p.text(text, c.x, first, { font: c.bold ? p.bold : p.regular, size: 8, align: c.align, maxWidth: c.width });
    }
    // second line: the service's name under its CPT code (US), the provider's ids under the name
    const service = columns.find((c) => c.key === 'cptCode');
    if (service) p.text(line.service, service.x, second, { font: p.regular, size: 7, color: MUTED, maxWidth: service.width });
    const provider = columns.find((c) => c.key === 'provider')!;
    if (line.providerIds)
      p.text(line.providerIds, provider.x, second, { font: p.regular, size: 7, color: MUTED, maxWidth: provider.width });
    p.y -= ROW;
    p.rule(p.y, LEFT, RIGHT, 0.5);
  }
  p.onContinue = () => drawShortHeader(p, m);
}

function drawTotals(p: PdfPages, m: SuperbillModel): void {
  const from = RIGHT - 220;
  const row = TOTAL_ROW;
  p.ensure(12 + m.totals.length * row + 4);
  p.y -= 10;
  for (const t of m.totals) {
    if (t.strong) {
      p.rule(p.y, from, RIGHT, 1, INK);
      p.band(p.y - 1, row + 1, from, RIGHT);
      p.y -= 1;
    }
    const font = t.strong ? p.bold : p.regular;
    const size = t.strong ? 10.5 : 9;
    p.text(t.label, from + 8, p.y - 12, { font, size, color: t.strong ? INK : MUTED });
    p.text(t.value, RIGHT - 6, p.y - 12, { font, size, align: 'right' });
    p.y -= row;
  }
}

/** The notes under the totals: the tax note (Canada), then the small print. */
const notesOf = (m: SuperbillModel): Array<{ text: string; size: number; color: Color }> => [
  ...(m.taxNote ? [{ text: m.taxNote, size: 8.5, color: INK }] : []),
  ...m.notes.map((text) => ({ text, size: 7.5, color: MUTED })),
];

const TOTAL_ROW = 17;
const SIGNATURE_HEIGHT = 48;

/** The height of what closes the document (totals, notes, signature), kept together on one page. */
function closingHeight(p: PdfPages, m: SuperbillModel): number {
  const notes = notesOf(m).reduce((h, n) => h + p.wrap(n.text, p.regular, n.size, RIGHT - LEFT, 8).length * (n.size + 3) + 4, 0);
  return 10 + m.totals.length * TOTAL_ROW + 1 + 14 + notes + SIGNATURE_HEIGHT;
}

function drawNotes(p: PdfPages, m: SuperbillModel): void {
  p.y -= 14;
  const paragraph = (text: string, size: number, color: Color) => {
    const leading = size + 3;
    const lines = p.wrap(text, p.regular, size, RIGHT - LEFT, 8);
    p.ensure(lines.length * leading + 4);
    for (const line of lines) {
      p.y -= leading;
      p.text(line, LEFT, p.y, { font: p.regular, size, color });
    }
    p.y -= 4;
  };
  for (const n of notesOf(m)) paragraph(n.text, n.size, n.color);
}

function drawSignature(p: PdfPages, m: SuperbillModel): void {
  p.ensure(SIGNATURE_HEIGHT);
  p.y -= SIGNATURE_HEIGHT - 14;
  const sigEnd = LEFT + 300;
  p.rule(p.y, LEFT, sigEnd, 0.75, INK);
  p.rule(p.y, sigEnd + 30, RIGHT, 0.75, INK);
  p.text(m.signature, LEFT, p.y - 10, { font: p.regular, size: 7.5, color: MUTED });
  p.text('Date', sigEnd + 30, p.y - 10, { font: p.regular, size: 7.5, color: MUTED });
  p.y -= 14;
}

function drawFooters(p: PdfPages, m: SuperbillModel): void {
  p.pages.forEach((page, i) => {
    p.page = page;
    p.rule(MARGIN + 12, LEFT, RIGHT, 0.5);
    p.text(m.footer, LEFT, MARGIN, { font: p.regular, size: 7, color: MUTED, maxWidth: RIGHT - LEFT - 80 });
    p.text(`Page ${i + 1} of ${p.pages.length}`, RIGHT, MARGIN, { font: p.regular, size: 7, color: MUTED, align: 'right' });
  });
}

/** The superbill or receipt as a PDF (US Letter, Helvetica); the same inputs give the same bytes. */
export async function renderSuperbillPdf(d: SuperbillDocument, ctx: SuperbillPdfContext): Promise<Uint8Array> {
  const m = superbillModel(d, ctx);
  // updateMetadata: false — no "now" in the file; the fields are set below
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${m.title} ${m.period}`);
  doc.setAuthor(m.issuer.name);
  doc.setCreator('Kapstone');
  doc.setProducer('Kapstone billing (pdf-lib)');
  doc.setLanguage(m.us ? 'en-US' : 'en-CA');
  // one after the other: the fonts' object numbers, and so the bytes, never depend on timing
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const p = new PdfPages(doc, FRAME, regular, bold);
  drawHeader(p, m);
  drawDiagnoses(p, m);
  drawLines(p, m);
  // the totals, notes and signature stay together: on the next page (under its header) if need be
  p.ensure(closingHeight(p, m));
  drawTotals(p, m);
  drawNotes(p, m);
  drawSignature(p, m);
  drawFooters(p, m);
  return doc.save({ useObjectStreams: false });
}
