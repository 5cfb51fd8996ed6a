import { DirectoryAndAccounts1763900000000 } from './1763900000000-directory-and-accounts';
import { RefreshGrace1764020000000 } from './1764020000000-refresh-grace';
import { TemporaryPasswords1764100000000 } from './1764100000000-temporary-passwords';
import { AgencyFormerNames1764110000000 } from './1764110000000-agency-former-names';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [DirectoryAndAccounts1763900000000, RefreshGrace1764020000000, TemporaryPasswords1764100000000, AgencyFormerNames1764110000000];
