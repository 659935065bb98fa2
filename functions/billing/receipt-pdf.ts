// The PDF receipt of an invoice (GET /v1/invoices/{invoiceId}/receipt.pdf): what a client hands to
// an insurer or an accountant. Only the billing function loads this module, and only with a
// dynamic import() on that route (./routes.ts), so no other route's cold start evaluates pdf-lib.
//
// Two steps, both pure:
//   receiptModel(invoice, clinic, client, zone)     every string the receipt shows, formatted
//   renderReceiptPdf(invoice, clinic, client, zone)  those strings laid out on US Letter pages
// The same inputs always give the same bytes: the document's dates are the invoice's (issued, last
// changed), never the time of the request, and pdf-lib writes nothing random.
//
// Money is integer minor units, formatted with integer arithmetic only (formatMoney). Dates are
// the clinic's local dates. The clinic's billing profile (legal name, address, phone, tax id,
// taxNote) heads the receipt; a clinic without one yet gets its name alone, never an error.
//
// Text is drawn in the standard Helvetica fonts, which encode WinAnsi (Windows-1252) only, and
// pdf-lib throws on anything else. Every string goes through winAnsiText() first: it keeps what
// the font can draw, folds letters it cannot to their base letter (Ł → L, ż → z) and replaces
// anything else (emoji, other scripts) with '?' and control characters with a space, so no name
// or description can make the route fail.
//
// Nothing here logs: the receipt carries the client's name.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ACCENT, INK, MUTED, PAGE, PdfPages, formatDate, formatMoney, formatPhone, type Align } from './pdf-layout.ts';
import { clientName, type Client, type Clinic, type Country, type Currency } from '#domain/types.ts';
import { totals, type Invoice, type InvoiceStatus } from '#domain/invoices.ts';
import { localDate } from '#domain/time.ts';

// ---------------------------------------------------------------------------------------------
// Formatting

const CURRENCY_NAME: Record<Currency, string> = { USD: 'US dollars (USD)', CAD: 'Canadian dollars (CAD)' };

const dateOf = (at: number, zone: string) => formatDate(localDate(at, zone));

const TAX_ID_LABEL: Record<Country, string> = { US: 'EIN', CA: 'Business number' };
const COUNTRY_NAME: Record<Country, string> = { US: 'United States', CA: 'Canada' };

const STATUS_LABEL: Record<InvoiceStatus, string> = {
  open: 'Open',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  void: 'Void',
  refunded: 'Refunded',
};

const METHOD_LABEL: Record<string, string> = {
  card: 'Card',
  bnpl: 'Buy now, pay later',
  affirm: 'Affirm',
  afterpay_clearpay: 'Afterpay',
  klarna: 'Klarna',
  link: 'Link',
  us_bank_account: 'Bank debit',
  acss_debit: 'Pre-authorized debit',
  cash: 'Cash',
  cheque: 'Cheque',
  card_terminal: 'Card at the clinic',
  bank_transfer: 'Bank transfer',
  other: 'Other',
};

const methodLabel = (method: string): string => {
  const known = METHOD_LABEL[method];
  if (known) return known;
  const words = method.replace(/[_-]+/g, ' ').trim();
  return words === '' ? 'Other' : words.charAt(0).toUpperCase() + words.slice(1);
};

// ---------------------------------------------------------------------------------------------
// What the receipt says

export interface ReceiptModel {
  /** The document's title, on the page and in its metadata. */
  title: string;
  issuer: {
    /** The billing profile's legal name, else the clinic's name. */
    name: string;
    /** Address lines, phone and tax id, each present only when the profile has it. */
    details: string[];
  };
  /** Label and value pairs beside the title: invoice number, issue date, status. */
  facts: Array<[string, string]>;
  billedTo: string;
  lines: Array<{ description: string; serviceDate: string; amount: string; voided: boolean }>;
  payments: Array<{ date: string; method: string; reference: string; amount: string }>;
  refunds: Array<{ date: string; reference: string; amount: string }>;
  summary: Array<{ label: string; value: string; strong?: boolean }>;
  /** The billing profile's taxNote (e.g. the GST/HST exemption), when it has one. */
  taxNote?: string;
  /** Short notes on this receipt under the totals: its currency, voided lines. */
  notes: string[];
  /** Left side of every page's footer. */
  footer: string;
  createdAt: Date;
  modifiedAt: Date;
}

