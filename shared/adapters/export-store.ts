// Where finance exports' files go, and the link their asker downloads one with. On AWS a private,
// KMS-encrypted S3 bucket (./s3-export-store.ts); locally a folder, `.data/exports` (git-ignored),
// served by the local server's `GET /v1/dev/exports/{file}` (infra/local/dev-exports.ts).
//
// A file is written from a stream as it is produced, never held whole in memory. A failed write
// leaves nothing behind that a link could reach: each store removes what it wrote (S3 aborts the
// multipart upload; the folder keeps a `.partial` file until the write is complete).
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

/**
 * The local stand-in for the bucket: files in a folder, linked to through the local server. Only
 * names of the EXPORT_FILE shape are written or read, so no key can reach outside the folder.
 */
export class LocalExportStore implements ExportStore {
  readonly dir: string;
  /** The local server's URL (known once it listens). */
  private readonly baseUrl: () => string;

  constructor(opts: { dir: string; baseUrl: () => string }) {
    this.dir = resolve(opts.dir);
    this.baseUrl = opts.baseUrl;
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
    return `${this.baseUrl()}/v1/dev/exports/${key}`;
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
