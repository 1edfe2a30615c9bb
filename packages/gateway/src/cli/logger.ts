// pino with secrets redacted by path, compiled once at start-up.
import { pino } from 'pino';
import { SECRET_FIELDS, SECRET_HEADERS } from '../config/secret-fields.js';

/** Each secret field at the top and one level down, and the credential headers of logged requests. */
export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]),
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'switchyard' } });
}

export type Logger = ReturnType<typeof createLogger>;