/** Every string the receipt shows, formatted; no layout. */
export function receiptModel(
  invoice: Invoice,
  clinic: Pick<Clinic, 'name' | 'country' | 'billing'>,
  client: Pick<Client, 'firstName' | 'lastName'>,
  zone: string,
): ReceiptModel {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const t = totals(invoice);
  const billing = clinic.billing;
  const details: string[] = [];
  if (billing) {
    const a = billing.address;
    details.push(a.line1);
    if (a.line2) details.push(a.line2);
    details.push(`${a.city}, ${a.region} ${a.postalCode}`, COUNTRY_NAME[a.country] ?? a.country);
    if (billing.phone) details.push(`Phone ${formatPhone(billing.phone)}`);
    if (billing.taxId) details.push(`${TAX_ID_LABEL[clinic.country]} ${billing.taxId}`);
  }
  const number = invoice.number ?? '—';
  // refunds that failed gave nothing back and are not in `refunded` (as on the invoice's JSON view)
  const refunds = invoice.refunds.filter((r) => r.status !== 'failed');
  const voided = invoice.lines.some((l) => l.voided);
  const summary: ReceiptModel['summary'] = [
    { label: 'Total', value: money(t.total) },
    { label: 'Amount paid', value: money(t.paid) },
  ];
  if (t.refunded > 0) summary.push({ label: 'Refunded', value: money(t.refunded) });
  summary.push(
    t.balance < 0
      ? { label: 'Refund due', value: money(-t.balance), strong: true }
      : { label: 'Balance due', value: money(t.balance), strong: true },
  );
  const lastChange = Math.max(
    invoice.createdAt,
    ...invoice.lines.map((l) => Math.max(l.issuedAt, l.voidedAt ?? 0)),
    ...invoice.payments.map((p) => p.at),
    ...invoice.refunds.map((r) => r.at),
  );
  return {
    title: 'Receipt',
    issuer: { name: billing?.legalName ?? clinic.name, details },
    facts: [
      ['Invoice no.', number],
      ['Issue date', dateOf(invoice.createdAt, zone)],
      ['Status', STATUS_LABEL[t.status]],
    ],
    billedTo: clientName(client),
    lines: invoice.lines.map((l) => ({
      description: l.description,
      serviceDate: l.serviceDate ? formatDate(l.serviceDate) : '—',
      amount: money(l.amount),
      voided: l.voided,
    })),
    payments: invoice.payments.map((p) => ({
      date: dateOf(p.at, zone),
      method: methodLabel(p.method),
      reference: p.reference,
      amount: money(p.amount),
    })),
    refunds: refunds.map((r) => ({
      date: dateOf(r.at, zone),
      reference: r.status === 'pending' ? `${r.reference} (pending)` : r.reference,
      amount: money(r.amount),
    })),
    summary,
    ...(billing?.taxNote ? { taxNote: billing.taxNote } : {}),
    notes: [
      `Amounts in ${CURRENCY_NAME[invoice.currency]}.`,
      ...(voided ? ['Lines struck through were voided and are not included in the total.'] : []),
    ],
    footer: `${billing?.legalName ?? clinic.name} · Receipt for invoice ${number}`,
    createdAt: new Date(invoice.createdAt),
    modifiedAt: new Date(lastChange),
  };
}

// ---------------------------------------------------------------------------------------------
// Layout: US Letter (./pdf-layout.ts)

const MARGIN = 50;
const LEFT = MARGIN;
const RIGHT = PAGE.width - MARGIN;
const TOP = PAGE.height - MARGIN;
/** Nothing but the footer below this line. */
const BOTTOM = MARGIN + 34;
const FRAME = { left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM };

/** One table column: where it starts (left) or ends (right), and the header text. */
interface Column {
  header: string;
  x: number;
  align: Align;
  width: number;
}

const HEADER_ROW = 20;

/** A table's header band at the cursor. */
function tableHeader(l: PdfPages, columns: Column[]): void {
  l.band(l.y, HEADER_ROW);
  for (const c of columns) l.text(c.header.toUpperCase(), c.x, l.y - 13.5, { font: l.bold, size: 7.5, color: MUTED, align: c.align });
  l.y -= HEADER_ROW;
}

/**
 * Rows of single-line cells under a header, `rowHeight` each; a row that would cross the footer
 * goes to a new page, under the header again.
 */
