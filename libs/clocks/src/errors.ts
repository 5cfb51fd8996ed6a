/** Why a clock computation or the holiday calendar refused its input; codes are stable, messages are for people. */
export type ClockErrorCode =
  /** A civil date that is not a real YYYY-MM-DD day. */
  | 'INVALID_DATE'
  /** A `Date` that is not a valid instant. */
  | 'INVALID_INSTANT'
  /** Holiday-calendar data (shipped, constructed or configured) of the wrong shape or with impossible dates. */
  | 'INVALID_CALENDAR'
  /** The file named by HOLIDAY_CALENDAR_FILE could not be read. */
  | 'CALENDAR_FILE_UNREADABLE'
  | 'INVALID_LIMIT'
  | 'INVALID_PAUSE'
  | 'INVALID_OPTION';

export class ClockError extends Error {
  constructor(
    readonly code: ClockErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClockError';
  }
}
