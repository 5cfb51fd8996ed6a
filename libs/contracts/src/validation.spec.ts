import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Length, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { DomainError, FieldError } from './errors';
import { ruleError, validateDto } from './validation';

class PartyDto {
  @IsUUID()
  id!: string;
}

class DraftDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @IsString()
  @Length(2, 50)
  code!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'on must be a date like 2026-11-23' })
  on!: string;

  @IsInt()
  @Min(0)
  amountFen!: number;

  @IsIn(['low', 'high'])
  level!: string;

  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties!: PartyDto[];
}

const ok = { title: '骗保案', code: 'AB', on: '2026-11-23', amountFen: 1, level: 'low', parties: [] };

async function errorsOf(payload: object): Promise<FieldError[]> {
  try {
    await validateDto(DraftDto, payload);
  } catch (e) {
    return (e as DomainError).toProblem().errors ?? [];
  }
  throw new Error('the payload was accepted');
}

describe('validation errors carry the broken rules as codes beside their messages', () => {
  it('names each rule in the order of its message, with the bounds the message names', async () => {
    const errors = await errorsOf({ ...ok, title: 'x'.repeat(201), code: 'A', amountFen: -1.5, level: 'mid' });
    expect(errors).toEqual([
      { field: 'title', messages: ['title must be shorter than or equal to 200 characters'], codes: ['maxLength'], params: { maxLength: { max: 200 } } },
      { field: 'code', messages: ['code must be longer than or equal to 2 characters'], codes: ['isLength'], params: { isLength: { min: 2 } } },
      { field: 'amountFen', messages: ['amountFen must not be less than 0', 'amountFen must be an integer number'], codes: ['min', 'isInt'], params: { min: { min: 0 } } },
      { field: 'level', messages: ['level must be one of the following values: low, high'], codes: ['isIn'] },
    ]);
  });

  it('gives a rule with its own message its code and no bounds', async () => {
    expect(await errorsOf({ ...ok, on: '23.11.2026' })).toEqual([{ field: 'on', messages: ['on must be a date like 2026-11-23'], codes: ['matches'] }]);
  });

  it('names an empty field, a nested field, a list too long and an unknown field', async () => {
    const errors = await errorsOf({ ...ok, title: '', parties: [{ id: 'nope' }, { id: 'a' }, { id: 'b' }], approvedBy: 'myself' });
    expect(errors).toEqual([
      { field: 'approvedBy', messages: ['property approvedBy should not exist'], codes: ['whitelistValidation'] },
      { field: 'title', messages: ['title should not be empty'], codes: ['isNotEmpty'] },
      { field: 'parties', messages: ['parties must contain no more than 2 elements'], codes: ['arrayMaxSize'], params: { arrayMaxSize: { max: 2 } } },
      { field: 'parties.0.id', messages: ['id must be a UUID'], codes: ['isUuid'] },
      { field: 'parties.1.id', messages: ['id must be a UUID'], codes: ['isUuid'] },
      { field: 'parties.2.id', messages: ['id must be a UUID'], codes: ['isUuid'] },
    ]);
  });
});

describe("a service's own rules of the domain", () => {
  it('carry a code beside the English sentence, and the values the sentence names under that code', () => {
    expect(ruleError('teamOfficerIds', 'teamOfTwo', 'a transfer to police is written by a team of at least two officers', { min: 2 })).toEqual({
      field: 'teamOfficerIds',
      messages: ['a transfer to police is written by a team of at least two officers'],
      codes: ['teamOfTwo'],
      params: { teamOfTwo: { min: 2 } },
    });
    expect(ruleError('note', 'stepNeedsNote', 'this step is recorded with written reasons')).toEqual({ field: 'note', messages: ['this step is recorded with written reasons'], codes: ['stepNeedsNote'] });
  });

  it('reach the caller inside the VALIDATION_FAILED problem', () => {
    const problem = DomainError.validation([ruleError('deadline', 'deadlineNotFuture', 'the deadline lies in the future')]).toProblem();
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'deadline', codes: ['deadlineNotFuture'] }] });
  });
});
