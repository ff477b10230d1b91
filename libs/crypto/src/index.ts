export * from './aad.js';
export * from './envelope.js';
export * from './password.js';
export * from './secretbox.js';
export * from './tokens.js';
