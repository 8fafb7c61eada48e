import { PasswordSchema } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { generateAdminPassword } from './admin-bootstrap.service';

describe('generateAdminPassword', () => {
  it('always satisfies the password rules and never repeats', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const password = generateAdminPassword();
      expect(password).toHaveLength(24);
      expect(PasswordSchema.safeParse(password).success).toBe(true);
      seen.add(password);
    }
    expect(seen.size).toBe(500);
  });
});
