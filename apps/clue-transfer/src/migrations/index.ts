import { CluesTransfersClocks1763910000000 } from './1763910000000-clues-transfers-clocks';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [CluesTransfersClocks1763910000000];
