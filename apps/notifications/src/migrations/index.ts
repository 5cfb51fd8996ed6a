import { Inbox1763930000000 } from './1763930000000-inbox';
import { Webhooks1763940000000 } from './1763940000000-webhooks';
import { PreferencesEmail1763950000000 } from './1763950000000-preferences-email';
import { OfficerItems1764010000000 } from './1764010000000-officer-items';
import { InstitutionItems1764070000000 } from './1764070000000-institution-items';
import { AccountStatus1764110000000 } from './1764110000000-account-status';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Inbox1763930000000, Webhooks1763940000000, PreferencesEmail1763950000000, OfficerItems1764010000000, InstitutionItems1764070000000, AccountStatus1764110000000];
