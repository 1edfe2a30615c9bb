// @switchyard/gateway: one OpenAI-compatible API (plus Anthropic-native /v1/messages) over many providers.
export type { GatewayConfig, GatewayConfigInput, ProviderConfig, RouteConfig } from './config/index.js';
export {
  autoConfigFromEnv,
  ConfigError,
  configSchema,
  createPlanResolver,
  loadConfigFile,
  parseConfig,
  planFor,
  validateConfig,
} from './config/index.js';
export { createGateway, type GatewayApp, type GatewayControl, type GatewayOptions } from './http/create-gateway.js';
export { listen, type RunningGateway } from './http/listen.js';
export { createPipelineDeps, type PipelineOptions } from './pipeline/create-deps.js';
export { noopObserver, openAdmission } from './pipeline/default-seams.js';
export { handleChat } from './pipeline/handle-chat.js';
export { handleEmbeddings } from './pipeline/handle-embeddings.js';
export { handleMessages } from './pipeline/handle-messages.js';
export { handleModels } from './pipeline/handle-models.js';
export { handleResponses } from './pipeline/handle-responses.js';
export type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline/pipeline-types.js';
export { createMemoryResponsesStore, type ResponsesStore, type StoredResponse } from './pipeline/responses-store.js';
export * from './pipeline/seams.js';
export { createSimpleExecutor } from './pipeline/simple-executor.js';
export { createUpstreamClient, type Upstream } from './upstream/upstream-client.js';
