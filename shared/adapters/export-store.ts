// Where finance exports' files go, and the link their asker downloads one with. On AWS a private,
// KMS-encrypted S3 bucket (./s3-export-store.ts); locally a folder, `.data/exports` (git-ignored),
// served by the local server's `GET /v1/dev/exports/{file}` (infra/local/dev-exports.ts).
//
// A file is written from a stream as it is produced, never held whole in memory. A failed write
// leaves nothing behind that a link could reach: each store removes what it wrote (S3 aborts the
// multipart upload; the folder keeps a `.partial` file until the write is complete).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ExportStore {
  /** Writes the file `key` from `body` as it comes; resolves with its size once it is complete. */
  upload(key: string, body: Readable): Promise<{ bytes: number }>;
  /** A link to download the file with, saved as `filename` (short-lived on AWS: a pre-signed URL). */
  url(key: string, filename: string): Promise<string>;
}

/**
 * What a file name of an export looks like: `<exportId>.<random>.csv` (ExportService.start), one
 * path segment, no dot or slash inside its parts. The id lets the local server find whose it is.
 */
export const EXPORT_FILE = /^([A-Za-z0-9_-]{1,100})\.([A-Za-z0-9_-]{16,100})\.csv$/;

/** A pass-through that counts the bytes going by. */
export function byteCounter(): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      counter.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

/** How long a download link works, in either store (docs/api.md, "Ledger export": valid 5 minutes). */
export const LINK_SECONDS = 300;

/**
 * The local stand-in for the bucket: files in a folder, linked to through the local server. Only
 * names of the EXPORT_FILE shape are written or read, so no key can reach outside the folder.
 *
 * Its links are signed like S3's pre-signed ones: `?expires=<epoch s>&signature=<HMAC>`, with a
 * key made for this process, valid LINK_SECONDS of real time. Whoever holds an unexpired link
 * may download (GET /v1/exports/{id} checked the asker before handing it out); the local server
 * also takes the asker's bearer token instead (infra/local/dev-exports.ts).
 */
export class LocalExportStore implements ExportStore {
  readonly dir: string;
  /** The local server's URL (known once it listens). */
  private readonly baseUrl: () => string;

  private readonly signingKey = randomBytes(32);
  /** Real time, in ms: links expire by the wall clock, as S3's do (never by the dev clock). */
  private readonly now: () => number;

  constructor(opts: { dir: string; baseUrl: () => string; now?: () => number }) {
    this.dir = resolve(opts.dir);
    this.baseUrl = opts.baseUrl;
    this.now = opts.now ?? Date.now;
  }

  async upload(key: string, body: Readable): Promise<{ bytes: number }> {
    const path = this.pathOf(key);
    const partial = `${path}.partial`;
    await mkdir(this.dir, { recursive: true });
    const counter = byteCounter();
    try {
      await pipeline(body, counter, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { bytes: counter.bytes };
  }

  async url(key: string): Promise<string> {
    this.pathOf(key);
    const expires = Math.floor(this.now() / 1000) + LINK_SECONDS;
    return `${this.baseUrl()}/v1/dev/exports/${key}?expires=${expires}&signature=${this.sign(key, expires)}`;
  }

  /** Whether `expires` and `signature` (a link's query) are this store's for `key`, and not past. */
  signedLinkValid(key: string, expires: string | undefined, signature: string | undefined): boolean {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) return false;
    const at = Number(expires);
    if (at * 1000 <= this.now() || at > Math.floor(this.now() / 1000) + LINK_SECONDS) return false;
    return timingSafeEqual(Buffer.from(this.sign(key, at), 'hex'), Buffer.from(signature, 'hex'));
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.signingKey).update(`${key}\n${expires}`).digest('hex');
  }

  /** The file to serve and its size, or null when there is none of that name. */
  async open(key: string): Promise<{ stream: ReadStream; bytes: number } | null> {
    if (!EXPORT_FILE.test(key)) return null;
    const path = this.pathOf(key);
    const found = await stat(path).catch(() => null);
    if (!found?.isFile()) return null;
    return { stream: createReadStream(path), bytes: found.size };
  }

  private pathOf(key: string): string {
    if (!EXPORT_FILE.test(key)) throw new RangeError('Not an export file name');
    const path = join(this.dir, key);
    if (!path.startsWith(this.dir + sep)) throw new RangeError('Not an export file name');
    return path;
  }
}
