import { DataSource, EntityManager } from 'typeorm';
import { FieldError, MessageContext, OfficerRole, ruleError, systemActor } from '@lianban/contracts';
import { parentRegion, regionLevel, regionReaches } from '@lianban/authz';
import { newCorrelationId } from '@lianban/messaging';
import { audit, OutboxWriter } from '@lianban/persistence';
import { issueTemporaryPassword, TemporaryPassword } from '../auth/temporary-password';
import { AgencyEntry, AgencyRename, DirectoryFile, DirectoryRefused, LeadingGroupEntry } from './directory-file';

/** The process name the tool's changes are audited and published under; the operator is in each entry's detail. */
export const DIRECTORY_TOOL = 'directory-tool';

/** What applying a file did (or, checked only, would do) to one entry. */
export interface DirectoryChange {
  entry: string;
  outcome: 'added' | 'unchanged';
  /** What was added to an entry already registered (members of a leading group). */
  detail?: string;
}

/** A first administrator's account, opened by the tool: said once, to the operator. */
export interface IssuedAccount extends TemporaryPassword {
  username: string;
  agency: string;
}

export interface DirectoryReport {
  changes: DirectoryChange[];
  accounts: IssuedAccount[];
  correlationId: string;
}

export interface ApplyOptions {
  /** Who ran the tool (a person's name): audited with every change. */
  operator: string;
  /** Checks the file against the directory and reports what it would do, writing nothing. */
  dryRun?: boolean;
}

/** Thrown inside the transaction of a dry run, so that everything it wrote rolls back. */
class DryRun extends Error {
  constructor(readonly report: DirectoryReport) {
    super('dry run');
  }
}

/**
 * Applies a directory file in one transaction: adds the regions, agencies, first administrators
 * and leading groups (and their members) it lists that the directory does not hold yet. It never
 * changes or removes anything: what the file says of an entry already registered must match it,
 * and an administrator already there keeps their password. Any problem refuses the whole file
 * (DirectoryRefused, with every problem found), and nothing is written.
 */
export async function applyDirectory(ds: DataSource, outbox: OutboxWriter, file: DirectoryFile, options: ApplyOptions): Promise<DirectoryReport> {
  const ctx: MessageContext = { actor: systemActor(DIRECTORY_TOOL), correlationId: newCorrelationId() };
  try {
    return await ds.transaction(async (m) => {
      // Two runs of the tool take turns; the services' own writes go on beside it.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('directory-tool', 0))`);
      const run = new DirectoryRun(m, outbox, ctx, options);
      await run.regions(file.regions ?? []);
      await run.agencies(file.agencies ?? []);
      await run.leadingGroups(file.leadingGroups ?? []);
      if (run.problems.length) throw new DirectoryRefused(run.problems);
      const report = { changes: run.changes, accounts: run.accounts, correlationId: ctx.correlationId };
      if (options.dryRun) throw new DryRun(report);
      return report;
    });
  } catch (e) {
    if (e instanceof DryRun) return e.report;
    throw e;
  }
}

/**
 * Gives an agency's administrator a new temporary password when nobody in the agency can (the
 * only administrator forgot theirs, or left). Other officers' passwords are their administrator's
 * business, in the console.
 */
export async function resetAdministrator(ds: DataSource, outbox: OutboxWriter, username: string, operator: string): Promise<IssuedAccount> {
  const ctx: MessageContext = { actor: systemActor(DIRECTORY_TOOL), correlationId: newCorrelationId() };
  return ds.transaction(async (m) => {
    const [row]: { id: string; agencyId: string; agency: string; roles: OfficerRole[]; disabled: boolean }[] = await m.query(
      `SELECT a.id, a.agency_id AS "agencyId", g.name AS agency, a.roles, a.disabled_at IS NOT NULL AS disabled
         FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = $1 AND a.kind = 'officer' FOR UPDATE OF a`,
      [username],
    );
    const refuse = (code: string, message: string): never => {
      throw new DirectoryRefused([ruleError('username', code, message)]);
    };
    if (!row) refuse('unknownOfficer', `No officer has the username ${username}.`);
    if (!row.roles.includes(OfficerRole.ADMIN)) refuse('notAdministrator', `${username} is not an administrator of ${row.agency}; the agency’s administrator resets the passwords of its officers in the console.`);
    if (row.disabled) refuse('disabled', `${username} is disabled; its password is not reset.`);
    const issued = await issueTemporaryPassword(m, row.id, 'password_reset');
    await audit(m, { actor: ctx.actor, action: 'officer.reset_password', target: row.id, outcome: 'succeeded', detail: { operator, expiresAt: issued.expiresAt } });
    await outbox.append(m, { type: 'officer.password_reset', payload: { officerId: row.id, agencyId: row.agencyId } }, ctx);
    return { username, agency: row.agency, ...issued };
  });
}

