/**
 * The directory tool: how an operator sets a city up on the platform (its regions, agencies,
 * first administrators and leading group, from a file), renames an agency, and gives an agency's
 * administrator a new password when nobody in the agency can. Runs with the agencies service's environment
 * (DATABASE_URL, SCHEMA_PREFIX); see docs/operations.md.
 *
 *   npm run directory -- check <file>                                what applying it would do; adds nothing
 *   npm run directory -- apply <file> --operator <name>              applies it in one transaction
 *   npm run directory -- rename-agency <name> --to <new name> --operator <name>
 *                                                                    renames an agency; its old name is kept as a former name
 *   npm run directory -- reset-admin <username> --operator <name>    a new temporary password for an administrator
 *
 * Exit status: 0 done, 1 refused (every problem is printed), 2 wrong usage.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDataSource, OutboxWriter } from '@lianban/persistence';
import { readConfig } from '@lianban/platform';
import { applyDirectory, DirectoryReport, IssuedAccount, renameAgency, resetAdministrator } from '../apps/agencies/src/directory-file/apply-directory';
import { DirectoryRefused, readAgencyRename, readDirectoryFile } from '../apps/agencies/src/directory-file/directory-file';
import { migrations } from '../apps/agencies/src/migrations';

const USAGE = `Usage:
  npm run directory -- check <file>
  npm run directory -- apply <file> --operator <name>
  npm run directory -- rename-agency <name> --to <new name> --operator <name>
  npm run directory -- reset-admin <username> --operator <name>`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { operator: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, argument, ...extra] = positionals;
  if (!['check', 'apply', 'rename-agency', 'reset-admin'].includes(command) || !argument || extra.length) throw new UsageError(`expected a command and one argument`);
  const operator = values.operator?.trim();
  if (command !== 'check' && !operator) throw new UsageError(`${command} needs --operator <name>: the person running it, audited with every change`);
  if ((command === 'rename-agency') !== (values.to !== undefined)) throw new UsageError(command === 'rename-agency' ? 'rename-agency needs --to <new name>' : `${command} takes no --to`);

  const file = command === 'check' || command === 'apply' ? await readDirectoryFile(readText(argument)) : undefined;
  const rename = command === 'rename-agency' ? await readAgencyRename(argument, values.to!) : undefined;
  const config = configuration();
  const ds = await openDataSource({ url: config.databaseUrl!, schema: config.schema, entities: [], migrations });
  const outbox = new OutboxWriter('agencies', config.schema);
  try {
    if (file) printReport(await applyDirectory(ds, outbox, file, { operator: operator ?? '(check only)', dryRun: command === 'check' }), command === 'check');
    else if (rename) {
      const done = await renameAgency(ds, outbox, rename, operator!);
      console.log(done.changed ? `Renamed ${done.previous} to ${done.name} (correlation id ${done.correlationId}).` : `Nothing to change: the agency is registered as ${done.name}.`);
    } else printAccounts([await resetAdministrator(ds, outbox, argument, operator!)]);
  } finally {
    await ds.destroy();
  }
  return 0;
}

/** The agencies service's configuration, read from the environment as the service reads it. */
function configuration(): ReturnType<typeof readConfig> {
  try {
    return readConfig('agencies');
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (run the tool with the agencies service's environment)`);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

function printReport(report: DirectoryReport, checkOnly: boolean): void {
  const added = report.changes.filter((c) => c.outcome === 'added' || c.detail).length;
  if (!added) console.log(`Nothing to add: the directory already holds everything the file lists${checkOnly ? '' : ` (correlation id ${report.correlationId})`}.`);
  else console.log(checkOnly ? `The file can be applied; it would add ${added} entries (nothing was written):` : `Applied (correlation id ${report.correlationId}); ${added} entries added:`);
  for (const c of report.changes) console.log(`  ${c.outcome === 'added' ? (checkOnly ? 'would add' : 'added    ') : 'unchanged'}  ${c.entry}${c.detail ? ` (${c.detail})` : ''}`);
  if (!checkOnly) printAccounts(report.accounts);
}

function printAccounts(accounts: IssuedAccount[]): void {
  if (!accounts.length) return;
  console.log('');
  console.log('Temporary passwords, shown this once: hand each to its holder in person. Each works until the time given');
  console.log('and must be replaced at the first sign-in.');
  const width = Math.max(...accounts.map((a) => a.username.length));
  for (const a of accounts) console.log(`  ${a.username.padEnd(width)}  ${a.temporaryPassword}  until ${a.expiresAt}  ${a.agency}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`directory: ${e.message}\n${USAGE}`);
      process.exit(2);
    }
    if (e instanceof DirectoryRefused) {
      console.error('Refused; nothing was written. Problems:');
      for (const p of e.problems) console.error(`  ${p.field}: ${p.messages.join('; ')}`);
      process.exit(1);
    }
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`directory: ${(e as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