function simpleTable(l: PdfPages, columns: Column[], rows: string[][], rowHeight = 20): void {
  l.ensure(HEADER_ROW + rowHeight);
  tableHeader(l, columns);
  for (const row of rows) {
    if (l.ensure(rowHeight)) tableHeader(l, columns);
    columns.forEach((c, i) => l.text(row[i] ?? '', c.x, l.y - 13.5, { font: l.regular, size: 9, align: c.align, maxWidth: c.width }));
    l.y -= rowHeight;
    l.rule(l.y, LEFT, RIGHT, 0.5);
  }
}

function sectionTitle(l: PdfPages, title: string): void {
  l.ensure(28 + HEADER_ROW + 20);
  l.y -= 22;
  l.text(title, LEFT, l.y, { font: l.bold, size: 11 });
  l.y -= 8;
}

function drawHeader(l: PdfPages, m: ReceiptModel): void {
  // the clinic, left
  let left = TOP - 14;
  const nameLines = l.wrap(m.issuer.name, l.bold, 14, 300, 2);
  for (const line of nameLines) {
    l.text(line, LEFT, left, { font: l.bold, size: 14, color: ACCENT });
    left -= 17;
  }
  left -= 1;
  for (const d of m.issuer.details) {
    l.text(d, LEFT, left, { font: l.regular, size: 9, color: MUTED, maxWidth: 300 });
    left -= 12.5;
  }
  // the title and the invoice's facts, right
  let right = TOP - 20;
  l.text(m.title.toUpperCase(), RIGHT, right, { font: l.bold, size: 24, color: ACCENT, align: 'right' });
  right -= 24;
  for (const [label, value] of m.facts) {
    l.text(label, RIGHT - 175, right, { font: l.regular, size: 9, color: MUTED });
    l.text(value, RIGHT, right, { font: l.bold, size: 9, align: 'right', maxWidth: 100 });
    right -= 14;
  }
  l.y = Math.min(left, right) - 6;
  l.rule(l.y, LEFT, RIGHT, 1.25, ACCENT);

  // billed to
  l.y -= 20;
  l.text('BILLED TO', LEFT, l.y, { font: l.bold, size: 7.5, color: MUTED });
  l.y -= 15;
  l.text(m.billedTo, LEFT, l.y, { font: l.bold, size: 11, maxWidth: RIGHT - LEFT });
  l.y -= 22;
}

function drawLines(l: PdfPages, m: ReceiptModel): void {
  const columns: Column[] = [
    { header: 'Description', x: LEFT + 8, align: 'left', width: 318 },
    { header: 'Service date', x: LEFT + 340, align: 'left', width: 80 },
    { header: 'Amount', x: RIGHT - 8, align: 'right', width: 80 },
  ];
  const [desc, date, amount] = columns as [Column, Column, Column];
  const size = 9.5;
  const leading = 12.5;
  l.ensure(HEADER_ROW + 30);
  tableHeader(l, columns);
  for (const line of m.lines) {
    const text = l.wrap(line.description, l.regular, size, desc.width, 3);
    const height = Math.max(1, text.length) * leading + (line.voided ? 11 : 0) + 9;
    if (l.ensure(height)) tableHeader(l, columns);
    const color = line.voided ? MUTED : INK;
    let y = l.y - 15;
    for (const t of text) {
      const w = l.text(t, desc.x, y, { font: l.regular, size, color });
      if (line.voided) l.rule(y + 3.2, desc.x, desc.x + w, 0.75, MUTED);
      y -= leading;
    }
    l.text(line.serviceDate, date.x, l.y - 15, { font: l.regular, size, color, maxWidth: date.width });
    const w = l.text(line.amount, amount.x, l.y - 15, { font: l.regular, size, color, align: 'right' });
    if (line.voided) {
      l.rule(l.y - 15 + 3.2, amount.x - w, amount.x, 0.75, MUTED);
      l.text('Voided: not included in the total', desc.x, y + 2, { font: l.italic, size: 8, color: MUTED });
    }
    l.y -= height;
    l.rule(l.y, LEFT, RIGHT, 0.5);
  }
}

