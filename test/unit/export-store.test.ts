// The export stores without AWS: the CSV stage (csv-stringify, RFC 4180), the S3 store on a mocked
// S3 client (a small file is one PutObject, a large one a multipart upload, both SSE-KMS with the
// bucket's key; a failed stream aborts the upload) and its pre-signed links, and the local store's
// refusal of any name that is not an export file's.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { EXPORT_PREFIX, S3ExportStore } from '#adapters/s3-export-store.ts';
import { LINK_SECONDS, LocalExportStore } from '#adapters/export-store.ts';
import { LEDGER_CSV_COLUMNS } from '#domain/ledger-export.ts';
import { ledgerCsv } from '#services/export-job.ts';

const HEADER = `${LEDGER_CSV_COLUMNS.join(',')}\r\n`;
const row = (...cells: string[]) => [...cells, ...Array<string>(14 - cells.length).fill('')];

describe('the CSV stage', () => {
  it('writes the header first, then one CRLF-terminated record per row', async () => {
    expect(await text(ledgerCsv([]))).toBe(HEADER);
    const csv = await text(ledgerCsv([row('2026-06-01', '1'), row('2026-06-02', '2')]));
    expect(csv).toBe(`${HEADER}2026-06-01,1${','.repeat(12)}\r\n2026-06-02,2${','.repeat(12)}\r\n`);
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says, and keeps UTF-8', async () => {
    const csv = await text(ledgerCsv([row('Doe, Jane', 'Say "hi"', 'two\nlines', 'cr\rhere', 'Zoë Ñúñez 日本')]));
    expect(csv.slice(HEADER.length)).toBe(`"Doe, Jane","Say ""hi""","two\nlines","cr\rhere",Zoë Ñúñez 日本${','.repeat(9)}\r\n`);
  });

  it('passes on an error of the rows', async () => {
    async function* failing() {
      yield row('a');
      throw new Error('the database went away');
    }
    await expect(text(ledgerCsv(failing()))).rejects.toThrow('the database went away');
  });
});

describe('S3ExportStore', () => {
  const s3 = mockClient(S3Client);
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
  const store = new S3ExportStore({ client, bucket: 'kapstone-exports', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k-1' });
  afterEach(() => s3.reset());

  const SSE = {
    Bucket: 'kapstone-exports',
    ContentType: 'text/csv; charset=utf-8',
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k-1',
    BucketKeyEnabled: true,
  };

  it('a small file is one encrypted PutObject under the export prefix', async () => {
    s3.on(PutObjectCommand).resolves({});
    const csv = `${HEADER}2026-06-01,1\r\n`;
    const { bytes } = await store.upload('exp_1.secretsecretsecret.csv', Readable.from([csv]));
    expect(bytes).toBe(Buffer.byteLength(csv));
    const [put] = s3.commandCalls(PutObjectCommand);
    expect(put!.args[0].input).toMatchObject({ ...SSE, Key: `${EXPORT_PREFIX}exp_1.secretsecretsecret.csv` });
    expect(Buffer.from(put!.args[0].input.Body as Uint8Array).toString('utf8')).toBe(csv);
  });

  it('a large file streams as a multipart upload, each part encrypted with the bucket key', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const chunk = `${'x'.repeat(1023)}\n`;
    const chunks = 18 * 1024; // 18 MiB: 8 + 8 + 2
    async function* body() {
      for (let i = 0; i < chunks; i++) yield chunk;
    }
    const { bytes } = await store.upload('exp_2.secretsecretsecret.csv', Readable.from(body()));
    expect(bytes).toBe(chunks * 1024);
    const [create] = s3.commandCalls(CreateMultipartUploadCommand);
    expect(create!.args[0].input).toMatchObject({ ...SSE, Key: `${EXPORT_PREFIX}exp_2.secretsecretsecret.csv` });
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber).sort()).toEqual([1, 2, 3]);
    expect(parts.reduce((n, p) => n + (p.Body as Uint8Array).byteLength, 0)).toBe(chunks * 1024);
    const [complete] = s3.commandCalls(CompleteMultipartUploadCommand);
    expect(complete!.args[0].input.MultipartUpload?.Parts?.map((p) => p.ETag)).toEqual(['"etag-1"', '"etag-2"', '"etag-3"']);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('a stream that fails half-way aborts the multipart upload: nothing is left', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-3' });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    async function* body() {
      for (let i = 0; i < 10 * 1024; i++) yield `${'y'.repeat(1023)}\n`;
      throw new Error('the database went away');
    }
    await expect(store.upload('exp_3.secretsecretsecret.csv', Readable.from(body()))).rejects.toThrow();
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input.UploadId)).toEqual(['up-3']);
  });

  it('links to the object with a pre-signed GET valid five minutes, naming the download', async () => {
    const link = new URL(await store.url('exp_1.secretsecretsecret.csv', 'ledger-demo-nyc-2026-06-01-2026-06-30.csv'));
    expect(link.protocol).toBe('https:');
    expect(`${link.host}${link.pathname}`).toMatch(
      /^kapstone-exports\.s3\.(us-east-1\.)?amazonaws\.com\/exports\/exp_1\.secretsecretsecret\.csv$/,
    );
    const q = link.searchParams;
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Expires')).toBe(String(LINK_SECONDS));
    expect(LINK_SECONDS).toBe(300);
    expect(q.get('X-Amz-Credential')).toMatch(/^AKIDTEST\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(q.get('response-content-disposition')).toBe('attachment; filename="ledger-demo-nyc-2026-06-01-2026-06-30.csv"');
    expect(q.get('response-content-type')).toBe('text/csv; charset=utf-8');
    // signing is local: nothing was sent to S3
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses to upload without the bucket key', async () => {
    const unkeyed = new S3ExportStore({ client, bucket: 'kapstone-exports' });
    await expect(unkeyed.upload('exp_4.secretsecretsecret.csv', Readable.from(['x']))).rejects.toThrow(/kmsKeyArn/);
  });
});

