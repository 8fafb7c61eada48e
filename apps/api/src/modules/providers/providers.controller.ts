import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CreateProviderSchema,
  PROVIDER_PRESETS,
  ProviderModelsQuerySchema,
  UpdateProviderSchema,
} from '@modelyard/contracts';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta, RequireRole } from '../../common/auth/auth.decorators';
import { ProvidersService } from './providers.service';

class CreateProviderDto extends createZodDto(CreateProviderSchema) {}
class UpdateProviderDto extends createZodDto(UpdateProviderSchema) {}
class ProviderModelsQueryDto extends createZodDto(ProviderModelsQuerySchema) {}

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  /** Admins see every provider; everyone else the enabled ones. Secrets never leave the server. */
  @Get()
  async list(@CurrentUser() user: AuthUser) {
    return { items: await this.providers.list(user) };
  }

  /** The kinds of server the add dialog offers, with their usual base URLs. */
  @Get('presets')
  presets() {
    return { items: PROVIDER_PRESETS };
  }

  /** Local model servers found on their default ports and not registered yet. */
  @RequireRole('admin')
  @Get('detected')
  async detected() {
    return { items: await this.providers.detected() };
  }

  @RequireRole('admin')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateProviderDto, @ReqMeta() meta: RequestMeta) {
    return this.providers.create(user, body, meta);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.providers.get(user, id);
  }

  @RequireRole('admin')
  @Patch(':id')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() body: UpdateProviderDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.providers.update(user, id, body, meta);
  }

  /** Also deletes the model configs built on it; the UI confirms with their count first. */
  @RequireRole('admin')
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @ReqMeta() meta: RequestMeta) {
    await this.providers.remove(user, id, meta);
  }

  @Get(':id/models')
  models(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() query: ProviderModelsQueryDto) {
    return this.providers.models(user, id, query.refresh ?? false);
  }

  @Post(':id/test')
  @HttpCode(200)
  test(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.providers.test(user, id);
  }
}
