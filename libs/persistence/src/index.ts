export * from './data-source';
export * from './outbox-event.entity';
export * from './outbox.migration';
export * from './outbox';
export * from './idempotent-consumer';
export * from './persistence.module';
export * from './audit';
