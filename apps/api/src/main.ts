import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

try {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  app
    .getHttpAdapter()
    .getInstance()
    .log.info({ url: await app.getUrl() }, 'Wharf API listening');
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
