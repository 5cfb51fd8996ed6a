/** Writes deploy/nats-server.conf: the NATS users of the platform's processes and their permissions (libs/messaging/src/nats-permissions.ts). */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployNatsConfig } from '@lianban/messaging';

writeFileSync(join(__dirname, '..', 'deploy', 'nats-server.conf'), deployNatsConfig());
console.log('deploy/nats-server.conf written');
