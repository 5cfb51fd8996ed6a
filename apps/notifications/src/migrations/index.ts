import { Inbox1763930000000 } from './1763930000000-inbox';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Inbox1763930000000];
