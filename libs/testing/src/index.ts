export * from './isolation';
export * from './nats-server';
export * from './dates';
