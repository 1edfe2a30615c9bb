// What the client asked of the cache, from its headers. `Cache-Control` follows RFC 9111's request directives:
// `no-cache` = do not answer from the cache (the fresh answer is stored), `no-store` = do not store this answer.
// `x-switchyard-cache: refresh` = `no-cache`; `bypass` = neither read nor write.
import type { HeaderMap } from '../pipeline/pipeline-types.js';

export interface CacheControls {
  read: boolean;
  write: boolean;
}

const ALL: CacheControls = { read: true, write: true };

const header = (h: HeaderMap, name: string): string => {
  const v = h[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).toLowerCase();
};

export function cacheControlsOf(headers: HeaderMap): CacheControls {
  const cc = header(headers, 'cache-control');
  const sy = header(headers, 'x-switchyard-cache').trim();
  if (!cc && !sy) return ALL;
  const directives = new Set(cc.split(',').map((d) => d.trim().split('=')[0]));
  let read = !directives.has('no-cache');
  let write = !directives.has('no-store');
  if (sy === 'refresh') read = false;
  else if (sy === 'bypass') {
    read = false;
    write = false;
  }
  return { read, write };
}
