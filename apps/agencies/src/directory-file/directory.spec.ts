import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openDataSource, OutboxWriter } from '@lianban/persistence';
import { TestIsolation } from '@lianban/testing';
import { migrations } from '../migrations';
import { applyDirectory, renameAgency, resetAdministrator } from './apply-directory';
import { DirectoryFile, DirectoryRefused, readAgencyRename, readDirectoryFile } from './directory-file';

const ROOT = path.resolve(__dirname, '../../../..');
const EXAMPLE = path.join(ROOT, 'deploy/directory.example.json');

/** The problems a refusal reports, as `field code` lines. */
async function problemsOf(work: Promise<unknown>): Promise<string[]> {
  const refusal = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(refusal instanceof DirectoryRefused)) throw new Error(`expected a refusal, got ${String(refusal)}`);
  return refusal.problems.map((p) => `${p.field} ${p.codes?.join(',')}`);
}

/**
 * The directory tool on a real PostgreSQL schema of the agencies service: a city set up from a
 * file, run again, extended, refused whole, checked only, and an administrator's password reset
 * by the operator. Then the tool itself, as an operator runs it.
 */
describe('directory tool', () => {
  const iso = new TestIsolation();
  let ds: DataSource;
  let outbox: OutboxWriter;
  const read = async (file: object): Promise<DirectoryFile> => readDirectoryFile(JSON.stringify(file));
  const counts = async () =>
    (
      await ds.query(
        `SELECT (SELECT count(*) FROM region)::int AS regions, (SELECT count(*) FROM agency)::int AS agencies, (SELECT count(*) FROM account)::int AS accounts,
                (SELECT count(*) FROM joint_body_member)::int AS members, (SELECT count(*) FROM audit_log)::int AS audits, (SELECT count(*) FROM outbox_event)::int AS events`,
      )
    )[0];

  beforeAll(async () => {
    ds = await openDataSource({ url: iso.databaseUrl, schema: iso.schema('agencies'), entities: [], migrations });
    outbox = new OutboxWriter('agencies', iso.schema('agencies'));
  });

  afterAll(async () => {
    await ds?.destroy();
    await iso.cleanup();
  });

  it('sets a city up from the example file: regions, agencies under their parents, first administrators with temporary passwords, the leading group', async () => {
    const file = await readDirectoryFile(readFileSync(EXAMPLE, 'utf8'));
    const report = await applyDirectory(ds, outbox, file, { operator: '林建国' });

    expect(await ds.query(`SELECT code, level, parent_code FROM region ORDER BY code`)).toEqual([
      { code: '350000', level: 'province', parent_code: null },
      { code: '350100', level: 'city', parent_code: '350000' },
      { code: '350102', level: 'district', parent_code: '350100' },
    ]);
    const agencies: { name: string; kind: string; region_code: string; parent: string | null; contact_phone: string | null }[] = await ds.query(
      `SELECT a.name, a.kind, a.region_code, p.name AS parent, a.contact_phone FROM agency a LEFT JOIN agency p ON p.id = a.parent_id`,
    );
    expect(agencies).toHaveLength(file.agencies!.length);
    expect(agencies).toContainEqual({ name: '福州市打击欺诈骗保专项整治行动领导小组办公室', kind: 'LEADING_GROUP_OFFICE', region_code: '350100', parent: '福州市医疗保障局', contact_phone: null });
    expect(agencies).toContainEqual({ name: '福州市公安局鼓楼分局', kind: 'POLICE', region_code: '350102', parent: '福州市公安局', contact_phone: null });
    expect(agencies).toContainEqual({ name: '福州市医疗保障局', kind: 'MEDICAL_INSURANCE', region_code: '350100', parent: null, contact_phone: '0591-12393' });

    // One administrator per agency, each with a temporary password said once in the report.
    expect(report.accounts).toHaveLength(file.agencies!.length);
    for (const issued of report.accounts) {
      const [account] = await ds.query(
        `SELECT a.roles, a.password_hash, a.password_change_required, a.password_expires_at, g.name AS agency FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = $1`,
        [issued.username],
      );
      expect(account).toMatchObject({ roles: ['admin'], password_change_required: true, agency: issued.agency });
      expect(await argon2.verify(account.password_hash, issued.temporaryPassword)).toBe(true);
      expect(account.password_expires_at.toISOString()).toBe(issued.expiresAt);
      expect((Date.parse(issued.expiresAt) - Date.now()) / 3_600_000).toBeGreaterThan(71.9);
    }

    const [group] = await ds.query(
      `SELECT b.region_code, o.name AS office, count(m.*)::int AS members FROM joint_body b JOIN agency o ON o.id = b.office_agency_id JOIN joint_body_member m ON m.body_id = b.id GROUP BY b.id, o.name`,
    );
    expect(group).toEqual({ region_code: '350100', office: '福州市打击欺诈骗保专项整治行动领导小组办公室', members: 9 });
    expect(report.changes.every((c) => c.outcome === 'added')).toBe(true);

    // Every change is audited as the tool's, with the operator who ran it; agencies and accounts are published.
    const audited: { action: string; n: number; operators: string[]; actors: string[] }[] = await ds.query(
      `SELECT action, count(*)::int AS n, array_agg(DISTINCT detail->>'operator') AS operators, array_agg(DISTINCT actor_kind || ':' || actor_id) AS actors FROM audit_log GROUP BY action ORDER BY action`,
    );
    expect(audited).toEqual([
      { action: 'agency.register', n: 15, operators: ['林建国'], actors: ['system:directory-tool'] },
      { action: 'leading_group.add_member', n: 9, operators: ['林建国'], actors: ['system:directory-tool'] },
      { action: 'leading_group.register', n: 1, operators: ['林建国'], actors: ['system:directory-tool'] },
      { action: 'officer.create', n: 15, operators: ['林建国'], actors: ['system:directory-tool'] },
      { action: 'region.add', n: 3, operators: ['林建国'], actors: ['system:directory-tool'] },
    ]);
    expect(await ds.query(`SELECT type, count(*)::int AS n FROM outbox_event GROUP BY type ORDER BY type`)).toEqual([
      { type: 'agency.registered', n: 15 },
      { type: 'officer.created', n: 15 },
    ]);
    const [published] = await ds.query(`SELECT envelope FROM outbox_event WHERE type = 'agency.registered' AND envelope->'payload'->>'name' = '福州市公安局鼓楼分局'`);
    expect(published.envelope).toMatchObject({ correlationId: report.correlationId, payload: { kind: 'POLICE', regionCode: '350102', parentId: expect.any(String) } });
  });

  it('changes nothing when the same file is applied again: the administrators keep their passwords', async () => {
    const before = await counts();
    const hashes = await ds.query(`SELECT username, password_hash FROM account ORDER BY username`);
    const report = await applyDirectory(ds, outbox, await readDirectoryFile(readFileSync(EXAMPLE, 'utf8')), { operator: '林建国' });
    expect(report.accounts).toEqual([]);
    expect(report.changes.filter((c) => c.outcome !== 'unchanged')).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await ds.query(`SELECT username, password_hash FROM account ORDER BY username`)).toEqual(hashes);
  });

  it('adds what a file brings that is new: another district, its agency and administrator, a member joining the leading group', async () => {
    const report = await applyDirectory(
      ds,
      outbox,
      await read({
        regions: [{ code: '350103', name: '台江区' }],
        agencies: [
          { name: '福州市医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '350100' },
          { name: '台江区医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '350103', parent: '福州市医疗保障局', admins: [{ username: 'taijiang-mi-admin', displayName: '台江区医保局管理员' }] },
        ],
        leadingGroups: [
          {
            name: '福州市打击欺诈骗保专项整治行动领导小组',
            regionCode: '350100',
            office: '福州市打击欺诈骗保专项整治行动领导小组办公室',
            members: [
              { agency: '福州市医疗保障局', position: 'leader', title: '医疗保障局局长' },
              { agency: '福州市中级人民法院', position: 'member', title: '中级人民法院副院长' },
            ],
          },
        ],
      }),
      { operator: '陈敏' },
    );
    expect(report.changes).toEqual([
      { entry: 'region 350103 台江区', outcome: 'added' },
      { entry: 'agency 福州市医疗保障局 (MEDICAL_INSURANCE, 350100)', outcome: 'unchanged' },
      { entry: 'agency 台江区医疗保障局 (MEDICAL_INSURANCE, 350103)', outcome: 'added' },
      { entry: 'administrator taijiang-mi-admin of 台江区医疗保障局', outcome: 'added' },
      { entry: 'leading group 福州市打击欺诈骗保专项整治行动领导小组', outcome: 'unchanged', detail: '1 member added' },
    ]);
    expect(report.accounts.map((a) => a.username)).toEqual(['taijiang-mi-admin']);
    expect(await ds.query(`SELECT count(*)::int AS n FROM joint_body_member`)).toEqual([{ n: 10 }]);
  });

  it('refuses a file with problems whole, each problem at its place, and writes nothing', async () => {
    const before = await counts();
    const problems = await problemsOf(
      applyDirectory(
        ds,
        outbox,
        await read({
          regions: [
            { code: '350102', name: '鼓楼' },
            { code: '350203', name: '思明区' },
            { code: '350104', name: '仓山区' },
          ],
          agencies: [
            { name: '仓山区医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '350104', admins: [{ username: 'cangshan-mi-admin', displayName: '仓山区医保局管理员' }] },
            { name: '福州市公安局', kind: 'POLICE', regionCode: '350102', contactPhone: '0591-110' },
            { name: '甲局', kind: 'HEALTH', regionCode: '350100', parent: '乙局', admins: [{ username: 'fuzhou-mi-admin', displayName: '重名' }] },
            { name: '乙局', kind: 'HEALTH', regionCode: '350100', parent: '甲局' },
            { name: '丙局', kind: 'HEALTH', regionCode: '350100', parent: '鼓楼区医疗保障局' },
            { name: '丁局', kind: 'HEALTH', regionCode: '350199' },
            { name: '丁局', kind: 'HEALTH', regionCode: '350100' },
            { name: '己局', kind: 'HEALTH', regionCode: '350100', admins: [{ username: 'cangshan-mi-admin', displayName: '又一位' }] },
          ],
          leadingGroups: [
            {
              name: '福州市打击欺诈骗保专项整治行动领导小组',
              regionCode: '350100',
              office: '福州市打击欺诈骗保专项整治行动领导小组办公室',
              members: [
                { agency: '福州市医疗保障局', position: 'member', title: '医疗保障局局长' },
                { agency: '戊局', position: 'member', title: '局长' },
              ],
            },
          ],
        }),
        { operator: '林建国' },
      ),
    );
    expect(problems.sort()).toEqual(
      [
        'regions.0.name differsFromDirectory',
        'regions.1.code unknownParentRegion',
        'agencies.1.regionCode differsFromDirectory',
        'agencies.1.contactPhone differsFromDirectory',
        'agencies.2.parent circularParent',
        'agencies.3.parent circularParent',
        'agencies.2.admins.0.username usernameTaken',
        'agencies.4.parent parentOutsideRegion',
        'agencies.5.regionCode unknownRegion',
        'agencies.6.name duplicate',
        'agencies.7.admins.0.username duplicate',
        'leadingGroups.0.members.1.agency unknownAgency',
        'leadingGroups.0.members.0.position differsFromDirectory',
      ].sort(),
    );
    // 仓山区, its bureau and its administrator were fine, and are not there either: the file is refused whole.
    expect(await counts()).toEqual(before);
    expect(await ds.query(`SELECT 1 FROM account WHERE username = 'cangshan-mi-admin'`)).toEqual([]);
  });

  it('refuses a malformed file before looking at the directory, with every field that breaks a rule', async () => {
    expect(await problemsOf(readDirectoryFile('{"regions": ['))).toEqual(['(file) isJson']);
    expect(await problemsOf(readDirectoryFile('[]'))).toEqual(['(file) isObject']);
    const problems = await problemsOf(
      read({
        regions: [{ code: '35010', name: '福州' }],
        agencies: [{ name: ' 甲局', kind: 'COP', regionCode: '350100', extra: 1, admins: [{ username: 'Bad Name', displayName: ' ' }] }],
        leadingGroups: [{ name: '组', regionCode: '350100', office: '甲局', members: [] }],
        unknown: true,
      }),
    );
    expect(problems.sort()).toEqual(
      [
        'unknown whitelistValidation',
        'regions.0.code matches',
        'agencies.0.name matches',
        'agencies.0.kind isEnum',
        'agencies.0.extra whitelistValidation',
        'agencies.0.admins.0.username matches',
        'agencies.0.admins.0.displayName matches',
        'leadingGroups.0.members arrayNotEmpty',
      ].sort(),
    );
  });

  it('leaves a username to an administrator who opens it through the API while the file is being applied', async () => {
    const [agency] = await ds.query(`SELECT id FROM agency WHERE name = '福州市财政局'`);
    const racer = new Client({ connectionString: iso.databaseUrl });
    await racer.connect();
    try {
      await racer.query(`SET search_path TO "${iso.schema('agencies')}"`);
      await racer.query('BEGIN');
      await racer.query(`INSERT INTO account (kind, username, display_name, password_hash, agency_id, roles) VALUES ('officer', 'fuzhou-finance-chen', '陈', 'h', $1, '{officer}')`, [agency.id]);
      const applying = problemsOf(
        applyDirectory(ds, outbox, await read({ agencies: [{ name: '福州市财政局', kind: 'FINANCE', regionCode: '350100', admins: [{ username: 'fuzhou-finance-chen', displayName: '陈' }] }] }), { operator: '林建国' }),
      );
      // The tool has not seen the uncommitted account and waits on its username; then the API's transaction commits.
      for (let waited = 0; ; waited += 50) {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO account%'`);
        if (n > 0) break;
        if (waited > 10_000) throw new Error('the tool never waited on the username');
        await new Promise((r) => setTimeout(r, 50));
      }
      await racer.query('COMMIT');
      expect(await applying).toEqual(['agencies.0.admins.0.username usernameTaken']);
    } finally {
      await racer.end();
    }
    expect(await ds.query(`SELECT roles FROM account WHERE username = 'fuzhou-finance-chen'`)).toEqual([{ roles: ['officer'] }]);
  });

  it('only checks when asked: the report says what would be added, no password is issued, nothing is written', async () => {
    const before = await counts();
    const report = await applyDirectory(ds, outbox, await read({ agencies: [{ name: '仓山区医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '350100', admins: [{ username: 'cangshan-mi-admin', displayName: '管理员' }] }] }), {
      operator: '(check only)',
      dryRun: true,
    });
    expect(report.changes.map((c) => `${c.outcome} ${c.entry}`)).toEqual(['added agency 仓山区医疗保障局 (MEDICAL_INSURANCE, 350100)', 'added administrator cangshan-mi-admin of 仓山区医疗保障局']);
    expect(report.accounts).toEqual([expect.objectContaining({ username: 'cangshan-mi-admin', temporaryPassword: '(not issued: check only)' })]);
    expect(await counts()).toEqual(before);
  });

  it('gives an administrator who lost access a new temporary password, ending their sessions; refuses anyone else', async () => {
    const [admin] = await ds.query(`SELECT id, agency_id FROM account WHERE username = 'gulou-mi-admin'`);
    await ds.query(`INSERT INTO session (id, account_id, refresh_hash, expires_at) VALUES (gen_random_uuid(), $1, 'x', now() + interval '1 day')`, [admin.id]);
    await ds.query(`INSERT INTO login_failure (username) SELECT 'gulou-mi-admin' FROM generate_series(1, 5)`);

    const issued = await resetAdministrator(ds, outbox, 'gulou-mi-admin', '林建国');
    expect(issued).toMatchObject({ username: 'gulou-mi-admin', agency: '鼓楼区医疗保障局' });
    const [account] = await ds.query(`SELECT password_hash, password_change_required FROM account WHERE id = $1`, [admin.id]);
    expect(await argon2.verify(account.password_hash, issued.temporaryPassword)).toBe(true);
    expect(account.password_change_required).toBe(true);
    expect(await ds.query(`SELECT revoked_reason FROM session WHERE account_id = $1`, [admin.id])).toEqual([{ revoked_reason: 'password_reset' }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM login_failure WHERE username = 'gulou-mi-admin'`)).toEqual([{ n: 0 }]);
    expect(await ds.query(`SELECT actor_id, detail->>'operator' AS operator FROM audit_log WHERE action = 'officer.reset_password' AND target = $1`, [admin.id])).toEqual([
      { actor_id: 'directory-tool', operator: '林建国' },
    ]);
    expect(await ds.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'officer.password_reset'`)).toEqual([{ payload: { officerId: admin.id, agencyId: admin.agency_id } }]);

    // An officer who is not an administrator: their own administrator resets it. A disabled administrator stays disabled. Nobody is invented.
    await ds.query(`INSERT INTO account (kind, username, display_name, password_hash, agency_id, roles) VALUES ('officer', 'gulou-mi-zhang', '张', 'h', $1, '{officer}')`, [admin.agency_id]);
    await ds.query(`INSERT INTO account (kind, username, display_name, password_hash, agency_id, roles, disabled_at) VALUES ('officer', 'gulou-mi-gone', '离', 'h', $1, '{admin}', now())`, [admin.agency_id]);
    expect(await problemsOf(resetAdministrator(ds, outbox, 'gulou-mi-zhang', '林建国'))).toEqual(['username notAdministrator']);
    expect(await problemsOf(resetAdministrator(ds, outbox, 'gulou-mi-gone', '林建国'))).toEqual(['username disabled']);
    expect(await problemsOf(resetAdministrator(ds, outbox, 'nobody-here', '林建国'))).toEqual(['username unknownOfficer']);
    expect(await ds.query(`SELECT password_hash FROM account WHERE username IN ('gulou-mi-zhang', 'gulou-mi-gone')`)).toEqual([{ password_hash: 'h' }, { password_hash: 'h' }]);
  });

  it('drops the spaces around a first administrator’s name, as the API does', async () => {
    await applyDirectory(ds, outbox, await read({ agencies: [{ name: '鼓楼区市场监督管理局', kind: 'MARKET', regionCode: '350102', admins: [{ username: 'gulou-market-admin', displayName: ' 王敏 ' }] }] }), { operator: '林建国' });
    expect(await ds.query(`SELECT display_name FROM account WHERE username = 'gulou-market-admin'`)).toEqual([{ display_name: '王敏' }]);
  });

  it('renames an agency, keeping the old name as its former name, so that a file still listing it is refused rather than registering it again', async () => {
    const OLD = '鼓楼区卫生健康局';
    const NEW = '福州市鼓楼区卫生健康局';
    const [agency] = await ds.query(`SELECT id FROM agency WHERE name = $1`, [OLD]);
    const rename = async (name: string, newName: string) => renameAgency(ds, outbox, await readAgencyRename(name, newName), '林建国');
    const before = await counts();

    expect(await rename(OLD, NEW)).toMatchObject({ agencyId: agency.id, previous: OLD, name: NEW, changed: true });
    expect(await ds.query(`SELECT name FROM agency WHERE id = $1`, [agency.id])).toEqual([{ name: NEW }]);
    expect(await ds.query(`SELECT name, agency_id FROM agency_former_name`)).toEqual([{ name: OLD, agency_id: agency.id }]);
    // Its administrator, and everything else pointing at it, follow it by id.
    expect(await ds.query(`SELECT g.name FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = 'gulou-health-admin'`)).toEqual([{ name: NEW }]);
    expect(await ds.query(`SELECT actor_kind, actor_id, detail FROM audit_log WHERE action = 'agency.rename' AND target = $1`, [agency.id])).toEqual([
      { actor_kind: 'system', actor_id: 'directory-tool', detail: { operator: '林建国', previous: OLD, name: NEW } },
    ]);
    expect(await ds.query(`SELECT envelope->'payload' AS payload FROM outbox_event WHERE type = 'agency.renamed'`)).toEqual([{ payload: { agencyId: agency.id, name: NEW, previous: OLD } }]);
    expect(await counts()).toEqual({ ...before, audits: before.audits + 1, events: before.events + 1 });

    // The example file, written before the renaming, is refused where it names the agency, and adds nothing.
    const renamedProblems = async (work: Promise<unknown>) =>
      work.then(
        () => [],
        (e: DirectoryRefused) => e.problems.map((p) => `${p.field} ${p.codes?.join(',')}: ${p.messages.join('; ')}`),
      );
    const after = await counts();
    const example = await readDirectoryFile(readFileSync(EXAMPLE, 'utf8'));
    const at = example.agencies!.findIndex((a) => a.name === OLD);
    expect(await renamedProblems(applyDirectory(ds, outbox, example, { operator: '林建国' }))).toEqual([`agencies.${at}.name renamed: ${OLD} was renamed ${NEW}; write its present name.`]);
    const member = { agency: OLD, position: 'member', title: '卫生健康局局长' };
    const group = { name: '鼓楼区打击欺诈骗保工作小组', regionCode: '350102', office: '鼓楼区医疗保障局', members: [member] };
    expect(await renamedProblems(applyDirectory(ds, outbox, await read({ leadingGroups: [group] }), { operator: '林建国' }))).toEqual([
      `leadingGroups.0.members.0.agency unknownAgency: ${OLD} was renamed ${NEW}; write its present name.`,
    ]);
    expect(await counts()).toEqual(after);
    // Under its present name the file's entry is as registered.
    example.agencies![at].name = NEW;
    await applyDirectory(ds, outbox, example, { operator: '林建国' });
    expect(await counts()).toEqual(after);

    // Refused, each with its field, and nothing written: an unknown or former name, a name another agency has
    // or had, a malformed one. The same name again changes nothing.
    expect(await problemsOf(rename('晋安区卫生健康局', '晋安区卫健局'))).toEqual(['name unknownAgency']);
    expect(await renamedProblems(rename(OLD, '鼓楼区卫健局'))).toEqual([`name unknownAgency: ${OLD} was renamed ${NEW}; give its present name.`]);
    expect(await problemsOf(rename(NEW, '鼓楼区医疗保障局'))).toEqual(['newName nameTaken']);
    expect(await problemsOf(rename('鼓楼区财政局', OLD))).toEqual(['newName formerName']);
    expect(await problemsOf(rename(NEW, ' 鼓楼区卫健局'))).toEqual(['newName matches']);
    expect(await problemsOf(rename('', NEW))).toEqual(['name isLength,matches']);
    expect(await rename(NEW, NEW)).toMatchObject({ changed: false });
    expect(await counts()).toEqual(after);

    // The agency may take its former name back: the name it leaves becomes the former one.
    expect(await rename(NEW, OLD)).toMatchObject({ changed: true });
    expect(await ds.query(`SELECT name, agency_id FROM agency_former_name`)).toEqual([{ name: NEW, agency_id: agency.id }]);
    expect((await applyDirectory(ds, outbox, await readDirectoryFile(readFileSync(EXAMPLE, 'utf8')), { operator: '林建国' })).changes.every((c) => c.outcome === 'unchanged')).toBe(true);
  });

  describe('as an operator runs it (npm run directory)', () => {
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'tools/directory.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: iso.databaseUrl, SCHEMA_PREFIX: iso.schemaPrefix, LOG_LEVEL: 'silent' },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

    it('prints each new administrator’s temporary password once, and refuses without the operator’s name or with a bad file', async () => {
      const file = path.join(tmpdir(), `directory-${iso.id}.json`);
      try {
        writeFileSync(file, JSON.stringify({ agencies: [{ name: '晋安区医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '350100', admins: [{ username: 'jinan-mi-admin', displayName: '晋安区医保局管理员' }] }] }));
        const unsigned = await run('apply', file);
        expect(unsigned.code).toBe(2);
        expect(unsigned.stderr).toContain('apply needs --operator <name>');

        const checked = await run('check', file);
        expect(checked.code).toBe(0);
        expect(checked.stdout).toContain('would add  administrator jinan-mi-admin of 晋安区医疗保障局');
        expect(checked.stdout).not.toContain('Temporary passwords');

        const applied = await run('apply', file, '--operator', '林建国');
        expect(applied.code).toBe(0);
        const [, password] = /jinan-mi-admin +(\S{4}-\S{4}-\S{4}) +until /.exec(applied.stdout) ?? [];
        const [account] = await ds.query(`SELECT password_hash FROM account WHERE username = 'jinan-mi-admin'`);
        expect(await argon2.verify(account.password_hash, password)).toBe(true);
        expect((await run('apply', file, '--operator', '林建国')).stdout).toContain('Nothing to add');

        writeFileSync(file, JSON.stringify({ agencies: [{ name: '马尾区医疗保障局', kind: 'MEDICAL_INSURANCE', regionCode: '350105' }] }));
        const refused = await run('apply', file, '--operator', '林建国');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('Refused; nothing was written.');
        expect(refused.stderr).toContain('agencies.0.regionCode: Region 350105 is neither registered nor listed in the file.');

        expect(await run('rename-agency', '晋安区医疗保障局', '--operator', '林建国')).toMatchObject({ code: 2, stderr: expect.stringContaining('rename-agency needs --to <new name>') });
        const renamed = await run('rename-agency', '晋安区医疗保障局', '--to', '福州市晋安区医疗保障局', '--operator', '林建国');
        expect(renamed).toMatchObject({ code: 0, stdout: expect.stringContaining('Renamed 晋安区医疗保障局 to 福州市晋安区医疗保障局 (correlation id ') });
        const taken = await run('rename-agency', '福州市晋安区医疗保障局', '--to', '福州市医疗保障局', '--operator', '林建国');
        expect(taken).toMatchObject({ code: 1, stderr: expect.stringContaining('newName: Another agency is registered as 福州市医疗保障局; choose another name.') });
      } finally {
        rmSync(file, { force: true });
      }
    }, 60_000);
  });
});
