// English messages of the teams pages (merged into en.ts as `teams`); teams.zh-CN.ts must have the same keys.
const teams = {
  title: 'Teams',
};

export default teams;
