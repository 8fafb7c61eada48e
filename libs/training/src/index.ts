/**
 * LLaMA-Factory job vocabulary shared by the API and the GPU worker. The config builder, log tailer and process
 * driver arrive with the fine-tuning feature.
 */
export type TrainingStage = 'sft' | 'dpo' | 'pt' | 'rm' | 'ppo' | 'kto';
export type FinetuningType = 'lora' | 'freeze' | 'full';

export interface TrainingProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  loss?: number;
  learningRate?: number;
}
