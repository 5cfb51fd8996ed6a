export * from './errors';
export * from './shanghai';
export * from './calendar';
export { SHIPPED_CALENDAR } from './holidays.data';
export * from './deadline';
export * from './status';
export * from './load';