/** What a rename did: nothing (`changed` false) when the agency already has the name. */
export interface AgencyRenamed {
  agencyId: string;
  previous: string;
  name: string;
  changed: boolean;
  correlationId: string;
}

/**
 * Renames an agency, as an institutional reform renames bureaus, in one transaction. Accounts,
 * clues, transfers and cases point at the agency by id, so every step it signed shows the new
 * name (services that cache the directory within five minutes, a signed-in officer's header at the
 * next token renewal). The old name is kept as a former name: a directory file that still lists it
 * is refused rather than registering a second agency under it, and no other agency may take it.
 * Audited as `agency.rename`, published as `agency.renamed`.
 */
export async function renameAgency(ds: DataSource, outbox: OutboxWriter, rename: AgencyRename, operator: string): Promise<AgencyRenamed> {
  const ctx: MessageContext = { actor: systemActor(DIRECTORY_TOOL), correlationId: newCorrelationId() };
  const refuse = (field: keyof AgencyRename, code: string, message: string): never => {
    throw new DirectoryRefused([ruleError(field, code, message)]);
  };
  const nameTaken = () => refuse('newName', 'nameTaken', `Another agency is registered as ${rename.newName}; choose another name.`);
  return ds
    .transaction(async (m) => {
      const [agency]: { id: string }[] = await m.query(`SELECT id FROM agency WHERE name = $1 FOR UPDATE`, [rename.name]);
      if (!agency) {
        const renamed = (await formerNameOf(m, rename.name))?.present;
        return refuse('name', 'unknownAgency', renamed ? `${rename.name} was renamed ${renamed}; give its present name.` : `No agency is registered as ${rename.name}.`);
      }
      const done = { agencyId: agency.id, previous: rename.name, name: rename.newName, correlationId: ctx.correlationId };
      if (rename.newName === rename.name) return { ...done, changed: false };
      if ((await m.query(`SELECT 1 FROM agency WHERE name = $1`, [rename.newName])).length) nameTaken();
      const former = await formerNameOf(m, rename.newName);
      if (former && former.agencyId !== agency.id) {
        refuse('newName', 'formerName', `${rename.newName} is the former name of ${former.present}: files written before its renaming may still list it, so no other agency takes it.`);
      }
      // Taking back a name it had: that name is its present one again, and the one it leaves is former.
      await m.query(`DELETE FROM agency_former_name WHERE name = $1`, [rename.newName]);
      await m.query(`INSERT INTO agency_former_name (name, agency_id) VALUES ($1, $2)`, [rename.name, agency.id]);
      await m.query(`UPDATE agency SET name = $2 WHERE id = $1`, [agency.id, rename.newName]);
      await audit(m, { actor: ctx.actor, action: 'agency.rename', target: agency.id, outcome: 'succeeded', detail: { operator, previous: rename.name, name: rename.newName } });
      await outbox.append(m, { type: 'agency.renamed', payload: { agencyId: agency.id, name: rename.newName, previous: rename.name } }, ctx);
      return { ...done, changed: true };
    })
    .catch((e: unknown) => {
      // Another agency took the name (a file applied, a rename) between the check and the update.
      if ((e as { code?: string }).code === '23505') return nameTaken();
      throw e;
    });
}

