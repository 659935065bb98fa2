// Free text typed by people (names, credentials, notes, reasons): the rules, as pure functions.
// The request schemas (shared/http/schemas) apply them to every free-text field; ids and other
// codes are not free text and have patterns of their own.
//
// A text is first normalised (NFC, trimmed; a multiline text also has its CRLF/CR line ends
// turned into LF), then refused when it holds:
//   - a control character: C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F); a multiline text may
//     keep LF and TAB. A single-line text also may not hold U+2028/U+2029 (line/paragraph
//     separators), which are line breaks by another name;
//   - a lone (unpaired) UTF-16 surrogate: not Unicode at all, and breaks encoders downstream;
//   - a bidi embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069), which can
//     make stored text read differently from what it is. The plain marks (LRM, RLM, ALM) are fine;
//   - nothing visible: once every invisible character (INVISIBLE below) is removed, nothing left.

export interface TextRules {
  /** May hold line breaks (LF) and tabs. */
  multiline?: boolean | undefined;
}

// No `u` flag on the first three: they must see lone surrogates as code units. Control characters
// in these classes are the point: they are what the rules refuse.
/* eslint-disable no-control-regex */
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/; // keeps TAB (09) and LF (0A)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/* eslint-enable no-control-regex */

/**
 * Characters that show nothing on their own: format characters (\p{Cf}: zero-width space and
 * joiners, word joiner, BOM, Mongolian vowel separator, bidi marks, tags…), separators (\p{Z})
 * and whitespace; the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0); the Braille blank
 * (U+2800); and combining marks that draw nothing (combining grapheme joiner U+034F, Khmer
 * inherent vowels U+17B4–U+17B5, Mongolian free variation selectors U+180B–U+180D, U+180F,
 * variation selectors U+FE00–U+FE0F and U+E0100–U+E01EF).
 */
// A class of single code points on purpose (each is removed on its own), not of combined characters.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\p{Cf}\p{Z}\s\u200B-\u200D\u2060\uFEFF\u180E\u115F\u1160\u3164\uFFA0\u2800\u034F\u17B4\u17B5\u180B-\u180D\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** NFC, line ends unified (multiline), trimmed. */
export function normalizeText(text: string, rules: TextRules = {}): string {
  const nfc = text.normalize('NFC');
  return (rules.multiline ? nfc.replace(/\r\n?/g, '\n') : nfc).trim();
}

/** True when nothing would be seen: empty once every invisible character is removed. */
export function isInvisible(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/**
 * What is wrong with an (already normalised) text, or undefined when it may be stored. One
 * message, the first problem found. Length limits are the schema's business.
 */
export function textProblem(text: string, rules: TextRules = {}): string | undefined {
  if ((rules.multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(text)) {
    return rules.multiline
      ? 'Must not contain control characters (line breaks and tabs are fine)'
      : 'Must not contain control characters or line breaks';
  }
  if (LONE_SURROGATE.test(text)) return 'Must be well-formed Unicode (an unpaired surrogate was found)';
  if (BIDI_CONTROL.test(text)) return 'Must not contain bidirectional embedding, override or isolate characters';
  if (isInvisible(text)) return 'Must contain visible characters';
  return undefined;
}
