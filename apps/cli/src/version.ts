import { createRequire } from 'node:module';

/** The package's version (dist/version.js → ../package.json, shipped in every npm tarball). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
