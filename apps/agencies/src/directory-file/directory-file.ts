import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsEnum, IsIn, IsObject, IsOptional, IsString, Length, Matches, validate, ValidateNested } from 'class-validator';
import { AgencyKind, ContactAddress, ContactPhone, DisplayName, FieldError, toFieldErrors, Username, VALIDATION_OPTIONS } from '@lianban/contracts';
import { REGION_CODE } from '@lianban/authz';

/**
 * The file an operator gives the directory tool (`npm run directory`) to set a city up on the
 * platform: its regions, its agencies with their first administrators, and its leading group.
 * `deploy/directory.example.json` is one; docs/operations.md tells how it is applied.
 */

const REGION_CODE_MESSAGE = { message: ({ property }: { property: string }) => `${property} must be a GB/T 2260 code of six digits` };

/** Something written by hand into a file: not blank, and of a length the console can show. */
function Name(max = 100): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, max)(target, key);
    Matches(/^\S(.*\S)?$/, { message: `${String(key)} must not be blank nor start or end with spaces` })(target, key);
  };
}

export class RegionEntry {
  @Matches(REGION_CODE, REGION_CODE_MESSAGE)
  code: string;

  @Name(50)
  name: string;
}

/** An agency's first administrator: the account is opened with a temporary password. */
export class AdministratorEntry {
  @Username()
  username: string;

  @DisplayName()
  displayName: string;
}

export class AgencyEntry {
  @Name()
  name: string;

  @IsEnum(AgencyKind, { message: `kind must be one of ${Object.values(AgencyKind).join(', ')}` })
  kind: AgencyKind;

  @Matches(REGION_CODE, REGION_CODE_MESSAGE)
  regionCode: string;

  /** The agency it belongs to, by name (a leading-group office to its medical insurance bureau). */
  @IsOptional()
  @Name()
  parent?: string;

  @IsOptional()
  @ContactPhone()
  contactPhone?: string;

  @IsOptional()
  @ContactAddress()
  contactAddress?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => AdministratorEntry)
  admins?: AdministratorEntry[];
}

export const MEMBER_POSITIONS = ['leader', 'deputy_leader', 'member'] as const;

export class MemberEntry {
  /** The member agency, by name. */
  @Name()
  agency: string;

  @IsIn(MEMBER_POSITIONS, { message: `position must be one of ${MEMBER_POSITIONS.join(', ')}` })
  position: (typeof MEMBER_POSITIONS)[number];

  /** The member's office in the group, e.g. 医疗保障局局长. */
  @Name()
  title: string;
}

/** A leading group (领导小组) of seed 002, Annex 5: its office and its member agencies. */
export class LeadingGroupEntry {
  @Name()
  name: string;

  @Matches(REGION_CODE, REGION_CODE_MESSAGE)
  regionCode: string;

  /** The agency that runs the group's office, by name. */
  @Name()
  office: string;

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => MemberEntry)
  members: MemberEntry[];
}

export class DirectoryFile {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RegionEntry)
  regions?: RegionEntry[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AgencyEntry)
  agencies?: AgencyEntry[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LeadingGroupEntry)
  leadingGroups?: LeadingGroupEntry[];

  /** Free text for whoever keeps the file (where the names come from, who approved them); not stored. */
  @IsOptional()
  @IsObject()
  comment?: object;
}

/** An agency renamed by the operator (`npm run directory -- rename-agency`): its present name and the one it takes. */
export class AgencyRename {
  @Name()
  name: string;

  @Name()
  newName: string;
}

/** A file that cannot be applied: every problem found, each at its place in the file. */
export class DirectoryRefused extends Error {
  constructor(readonly problems: FieldError[]) {
    super(`The directory file cannot be applied: ${problems.map((p) => p.field).join(', ')}.`);
  }
}

/** Checks a rename as the tool was given it, with the rules of a file's names; refuses it with every problem. */
export async function readAgencyRename(name: string, newName: string): Promise<AgencyRename> {
  const rename = plainToInstance(AgencyRename, { name, newName });
  const errors = await validate(rename, VALIDATION_OPTIONS);
  if (errors.length) throw new DirectoryRefused(toFieldErrors(errors));
  return rename;
}

/** Reads a directory file's text: JSON, with every entry checked; refuses it with all its problems at once. */
export async function readDirectoryFile(text: string): Promise<DirectoryFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DirectoryRefused([{ field: '(file)', messages: [`the file is not JSON: ${(e as Error).message}`], codes: ['isJson'] }]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DirectoryRefused([{ field: '(file)', messages: ['the file must hold one JSON object with regions, agencies and leadingGroups'], codes: ['isObject'] }]);
  }
  const file = plainToInstance(DirectoryFile, parsed);
  const errors = await validate(file, VALIDATION_OPTIONS);
  if (errors.length) throw new DirectoryRefused(toFieldErrors(errors));
  return file;
}
