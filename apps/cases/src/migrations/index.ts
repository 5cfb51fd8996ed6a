import { CampaignsLedgers1764050000000 } from './1764050000000-campaigns-ledgers';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [CampaignsLedgers1764050000000];
