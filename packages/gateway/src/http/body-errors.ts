// Express/body-parser failures (bad JSON, too large, wrong content type) in the calling API's error format.
// Each refusal goes out through one `send` callback, so the shell can also count it (see create-gateway).
import type { NextFunction, Request, Response } from 'express';
import { type ApiFormat, fromGatewayError } from '../pipeline/client-errors.js';
import { GatewayError } from '../pipeline/seams.js';
import { INVALID_UTF8 } from './read-json-body.js';
import { sendJson } from './send-response.js';

export const apiFormatOf = (path: string): ApiFormat =>
  path.endsWith('/messages') || path.endsWith('/messages/count_tokens') ? 'anthropic' : 'openai';

export function sendGatewayError(req: Request, res: Response, err: GatewayError): void {
  const e = fromGatewayError(err, apiFormatOf(req.path));
  sendJson(res, e.status, e.headers, e.body);
}

export type SendRejection = (req: Request, res: Response, err: GatewayError) => void;

/** POST bodies must be JSON; anything else is refused before parsing. */
export function requireJson(send: SendRejection) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.is('application/json')) {
      next();
      return;
    }
    send(
      req,
      res,
      new GatewayError(415, 'invalid_request_error', 'unsupported_media_type', 'Content-Type must be application/json'),
    );
  };
}

export function bodyErrorHandler(maxBodyBytes: number, send: SendRejection) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const type = (err as { type?: string } | null)?.type;
    if (type === 'entity.too.large') {
      send(
        req,
        res,
        new GatewayError(
          413,
          'invalid_request_error',
          'request_too_large',
          `Request body is larger than the limit of ${maxBodyBytes} bytes`,
        ),
      );
      return;
    }
    if (type === INVALID_UTF8) {
      send(req, res, new GatewayError(400, 'invalid_request_error', 'invalid_utf8', 'Request body is not valid UTF-8'));
      return;
    }
    if (type === 'entity.parse.failed') {
      send(req, res, new GatewayError(400, 'invalid_request_error', 'invalid_json', 'Request body is not valid JSON'));
      return;
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      send(req, res, new GatewayError(415, 'invalid_request_error', type, 'Unsupported body encoding'));
      return;
    }
    // Other body-parser failures carry a 4xx status: a corrupt gzip/deflate/brotli body, an aborted upload.
    const status = (err as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      send(
        req,
        res,
        new GatewayError(
          status,
          'invalid_request_error',
          'invalid_body',
          'Request body could not be read (corrupt content-encoding or incomplete upload)',
        ),
      );
      return;
    }
    send(req, res, new GatewayError(500, 'server_error', null, 'Internal gateway error'));
  };
}
