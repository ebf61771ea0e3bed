export * from './define-event';
export * from './lead-events';
export * from './booking-events';
