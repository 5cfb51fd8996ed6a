/** How a process's names on NATS are made: its stream names under a subject prefix and its inboxes. */

/** A stream's name under a subject prefix (stream names allow no dots): `t1.` + `LIANBAN_EVENTS` → `T1_LIANBAN_EVENTS`. */
export function prefixedStreamName(name: string, subjectPrefix = ''): string {
  return `${subjectPrefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}${name}`;
}

/**
 * The inbox prefix a process's replies come back on (nats.js's `inboxPrefix`), so that each may
 * read its own replies and nobody else's. A tool run with a service's credentials uses the
 * service's user, hence its inboxes.
 */
export function inboxPrefixOf(user: string): string {
  return `_INBOX_${user.replace(/[^A-Za-z0-9]/g, '_')}`;
}
