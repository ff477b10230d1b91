// The agent as one file, for machines Wharf did not create: a brought host's install script downloads it from the
// API (GET /api/v1/agent/wharf-agent.mjs) and runs it with `node`, no npm install there. Bundled from the compiled
// dist/ (run after `tsc -b`, as `npm run build` of this package does) by rolldown, the bundler vitest's vite ships.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

await build({
  cwd: root,
  input: 'dist/main.js',
  platform: 'node',
  // native add-ons (ssh2's optional crypto binding, cpu-features) are loaded in try/catch by their users: left out,
  // they fall back to their JavaScript paths
  external: [/\.node$/],
  logLevel: 'warn',
  plugins: [
    {
      // version.js reads package.json next to it, which a lone file does not have
      name: 'wharf-agent-version',
      load(id) {
        if (id.endsWith('/dist/version.js')) return `export const AGENT_VERSION = ${JSON.stringify(version)};`;
        return null;
      },
    },
  ],
  output: { file: `${root}dist/bundle/wharf-agent.mjs`, format: 'esm', codeSplitting: false, minify: true },
});
