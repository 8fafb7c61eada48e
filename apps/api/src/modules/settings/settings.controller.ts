import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PublicSettingsSchema, SettingsSchema, UpdateSettingsSchema } from '@modelyard/contracts';
import {
  type AuthUser,
  CurrentUser,
  Public,
  ReqMeta,
  type RequestMeta,
  RequireRole,
} from '../../common/auth/auth.decorators';
import { SettingsService } from './settings.service';
import { createZodDto } from '../../common/openapi/zod-dto';

class UpdateSettingsDto extends createZodDto(UpdateSettingsSchema) {}
class SettingsDto extends createZodDto(SettingsSchema) {}
class PublicSettingsDto extends createZodDto(PublicSettingsSchema) {}

@ApiTags('settings')
@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  /** What the sign-in and registration pages need before anyone signs in. */
  @Public()
  @Get('settings/public')
  @ApiOkResponse({ type: PublicSettingsDto })
  getPublic() {
    return this.settings.getPublic();
  }

  @ApiBearerAuth()
  @RequireRole('admin')
  @Get('admin/settings')
  @ApiOkResponse({ type: SettingsDto })
  get() {
    return this.settings.get();
  }

  @ApiBearerAuth()
  @RequireRole('admin')
  @Patch('admin/settings')
  @ApiOkResponse({ type: SettingsDto })
  update(@CurrentUser() user: AuthUser, @Body() body: UpdateSettingsDto, @ReqMeta() meta: RequestMeta) {
    return this.settings.update(user.id, body, meta);
  }
}
