export type {
  CallRecord,
  Cost,
  ErrorClass,
  ErrorInfo,
  Nanos,
  Operation,
  ProviderKind,
  Usage,
} from './types.js';