/** The agency once registered as `name`, with its present name; undefined when no agency was. */
async function formerNameOf(m: EntityManager, name: string): Promise<{ agencyId: string; present: string } | undefined> {
  const [row]: { agencyId: string; present: string }[] = await m.query(
    `SELECT f.agency_id AS "agencyId", a.name AS present FROM agency_former_name f JOIN agency a ON a.id = f.agency_id WHERE f.name = $1`,
    [name],
  );
  return row;
}

const membersCount = (n: number) => (n === 1 ? '1 member' : `${n} members`);

type AgencyRow = { id: string; name: string; kind: string; regionCode: string; parentId: string | null; contactPhone: string | null; contactAddress: string | null };

/** One application of a file: what it found wrong, and what it changed, in order. */
class DirectoryRun {
  readonly problems: FieldError[] = [];
  readonly changes: DirectoryChange[] = [];
  readonly accounts: IssuedAccount[] = [];

  constructor(
    private readonly m: EntityManager,
    private readonly outbox: OutboxWriter,
    private readonly ctx: MessageContext,
    private readonly options: ApplyOptions,
  ) {}

  private problem(field: string, code: string, message: string): void {
    this.problems.push(ruleError(field, code, message));
  }

  private record(action: string, target: string, detail: Record<string, unknown>): Promise<void> {
    return audit(this.m, { actor: this.ctx.actor, action, target, outcome: 'succeeded', detail: { operator: this.options.operator, ...detail } });
  }

  /** Regions, a province before its cities and a city before its districts, each under its parent. */
  async regions(entries: NonNullable<DirectoryFile['regions']>): Promise<void> {
    const order = { province: 0, city: 1, district: 2 } as const;
    const indexed = entries.map((entry, i) => ({ entry, i })).sort((a, b) => order[regionLevel(a.entry.code)] - order[regionLevel(b.entry.code)] || a.i - b.i);
    const seen = new Set<string>();
    for (const { entry, i } of indexed) {
      const at = `regions.${i}`;
      if (seen.has(entry.code)) {
        this.problem(`${at}.code`, 'duplicate', `Region ${entry.code} is listed twice.`);
        continue;
      }
      seen.add(entry.code);
      const [found]: { name: string }[] = await this.m.query(`SELECT name FROM region WHERE code = $1`, [entry.code]);
      if (found) {
        if (found.name !== entry.name) this.problem(`${at}.name`, 'differsFromDirectory', `Region ${entry.code} is registered as ${found.name}; the tool does not rename regions.`);
        else this.changes.push({ entry: `region ${entry.code} ${entry.name}`, outcome: 'unchanged' });
        continue;
      }
      const parent = parentRegion(entry.code);
      if (parent && !(await this.regionExists(parent))) {
        this.problem(`${at}.code`, 'unknownParentRegion', `Region ${entry.code} lies in ${parent}, which is neither registered nor listed in the file.`);
        continue;
      }
      await this.m.query(`INSERT INTO region (code, name, level, parent_code) VALUES ($1, $2, $3, $4)`, [entry.code, entry.name, regionLevel(entry.code), parent]);
      await this.record('region.add', entry.code, { name: entry.name });
      this.changes.push({ entry: `region ${entry.code} ${entry.name}`, outcome: 'added' });
    }
  }

  private async regionExists(code: string): Promise<boolean> {
    return (await this.m.query(`SELECT 1 FROM region WHERE code = $1`, [code])).length > 0;
  }

