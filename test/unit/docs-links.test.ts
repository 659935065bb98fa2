// Code comments point readers at the repository's own docs, by file and often by section: a file
// `docs/<name>.md` must exist, and a section quoted right after it (`<file>, "<section>"`,
// `<file> ("<section>"` or `<file> "<section>"`) must be one of that file's headings. A heading
// may go on after the quoted words with ":", ";", "," or " (" ("Cold start" names
// "22. Cold start: nothing built at import…"); a leading decision number is ignored.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['shared', 'functions', 'infra', 'scripts', 'test', 'web/src', 'web/test', 'eslint.config.js'];
const CODE = /\.(ts|tsx|js|mjs)$/;
const SKIP = /(^|\/)(node_modules|dist)\//;

function codeFiles(): string[] {
  return SOURCES.flatMap((entry) => {
    const path = join(ROOT, entry);
    if (!existsSync(path)) return [];
    if (CODE.test(entry)) return [path];
    return readdirSync(path, { recursive: true, encoding: 'utf8' })
      .map((name) => join(path, name))
      .filter((file) => CODE.test(file) && !SKIP.test(relative(ROOT, file)));
  });
}

/** A comment's lines joined into one, so that a citation broken across lines reads whole. */
const joinedComments = (text: string) => text.replace(/\n[ \t]*(?:\/\/|\*(?!\/))[ \t]?/g, ' ');

/** A doc's headings, without a leading decision number ("22. "). */
function headingsOf(doc: string): string[] {
  let fenced = false;
  const out: string[] = [];
  for (const line of readFileSync(join(ROOT, 'docs', doc), 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6} +(.+?)\s*$/.exec(line);
    if (m) out.push(m[1]!.replace(/^\d+\.\s+/, ''));
  }
  return out;
}

const names = (heading: string, quoted: string) =>
  heading === quoted || (heading.startsWith(quoted) && /^(:|;|,| \()/.test(heading.slice(quoted.length)));

interface Citation {
  where: string;
  doc: string;
  section?: string;
}

function citations(): Citation[] {
  const out: Citation[] = [];
  for (const file of codeFiles()) {
    const text = joinedComments(readFileSync(file, 'utf8'));
    const where = relative(ROOT, file);
    for (const m of text.matchAll(/docs\/([a-z0-9-]+\.md)(?:(?:, *| \(| )"([^"\n]{1,120})")?/g)) {
      out.push({ where, doc: m[1]!, ...(m[2] ? { section: m[2] } : {}) });
    }
  }
  return out;
}

describe('docs cited in code comments', () => {
  const all = citations();

  it('finds citations to check (the scan itself works)', () => {
    expect(all.filter((c) => c.section).length).toBeGreaterThan(20);
  });

  it('name docs files that exist', () => {
    const missing = all.filter((c) => !existsSync(join(ROOT, 'docs', c.doc))).map((c) => `${c.where}: docs/${c.doc}`);
    expect(missing).toEqual([]);
  });

  it('quote sections that are headings of the file they name', () => {
    const headings = new Map<string, string[]>();
    const wrong = all
      .filter((c): c is Required<Citation> => c.section !== undefined && existsSync(join(ROOT, 'docs', c.doc)))
      .filter((c) => {
        if (!headings.has(c.doc)) headings.set(c.doc, headingsOf(c.doc));
        return !headings.get(c.doc)!.some((h) => names(h, c.section));
      })
      .map((c) => `${c.where}: docs/${c.doc}, "${c.section}"`);
    expect(wrong).toEqual([]);
  });
});
