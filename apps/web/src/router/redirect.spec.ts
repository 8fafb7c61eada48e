import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it('accepts in-app paths with their query and hash', () => {
    expect(safeRedirect('/admin/users?page=2#top')).toBe('/admin/users?page=2#top');
    expect(safeRedirect(['/chat', '/other'])).toBe('/chat');
  });

  it('refuses anything that could leave the app or loop back to the sign-in pages', () => {
    for (const value of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'chat',
      '',
      '/login',
      '/register?x=1',
    ]) {
      expect(safeRedirect(value), value).toBeNull();
    }
    expect(safeRedirect(undefined)).toBeNull();
    expect(safeRedirect(null)).toBeNull();
  });

  it('does not confuse a path that merely starts with "login"', () => {
    expect(safeRedirect('/login-history')).toBe('/login-history');
  });
});
