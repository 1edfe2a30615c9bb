// Light steady background traffic through one server while its streams' first bytes are measured.
//
// Why: on this project's benchmark VMs a process left idle for ~20 ms pays 0.5–1 ms to run again (measured: a
// loopback JSON call to the simulator takes 0.15 ms back to back and 1.0–1.2 ms after a 20 ms pause, even with the
// client spinning instead of sleeping; 0.12 ms when other calls keep the simulator busy in between). A proxy puts one
// more process in the path, so an idle-box TTFT measures that wake-up, not the proxy. A gateway in production serves
// other calls while a stream starts; so does the streaming suite: one unstreamed call every `intervalMs` on its own
// connection, to every contender alike (to the simulator itself for `direct`).
import { Agent, request } from 'undici';
import type { HttpTarget } from './http-target.js';

export interface SteadyCounts {
  calls: number;
  errors: number;
}

export interface SteadyTraffic {
  /** Stops the loop and closes its connection; resolves with how many calls completed and failed. */
  stop(): Promise<SteadyCounts>;
}

export function startSteadyTraffic(t: HttpTarget, intervalMs: number): SteadyTraffic {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  let running = true;
  let calls = 0;
  let errors = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await request(t.url, { dispatcher, method: t.method, headers: t.headers, body: t.body });
        await res.body.dump();
        if (res.statusCode === 200) calls++;
        else errors++;
      } catch {
        errors++;
      }
      const wait = intervalMs - (performance.now() - started);
      if (running && wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await dispatcher.close();
      return { calls, errors };
    },
  };
}
