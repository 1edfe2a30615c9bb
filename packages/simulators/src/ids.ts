// Deterministic ids and vectors derived from a hash of the request body.
import { prng } from './tokens.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * 64-bit FNV-1a (two 32-bit lanes) of a string as 16 hex digits: the seed of everything a response derives
 * from its request. Not cryptographic; a fraction of the cost of node:crypto for small bodies.
 */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** A 32-bit seed from a hex hash (optionally salted, e.g. by a tool name). */
export function seedOf(hash: string, salt = 0): number {
  const h = Number.parseInt(hash.slice(0, 8), 16) ^ Number.parseInt(hash.slice(8, 16) || '0', 16);
  return (h ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
}

/** `length` base62 characters derived from the hash and a salt. */
export function base62Id(hash: string, length: number, salt = 0): string {
  const next = prng(seedOf(hash, salt));
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[next() % 62];
  return out;
}

/** A unit-length float32 vector, deterministic in (text, dims). */
export function embeddingVector(text: string, dims: number): Float32Array {
  const next = prng(seedOf(hashText(text)));
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = (next() / 0xffffffff) * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dims; i++) v[i] = (v[i] as number) * scale;
  return v;
}

/** Little-endian float32 bytes as base64, the OpenAI `encoding_format: "base64"` wire form. */
export function vectorToBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
