import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    // src/version.ts and dist/version.js both sit one level below the package root
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // a stripped-down image without package.json: fall through
  }
  return '0.0.0';
}

/** The agent's version, reported in heartbeats. */
export const AGENT_VERSION = readVersion();
