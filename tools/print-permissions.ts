/** Writes the permission matrix into docs/permissions.md (permissions.e2e-spec.ts fails when the copy there differs). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMatrix } from '../apps/gateway/test/permission-matrix';

const path = join(__dirname, '..', 'docs', 'permissions.md');
const lines = readFileSync(path, 'utf8').split('\n');
const start = lines.findIndex((l) => l.startsWith('| who | read T |'));
if (start < 0) throw new Error('docs/permissions.md has no matrix (a table starting "| who | read T |") to replace');
let end = start;
while (lines[end]?.startsWith('|')) end++;
lines.splice(start, end - start, renderMatrix());
writeFileSync(path, lines.join('\n'));
console.log('docs/permissions.md: matrix written');