  /**
   * Agencies by name: new ones registered, registered ones compared with the file. Parents are
   * looked up once every agency of the file is in, so the file may list them in any order.
   */
  async agencies(entries: AgencyEntry[]): Promise<void> {
    const rows = new Map<string, AgencyRow>();
    const added = new Set<string>();
    const usernames = new Map<string, string>();
    const repeated = new Set<string>();
    entries.forEach((entry, i) => {
      const dup = entries.findIndex((e) => e.name === entry.name);
      if (dup !== i) this.problem(`agencies.${i}.name`, 'duplicate', `${entry.name} is listed twice (also agencies.${dup}).`);
      (entry.admins ?? []).forEach((admin, j) => {
        const at = `agencies.${i}.admins.${j}.username`;
        const first = usernames.get(admin.username);
        if (first) {
          this.problem(at, 'duplicate', `The username ${admin.username} is listed twice (also ${first}).`);
          repeated.add(at);
        }
        else usernames.set(admin.username, at);
      });
    });
    for (const [i, entry] of entries.entries()) {
      if (rows.has(entry.name)) continue;
      const at = `agencies.${i}`;
      const found = await this.agencyNamed(entry.name);
      if (found) {
        rows.set(entry.name, found);
        const differs = (field: keyof AgencyEntry & keyof AgencyRow, registered: string | null, who = 'the tool does not change registered agencies') =>
          this.problem(`${at}.${field}`, 'differsFromDirectory', `${entry.name} is registered with ${field} ${registered ?? '(none)'}; ${who}.`);
        if (found.kind !== entry.kind) differs('kind', found.kind);
        if (found.regionCode !== entry.regionCode) differs('regionCode', found.regionCode);
        const keptByAdmin = 'the agency’s administrator keeps its contacts (PATCH /agencies/{id}), so leave them out of the file or write them as registered';
        if (entry.contactPhone !== undefined && found.contactPhone !== entry.contactPhone) differs('contactPhone', found.contactPhone, keptByAdmin);
        if (entry.contactAddress !== undefined && found.contactAddress !== entry.contactAddress) differs('contactAddress', found.contactAddress, keptByAdmin);
        continue;
      }
      const present = (await formerNameOf(this.m, entry.name))?.present;
      if (present) {
        this.problem(`${at}.name`, 'renamed', `${entry.name} was renamed ${present}; write its present name.`);
        continue;
      }
      if (!(await this.regionExists(entry.regionCode))) {
        this.problem(`${at}.regionCode`, 'unknownRegion', `Region ${entry.regionCode} is neither registered nor listed in the file.`);
        continue;
      }
      const [row]: AgencyRow[] = await this.m.query(
        `INSERT INTO agency (kind, name, region_code, contact_phone, contact_address) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, name, kind, region_code AS "regionCode", parent_id AS "parentId", contact_phone AS "contactPhone", contact_address AS "contactAddress"`,
        [entry.kind, entry.name, entry.regionCode, entry.contactPhone ?? null, entry.contactAddress ?? null],
      );
      rows.set(entry.name, row);
      added.add(entry.name);
    }
    for (const [i, entry] of entries.entries()) {
      const row = rows.get(entry.name);
      if (row && entry.parent !== undefined) await this.parentOf(`agencies.${i}.parent`, entry, row, added.has(entry.name));
    }
    this.refuseCircles(entries, rows);
    for (const [i, entry] of entries.entries()) {
      const row = rows.get(entry.name);
      if (!row || entries.findIndex((e) => e.name === entry.name) !== i) continue;
      if (added.has(entry.name)) {
        await this.record('agency.register', row.id, { name: row.name, kind: row.kind, regionCode: row.regionCode, parentId: row.parentId });
        await this.outbox.append(this.m, { type: 'agency.registered', payload: { agencyId: row.id, name: row.name, kind: row.kind, regionCode: row.regionCode, parentId: row.parentId } }, this.ctx);
      }
      this.changes.push({ entry: `agency ${entry.name} (${entry.kind}, ${entry.regionCode})`, outcome: added.has(entry.name) ? 'added' : 'unchanged' });
      for (const [j, admin] of (entry.admins ?? []).entries()) {
        if (!repeated.has(`agencies.${i}.admins.${j}.username`)) await this.administrator(`agencies.${i}.admins.${j}`, admin, row);
      }
    }
  }

  private async agencyNamed(name: string): Promise<AgencyRow | undefined> {
    const [row]: AgencyRow[] = await this.m.query(
      `SELECT id, name, kind, region_code AS "regionCode", parent_id AS "parentId", contact_phone AS "contactPhone", contact_address AS "contactAddress" FROM agency WHERE name = $1`,
      [name],
    );
    return row;
  }

