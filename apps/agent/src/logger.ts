import { type Logger, pino } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
const REDACT = [
  'credential',
  'joinToken',
  'password',
  'authorization',
  'authconfig',
  'registrationToken',
  'privateKey',
  '*.credential',
  '*.joinToken',
  '*.password',
  '*.authorization',
  '*.authconfig',
  '*.registrationToken',
  '*.privateKey',
  'headers.authorization',
];

/** pino JSON logs on stdout, with secrets redacted. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'wharf-agent', level, redact: { paths: REDACT, censor: '[redacted]' } });
}
