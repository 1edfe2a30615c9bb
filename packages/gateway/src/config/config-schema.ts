// The gateway's config file, as zod schemas. Defaults live here as data; `planFor` turns routes into RoutePlans.
// Sections owned by other modules (store, auth, accounts, telemetry) are validated loosely here and strictly by
// their owners, but unknown top-level sections are an error so a typo never silently disables a feature.
import { z } from 'zod';
import { alertsSchema } from '../alerts/alerts-config.js';
import { cacheSchema, routeCacheSchema } from '../cache/cache-config.js';
import { checkCloudProvider, cloudProviderFields } from './cloud-provider-schema.js';

/** An integer, or a string of digits (env interpolation always yields strings). */
const intLike = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, 'Expected an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));

export const timeoutsSchema = z
  .object({
    connectMs: intLike(1, 600_000).optional(),
    firstByteMs: intLike(1, 3_600_000).optional(),
    totalMs: intLike(1, 3_600_000).optional(),
  })
  .strict();

export const retrySchema = z
  .object({
    maxAttempts: intLike(1, 10).optional(),
    baseDelayMs: intLike(0, 60_000).optional(),
    maxDelayMs: intLike(0, 300_000).optional(),
  })
  .strict();

export const providerKindSchema = z.enum([
  'openai',
  'anthropic',
  'gemini',
  'openai-compatible',
  'azure-openai',
  'bedrock',
  'vertex',
]);

export const providerSchema = z
  .object({
    kind: providerKindSchema,
    apiKey: z.string().min(1).optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Models advertised by GET /v1/models, and the models a request may name (see config/model-directory.ts). */
    models: z.array(z.string().min(1)).optional(),
    timeouts: timeoutsSchema.optional(),
    /**
     * The price catalog's provider id this provider bills like (`groq`, `deepseek`, `x-ai`, …). Default: inferred
     * from the provider id, then the base URL's host, then the kind.
     */
    catalogProvider: z.string().min(1).optional(),
    ...cloudProviderFields,
  })
  .strict()
  .refine((p) => p.kind !== 'openai-compatible' || p.baseURL !== undefined, {
    message: 'baseURL is required for kind openai-compatible',
    path: ['baseURL'],
  })
  .superRefine(checkCloudProvider);

const targetRef = z.string().regex(/^[^/\s]+\/\S+$/, 'Expected "<providerId>/<model>"');

export const routeTargetSchema = z.union([
  targetRef,
  z
    .object({
      target: targetRef,
      weight: z.number().positive().optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);

export const routeSchema = z
  .object({
    /** `hedge` is shorthand for `fallback` with a hedge at the p95 unless `hedge:` says otherwise. */
    strategy: z.enum(['single', 'fallback', 'weighted', 'least-latency', 'cheapest', 'hedge']).default('fallback'),
    targets: z.array(routeTargetSchema).min(1),
    retry: retrySchema.optional(),
    hedge: z
      .object({ afterMs: intLike(0, 600_000).optional(), afterPercentile: z.number().min(1).max(99.9).optional() })
      .strict()
      .optional(),
    /** Error classes (beyond the fallback-eligible ones) that also move on to the next target. */
    fallbackOn: z.array(z.string().min(1)).optional(),
    timeouts: timeoutsSchema.optional(),
    /** Response cache overrides for this route (`enabled`, `ttlSeconds`, `mode`). */
    cache: routeCacheSchema.optional(),
    /** Mirror a sample of this route's chat requests to a candidate, off the response path (compare/shadow). */
    shadow: z.lazy(() => shadowSchema).optional(),
  })
  .strict();

/** A number in [min, max], or its decimal string (env interpolation always yields strings). */
const numberLike = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, 'Expected a number')
        .transform(Number),
    ])
    .pipe(z.number().min(min).max(max));

/** USD as a decimal (number or string); converted to integer nano-USD by its reader. */
const usdAmount = z
  .union([
    z.number().nonnegative().finite(),
    z.string().regex(/^\d+(\.\d{1,9})?$/, 'Expected a USD amount like "5" or "0.25"'),
  ])
  .transform(String);

export const shadowSchema = z
  .object({
    target: targetRef,
    sampleRate: numberLike(0, 1),
    maxUsdPerDay: usdAmount,
    /** Shadow calls in flight at once per route; more are dropped (counted), never queued. */
    maxConcurrent: intLike(1, 1_000).optional(),
    /** Output cap given to a shadow call when the client gave none, so its cost has a bound. */
    maxOutputTokens: intLike(1, 1_000_000).optional(),
  })
  .strict();

