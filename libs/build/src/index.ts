export * from './engine/index.js';
export * from './git/index.js';
export * from './plan/index.js';
export * from './registry/index.js';
