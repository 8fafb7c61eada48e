import { describe, expect, it } from 'vitest';
import { promptAccess } from './prompt-access';

const owner = { id: 'owner', role: 'user' as const };
const other = { id: 'other', role: 'user' as const };
const admin = { id: 'admin', role: 'admin' as const };

describe('promptAccess', () => {
  it('gives the owner and admins everything, whatever the visibility', () => {
    for (const visibility of ['private', 'team', 'public'] as const) {
      expect(promptAccess({ ownerId: 'owner', visibility }, owner, null)).toEqual({
        read: true,
        edit: true,
        delete: true,
        share: true,
      });
      expect(promptAccess({ ownerId: 'owner', visibility }, admin, null).edit).toBe(true);
    }
  });

  it('hides a private prompt from everyone else, team role or not', () => {
    expect(promptAccess({ ownerId: 'owner', visibility: 'private' }, other, 'owner').read).toBe(false);
  });

  it('lets everyone read a public prompt but only its owner change it', () => {
    expect(promptAccess({ ownerId: 'owner', visibility: 'public' }, other, null)).toEqual({
      read: true,
      edit: false,
      delete: false,
      share: false,
    });
  });

  it('follows the team role for a team prompt: viewers read, editors edit, owners delete; nobody else sees it', () => {
    const prompt = { ownerId: 'owner', visibility: 'team' as const };
    expect(promptAccess(prompt, other, 'viewer')).toEqual({ read: true, edit: false, delete: false, share: false });
    expect(promptAccess(prompt, other, 'editor')).toEqual({ read: true, edit: true, delete: false, share: false });
    expect(promptAccess(prompt, other, 'owner')).toEqual({ read: true, edit: true, delete: true, share: false });
    expect(promptAccess(prompt, other, null).read).toBe(false);
  });

  it('leaves an official prompt to the admins: its owner, no longer an admin, may only read it', () => {
    expect(promptAccess({ ownerId: 'owner', visibility: 'public', official: true }, owner, null)).toEqual({
      read: true,
      edit: false,
      delete: false,
      share: false,
    });
    expect(promptAccess({ ownerId: 'owner', visibility: 'public', official: true }, admin, null).edit).toBe(true);
  });
});
