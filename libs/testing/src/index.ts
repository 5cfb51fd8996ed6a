export * from './isolation';
export * from './nats-server';
