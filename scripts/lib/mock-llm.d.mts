import type { ProcessGroup } from './processes.mjs';

export declare const MOCK_LLM_ENTRY: string;
export declare function startMockLlm(options: {
  rootDir: string;
  port: number;
  group: ProcessGroup;
  logFile?: string;
  echo?: boolean;
  args?: string[];
  /** Where to record the pid (an earlier run's process recorded there is stopped first). */
  pidFile?: string;
}): Promise<{ url: string }>;
