import { loadWorkerConfig } from './config.js';
import { startWorker } from './worker.js';

/** The worker process: `node apps/worker/dist/main.js` (configuration from the environment, see config.ts). */
const worker = await startWorker(loadWorkerConfig());
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
