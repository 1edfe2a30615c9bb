// What a load generator sends: one fixed request, so every contender gets byte-identical work.
export interface HttpTarget {
  /** Full URL of the endpoint, e.g. http://127.0.0.1:4100/v1/chat/completions */
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}
