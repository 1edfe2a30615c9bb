// node:http dispatch of the API POSTs for the standalone server (`listen()`, i.e. `switchyard start`): the same
// route functions the Express app runs, without Express's per-request router walk, prototype swaps and middleware
// chain (docs/decisions/0009-node-http-fast-path.md). It takes only the plain case — exact path, a JSON content
// type, an identity-encoded body with a Content-Length within the limit, no `Origin` header — and declines
// everything else (other paths and methods, compressed or chunked bodies, 415s, browser calls that the app's CORS
// middleware must see), which the Express app then answers as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { plainBodyLength, readJsonBody } from './read-json-body.js';

/** Serves one API request whose body was read and parsed. */
export type ApiRoute = (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>;

/** Answers a body-reading or route failure (same answers as the Express error handler). */
export type ApiFailure = (path: string, req: IncomingMessage, res: ServerResponse, err: unknown) => void;

/** `true` when the request was taken (and will be answered); `false`: hand it to the Express app untouched. */
export type ApiFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

// What type-is' `req.is('application/json')` accepts, parameters allowed; anything unusual goes to Express.
const JSON_TYPE = /^\s*application\/json\s*(;|$)/i;

export function createApiFastPath(routes: ReadonlyMap<string, ApiRoute>, limit: number, fail: ApiFailure): ApiFastPath {
  return (req, res) => {
    if (req.method !== 'POST' || req.headers.origin !== undefined) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const route = routes.get(path);
    if (!route) return false;
    const type = req.headers['content-type'];
    if (type === undefined || !JSON_TYPE.test(type)) return false;
    const length = plainBodyLength(req, limit);
    if (length === undefined) return false;
    readJsonBody(req, length)
      .then((body) => route(req, res, body))
      .catch((err: unknown) => fail(path, req, res, err));
    return true;
  };
}
