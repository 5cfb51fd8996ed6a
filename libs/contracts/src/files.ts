/**
 * Leave to serve a file kept in the platform's blob store (evidence of a case, an invoice import
 * file): given by the service that owns the record, once it found the bytes still match their
 * digests; the gateway streams them and checks them again on the way out.
 */
export interface StoredFileGrant {
  storageKey: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  sm3: string;
}
