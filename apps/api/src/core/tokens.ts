/** Injection tokens of the API's infrastructure providers. */
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
