import { Register1763970000000 } from './1763970000000-register';
import { InvoiceSeal1763980000000 } from './1763980000000-invoice-seal';
import { VerificationSets1763990000000 } from './1763990000000-verification-sets';
import { SealStatus1764000000000 } from './1764000000000-seal-status';
import { ImportFiles1764010000000 } from './1764010000000-import-files';
import { VerificationAllowance1764080000000 } from './1764080000000-verification-allowance';
import { CheckSets1764090000000 } from './1764090000000-check-sets';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Register1763970000000, InvoiceSeal1763980000000, VerificationSets1763990000000, SealStatus1764000000000, ImportFiles1764010000000, VerificationAllowance1764080000000, CheckSets1764090000000];
