import cluster from 'node:cluster';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function serve(): Promise<void> {
  const config = loadConfig();
  if (cluster.isPrimary && config.API_WORKERS > 1) {
    // a supervisor only: each worker is a full, stateless API process sharing the port
    for (let i = 0; i < config.API_WORKERS; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (signal !== 'SIGTERM' && code !== 0) {
        console.error(`API worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        cluster.fork();
      }
    });
    const stop = () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const app = await createApp(config);
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  app
    .getHttpAdapter()
    .getInstance()
    .log.info({ url: await app.getUrl(), pid: process.pid }, 'Wharf API listening');
}

try {
  await serve();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
