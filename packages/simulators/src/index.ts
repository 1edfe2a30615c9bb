export { ANTHROPIC_MODELS } from './anthropic/anthropic-provider.js';
export { anthropicContentText, anthropicInputSplit, anthropicInputTokens } from './anthropic/anthropic-usage.js';
export { BEDROCK_TEST_CREDENTIALS } from './bedrock/sigv4-verify.js';
export { GEMINI_MODELS } from './gemini/gemini-embed.js';
export { geminiInputTokens, geminiPartsText } from './gemini/gemini-usage.js';
export { embeddingVector, vectorToBase64 } from './ids.js';
export { embeddingInputs, OPENAI_MODELS } from './openai/openai-embeddings.js';
export { openaiResponsesInputTokens } from './openai/openai-responses.js';
export { openaiInputTokens, openaiMessageText } from './openai/openai-usage.js';
export { type OutputPlan, type PlanInput, planOutput } from './plan.js';
export {
  activeFault,
  mergeScenario,
  normalizeScenario,
  parseScenarioHeader,
  SCENARIO_HEADER,
  SCENARIO_PRESETS,
  ScenarioError,
} from './scenario.js';
export { type AllSimulators, type AllSimulatorsOptions, startAllSimulators, startSimulator } from './server.js';
export {
  countEmbeddingTokens,
  countInputTokens,
  DEFAULT_OUTPUT_TOKENS,
  DEFAULT_REASONING_TOKENS,
  generateWords,
  MESSAGE_OVERHEAD_TOKENS,
  TOOL_CALL_OVERHEAD_TOKENS,
  textTokens,
  toolCallTokens,
} from './tokens.js';
export type {
  ErrorCode,
  Fault,
  FaultInput,
  RequestLogEntry,
  ResolvedScenario,
  Scenario,
  SimProvider,
  Simulator,
  SimulatorOptions,
  SimulatorStats,
} from './types.js';
export { vertexTestServiceAccount } from './vertex/vertex-auth.js';
