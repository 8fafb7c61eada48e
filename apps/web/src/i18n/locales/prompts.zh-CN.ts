import type promptsEn from './prompts.en';

const prompts: typeof promptsEn = {
  title: '提示词库',
};

export default prompts;
