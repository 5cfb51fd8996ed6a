export * from './region';
export * from './ability';
export * from './sql';
export * from './statistics';
