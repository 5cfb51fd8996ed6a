/** Writes docs/procedures.md from the procedure and clock tables (the test in procedures.spec.ts keeps it current). */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderProcedures } from '../apps/clue-transfer/src/transfers/procedures';

writeFileSync(join(__dirname, '..', 'docs', 'procedures.md'), renderProcedures());
console.log('docs/procedures.md written');
