export * from './releases.js';
export * from './revisions.js';
export * from './variables.js';
export * from './views.js';
