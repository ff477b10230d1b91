/** Injection tokens of the API's infrastructure providers. */
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
/** The SecretBox sealing secrets at rest under MASTER_KEY. */
export const SECRET_BOX = Symbol('SECRET_BOX');
