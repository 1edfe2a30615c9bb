// Cost attribution read from the request: the end user (`x-switchyard-end-user`, else the body's `user`, or
// Anthropic's `metadata.user_id`) and cost allocation tags (`x-switchyard-tags: a,b`). Both land on the ledger row.
import { badRequest } from './client-errors.js';
import type { PipelineInput } from './pipeline-types.js';

export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 64;
export const MAX_END_USER_LENGTH = 256;
const TAG = /^[A-Za-z0-9._:/-]+$/;
const UNSAFE_END_USER = /[\p{Cc}\p{Cs}]/u;

const header = (h: PipelineInput['headers'], name: string) => {
  const v = h[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : undefined;
};

/** Validated tags, deduplicated in order; a malformed header is the client's error (400), never silently dropped. */
export function tagsOf(headers: PipelineInput['headers']): string[] | undefined {
  const raw = header(headers, 'x-switchyard-tags');
  if (raw === undefined || raw.trim() === '') return undefined;
  const tags = [...new Set(raw.split(',').map((t) => t.trim()))];
  if (tags.length > MAX_TAGS) {
    throw badRequest(`x-switchyard-tags: at most ${MAX_TAGS} tags`, 'x-switchyard-tags', 'invalid_tags');
  }
  for (const t of tags) {
    if (t.length === 0 || t.length > MAX_TAG_LENGTH || !TAG.test(t)) {
      throw badRequest(
        `x-switchyard-tags: each tag is 1-${MAX_TAG_LENGTH} characters of letters, digits and . _ : / -`,
        'x-switchyard-tags',
        'invalid_tags',
      );
    }
  }
  return tags;
}

/** The end user, if the client named one (header first); bounded in length. */
export function endUserOf(headers: PipelineInput['headers'], body: unknown): string | undefined {
  let user = header(headers, 'x-switchyard-end-user');
  if (user === undefined && body !== null && typeof body === 'object') {
    const b = body as { user?: unknown; metadata?: { user_id?: unknown } };
    if (typeof b.user === 'string') user = b.user;
    else if (typeof b.metadata?.user_id === 'string') user = b.metadata.user_id;
  }
  if (user === undefined || user === '') return undefined;
  if (user.length > MAX_END_USER_LENGTH) {
    throw badRequest(`end user id is longer than ${MAX_END_USER_LENGTH} characters`, 'user', 'invalid_end_user');
  }
  // Control characters (NUL above all: postgres text cannot hold it) and lone surrogates (not valid UTF-8) would
  // make the ledger row unwritable or merge distinct ids; anything else printable is the client's own business.
  if (UNSAFE_END_USER.test(user)) {
    throw badRequest('end user id contains control characters or invalid UTF-16', 'user', 'invalid_end_user');
  }
  return user;
}
