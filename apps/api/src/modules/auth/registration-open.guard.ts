import { type CanActivate, Injectable } from '@nestjs/common';
import { SettingsService } from '../settings/settings.service';
import { authError, AuthErrorCode } from './auth.errors';

/**
 * Closed registration answers 403 whatever the body says: guards run before validation, so a form that would also
 * be invalid does not learn about its fields first. The service checks again (a setting changed meanwhile).
 */
@Injectable()
export class RegistrationOpenGuard implements CanActivate {
  constructor(private readonly settings: SettingsService) {}

  async canActivate(): Promise<boolean> {
    const { registrationOpen } = await this.settings.get();
    if (!registrationOpen) throw authError(AuthErrorCode.RegistrationClosed, 'Registration is closed');
    return true;
  }
}
