export interface MessagingOptions {
  /** NATS server URL(s), comma-separated. */
  servers: string;
  /** Name of this service: used as the connection name and the queue group of its handlers. */
  serviceName: string;
  /**
   * Prepended to every subject and stream name. Empty in production; tests give each suite its
   * own prefix so suites share one NATS server without seeing each other's messages.
   */
  subjectPrefix?: string;
  /** Signs the caller's identity on every message (shared by all processes of the platform); a development key when absent. */
  signingKey?: string;
  /** How long a request waits for its reply. */
  requestTimeoutMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
