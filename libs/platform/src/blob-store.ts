import { createHash, Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where evidence files live. One interface, so the platform can keep them on a local (or
 * mounted) disk, or in S3-compatible object storage; only the local disk is implemented today
 * (docs/cases.md, "Evidence storage"). Keys are relative paths such as `cases/<case>/<file>`.
 */
export interface BlobStore {
  /** Writes the stream under `key` (all or nothing: a failed write leaves no object). */
  put(key: string, data: Readable): Promise<void>;
  /** The stored bytes; rejects with code ENOENT when there is no such object. */
  get(key: string): Promise<Readable>;
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
}

export const BLOB_STORE = Symbol('BLOB_STORE');

const KEY = /^[a-z0-9][a-z0-9/_-]{0,400}$/;

/** Files under one directory; writes go to a temporary name first and are renamed when complete. */
export class LocalDiskBlobStore implements BlobStore {
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  private path(key: string): string {
    if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid blob key "${key}"`);
    const p = resolve(join(this.root, key));
    if (!p.startsWith(this.root + sep)) throw new Error(`blob key "${key}" leaves the store`);
    return p;
  }

  async put(key: string, data: Readable): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.partial-${process.pid}-${Date.now()}`;
    try {
      await pipeline(data, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, target);
    } catch (e) {
      await rm(partial, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<Readable> {
    const p = this.path(key);
    await stat(p); // ENOENT before any byte is promised
    return createReadStream(p);
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

export class IntegrityError extends Error {
  constructor() {
    super('the bytes do not match their recorded digests');
  }
}

export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/**
 * Passes bytes through unchanged while computing their SHA-256 and SM3 (GB/T 32905) digests and
 * counting them; fails with TooLargeError past `maxBytes`. Used on upload (the gateway, while
 * streaming into the store), on registration and on every download (the cases service).
 */
export class DigestingStream extends Transform {
  private readonly sha = createHash('sha256');
  private readonly sm3: Hash = createHash('sm3');
  bytes = 0;

  private result?: { sha256: string; sm3: string; sizeBytes: number };

  /** With `expected`, the stream fails at its end (EvidenceIntegrityError) if the bytes do not match. */
  constructor(
    private readonly maxBytes = Number.MAX_SAFE_INTEGER,
    private readonly expected?: { sha256: string; sm3: string },
  ) {
    super();
  }

  override _flush(done: TransformCallback): void {
    const d = this.digests();
    if (this.expected && (d.sha256 !== this.expected.sha256 || d.sm3 !== this.expected.sm3)) return done(new IntegrityError());
    done();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(new TooLargeError(this.maxBytes));
    this.sha.update(chunk);
    this.sm3.update(chunk);
    done(null, chunk);
  }

  /** Hex digests; call once the stream has ended. */
  digests(): { sha256: string; sm3: string; sizeBytes: number } {
    this.result ??= { sha256: this.sha.digest('hex'), sm3: this.sm3.digest('hex'), sizeBytes: this.bytes };
    return this.result;
  }
}

/** What the platform records of a stored object: its SHA-256, its SM3 and its size. */
export interface StoredDigests {
  sha256: string;
  sm3: string;
  sizeBytes: number;
}

/** Reads a stored object to its end and returns its digests. */
export async function digestOf(store: BlobStore, key: string): Promise<StoredDigests> {
  const d = new DigestingStream();
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  await pipeline(await store.get(key), d, discard);
  return d.digests();
}

/**
 * A stored object read again and held against the digests recorded for it: `found` is what the
 * bytes give (null when nothing is stored under the key), `intact` whether all three match.
 */
export async function checkStored(store: BlobStore, key: string, recorded: StoredDigests): Promise<{ found: StoredDigests | null; intact: boolean }> {
  const found = await digestOf(store, key).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  return { found, intact: !!found && found.sha256 === recorded.sha256 && found.sm3 === recorded.sm3 && found.sizeBytes === recorded.sizeBytes };
}
