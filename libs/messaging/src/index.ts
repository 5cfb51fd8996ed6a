export * from './context';
export * from './messaging.options';
export * from './nats-bus';
export * from './rpc-handler.decorator';
export * from './rpc-server';
export * from './rpc-client';
export * from './jetstream';
export * from './messaging.module';
