// Finance exports on AWS: a private S3 bucket encrypted with its own KMS key (infra/lib/exports.ts).
//
// Upload: @aws-sdk/lib-storage's Upload, which cuts the stream into parts as it arrives and sends
// them as a multipart upload (one PutObject when the whole file fits in one part), so a file of any
// size passes through PART_SIZE × (QUEUE_SIZE + 1) bytes of memory at most. Each object is
// encrypted with the bucket's key (SSE-KMS, bucket key on: one KMS call per object, not per part).
// A failed upload is aborted (leavePartsOnError false): no part stays billed or readable.
//
// Download: a pre-signed GET of the object, valid LINK_SECONDS, signed with the billing
// function's own role (s3:GetObject on the bucket and kms:Decrypt on its key); the link names the
// file the browser saves and its type.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { byteCounter, LINK_SECONDS, type ExportStore } from './export-store.ts';

/** S3's smallest part is 5 MiB; 8 MiB parts make a 1M-row ledger (~150 MB) about 20 parts. */
const PART_SIZE = 8 * 1024 * 1024;
/** Parts in flight at once. */
const QUEUE_SIZE = 2;
const CONTENT_TYPE = 'text/csv; charset=utf-8';
/** Every export object lives under this prefix (the job's grant is limited to it). */
export const EXPORT_PREFIX = 'exports/';

export interface S3ExportStoreOptions {
  client: S3Client;
  bucket: string;
  /** The bucket's KMS key (its ARN): objects are written encrypted with it. Needed to upload only. */
  kmsKeyArn?: string | undefined;
}

export class S3ExportStore implements ExportStore {
  constructor(private readonly opts: S3ExportStoreOptions) {}

  async upload(key: string, body: Readable): Promise<{ bytes: number }> {
    if (!this.opts.kmsKeyArn) throw new Error('S3ExportStore: uploads need the bucket key (kmsKeyArn)');
    const counter = byteCounter();
    body.on('error', (err) => counter.destroy(err));
    const upload = new Upload({
      client: this.opts.client,
      params: {
        Bucket: this.opts.bucket,
        Key: `${EXPORT_PREFIX}${key}`,
        Body: body.pipe(counter),
        ContentType: CONTENT_TYPE,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: this.opts.kmsKeyArn,
        BucketKeyEnabled: true,
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    await upload.done();
    return { bytes: counter.bytes };
  }

  url(key: string, filename: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.opts.bucket,
      Key: `${EXPORT_PREFIX}${key}`,
      ResponseContentDisposition: `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      ResponseContentType: CONTENT_TYPE,
    });
    return getSignedUrl(this.opts.client, command, { expiresIn: LINK_SECONDS });
  }
}
