import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');
import { digestOf, LocalDiskBlobStore } from './blob-store';
import { readConfig } from './config';
import { evidenceStoreFor, S3BlobStore } from './s3-blob-store';

/** The S3 evidence store against a real S3-compatible server (s3rver, speaking the S3 HTTP API with signature checks). */
describe('S3BlobStore against an S3-compatible server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lianban-s3-'));
  let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
  let store: S3BlobStore;

  beforeAll(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: 'evidence', configs: [] }] });
    const { port } = await server.run();
    store = new S3BlobStore({ endpoint: `http://127.0.0.1:${port}`, bucket: 'evidence', accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = async (s: Readable) => Buffer.concat(await s.toArray());

  it('stores a stream, gives back the same bytes and size, and deletes it', async () => {
    const key = `cases/${randomUUID()}/${randomUUID()}`;
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    await store.put(key, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect(await store.size(key)).toBe(bytes.length);
    expect((await read(await store.get(key))).equals(bytes)).toBe(true);
    expect(await digestOf(store, key)).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), sm3: createHash('sm3').update(bytes).digest('hex'), sizeBytes: bytes.length });
    await store.delete(key);
    expect(await store.size(key)).toBeNull();
  });

  it('streams a file larger than a part as a multipart upload, bytes intact', async () => {
    const key = `cases/${randomUUID()}/${randomUUID()}`;
    const bytes = randomBytes(17 * 1024 * 1024 + 3); // three parts: 8 MiB, 8 MiB, the rest
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
    await store.put(key, Readable.from(chunks));
    expect(await store.size(key)).toBe(bytes.length);
    expect((await digestOf(store, key)).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  }, 30_000);

  it('leaves no object when the stream breaks half-way', async () => {
    const key = `cases/${randomUUID()}/${randomUUID()}`;
    async function* broken() {
      yield randomBytes(9 * 1024 * 1024);
      throw new Error('client went away');
    }
    await expect(store.put(key, Readable.from(broken()))).rejects.toThrow('client went away');
    expect(await store.size(key)).toBeNull();
  }, 30_000);

  it('reports a missing object as ENOENT, like the local disk', async () => {
    await expect(store.get(`cases/${randomUUID()}/${randomUUID()}`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is refused with an unknown access key', async () => {
    const port = new URL((store as unknown as { options: { endpoint: string } }).options.endpoint).port;
    const wrong = new S3BlobStore({ endpoint: `http://127.0.0.1:${port}`, bucket: 'evidence', accessKey: 'NOT-A-KEY', secretKey: 'not-the-secret', region: 'us-east-1' });
    await expect(wrong.put(`cases/${randomUUID()}/x`, Readable.from([Buffer.from('x')]))).rejects.toThrow();
  });
});

describe('choosing the evidence store from the configuration', () => {
  const base = { DATABASE_URL: 'postgres://localhost/x' };

  it('keeps files on the local disk by default, and in S3 when told so', () => {
    expect(evidenceStoreFor(readConfig('cases', base))).toBeInstanceOf(LocalDiskBlobStore);
    const s3 = readConfig('cases', { ...base, EVIDENCE_STORE: 's3', EVIDENCE_S3_ENDPOINT: 'http://127.0.0.1:9000', EVIDENCE_S3_BUCKET: 'evidence', EVIDENCE_S3_ACCESS_KEY: 'k', EVIDENCE_S3_SECRET_KEY: 's' });
    expect(s3.evidenceS3).toEqual({ endpoint: 'http://127.0.0.1:9000', bucket: 'evidence', accessKey: 'k', secretKey: 's', region: 'us-east-1' });
    expect(evidenceStoreFor(s3)).toBeInstanceOf(S3BlobStore);
  });

  it('refuses to start with S3 chosen but not configured', () => {
    expect(() => readConfig('gateway', { EVIDENCE_STORE: 's3', EVIDENCE_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow('EVIDENCE_STORE=s3 needs EVIDENCE_S3_BUCKET, EVIDENCE_S3_ACCESS_KEY, EVIDENCE_S3_SECRET_KEY');
    expect(() => readConfig('cases', { ...base, EVIDENCE_STORE: 'disk' })).toThrow('EVIDENCE_STORE');
  });
});
