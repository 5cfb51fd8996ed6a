/**
 * How a process proves itself to the NATS servers and checks them: a user and password or a token
 * (the server's `authorization`), and TLS with the CA that signed the servers' certificates and,
 * for servers that verify clients, this process's certificate and key (PEM files).
 */
export interface NatsCredentials {
  user?: string;
  pass?: string;
  token?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

export interface MessagingOptions {
  /** NATS server URL(s), comma-separated. */
  servers: string;
  /** Unset: an open server (development, tests). */
  credentials?: NatsCredentials;
  /** Name of this service: used as the connection name and the queue group of its handlers. */
  serviceName: string;
  /**
   * Prepended to every subject and stream name. Empty in production; tests give each suite its
   * own prefix so suites share one NATS server without seeing each other's messages.
   */
  subjectPrefix?: string;
  /** Signs the caller's identity on every message (shared by all processes of the platform); a development key when absent. */
  signingKey?: string;
  /** How long the first connection may take before the process gives up starting (nats.js's default, 20 s, when unset). */
  connectTimeoutMs?: number;
  /** How long a request waits for its reply. */
  requestTimeoutMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
