// pino with secrets redacted by path, compiled once at start-up.
import { pino } from 'pino';

export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
  'clientKey',
  '*.clientKey',
  'adminToken',
  '*.adminToken',
  'secret',
  '*.secret',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'switchyard' } });
}

export type Logger = ReturnType<typeof createLogger>;
