import { EVENTS_STREAM, SERVICE_NAMES, ServiceName, SUBJECT_ROOT } from '@lianban/contracts';
import { DEAD_LETTER_ROOT, DEAD_LETTER_STREAM } from './jetstream';
import { inboxPrefixOf, prefixedStreamName } from './naming';

/** A process of the platform that connects to NATS: the gateway or one of the services. */
export type NatsProcess = ServiceName | 'gateway';

/**
 * The domains of the events each process publishes (`lianban.events.<domain>.<verb>`), through its
 * outbox relay. Notifications publishes none of its own, but replays dead letters of any kind.
 */
export const EVENT_DOMAINS: Record<NatsProcess, readonly string[] | 'any'> = {
  gateway: [],
  agencies: ['agency', 'institution', 'officer', 'session'],
  'clue-transfer': ['clue', 'transfer', 'clock'],
  cases: ['campaign', 'case', 'ledger', 'supervision', 'clock'],
  invoices: ['invoice'],
  notifications: 'any',
};

/** Processes with durable event consumers, which park poison messages in the dead-letter stream. */
const CONSUMES_EVENTS: readonly NatsProcess[] = ['cases', 'notifications'];

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  /** May answer requests it received, on their reply subjects (and only then). */
  allow_responses: boolean;
}

/**
 * What one process may do on NATS. A service subscribes to its own requests only, so that a
 * process taken over cannot answer another's (a forged `session.verify`, say), and reads only its
 * own replies; it may send requests to every service and publish the events of its own domains.
 * Of the JetStream API it gets what it uses: creating (never changing) the platform's two streams,
 * and, for the consumers of events, their consumers and the dead letters; no process can change,
 * purge or delete a stream, nor create another (one capturing other subjects would record them).
 * `subjectPrefix` is the one the processes are configured with (empty in production).
 */
export function natsPermissions(process: NatsProcess, subjectPrefix = ''): NatsPermissions {
  const p = (subject: string) => `${subjectPrefix}${subject}`;
  const [events, deadLetters] = [EVENTS_STREAM, DEAD_LETTER_STREAM].map((s) => prefixedStreamName(s, subjectPrefix));
  const domains = EVENT_DOMAINS[process];
  const consumes = CONSUMES_EVENTS.includes(process);
  const jetstream =
    process === 'gateway'
      ? []
      : [
          '$JS.API.INFO',
          `$JS.API.STREAM.INFO.${events}`,
          `$JS.API.STREAM.CREATE.${events}`,
          ...(domains === 'any' ? [p(`${SUBJECT_ROOT}.events.>`)] : domains.map((d) => p(`${SUBJECT_ROOT}.events.${d}.>`))),
          ...(consumes
            ? [
                `$JS.API.STREAM.INFO.${deadLetters}`,
                `$JS.API.STREAM.CREATE.${deadLetters}`,
                `$JS.API.CONSUMER.CREATE.${events}`,
                `$JS.API.CONSUMER.CREATE.${events}.>`,
                `$JS.API.CONSUMER.DURABLE.CREATE.${events}.>`,
                `$JS.API.CONSUMER.INFO.${events}.>`,
                `$JS.API.CONSUMER.MSG.NEXT.${events}.>`,
                `$JS.ACK.${events}.>`,
                p(`${DEAD_LETTER_ROOT}.>`),
              ]
            : []),
          // Notifications shows the dead letters to administrators and replays them.
          ...(process === 'notifications' ? [`$JS.API.STREAM.MSG.GET.${deadLetters}`, `$JS.API.STREAM.MSG.DELETE.${deadLetters}`] : []),
        ];
  return {
    publish: { allow: [...SERVICE_NAMES.map((s) => p(`${SUBJECT_ROOT}.${s}.>`)), ...jetstream] },
    subscribe: {
      allow: [...(process === 'gateway' ? [p(`${SUBJECT_ROOT}.notifications.signal.>`)] : [p(`${SUBJECT_ROOT}.${process}.>`)]), `${inboxPrefixOf(process)}.>`],
    },
    allow_responses: process !== 'gateway',
  };
}

/**
 * The `authorization` block of a nats-server configuration with one user per process, each with
 * its permissions; a password is written as given (a `$VARIABLE` is read from the server's
 * environment).
 */
export function natsAuthorizationConfig(users: { process: NatsProcess; user: string; password: string }[], subjectPrefix = ''): string {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  const entries = users.map(({ process, user, password }) => {
    const perms = natsPermissions(process, subjectPrefix);
    const pass = password.startsWith('$') ? password : JSON.stringify(password);
    return [
      `    {`,
      `      user: ${JSON.stringify(user)}, password: ${pass}`,
      `      permissions: {`,
      `        publish: { allow: ${list(perms.publish.allow)} }`,
      `        subscribe: { allow: ${list(perms.subscribe.allow)} }`,
      `        allow_responses: ${perms.allow_responses}`,
      `      }`,
      `    }`,
    ].join('\n');
  });
  return `authorization {\n  users: [\n${entries.join(',\n')}\n  ]\n}\n`;
}

/** Every process that connects to NATS, in the order a configuration lists them. */
export const NATS_PROCESSES: readonly NatsProcess[] = ['gateway', ...SERVICE_NAMES];

/** The environment variable that holds a process's NATS password, for the server and for the process. */
export function natsPasswordVariable(process: NatsProcess): string {
  return `NATS_PASSWORD_${process.replace(/-/g, '_').toUpperCase()}`;
}

/**
 * deploy/nats-server.conf: one user per process, named after it, its password read from the
 * server's environment (`natsPasswordVariable`). `tools/nats-config.ts` writes it; a test fails
 * when the file differs.
 */
export function deployNatsConfig(): string {
  return [
    '# Written by tools/nats-config.ts from libs/messaging/src/nats-permissions.ts: do not edit by hand.',
    '# One user per process, named after it; each password comes from the server environment',
    '# (NATS_PASSWORD_GATEWAY, NATS_PASSWORD_AGENCIES, ...). See deploy/README.md.',
    natsAuthorizationConfig(NATS_PROCESSES.map((p) => ({ process: p, user: p, password: `$${natsPasswordVariable(p)}` }))),
  ].join('\n');
}
