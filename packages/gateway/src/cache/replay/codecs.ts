// The client format of each cached endpoint.
import type { Endpoint } from '../../pipeline/seams.js';
import { chatCodec } from './chat-codec.js';
import type { ClientCodec } from './codec.js';
import { embeddingsCodec } from './embeddings-codec.js';
import { messagesCodec } from './messages-codec.js';
import { responsesCodec } from './responses-codec.js';

export const CODECS: Readonly<Record<Endpoint, ClientCodec>> = {
  chat: chatCodec,
  messages: messagesCodec,
  embeddings: embeddingsCodec,
  responses: responsesCodec,
};
