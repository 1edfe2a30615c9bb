type AnyFn = (...args: unknown[]) => unknown;

/** A Proxy that serves `overrides` and forwards everything else to the real object (methods bound to it). */
export function proxyWith<T extends object>(target: T, overrides: Record<string, unknown>): T {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop];
      const value = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      // Bind to the real object: SDK classes use #private fields that a Proxy `this` cannot reach.
      let fn = bound.get(prop);
      if (!fn || (fn as { __orig?: unknown }).__orig !== value) {
        fn = Object.assign((value as AnyFn).bind(t), { __orig: value });
        bound.set(prop, fn);
      }
      return fn;
    },
  });
}
