// Strict schema of the config file's `telemetry:` section (the gateway config validates it only loosely).
// Numbers may arrive as strings after `${ENV}` interpolation.
import { z } from 'zod';
import { ConfigError } from '../config/interpolate.js';
import type { TelemetryConfig } from './create-telemetry.js';
import { OTLP_HTTP_PROTOCOLS } from './tracing.js';

const int = (min: number, max: number) =>
  z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(min).max(max));
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const ratio = z.union([z.number(), z.string().transform(Number)]).pipe(z.number().min(0).max(1));

export const telemetryConfigSchema = z
  .object({
    metrics: z
      .object({
        perKeyLabels: bool.optional(),
        maxKeys: int(1, 10_000).optional(),
        maxTeams: int(1, 10_000).optional(),
        maxModels: int(1, 10_000).optional(),
        routes: z.array(z.string().min(1)).optional(),
        defaultMetrics: bool.optional(),
      })
      .strict()
      .optional(),
    tracing: z
      .object({
        enabled: bool.optional(),
        endpoint: z.url({ protocol: /^https?$/ }).optional(),
        sampleRatio: ratio.optional(),
        serviceName: z.string().min(1).optional(),
        protocol: z.enum(OTLP_HTTP_PROTOCOLS).optional(),
        asyncContext: bool.optional(),
        batch: z
          .object({
            maxQueueSize: int(1, 1_000_000).optional(),
            maxExportBatchSize: int(1, 100_000).optional(),
            scheduledDelayMillis: int(1, 3_600_000).optional(),
            exportTimeoutMillis: int(1, 3_600_000).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Validates the `telemetry:` section; throws ConfigError with the offending path. */
export function parseTelemetryConfig(section: unknown): TelemetryConfig {
  const res = telemetryConfigSchema.safeParse(section ?? {});
  if (res.success) return res.data as TelemetryConfig;
  const issue = res.error.issues[0];
  const path = ['telemetry', ...(issue?.path ?? [])].join('.');
  throw new ConfigError(`${path}: ${issue?.message ?? 'invalid'}`);
}
