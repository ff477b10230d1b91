export * from './bus.js';
export * from './job-queues.js';
export * from './jobs.js';
export * from './queue-stats.js';
export * from './worker.js';
