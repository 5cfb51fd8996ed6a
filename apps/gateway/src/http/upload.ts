import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DomainError, ErrorCode } from '@lianban/contracts';
import { BlobStore, DigestingStream, TooLargeError } from '@lianban/platform';

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
