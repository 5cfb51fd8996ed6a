import { Client } from 'minio';
import { Readable } from 'node:stream';
import { BlobStore, LocalDiskBlobStore } from './blob-store';
import type { ServiceConfig } from './config';

export interface S3BlobStoreOptions {
  /** e.g. https://oss.example.gov.cn or http://127.0.0.1:9000 */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region?: string;
  /** Bytes per part of a multipart upload (at least 5 MiB, S3's minimum); default 8 MiB. */
  partSize?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * Evidence in S3-compatible object storage (MinIO, Ceph RGW, cloud object storage) through the
 * `minio` client, path-style. A put streams the bytes (multipart for large files) and is visible
 * only once complete, so a broken upload leaves no object. Tested against a real S3-compatible
 * server (s3rver) in s3-blob-store.spec.ts.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: Client;

  constructor(private readonly options: S3BlobStoreOptions) {
    const url = new URL(options.endpoint);
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      useSSL: url.protocol === 'https:',
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
    });
  }

  /**
   * Streams the bytes in parts of `partSize` (8 MiB): memory stays bounded whatever the file's
   * size, and the size need not be known in advance. A file within one part is a single PUT; a
   * larger one a multipart upload, aborted on any failure so nothing half-written remains.
   */
  async put(key: string, data: Readable): Promise<void> {
    const { bucket } = this.options;
    const partSize = this.options.partSize ?? DEFAULT_PART_SIZE;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | null = null;
    const etags: { part: number; etag: string }[] = [];
    const flush = async () => {
      const body = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      uploadId ??= await this.client.initiateNewMultipartUpload(bucket, key, {});
      const part = etags.length + 1;
      const { etag } = await this.client.uploadPart({ bucketName: bucket, objectName: key, uploadID: uploadId, partNumber: part, headers: { 'Content-Length': body.length } }, body);
      etags.push({ part, etag });
    };
    try {
      for await (const chunk of data) {
        pending.push(chunk as Buffer);
        pendingBytes += (chunk as Buffer).length;
        if (pendingBytes >= partSize) await flush();
      }
      if (uploadId === null) {
        await this.client.putObject(bucket, key, Buffer.concat(pending, pendingBytes));
        return;
      }
      if (pendingBytes > 0) await flush();
      await this.client.completeMultipartUpload(bucket, key, uploadId, etags);
    } catch (e) {
      if (uploadId !== null) await this.client.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
      throw e;
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      return await this.client.getObject(this.options.bucket, key);
    } catch (e) {
      throw notFound(e);
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await this.client.statObject(this.options.bucket, key)).size;
    } catch (e) {
      if (notFound(e).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.removeObject(this.options.bucket, key);
  }
}

/** A missing object reads as ENOENT, as on the local disk, so callers handle both stores alike. */
function notFound(e: unknown): Error & { code?: string } {
  const code = (e as { code?: string }).code;
  if (code === 'NoSuchKey' || code === 'NotFound') return Object.assign(new Error('no such object'), { code: 'ENOENT' });
  return e as Error;
}

/** The evidence store the configuration names: the local directory, or S3-compatible storage. */
export function evidenceStoreFor(config: Pick<ServiceConfig, 'evidenceStoreDir' | 'evidenceS3'>): BlobStore {
  return config.evidenceS3 ? new S3BlobStore(config.evidenceS3) : new LocalDiskBlobStore(config.evidenceStoreDir);
}
