export { loadWorkerConfig, type WorkerConfig } from './config.js';
export { type RunningWorker, startWorker } from './worker.js';
