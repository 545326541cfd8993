export * from './errors';
export * from './event-store';
export * from './stored-event';
