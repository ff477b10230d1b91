/** Injection tokens of the API's infrastructure providers. */
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
/** The SecretBox sealing secrets at rest under MASTER_KEY. */
export const SECRET_BOX = Symbol('SECRET_BOX');
/** Redis pub/sub between processes (libs/queue Bus). */
export const BUS = Symbol('BUS');
/** The BullMQ queues (libs/queue JobQueues). */
export const QUEUES = Symbol('QUEUES');
