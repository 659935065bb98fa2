// Reading a PDF back in tests, with pdf-lib alone (no poppler on CI): the text each page draws.
// pdf-lib writes standard-font text as `<hex> Tj` in Flate-compressed content streams, each byte a
// WinAnsi code; this decodes those and nothing else (enough for the receipts pdf-lib writes).
import { PDFArray, PDFDocument, PDFRawStream, StandardFonts, decodePDFRawStream, type PDFObject } from 'pdf-lib';

/**
 * Helvetica's WinAnsi encoding, from the font itself: the code points it draws, and each byte's
 * character (Node's TextDecoder reads 'windows-1252' as Latin-1, so 0x85 would not come out '…').
 */
export async function winAnsi(): Promise<{ drawable: ReadonlySet<number>; decode: (hex: string) => string }> {
  const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
  const drawable = new Set(font.getCharacterSet());
  const byByte = new Map<number, string>();
  for (const cp of drawable) byByte.set(parseInt(font.encodeText(String.fromCodePoint(cp)).asString(), 16), String.fromCodePoint(cp));
  return { drawable, decode: (hex) => [...Buffer.from(hex, 'hex')].map((b) => byByte.get(b) ?? '\uFFFD').join('') };
}

/** The text each page draws, one string per page, one line per text operator, in drawing order. */
export async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const { decode } = await winAnsi();
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const parts: PDFObject[] = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)!) : [contents!];
    const ops = parts
      .map((p) => {
        if (!(p instanceof PDFRawStream)) throw new Error(`unexpected content stream ${p?.constructor.name}`);
        return Buffer.from(decodePDFRawStream(p).decode()).toString('latin1');
      })
      .join('\n');
    return [...ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) => decode(m[1]!)).join('\n');
  });
}
