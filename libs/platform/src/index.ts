export * from './config';
export * from './logging';
export * from './health';
export * from './platform.module';
export * from './bootstrap';
export * from './pii-cipher';
export * from './periodic';
export * from './clock-engine';
