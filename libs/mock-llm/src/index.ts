export { startMockLlm } from './mock-llm-server';
export { MOCK_MODELS } from './scenario-catalog';
export type {
  MockCapability,
  MockLlmOptions,
  MockLlmServer,
  MockModelDescriptor,
  MockProtocol,
  RecordedRequest,
  RequestOutcome,
  ScenarioTiming,
} from './types';
