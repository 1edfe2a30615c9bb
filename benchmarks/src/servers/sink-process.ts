// Child entry: an OTLP/HTTP receiver that accepts and discards everything (tracing-on contender's exporter target).
// It answers in the request's own encoding, as a collector does: an empty ExportTraceServiceResponse is an empty
// protobuf body, or `{}` in JSON. (A JSON answer to a protobuf export made the exporter warn on every batch.)
import { createServer } from 'node:http';
import { reportError, reportReady } from '../procs/child.js';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.headers['content-type']?.startsWith('application/x-protobuf')) {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
      return;
    }
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
