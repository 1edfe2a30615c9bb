// Child entry: the bare undici pass-through in front of the upstream given as argv[2].
import { reportError, reportReady } from '../procs/child.js';
import { createBareProxy } from './bare-proxy.js';

try {
  const upstream = process.argv[2];
  if (!upstream) throw new Error('usage: bare-process <upstream origin>');
  const { server } = createBareProxy(upstream);
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    if (addr === null || typeof addr === 'string') reportError(new Error('no address'));
    else reportReady({ url: `http://127.0.0.1:${addr.port}` });
  });
} catch (e) {
  reportError(e);
}
