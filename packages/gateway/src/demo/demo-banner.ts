// The demo-mode banner: what is running, which models there are, and one copy-paste example per feature. Every
// example printed here is run by test/quickstart/demo-banner.test.ts exactly as printed, so keep them working.
import { modelType } from '../config/model-directory.js';
import { DEMO_MODELS } from './demo-mode.js';

export interface BannerOptions {
  /** Accounts on (SWITCHYARD_ADMIN_TOKEN set): print the key + credits examples. */
  accountsDir?: string;
}

const USER = (text: string) => `"messages":[{"role":"user","content":"${text}"}]`;
const JSON_H = "-H 'content-type: application/json'";

/** [title, path, body (undefined: GET), extra curl flags] */
type Example = [string, string, string | undefined, string?];

function examples(): Example[] {
  const weatherTool =
    '"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",' +
    '"properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"required"';
  const citySchema =
    '"response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,"schema":{"type":"object",' +
    '"properties":{"name":{"type":"string"},"population":{"type":"integer"}},"required":["name","population"],' +
    '"additionalProperties":false}}}';
  return [
    [
      'Chat (alias "smart": Anthropic, falls back to OpenAI)',
      '/v1/chat/completions',
      `{"model":"smart",${USER('Hello!')}}`,
    ],
    [
      'Streaming, with usage in the last chunk',
      '/v1/chat/completions',
      `{"model":"fast","stream":true,"stream_options":{"include_usage":true},${USER('Count to five')}}`,
      '-N',
    ],
    [
      'Tools (OpenAI format, served by Claude)',
      '/v1/chat/completions',
      `{"model":"anthropic/claude-sonnet-4-5",${USER('Weather in Paris?')},${weatherTool}}`,
    ],
    [
      'Structured output (JSON schema, served by Gemini)',
      '/v1/chat/completions',
      `{"model":"gemini/gemini-2.5-flash",${USER('A city in France')},${citySchema}}`,
    ],
    ['Embeddings', '/v1/embeddings', '{"model":"gemini/text-embedding-004","input":"hello world"}'],
    [
      'Anthropic Messages API (any provider; here OpenAI)',
      '/v1/messages',
      `{"model":"openai/gpt-4o-mini","max_tokens":256,${USER('Hi')}}`,
      "-H 'anthropic-version: 2023-06-01'",
    ],
    ['OpenAI Responses API', '/v1/responses', '{"model":"anthropic/claude-sonnet-4-5","input":"Say hello"}'],
    ['Models, with their type (chat or embedding)', '/v1/models', undefined],
  ];
}

function curl(url: string, [, path, body, extra]: Example, auth?: string): string[] {
  const flags = [extra, auth, body !== undefined ? JSON_H : undefined].filter(Boolean).join(' ');
  const first = `    curl -s ${url}${path}${flags ? ` ${flags}` : ''}`;
  return body === undefined ? [first] : [`${first} \\`, `      -d '${body}'`];
}

/** `label` then the names, wrapped at ~110 columns under the first name. */
function wrapped(label: string, names: string[]): string[] {
  const indent = ' '.repeat(label.length);
  const out: string[] = [];
  let line = label;
  for (const [i, n] of names.entries()) {
    const piece = `${n}${i < names.length - 1 ? ',' : ''}`;
    if (line.length + piece.length > 110 && line.trim() !== label.trim()) {
      out.push(line.trimEnd());
      line = indent;
    }
    line += `${piece} `;
  }
  out.push(line.trimEnd());
  return out;
}

function modelLines(): string[] {
  const all = Object.entries(DEMO_MODELS).flatMap(([p, ms]) => ms.map((m) => `${p}/${m}`));
  return [
    ...wrapped('  Models:     ', [
      'smart (anthropic → openai fallback)',
      'fast (gemini → openai)',
      ...all.filter((m) => modelType(m) === 'chat'),
    ]),
    ...wrapped(
      '  Embeddings: ',
      all.filter((m) => modelType(m) === 'embedding'),
    ),
    '              (any model the simulators serve works too; GET /v1/models lists each with its type)',
  ];
}

export function demoBanner(url: string, opts: BannerOptions = {}): string {
  const lines = [
    '',
    '  Switchyard is running in DEMO MODE on simulated providers.',
    '  No config file and no OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY were found, so the bundled',
    '  OpenAI, Anthropic and Gemini simulators run in-process. Nothing is sent to a real provider.',
    '',
    `  Gateway:  ${url}/v1   (OpenAI-compatible; Anthropic-native at ${url}/v1/messages)`,
    ...modelLines(),
    '',
    '  Try it:',
  ];
  for (const ex of examples()) lines.push(`  # ${ex[0]}`, ...curl(url, ex));
  if (opts.accountsDir) {
    lines.push(
      '',
      `  Virtual keys and credits (admin API at ${url}/admin/v1, accounts in ${opts.accountsDir}):`,
      '  # Create a key with $1.00 of credits; the answer shows its "id" and, once, its secret "key" (sk-sy-…)',
      `    curl -s ${url}/admin/v1/keys -H "authorization: Bearer $SWITCHYARD_ADMIN_TOKEN" ${JSON_H} \\`,
      `      -d '{"name":"demo","credits_usd":"1.00"}'`,
      '  # From then on every call needs a key: export SWITCHYARD_KEY=sk-sy-… SWITCHYARD_KEY_ID=key_… and send it',
      ...curl(
        url,
        ['', '/v1/chat/completions', `{"model":"fast",${USER('Hello!')}}`],
        '-H "authorization: Bearer $SWITCHYARD_KEY"',
      ),
      "  # The key's balance and spend: the call above cost a fraction of a cent",
      `    curl -s ${url}/admin/v1/keys/$SWITCHYARD_KEY_ID -H "authorization: Bearer $SWITCHYARD_ADMIN_TOKEN"`,
      '',
      `  Admin console: ${url}/ui/  (sign in with $SWITCHYARD_ADMIN_TOKEN: keys, teams, credits, spend, ledger)`,
    );
  } else
    lines.push(
      '',
      '  Set SWITCHYARD_ADMIN_TOKEN to try virtual keys, credits, the admin API and the web console in demo mode too.',
    );
  lines.push('');
  return lines.join('\n');
}
