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

/**
 * `target`'s methods among `names`, each run on a view of `target` with `swap`'s properties in place of its own
 * (e.g. `_client`: the instrumented client): an SDK helper that reaches its client or its `create` through `this`
 * then goes through the instrumented ones, and `target` itself is not touched. Missing methods are left out.
 */
export function runOnView(
  target: object,
  swap: PropertyDescriptorMap,
  names: readonly string[],
): Record<string, AnyFn> {
  const view = Object.create(target, swap) as object;
  const out: Record<string, AnyFn> = {};
  for (const name of names) {
    const method = (target as Record<string, unknown>)[name];
    if (typeof method === 'function') out[name] = (...args: unknown[]) => Reflect.apply(method, view, args);
  }
  return out;
}
