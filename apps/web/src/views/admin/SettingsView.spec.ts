import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp, resetAppBetweenTests } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

const admin = makeUser({ id: '00000000-0000-4000-8000-00000000000a', email: 'root@example.com', role: 'admin' });

resetAppBetweenTests();

describe('admin settings', () => {
  it('offers no switch when the settings cannot be read (it would show a guess), and loads them on retry', async () => {
    let fail = true;
    const { wrapper } = await mountApp('/admin/settings', {
      ...signedInRoutes(admin),
      'GET /api/admin/settings': () =>
        fail ? errorResponse(503, 'SERVICE_UNAVAILABLE') : jsonResponse(200, { registrationOpen: true }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="settings-error"]').exists()).toBe(true));
    expect(wrapper.text()).toContain('The settings could not be loaded.');
    expect(wrapper.find('[data-testid="settings-registration-switch"]').exists()).toBe(false);

    fail = false;
    await wrapper.get('[data-testid="settings-error"] button').trigger('click');
    await waitFor(() => expect(wrapper.find('[data-testid="settings-registration-switch"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="settings-registration-switch"]').classes()).toContain('is-checked');
  });
});
