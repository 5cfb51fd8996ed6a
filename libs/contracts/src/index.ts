export * from './services';
export * from './identity';
export * from './events';
export * from './errors';
export * from './health';
export * from './validation';
export * from './agencies';
