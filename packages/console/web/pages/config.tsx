// The running config as the gateway holds it (after env interpolation and hot reloads), secrets redacted.
import { Pending, useLoad } from '../components/ui.js';
import { admin } from '../lib/api.js';

export function Config() {
  const cfg = useLoad(() => admin.get<{ config: unknown }>('/config'));
  if (!cfg.data) return <Pending loading={cfg.loading} error={cfg.error} />;
  return (
    <section aria-labelledby="config-h">
      <h1 id="config-h">Config</h1>
      <p class="muted">
        The running config. Every secret (API keys, tokens, credentials, header values, URL passwords) shows as
        [redacted].
      </p>
      <pre class="config">{JSON.stringify(cfg.data.config, null, 2)}</pre>
    </section>
  );
}
