import type { FastifyReply } from 'fastify';
import { ExportedFile } from '@lianban/contracts';

/**
 * Content-Disposition for a file name that may be Chinese: an ASCII fallback for old clients and
 * the exact name as RFC 5987 / RFC 6266 `filename*=UTF-8''…` (percent-encoded UTF-8).
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+/, '').replace(/_+(?=\.[A-Za-z0-9]+$)/, '');
  // A name with no ASCII before its extension still gets one.
  const fallback = !ascii || ascii.startsWith('.') ? `download${ascii}` : ascii;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Sends a file a service made (base64 over NATS) as a download. */
export function sendFile(reply: FastifyReply, file: ExportedFile): void {
  const body = Buffer.from(file.base64, 'base64');
  void reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.filename))
    .header('content-length', body.length)
    .header('cache-control', 'no-store')
    .send(body);
}
