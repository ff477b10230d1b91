// Preloaded into the API process by `bench/api.js --cpu-prof=DIR` (node --import). Starts and stops V8's sampling
// profiler when the bench says so over the IPC channel, so each profile covers exactly one measured run.
// (`node --cpu-prof` would cover start-up and every target at once, and writes nothing when Nest's shutdown hook
// re-raises SIGTERM.)

import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';

if (process.send) {
  const session = new Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));

  process.on('message', async (msg) => {
    if (!msg || typeof msg !== 'object') return;
    try {
      if (msg.command === 'start') {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
      } else if (msg.command === 'stop') {
        const { profile } = await post('Profiler.stop');
        if (msg.file) await writeFile(msg.file, JSON.stringify(profile));
      } else {
        return;
      }
      process.send({ done: msg.command });
    } catch (err) {
      process.send({ done: msg.command, error: err instanceof Error ? err.message : String(err) });
    }
  });
  // the channel must not keep the API alive once it closes its server
  process.channel?.unref();
}
