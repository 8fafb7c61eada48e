import type { ProcessGroup } from './processes.mjs';

export declare const MOCK_LLM_ENTRY: string;
export declare function startMockLlm(options: {
  rootDir: string;
  port: number;
  group: ProcessGroup;
  logFile?: string;
  echo?: boolean;
  args?: string[];
}): Promise<{ url: string }>;
