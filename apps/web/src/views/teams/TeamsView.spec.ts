import type { Team, TeamDetail, TeamMember } from '@modelyard/contracts';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp, resetAppBetweenTests, settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

const TEAM_ID = '70000000-0000-4000-8000-000000000001';
const ada = makeUser();
const bob = makeUser({ id: '00000000-0000-4000-8000-00000000000b', email: 'bob@example.com', nickname: 'Bob' });

const memberOf = (user: typeof ada, role: TeamMember['role']): TeamMember => ({
  userId: user.id,
  nickname: user.nickname,
  email: user.email,
  role,
  joinedAt: '2026-01-01T00:00:00.000Z',
});

function makeTeam(overrides: Partial<Team> = {}): Team {
  return {
    id: TEAM_ID,
    name: 'Research',
    description: 'Reads papers',
    memberCount: 2,
    promptCount: 5,
    myRole: 'owner',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const detail = (members: TeamMember[], overrides: Partial<Team> = {}): TeamDetail => ({
  ...makeTeam({ memberCount: members.length, ...overrides }),
  members,
});

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

resetAppBetweenTests();

async function answerConfirm() {
  await waitFor(() => expect(document.querySelector('.el-message-box')).not.toBeNull());
  const buttons = document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button');
  buttons[buttons.length - 1]!.click();
  await settle();
}

describe('teams page', () => {
  it('lists my teams with my role and counts, and creates a team (a taken name shows on the field)', async () => {
    const created = makeTeam({ id: '70000000-0000-4000-8000-000000000002', name: 'Support', memberCount: 1 });
    let taken = true;
    const { wrapper, api, router } = await mountApp('/teams', {
      ...signedInRoutes(ada),
      'GET /api/teams': () => jsonResponse(200, page([makeTeam()])),
      'POST /api/teams': () => (taken ? errorResponse(409, 'TEAM_NAME_TAKEN') : jsonResponse(201, created)),
      [`GET /api/teams/${created.id}`]: () => jsonResponse(200, { ...created, members: [memberOf(ada, 'owner')] }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="team-row"]').exists()).toBe(true));
    const row = wrapper.get('[data-testid="team-row"][data-name="Research"]');
    expect(row.text()).toContain('Owner');
    expect(row.text()).toContain('2 members');
    expect(row.text()).toContain('5 prompts');
    // Not an admin: no "all teams" switch, and `all` is never sent.
    expect(wrapper.find('[data-testid="teams-all"]').exists()).toBe(false);
    expect(api.calls.find((c) => c.path === '/api/teams')!.url.searchParams.has('all')).toBe(false);

    await wrapper.get('[data-testid="team-new"]').trigger('click');
    await settle();
    const input = document.querySelector<HTMLInputElement>('input[data-testid="team-name-input"]')!;
    input.value = 'Support';
    input.dispatchEvent(new Event('input'));
    await settle();
    document.querySelector<HTMLButtonElement>('[data-testid="team-create-submit"]')!.click();
    await waitFor(() =>
      expect(document.querySelector('[data-testid="team-form-dialog"] .el-form-item__error')?.textContent).toContain(
        'already exists',
      ),
    );
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/teams')!.body).toEqual({
      name: 'Support',
      description: '',
    });

    taken = false;
    document.querySelector<HTMLButtonElement>('[data-testid="team-create-submit"]')!.click();
    await waitFor(() => expect(router.currentRoute.value.path).toBe(`/teams/${created.id}`));
    await waitFor(() => expect(wrapper.find('[data-testid="team-title"]').text()).toContain('Support'));
  });

  it('shows an owner the member controls, explains a refused role change and removes a member after confirming', async () => {
    let members = [memberOf(ada, 'owner'), memberOf(bob, 'viewer')];
    const { wrapper, api } = await mountApp(`/teams/${TEAM_ID}`, {
      ...signedInRoutes(ada),
      [`GET /api/teams/${TEAM_ID}`]: () => jsonResponse(200, detail(members)),
      [`PATCH /api/teams/${TEAM_ID}/members/${ada.id}`]: () => errorResponse(409, 'TEAM_LAST_OWNER'),
      [`DELETE /api/teams/${TEAM_ID}/members/${bob.id}`]: () => {
        members = members.filter((m) => m.userId !== bob.id);
        return new Response(null, { status: 204 });
      },
    });
    await waitFor(() => expect(wrapper.findAll('[data-testid="member-row"]')).toHaveLength(2));
    expect(wrapper.get('[data-testid="team-prompts"]').attributes('href')).toBe(`/prompts?team=${TEAM_ID}`);
    expect(wrapper.find('[data-testid="member-add"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="team-delete"]').exists()).toBe(true);

    const self = wrapper.get('[data-testid="member-row"][data-email="ada@example.com"]');
    expect(self.find('[data-testid="member-remove"]').exists()).toBe(false);
    expect(self.find('[data-testid="member-leave"]').exists()).toBe(true);

    // Demoting the only owner: the server refuses and the page says why.
    const roleSelect = self.getComponent({ name: 'ElSelect' });
    roleSelect.vm.$emit('update:modelValue', 'viewer');
    await waitFor(() =>
      expect(document.querySelector('.el-message--error')?.textContent).toContain('at least one owner'),
    );
    expect(api.calls.find((c) => c.method === 'PATCH')!.body).toEqual({ role: 'viewer' });

    const bobRow = wrapper.get('[data-testid="member-row"][data-email="bob@example.com"]');
    await bobRow.get('[data-testid="member-remove"]').trigger('click');
    await answerConfirm();
    await waitFor(() => expect(api.count(`DELETE /api/teams/${TEAM_ID}/members/${bob.id}`)).toBe(1));
    await waitFor(() => expect(wrapper.findAll('[data-testid="member-row"]')).toHaveLength(1));
  });

  it('a viewer sees no management controls, only Leave', async () => {
    const { wrapper } = await mountApp(`/teams/${TEAM_ID}`, {
      ...signedInRoutes(bob),
      [`GET /api/teams/${TEAM_ID}`]: () =>
        jsonResponse(200, detail([memberOf(ada, 'owner'), memberOf(bob, 'viewer')], { myRole: 'viewer' })),
    });
    await waitFor(() => expect(wrapper.findAll('[data-testid="member-row"]')).toHaveLength(2));
    expect(wrapper.find('[data-testid="member-add"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="team-delete"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="team-edit"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="member-row-role"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="team-leave"]').exists()).toBe(true);
  });

  it('says so when the team does not exist', async () => {
    const { wrapper } = await mountApp(`/teams/${TEAM_ID}`, {
      ...signedInRoutes(ada),
      [`GET /api/teams/${TEAM_ID}`]: () => errorResponse(404, 'TEAM_NOT_FOUND'),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="team-missing"]').exists()).toBe(true));
  });
});
