// What the two PDFs of the billing function share (the invoice receipt, ./receipt-pdf.ts, and the
// superbill, ./superbill-pdf.ts): how money, dates and phone numbers are written, text folded to
// what the standard fonts can draw (WinAnsi), and the page machinery — US Letter pages within a
// frame, a cursor that starts a new page when the next block would not fit (and draws the
// continuation header), text fitted or wrapped to a width, rules and bands. Pure drawing: no clock,
// no random, nothing logged (the documents carry names and diagnoses).
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Currency } from '#domain/types.ts';

// ---------------------------------------------------------------------------------------------
// Formatting

/**
 * Each currency's sign as the clinic's own country writes it, as the app's screens do: "$" for US
 * dollars in the US and for Canadian dollars in Canada ("CA$" is how the US writes Canada's). A
 * document may leave the country, so each one also names its currency once in words ("Amounts in
 * Canadian dollars (CAD)."), which keeps it unambiguous abroad.
 */
const CURRENCY_SYMBOL: Record<Currency, string> = { USD: '$', CAD: '$' };

/** Minor units as money, e.g. 123456 USD → "$1,234.56", -9000 CAD → "-$90.00". Integers only. */
export function formatMoney(minor: number, currency: Currency): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not a whole number of minor units: ${minor}`);
  const abs = Math.abs(minor);
  const cents = abs % 100;
  const units = (abs - cents) / 100; // exact: abs − cents is a multiple of 100
  const grouped = String(units).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${minor < 0 ? '-' : ''}${CURRENCY_SYMBOL[currency]}${grouped}.${String(cents).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A clinic-local YYYY-MM-DD as "Dec 1, 2026": read the same way in the US and in Canada. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

/** A North American E.164 number as "(212) 555-0100"; anything else as it is. */
export function formatPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

// ---------------------------------------------------------------------------------------------
// WinAnsi

/** Letters NFKD does not take apart that have a plain base letter. */
const FOLD: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't', ĸ: 'k' };

/**
 * `text` as the font can draw it: characters it encodes are kept, others folded to a base letter
 * it encodes, control characters and line breaks become a space, anything else '?'.
 */
export function winAnsiText(text: string, drawable: ReadonlySet<number>): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (drawable.has(cp)) out += ch;
    else if (/[\p{Cc}\p{Zl}\p{Zp}\s]/u.test(ch)) out += ' ';
    else if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(ch))
      continue; // combining marks, variation selectors, zero-width joiners
    else {
      const folded = FOLD[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += folded !== '' && [...folded].every((c) => drawable.has(c.codePointAt(0)!)) ? folded : '?';
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pages: US Letter, points (1/72 in), origin bottom left

export const PAGE = { width: 612, height: 792 };

export const INK = rgb(0.13, 0.14, 0.16);
export const MUTED = rgb(0.42, 0.44, 0.48);
export const RULE = rgb(0.82, 0.83, 0.86);
export const BAND = rgb(0.95, 0.95, 0.96);
export const ACCENT = rgb(0.12, 0.29, 0.4);

export type Color = ReturnType<typeof rgb>;
export type Align = 'left' | 'right';
export interface TextStyle {
  font: PDFFont;
  size: number;
  color?: Color;
  align?: Align;
  /** Truncated with an ellipsis past this width. */
  maxWidth?: number;
}

/** Where a document draws: its left and right edges, the top of a page and the line nothing but the footer goes below. */
export interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export class PdfPages {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y: number;
  /** Drawn at the top of every page after the first (a short header, a table's header). */
  onContinue: (() => void) | undefined;
  private readonly drawable: ReadonlySet<number>;

  constructor(
    private readonly doc: PDFDocument,
    readonly frame: Frame,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly italic: PDFFont = regular,
  ) {
    // the Helvetica faces share the WinAnsi encoding
    this.drawable = new Set(regular.getCharacterSet());
    this.y = frame.top;
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = this.frame.top;
  }

  /** Starts a new page (with its continuation header) unless `height` more fits above the footer; true when it did. */
  ensure(height: number): boolean {
    if (this.y - height >= this.frame.bottom) return false;
    this.newPage();
    this.onContinue?.();
    return true;
  }

  /** Drawable, on one line: runs of spaces (line breaks, stripped joiners) become one. */
  clean(text: string): string {
    return winAnsiText(text, this.drawable).replace(/ {2,}/g, ' ').trim();
  }

  /** `text` cut with an ellipsis so that it fits `maxWidth`. */
  fit(text: string, font: PDFFont, size: number, maxWidth: number): string {
    if (font.widthOfTextAtSize(text, size) <= maxWidth) return text;
    let cut = text;
    while (cut.length > 0 && font.widthOfTextAtSize(`${cut}…`, size) > maxWidth) cut = cut.slice(0, -1);
    return `${cut.trimEnd()}…`;
  }

  /** Words over at most `maxLines` lines of `maxWidth`; the last one cut with an ellipsis if needed. */
  wrap(text: string, font: PDFFont, size: number, maxWidth: number, maxLines = Infinity): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of this.clean(text)
      .split(/ +/)
      .filter((w) => w !== '')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) line = candidate;
      else {
        if (line !== '') lines.push(line);
        line = word; // a single word wider than the column is cut by fit() below
      }
    }
    if (line !== '') lines.push(line);
    if (lines.length > maxLines) {
      const kept = lines.slice(0, maxLines);
      kept[maxLines - 1] = this.fit(`${kept[maxLines - 1]} ${lines[maxLines]}`, font, size, maxWidth);
      return kept;
    }
    return lines.map((l) => this.fit(l, font, size, maxWidth));
  }

  /** Draws one line of text with its baseline at `y`; returns the width drawn. */
  text(raw: string, x: number, y: number, style: TextStyle): number {
    const clean = this.clean(raw);
    const text = style.maxWidth === undefined ? clean : this.fit(clean, style.font, style.size, style.maxWidth);
    const width = style.font.widthOfTextAtSize(text, style.size);
    this.page.drawText(text, {
      x: style.align === 'right' ? x - width : x,
      y,
      size: style.size,
      font: style.font,
      color: style.color ?? INK,
    });
    return width;
  }

  rule(y: number, from = this.frame.left, to = this.frame.right, thickness = 0.75, color = RULE): void {
    this.page.drawLine({ start: { x: from, y }, end: { x: to, y }, thickness, color });
  }

  band(top: number, height: number, from = this.frame.left, to = this.frame.right, color = BAND): void {
    this.page.drawRectangle({ x: from, y: top - height, width: to - from, height, color });
  }
}
