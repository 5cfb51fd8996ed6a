import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DomainError, ErrorCode, StoredFileGrant } from '@lianban/contracts';
import { BlobStore, DigestingStream, TooLargeError } from '@lianban/platform';

/** Files kept in the blob store, to and from HTTP: uploads streamed in with their digests, granted files streamed out and checked again. */

/** Routes whose body is a file sent as itself (application/octet-stream), streamed rather than parsed. */
export const UPLOAD_ROUTES = ['/cases/:id/evidence', '/invoices/imports/files'];

/** The raw body of an upload route; 415 when it came as anything but application/octet-stream. */
export function uploadBody(req: FastifyRequest): Readable {
  const body = req.body;
  if (!(body instanceof Readable)) throw new DomainError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the file itself as the body, with Content-Type: application/octet-stream.');
  return body;
}

/**
 * Streams bytes into the store under `key` while computing their SHA-256, SM3 and size; past
 * `maxBytes` the upload is refused with 413 (`what` names the file in the sentence) and nothing
 * stays stored (the store writes all or nothing).
 */
export async function storeUpload(store: BlobStore, key: string, bytes: Readable, maxBytes: number, what: string): Promise<{ sha256: string; sm3: string; sizeBytes: number }> {
  const digest = new DigestingStream(maxBytes);
  bytes.on('error', (e) => digest.destroy(e));
  try {
    await store.put(key, bytes.pipe(digest));
  } catch (e) {
    bytes.resume();
    if (e instanceof TooLargeError) throw new DomainError(413, ErrorCode.PAYLOAD_TOO_LARGE, `${what} may be at most ${e.maxBytes} bytes.`);
    throw e;
  }
  return digest.digests();
}

/**
 * Sends a file the owning service granted (it found the bytes intact), checked again while it is
 * streamed: bytes changed after the service's check break the response. The digests go along in
 * `x-<prefix>-sha256` and `x-<prefix>-sm3` for the reader to keep.
 */
export async function sendStoredFile(store: BlobStore, grant: StoredFileGrant, reply: FastifyReply, prefix: string): Promise<void> {
  const bytes = await store.get(grant.storageKey);
  const check = new DigestingStream(Number.MAX_SAFE_INTEGER, { sha256: grant.sha256, sm3: grant.sm3 });
  bytes.on('error', (e) => check.destroy(e));
  await reply
    .header('content-type', grant.mediaType)
    .header('content-length', String(grant.sizeBytes))
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(grant.name)}`)
    .header(`x-${prefix}-sha256`, grant.sha256)
    .header(`x-${prefix}-sm3`, grant.sm3)
    .send(bytes.pipe(check));
}
