// English messages of the prompts pages (merged into en.ts as `prompts`); prompts.zh-CN.ts must have the same keys.
const prompts = {
  title: 'Prompt library',
};

export default prompts;
