import { CluesTransfersClocks1763910000000 } from './1763910000000-clues-transfers-clocks';
import { TransferStepDigest1763920000000 } from './1763920000000-transfer-step-digest';
import { ClockReminders1763960000000 } from './1763960000000-clock-reminders';
import { ClockPauses1764000000000 } from './1764000000000-clock-pauses';
import { TransferCaseId1764000000001 } from './1764000000001-transfer-case-id';
import { ClockDueGiven1764120000000 } from './1764120000000-clock-due-given';
import { TransferProsecutor1764130000000 } from './1764130000000-transfer-prosecutor';
import { ClueAssignment1764140000000 } from './1764140000000-clue-assignment';
import { ClockAlsoTell1764140000001 } from './1764140000001-clock-also-tell';
import { ClueSubjectIdIndex1764140000002 } from './1764140000002-clue-subject-id-index';

/** This service's migrations, oldest first. The outbox tables come from @lianban/persistence. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [CluesTransfersClocks1763910000000, TransferStepDigest1763920000000, ClockReminders1763960000000, ClockPauses1764000000000, TransferCaseId1764000000001, ClockDueGiven1764120000000, TransferProsecutor1764130000000, ClueAssignment1764140000000, ClockAlsoTell1764140000001, ClueSubjectIdIndex1764140000002];
