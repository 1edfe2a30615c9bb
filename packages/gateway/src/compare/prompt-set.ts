// The prompt file of `switchyard compare`: JSONL, one case a line. Parsed strictly (zod) so a typo in an assertion
// is an error naming the line, never a silently skipped check.
import { z } from 'zod';

const messageSchema = z
  .object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string() })
  .passthrough();

export const assertionSchema = z.union([
  z
    .object({
      contains: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
      ignoreCase: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      regex: z.string().min(1),
      flags: z
        .string()
        .regex(/^[dgimsuvy]*$/)
        .optional(),
    })
    .strict(),
  z.object({ json_schema: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ equals: z.unknown(), ignoreCase: z.boolean().optional() }).strict(),
]);
export type Assertion = z.infer<typeof assertionSchema>;

const lineSchema = z
  .object({
    id: z.string().min(1).max(200).optional(),
    messages: z.array(messageSchema).min(1).optional(),
    prompt: z.string().min(1).optional(),
    system: z.string().optional(),
    /** A reference answer: shown to the judge and in the report. */
    expected: z.string().optional(),
    assert: z.array(assertionSchema).optional(),
    /** Extra request parameters (max_tokens, temperature, response_format, …) sent with this prompt. */
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((c) => (c.messages === undefined) !== (c.prompt === undefined), {
    message: 'give exactly one of "messages" or "prompt"',
  });

export interface PromptCase {
  id: string;
  messages: Array<{ role: string; content: string }>;
  expected?: string;
  assert: Assertion[];
  params: Record<string, unknown>;
}

export class PromptFileError extends Error {
  override name = 'PromptFileError';
}

/** Hard bound: a compare run is for a prompt set, not a dataset dump. */
export const MAX_PROMPTS = 10_000;

export function parsePromptSet(text: string, source = 'prompts'): PromptCase[] {
  const out: PromptCase[] = [];
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]?.trim() ?? '';
    if (raw === '' || raw.startsWith('//')) continue;
    const where = `${source}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new PromptFileError(`${where}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new PromptFileError(`${where}: ${path}${issue?.message ?? 'invalid'}`);
    }
    const c = parsed.data;
    const id = c.id ?? `p${out.length + 1}`;
    if (ids.has(id)) throw new PromptFileError(`${where}: duplicate id "${id}"`);
    ids.add(id);
    for (const a of c.assert ?? []) {
      if ('regex' in a) {
        try {
          new RegExp(a.regex, a.flags);
        } catch (err) {
          throw new PromptFileError(`${where}: assert regex: ${(err as Error).message}`);
        }
      }
    }
    const messages = c.messages
      ? c.messages.map((m) => ({ ...m }))
      : [...(c.system ? [{ role: 'system', content: c.system }] : []), { role: 'user', content: c.prompt as string }];
    out.push({
      id,
      messages,
      assert: c.assert ?? [],
      params: c.params ?? {},
      ...(c.expected !== undefined && { expected: c.expected }),
    });
    if (out.length > MAX_PROMPTS) throw new PromptFileError(`${source}: more than ${MAX_PROMPTS} prompts`);
  }
  if (out.length === 0) throw new PromptFileError(`${source}: no prompts`);
  return out;
}

/** The user-visible text of a case (last user message), for reports. */
export function promptText(c: PromptCase): string {
  for (let i = c.messages.length - 1; i >= 0; i--)
    if (c.messages[i]?.role === 'user') return c.messages[i]?.content ?? '';
  return c.messages[c.messages.length - 1]?.content ?? '';
}
