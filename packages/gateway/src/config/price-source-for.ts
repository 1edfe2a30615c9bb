// The config's one price source: operator overrides (`prices:`) before the bundled catalog.
import {
  chainPriceSources,
  createStaticPriceSource,
  defaultPriceSource,
  type PriceSource,
  type StaticPriceTable,
} from '@switchyard/core';
import type { GatewayConfig } from './config-schema.js';

/** Catalog prices, with operator overrides from `prices:` in the config taking precedence. */
export function priceSourceFor(config: GatewayConfig): PriceSource {
  if (!config.prices || Object.keys(config.prices).length === 0) return defaultPriceSource();
  return chainPriceSources(createStaticPriceSource(config.prices as StaticPriceTable), defaultPriceSource());
}