describe('LocalExportStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kapstone-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const store = new LocalExportStore({ dir, baseUrl: () => 'http://127.0.0.1:3000' });

  it('writes the file whole, and links to the local server', async () => {
    const { bytes } = await store.upload('exp_1.abcdefghijklmnop.csv', Readable.from(['a,b\r\n', 'c,d\r\n']));
    expect(bytes).toBe(10);
    expect(readFileSync(join(dir, 'exp_1.abcdefghijklmnop.csv'), 'utf8')).toBe('a,b\r\nc,d\r\n');
    const link = new URL(await store.url('exp_1.abcdefghijklmnop.csv'));
    expect(`${link.origin}${link.pathname}`).toBe('http://127.0.0.1:3000/v1/dev/exports/exp_1.abcdefghijklmnop.csv');
    expect(Number(link.searchParams.get('expires')) - Date.now() / 1000).toBeCloseTo(300, -1);
    expect(
      store.signedLinkValid('exp_1.abcdefghijklmnop.csv', link.searchParams.get('expires')!, link.searchParams.get('signature')!),
    ).toBe(true);
    expect(store.signedLinkValid('exp_1.abcdefghijklmnop.csv', link.searchParams.get('expires')!, undefined)).toBe(false);
    const opened = await store.open('exp_1.abcdefghijklmnop.csv');
    expect(opened?.bytes).toBe(10);
    expect(await text(opened!.stream)).toBe('a,b\r\nc,d\r\n');
  });

  it('leaves no file behind when the stream fails', async () => {
    async function* failing() {
      yield 'a,b\r\n';
      throw new Error('gone');
    }
    await expect(store.upload('exp_2.abcdefghijklmnop.csv', Readable.from(failing()))).rejects.toThrow('gone');
    expect(readdirSync(dir).filter((f) => f.startsWith('exp_2'))).toEqual([]);
    expect(await store.open('exp_2.abcdefghijklmnop.csv')).toBeNull();
  });

  it.each([
    '../../etc/passwd',
    'exp_1.abcdefghijklmnop.csv/..',
    '..%2Fx.abcdefghijklmnop.csv',
    'exp_1.short.csv',
    'exp.1.abcdefghijklmnop.csv',
    '',
  ])('refuses the name %j', async (name) => {
    expect(await store.open(name)).toBeNull();
    await expect(store.upload(name, Readable.from(['x']))).rejects.toThrow(RangeError);
  });
});
