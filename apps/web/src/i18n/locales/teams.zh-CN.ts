import type teamsEn from './teams.en';

const teams: typeof teamsEn = {
  title: '团队',
};

export default teams;
