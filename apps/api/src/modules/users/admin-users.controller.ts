import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminUpdateUserSchema, AdminUserPageSchema, AdminUserQuerySchema, UserSchema } from '@modelyard/contracts';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta, RequireRole } from '../../common/auth/auth.decorators';
import { UsersService } from './users.service';
import { idParam } from '../../common/http/id-param';
import { createZodDto } from '../../common/openapi/zod-dto';

class AdminUserQueryDto extends createZodDto(AdminUserQuerySchema) {}
class AdminUpdateUserDto extends createZodDto(AdminUpdateUserSchema) {}
class UserDto extends createZodDto(UserSchema) {}
class AdminUserPageDto extends createZodDto(AdminUserPageSchema) {}

@ApiTags('admin')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: AdminUserPageDto })
  list(@Query() query: AdminUserQueryDto) {
    return this.users.list(query);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: AdminUpdateUserDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.users.adminUpdate(actor.id, id, body, meta);
  }
}