  /** An agency the file names that the directory does not hold: perhaps by the name it had before it was renamed. */
  private async unknownAgency(at: string, name: string): Promise<void> {
    const present = (await formerNameOf(this.m, name))?.present;
    this.problem(at, 'unknownAgency', present ? `${name} was renamed ${present}; write its present name.` : `${name} is neither registered nor listed in the file.`);
  }

  /** Sets a new agency's parent, or compares a registered one's; a parent's region reaches the agency's. */
  private async parentOf(at: string, entry: AgencyEntry, row: AgencyRow, isNew: boolean): Promise<void> {
    const parent = await this.agencyNamed(entry.parent!);
    if (!parent) return this.unknownAgency(at, entry.parent!);
    if (parent.id === row.id) return this.problem(at, 'ownParent', `${entry.name} cannot belong to itself.`);
    if (!regionReaches(parent.regionCode, row.regionCode)) {
      return this.problem(at, 'parentOutsideRegion', `${entry.parent} (${parent.regionCode}) does not reach ${entry.name}’s region ${row.regionCode}.`);
    }
    if (!isNew) {
      if (row.parentId !== parent.id) this.problem(at, 'differsFromDirectory', `${entry.name} is registered with another parent; the tool does not change registered agencies.`);
      return;
    }
    await this.m.query(`UPDATE agency SET parent_id = $2 WHERE id = $1`, [row.id, parent.id]);
    row.parentId = parent.id;
  }

  /**
   * Refuses parents that lead back to the agency (A under B under A). Only agencies new in this
   * file can form such a circle: a registered agency's parent was registered before them.
   */
  private refuseCircles(entries: AgencyEntry[], rows: Map<string, AgencyRow>): void {
    const byId = new Map([...rows.values()].map((r) => [r.id, r]));
    for (const [i, entry] of entries.entries()) {
      const start = rows.get(entry.name);
      let at = start;
      for (let step = 0; at?.parentId && step <= byId.size; step++) {
        at = byId.get(at.parentId);
        if (at === start) {
          this.problem(`agencies.${i}.parent`, 'circularParent', `${entry.name} would, through its parents, belong to itself.`);
          break;
        }
      }
    }
  }

  /**
   * An agency's first administrator. A username already held by this agency's administrator is
   * left as it is (the password too); held by any other account, it is refused.
   */
  private async administrator(at: string, admin: { username: string; displayName: string }, agency: AgencyRow): Promise<void> {
    const taken = () => this.problem(`${at}.username`, 'usernameTaken', `The username ${admin.username} is already another account’s; choose another.`);
    const [held]: { agencyId: string | null; roles: OfficerRole[] }[] = await this.m.query(`SELECT agency_id AS "agencyId", roles FROM account WHERE username = $1`, [admin.username]);
    if (held) {
      if (held.agencyId === agency.id && held.roles.includes(OfficerRole.ADMIN)) {
        this.changes.push({ entry: `administrator ${admin.username} of ${agency.name}`, outcome: 'unchanged' });
      } else {
        taken();
      }
      return;
    }
    // An administrator may be opening the same username through the API at this moment: the first one keeps it.
    const [created]: { id: string }[] = await this.m.query(
      `INSERT INTO account (kind, username, display_name, password_hash, agency_id, roles) VALUES ('officer', $1, $2, '!', $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id`,
      // Spaces around the name are dropped, as the API drops them when an administrator opens an account.
      [admin.username, admin.displayName.trim(), agency.id, [OfficerRole.ADMIN]],
    );
    if (!created) return taken();
    const issued = this.options.dryRun ? { temporaryPassword: '(not issued: check only)', expiresAt: '' } : await issueTemporaryPassword(this.m, created.id, 'account_created');
    await this.record('officer.create', created.id, { username: admin.username, roles: [OfficerRole.ADMIN], agencyId: agency.id });
    await this.outbox.append(this.m, { type: 'officer.created', payload: { officerId: created.id, agencyId: agency.id, roles: [OfficerRole.ADMIN] } }, this.ctx);
    this.accounts.push({ username: admin.username, agency: agency.name, ...issued });
    this.changes.push({ entry: `administrator ${admin.username} of ${agency.name}`, outcome: 'added' });
  }