/**
 * Global routing policy (breakers, latency tracking): the executor's options as data. Names match
 * `BreakerConfig` / `LatencyConfig` in `routing/policy.ts`; what is left out keeps its default there.
 */
export const routingSchema = z
  .object({
    breaker: z
      .object({
        consecutiveFailures: intLike(1, 10_000).optional(),
        errorRate: numberLike(0.01, 1).optional(),
        windowMs: intLike(100, 3_600_000).optional(),
        minRequests: intLike(1, 1_000_000).optional(),
        coolDownMs: intLike(1, 3_600_000).optional(),
        halfOpenProbes: intLike(1, 1_000).optional(),
      })
      .strict()
      .optional(),
    latency: z
      .object({
        alpha: numberLike(0.001, 1).optional(),
        window: intLike(1, 10_000).optional(),
        exploreRate: numberLike(0, 1).optional(),
        staleAfterMs: intLike(1, 86_400_000).optional(),
        minSamplesForPercentile: intLike(1, 10_000).optional(),
      })
      .strict()
      .optional(),
    /** Request-wide cap on upstream attempts (never above the executor's hard cap of 10). */
    attemptCap: intLike(1, 10).optional(),
  })
  .strict();

/** 32 MiB: far above any real completion or embeddings batch, far below what would exhaust the heap. */
export const DEFAULT_MAX_UPSTREAM_BODY_BYTES = 32 * 1024 * 1024;

/** Sections whose owners validate their own contents; here they only have to be objects. */
const ownedSection = z.record(z.string(), z.unknown());

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: intLike(0, 65_535).default(4100),
        /** Browser access to /v1 (off by default): allowed origins, exact (`https://app.example.com`) or "*". */
        cors: z
          .object({
            origins: z
              .array(z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]))
              .min(1),
            maxAgeSeconds: intLike(0, 86_400).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 4100 }),
    providers: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'Provider ids use [A-Za-z0-9_.-]'), providerSchema),
    routes: z.record(z.string().min(1), routeSchema).default({}),
    retry: retrySchema.default({}),
    timeouts: timeoutsSchema.default({}),
    routing: routingSchema.optional(),
    limits: z
      .object({
        maxBodyBytes: intLike(1024, 256 * 1024 * 1024).default(10 * 1024 * 1024),
        /** Largest 2xx JSON body read from an upstream; beyond it the call fails `invalid_response` (502). */
        maxUpstreamBodyBytes: intLike(64 * 1024, 1024 * 1024 * 1024).default(DEFAULT_MAX_UPSTREAM_BODY_BYTES),
      })
      .strict()
      .default({ maxBodyBytes: 10 * 1024 * 1024, maxUpstreamBodyBytes: DEFAULT_MAX_UPSTREAM_BODY_BYTES }),
    store: ownedSection.optional(),
    auth: ownedSection.optional(),
    accounts: ownedSection.optional(),
    telemetry: ownedSection.optional(),
    /** Operator price overrides, per `<providerId>/<model>` or model name; read by the price source. */
    prices: ownedSection.optional(),
    /** Exact response cache (off when absent): see packages/gateway/docs/cache.md. */
    cache: cacheSchema.optional(),
    /** Budget-alert webhooks (needs `accounts`): see packages/gateway/docs/accounts.md "Alerts". */
    alerts: alertsSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    for (const [alias, route] of Object.entries(cfg.routes)) {
      route.targets.forEach((t, i) => {
        const ref = typeof t === 'string' ? t : t.target;
        const providerId = ref.slice(0, ref.indexOf('/'));
        if (!(providerId in cfg.providers)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', alias, 'targets', i],
            message: `Unknown provider "${providerId}" (configured: ${Object.keys(cfg.providers).join(', ') || 'none'})`,
          });
        }
      });
      const shadow = route.shadow?.target;
      if (shadow && !(shadow.slice(0, shadow.indexOf('/')) in cfg.providers)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', alias, 'shadow', 'target'],
          message: `Unknown provider "${shadow.slice(0, shadow.indexOf('/'))}"`,
        });
      }
    }
  });

export type GatewayConfigInput = z.input<typeof configSchema>;
export type GatewayConfig = z.output<typeof configSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type RoutingConfig = z.output<typeof routingSchema>;
export type ShadowConfig = z.output<typeof shadowSchema>;
