// The one list of config and log fields that hold secrets: the logger's redaction paths and the admin API's
// redacted config are both built from it, so a new secret field is hidden everywhere by one line here.
export const SECRET_FIELDS = [
  'apiKey',
  'adminToken',
  'clientKey',
  'azureAdToken',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'credentials',
  'password',
  // alert webhooks' signing secrets (alerts.webhooks[].secret)
  'secret',
] as const;

/** Header names whose values are credentials (logged request headers, provider `headers:`). */
export const SECRET_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'] as const;

export const REDACTED = '[redacted]';

const secretField = new Set<string>(SECRET_FIELDS);

/** `scheme://user:password@host` → `scheme://user:[redacted]@host` (store URLs: redis, postgres). */
function redactUrlPasswords(s: string): string {
  return s.replace(/(\/\/[^/:@\s]*):[^@/\s]*@/g, `$1:${REDACTED}@`);
}

/**
 * A deep copy of a config with every secret replaced: the secret fields above, every value of a `headers` map
 * (operators put credentials there too) and passwords inside URLs. Interpolated `${ENV}` values are secrets by
 * the same rule.
 */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (secretField.has(key)) return value === undefined || value === null ? value : REDACTED;
  if (typeof value === 'string') return redactUrlPasswords(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = key === 'headers' && v !== null && v !== undefined ? REDACTED : redactSecrets(v, k);
  }
  return out;
}