  /** Leading groups by name: a new one registered with its members; a registered one gets the members it lacks. */
  async leadingGroups(entries: LeadingGroupEntry[]): Promise<void> {
    for (const [i, entry] of entries.entries()) {
      const at = `leadingGroups.${i}`;
      if (entries.findIndex((e) => e.name === entry.name) !== i) {
        this.problem(`${at}.name`, 'duplicate', `${entry.name} is listed twice.`);
        continue;
      }
      const office = await this.agencyNamed(entry.office);
      if (!office) await this.unknownAgency(`${at}.office`, entry.office);
      const members: { agencyId: string; position: string; title: string; at: string }[] = [];
      for (const [j, member] of entry.members.entries()) {
        const agency = await this.agencyNamed(member.agency);
        if (!agency) await this.unknownAgency(`${at}.members.${j}.agency`, member.agency);
        else if (members.some((x) => x.agencyId === agency.id && x.title === member.title)) this.problem(`${at}.members.${j}`, 'duplicate', `${member.agency} is listed twice as ${member.title}.`);
        else members.push({ agencyId: agency.id, position: member.position, title: member.title, at: `${at}.members.${j}` });
      }
      const registered: { id: string; regionCode: string; officeId: string | null }[] = await this.m.query(
        `SELECT id, region_code AS "regionCode", office_agency_id AS "officeId" FROM joint_body WHERE kind = 'leading_group' AND name = $1`,
        [entry.name],
      );
      if (registered.length > 1) {
        this.problem(`${at}.name`, 'ambiguous', `${registered.length} leading groups are registered as ${entry.name}; the tool cannot tell which is meant.`);
        continue;
      }
      let body = registered[0];
      const isNew = !body;
      if (body) {
        if (body.regionCode !== entry.regionCode) this.problem(`${at}.regionCode`, 'differsFromDirectory', `${entry.name} is registered in region ${body.regionCode}; the tool does not change registered groups.`);
        if (office && body.officeId !== office.id) this.problem(`${at}.office`, 'differsFromDirectory', `${entry.name} has another office registered; the tool does not change registered groups.`);
      } else if (!(await this.regionExists(entry.regionCode))) {
        this.problem(`${at}.regionCode`, 'unknownRegion', `Region ${entry.regionCode} is neither registered nor listed in the file.`);
      }
      // A file with problems is refused whole (its writes roll back): go on only to find more of them.
      if (!office || (isNew && this.problems.some((p) => p.field === `${at}.regionCode`))) continue;
      if (!body) {
        [body] = await this.m.query(`INSERT INTO joint_body (kind, name, region_code, office_agency_id) VALUES ('leading_group', $1, $2, $3) RETURNING id, region_code AS "regionCode", office_agency_id AS "officeId"`, [
          entry.name,
          entry.regionCode,
          office.id,
        ]);
        await this.record('leading_group.register', body.id, { name: entry.name, regionCode: entry.regionCode, officeAgencyId: office.id });
      }
      let joined = 0;
      for (const member of members) {
        const [held]: { position: string }[] = await this.m.query(`SELECT position FROM joint_body_member WHERE body_id = $1 AND agency_id = $2 AND title = $3`, [body.id, member.agencyId, member.title]);
        if (held) {
          if (held.position !== member.position) this.problem(`${member.at}.position`, 'differsFromDirectory', `${member.title} is registered as ${held.position}; the tool does not change members.`);
          continue;
        }
        await this.m.query(`INSERT INTO joint_body_member (body_id, agency_id, position, title) VALUES ($1, $2, $3, $4)`, [body.id, member.agencyId, member.position, member.title]);
        await this.record('leading_group.add_member', body.id, { agencyId: member.agencyId, position: member.position, title: member.title });
        joined++;
      }
      this.changes.push({
        entry: `leading group ${entry.name}`,
        outcome: isNew ? 'added' : 'unchanged',
        ...(isNew ? { detail: membersCount(joined) } : joined ? { detail: `${membersCount(joined)} added` } : {}),
      });
    }
  }
}
