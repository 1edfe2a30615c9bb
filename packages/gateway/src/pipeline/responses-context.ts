// Resolves a /v1/responses request's references to earlier turns (`previous_response_id`, `item_reference`
// items) against the conversation store, once per request, and decides per target which body to send:
// the client's own (an OpenAI target that holds the referenced state itself) or the expanded one (everything
// inlined, for any other target).
import { compatProfileFor } from '../providers/openai/openai-compatible.js';
import type { ResponsesInputItem, ResponsesRequest } from '../providers/responses-inbound/responses-wire.js';
import { badRequest } from './client-errors.js';
import type { KnownPrefix, ResponsesStore, StoredResponse } from './responses-store.js';
import type { RouteTarget } from './seams.js';

export interface ConversationContext {
  /** The request with stored turns inlined: no previous_response_id, item_references replaced where known. */
  expanded: ResponsesRequest;
  /** This request's conversation as input items (earlier turns + its input), for storing its response. */
  items: ResponsesInputItem[];
  /** Stored entries this request refers to (previous response and referenced items' responses). */
  used: StoredResponse[];
  /** A reference we could not resolve (only the provider's own store might know it). */
  unresolved?: string;
  /** Bytes of inlined context (for the admission estimate). */
  extraBytes: number;
  /** `items` starts with this many stored items of this size (the store need not measure them again). */
  prefix?: KnownPrefix;
}

/** A request's `input` as items (a string is one user message). */
export const asItems = (input: ResponsesRequest['input']): ResponsesInputItem[] =>
  typeof input === 'string' ? [{ role: 'user', content: input }] : (input ?? []);

export function resolveConversation(
  body: ResponsesRequest,
  store: ResponsesStore,
  tenant: string,
): ConversationContext {
  const used: StoredResponse[] = [];
  let unresolved: string | undefined;
  let earlier: ResponsesInputItem[] = [];
  const prev = body.previous_response_id;
  if (prev) {
    const stored = store.get(tenant, prev);
    if (stored?.complete) {
      used.push(stored);
      earlier = stored.items;
    } else {
      unresolved = prev;
      if (stored) used.push(stored);
    }
  }
  const prefix =
    earlier.length > 0
      ? { count: earlier.length, bytes: used[0]?.bytes ?? Buffer.byteLength(JSON.stringify(earlier), 'utf8') }
      : undefined;
  let extraBytes = prefix?.bytes ?? 0;
  const input = asItems(body.input).map((item) => {
    if (item.type !== 'item_reference' || typeof item.id !== 'string') return item;
    const found = store.item(tenant, item.id);
    if (!found) unresolved ??= item.id;
    else extraBytes += Buffer.byteLength(JSON.stringify(found), 'utf8');
    return found ?? item;
  });
  const items = [...earlier, ...input];
  const { previous_response_id: _dropped, ...rest } = body;
  return {
    expanded: { ...rest, input: items },
    items,
    used,
    extraBytes,
    ...(unresolved && { unresolved }),
    ...(prefix && { prefix }),
  };
}

/**
 * The target has the Responses API itself: OpenAI, and OpenAI-compatible vendors whose profile says so (Groq,
 * xAI). Other OpenAI-compatible servers (DeepSeek, vLLM, Ollama, … — support varies) get it via Chat Completions.
 */
export function speaksResponses(t: RouteTarget): boolean {
  return t.kind === 'openai' || (t.kind === 'openai-compatible' && compatProfileFor(t).responsesApi);
}

/**
 * The body for one target. A target that speaks the Responses API gets the client's body untouched when it can resolve every
 * reference itself (nothing was found in our store, or what was found was served by that same provider);
 * otherwise every target gets the expanded body. A reference nobody can resolve is a 400 for translated targets.
 */
export function bodyForTarget(
  original: ResponsesRequest,
  ctx: ConversationContext | undefined,
  target: RouteTarget,
): ResponsesRequest {
  if (!ctx) return original;
  if (speaksResponses(target)) {
    const own = ctx.used.every((s) => s.passthrough && s.providerId === target.providerId);
    return own ? original : ctx.expanded;
  }
  if (ctx.unresolved !== undefined) {
    const param = original.previous_response_id === ctx.unresolved ? 'previous_response_id' : 'input';
    throw badRequest(
      `Previous response or item '${ctx.unresolved}' was not found: stored responses are kept 24 hours per key, ` +
        'and not at all with store: false.',
      param,
      'previous_response_not_found',
    );
  }
  return ctx.expanded;
}
