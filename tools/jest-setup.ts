// Runs before every test file: decorators need reflect-metadata, and Nest's own console logger
// is kept to errors so a run's output stays readable (TEST_LOG_LEVEL=debug shows everything).
import 'reflect-metadata';
import { Logger } from '@nestjs/common';

if (process.env.TEST_LOG_LEVEL !== 'debug') Logger.overrideLogger(['error', 'fatal']);
