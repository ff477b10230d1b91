/** Injection tokens of the API's infrastructure providers. */
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
/** The SecretBox sealing secrets at rest under MASTER_KEY. */
export const SECRET_BOX = Symbol('SECRET_BOX');
/** The Keyring envelope-sealing the most sensitive secrets (cloud credentials) under MASTER_KEY (+ MASTER_KEYS_PREVIOUS). */
export const KEYRING = Symbol('KEYRING');
/** Redis pub/sub between processes (libs/queue Bus). */
export const BUS = Symbol('BUS');
/** The BullMQ queues (libs/queue JobQueues). */
export const QUEUES = Symbol('QUEUES');
/** The ProviderFactory building cloud adapters (apps/api/src/clouds/provider-factory.ts). */
export const PROVIDER_FACTORY = Symbol('PROVIDER_FACTORY');
