// Child entry: an OTLP/HTTP receiver that accepts and discards everything (tracing-on contender's exporter target).
import { createServer } from 'node:http';
import { reportError, reportReady } from '../procs/child.js';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.on('error', reportError);
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr === null || typeof addr === 'string') reportError(new Error('no address'));
  else reportReady({ url: `http://127.0.0.1:${addr.port}` });
});