function drawPayments(l: PdfPages, m: ReceiptModel): void {
  sectionTitle(l, 'Payments');
  if (m.payments.length === 0) {
    l.y -= 14;
    l.text('No payments recorded.', LEFT, l.y, { font: l.italic, size: 9, color: MUTED });
    l.y -= 6;
    return;
  }
  simpleTable(
    l,
    [
      { header: 'Date', x: LEFT + 8, align: 'left', width: 90 },
      { header: 'Method', x: LEFT + 110, align: 'left', width: 120 },
      { header: 'Reference', x: LEFT + 240, align: 'left', width: 170 },
      { header: 'Amount', x: RIGHT - 8, align: 'right', width: 80 },
    ],
    m.payments.map((p) => [p.date, p.method, p.reference, p.amount]),
  );
}

function drawRefunds(l: PdfPages, m: ReceiptModel): void {
  if (m.refunds.length === 0) return;
  sectionTitle(l, 'Refunds');
  simpleTable(
    l,
    [
      { header: 'Date', x: LEFT + 8, align: 'left', width: 90 },
      { header: 'Reference', x: LEFT + 240, align: 'left', width: 170 },
      { header: 'Amount', x: RIGHT - 8, align: 'right', width: 80 },
    ],
    m.refunds.map((r) => [r.date, r.reference, r.amount]),
  );
}

function drawSummary(l: PdfPages, m: ReceiptModel): void {
  const from = RIGHT - 230;
  const row = 18;
  l.ensure(16 + m.summary.length * row + 8);
  l.y -= 16;
  for (const s of m.summary) {
    if (s.strong) {
      l.rule(l.y, from, RIGHT, 1, INK);
      l.band(l.y - 2, row + 2, from, RIGHT);
      l.y -= 2;
    }
    const font = s.strong ? l.bold : l.regular;
    const size = s.strong ? 11 : 9.5;
    l.text(s.label, from + 8, l.y - 13, { font, size, color: s.strong ? INK : MUTED });
    l.text(s.value, RIGHT - 8, l.y - 13, { font, size, align: 'right' });
    l.y -= row;
  }
}

function drawNotes(l: PdfPages, m: ReceiptModel): void {
  l.y -= 20;
  const paragraph = (text: string, size: number, color: typeof INK) => {
    const leading = size + 3;
    const lines = l.wrap(text, l.regular, size, RIGHT - LEFT, 12);
    l.ensure(lines.length * leading + 4);
    for (const line of lines) {
      l.y -= leading;
      l.text(line, LEFT, l.y, { font: l.regular, size, color });
    }
    l.y -= 4;
  };
  if (m.taxNote) {
    paragraph(m.taxNote, 9, INK);
    l.y -= 4;
  }
  for (const note of m.notes) paragraph(note, 8.5, MUTED);
}

function drawFooters(l: PdfPages, m: ReceiptModel): void {
  l.pages.forEach((page, i) => {
    l.page = page;
    l.rule(MARGIN + 14, LEFT, RIGHT, 0.5);
    l.text(m.footer, LEFT, MARGIN, { font: l.regular, size: 7.5, color: MUTED, maxWidth: RIGHT - LEFT - 80 });
    l.text(`Page ${i + 1} of ${l.pages.length}`, RIGHT, MARGIN, { font: l.regular, size: 7.5, color: MUTED, align: 'right' });
  });
}

/** The receipt as a PDF (US Letter, Helvetica); the same inputs give the same bytes. */
export async function renderReceiptPdf(
  invoice: Invoice,
  clinic: Pick<Clinic, 'name' | 'country' | 'billing'>,
  client: Pick<Client, 'firstName' | 'lastName'>,
  zone: string,
): Promise<Uint8Array> {
  const m = receiptModel(invoice, clinic, client, zone);
  // updateMetadata: false — no "now" and no pdf-lib defaults; every field is set below
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${m.title} for invoice ${invoice.number ?? ''}`.trim());
  doc.setAuthor(m.issuer.name);
  doc.setCreator('Kapstone');
  doc.setProducer('Kapstone billing (pdf-lib)');
  doc.setLanguage('en-US');
  doc.setCreationDate(m.createdAt);
  doc.setModificationDate(m.modifiedAt);
  // one after the other: the fonts' object numbers, and so the bytes, never depend on timing
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const italic = await doc.embedFont(StandardFonts.HelveticaOblique);
  const l = new PdfPages(doc, FRAME, regular, bold, italic);
  drawHeader(l, m);
  drawLines(l, m);
  drawSummary(l, m);
  drawPayments(l, m);
  drawRefunds(l, m);
  drawNotes(l, m);
  drawFooters(l, m);
  return doc.save({ useObjectStreams: false });
}
