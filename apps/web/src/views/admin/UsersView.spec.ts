import type { User } from '@modelyard/contracts';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp, resetAppBetweenTests, settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

const admin = makeUser({ id: '00000000-0000-4000-8000-00000000000a', email: 'root@example.com', role: 'admin' });
const bob = makeUser({ id: '00000000-0000-4000-8000-00000000000b', email: 'bob@example.com', nickname: 'Bob' });

resetAppBetweenTests();

async function openUsers(users: User[] = [admin, bob]) {
  const app = await mountApp('/admin/users', {
    ...signedInRoutes(admin),
    'GET /api/admin/users': () => jsonResponse(200, { items: users, total: users.length, page: 1, pageSize: 20 }),
  });
  await waitFor(() =>
    expect(app.wrapper.find('[data-testid="user-toggle-active-bob@example.com"]').exists()).toBe(true),
  );
  return app;
}

async function answerConfirm(choice: 'confirm' | 'cancel') {
  await waitFor(() => expect(document.querySelector('.el-message-box')).not.toBeNull());
  const buttons = document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button');
  (choice === 'confirm' ? buttons[buttons.length - 1] : buttons[0])!.click();
  await settle();
}

describe('admin users page', () => {
  it('lists users with their role and status; an admin cannot act on their own row', async () => {
    const { wrapper } = await openUsers();
    expect(wrapper.find('[data-testid="admin-users-table"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="user-badge-status-bob@example.com"]').text()).toBe('Active');
    expect(wrapper.get('[data-testid="user-role-root@example.com"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="user-toggle-active-root@example.com"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="user-toggle-active-bob@example.com"]').attributes('disabled')).toBeUndefined();
  });

  it('says the list could not be loaded (with Retry) instead of showing "no users match"', async () => {
    let fail = true;
    const { wrapper } = await mountApp('/admin/users', {
      ...signedInRoutes(admin),
      'GET /api/admin/users': () =>
        fail
          ? errorResponse(500, 'INTERNAL_ERROR')
          : jsonResponse(200, { items: [admin, bob], total: 2, page: 1, pageSize: 20 }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="admin-users-pagination-error"]').exists()).toBe(true));
    expect(wrapper.find('[data-testid="admin-users-empty"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="admin-users-pagination-error"]').text()).toContain(
      'This list could not be loaded.',
    );
    fail = false;
    await wrapper.get('[data-testid="admin-users-pagination-error"] button').trigger('click');
    await waitFor(() => expect(wrapper.find('[data-testid="user-toggle-active-bob@example.com"]').exists()).toBe(true));
  });

  it('disables a user only after confirmation, then reloads the list', async () => {
    const { wrapper, api } = await openUsers();
    api.on('PATCH /api/admin/users/' + bob.id, () => jsonResponse(200, { ...bob, isActive: false }));

    await wrapper.get('[data-testid="user-toggle-active-bob@example.com"]').trigger('click');
    await answerConfirm('cancel');
    expect(api.count('PATCH /api/admin/users/' + bob.id)).toBe(0);

    const listsBefore = api.count('GET /api/admin/users');
    await wrapper.get('[data-testid="user-toggle-active-bob@example.com"]').trigger('click');
    await answerConfirm('confirm');
    await waitFor(() => expect(api.count('PATCH /api/admin/users/' + bob.id)).toBe(1));
    expect(api.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ isActive: false });
    await waitFor(() => expect(api.count('GET /api/admin/users')).toBe(listsBefore + 1));
  });

  it('changes a role after confirmation and surfaces a refusal as a toast', async () => {
    const { wrapper, api, notifyError } = await openUsers();
    api.on('PATCH /api/admin/users/' + bob.id, () => errorResponse(409, 'CANNOT_MODIFY_SELF'));

    await wrapper.get('[data-testid="user-role-bob@example.com"]').trigger('click');
    await answerConfirm('confirm');

    await waitFor(() => expect(notifyError).toHaveBeenCalledTimes(1));
    expect(api.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ role: 'admin' });
    expect(notifyError.mock.calls[0]![0]).toMatchObject({ code: 'CANNOT_MODIFY_SELF' });
  });

  it('searches after the user stops typing and sends the filters as query parameters', async () => {
    const { wrapper, api } = await openUsers();
    await wrapper.get('input[data-testid="admin-users-search"]').setValue('bo');
    await wrapper.get('input[data-testid="admin-users-search"]').setValue('bob');
    await waitFor(() => {
      const last = api.calls.filter((c) => c.path === '/api/admin/users').at(-1)!;
      expect(last.url.searchParams.get('search')).toBe('bob');
    });
    const searches = api.calls.filter((c) => c.path === '/api/admin/users' && c.url.searchParams.has('search'));
    expect(searches).toHaveLength(1); // debounced: one request for the whole word
    expect(searches[0]!.url.searchParams.get('page')).toBe('1');
    expect(searches[0]!.url.searchParams.get('pageSize')).toBe('20');
  });

  it('shows an empty state when nothing matches', async () => {
    const app = await mountApp('/admin/users', {
      ...signedInRoutes(admin),
      'GET /api/admin/users': () => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 }),
    });
    await waitFor(() => expect(app.wrapper.find('[data-testid="admin-users-empty"]').exists()).toBe(true));
  });
});
