export * from './define-event';
export * from './lead-events';
