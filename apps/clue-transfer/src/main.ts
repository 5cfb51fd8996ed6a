import 'reflect-metadata';
import { bootstrapService, readConfig } from '@lianban/platform';
import { AppModule } from './app.module';

const config = readConfig('clue-transfer');
bootstrapService(AppModule.forRoot(config), config).catch((e) => {
  console.error(e);
  process.exit(1);
});
