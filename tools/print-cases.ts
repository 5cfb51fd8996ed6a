/** Rewrites the generated procedure section of docs/cases.md from the case tables (case-procedure.spec.ts keeps it current). */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCaseProcedure, replaceGenerated } from '../apps/cases/src/cases/case-procedure';

const file = join(__dirname, '..', 'docs', 'cases.md');
writeFileSync(file, replaceGenerated(readFileSync(file, 'utf8'), renderCaseProcedure()));
console.log('docs/cases.md written');
