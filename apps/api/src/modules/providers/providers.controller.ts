import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ConnectionTestResultSchema,
  CreateProviderSchema,
  DetectedProviderListSchema,
  PROVIDER_PRESETS,
  ProviderListSchema,
  ProviderModelListSchema,
  ProviderModelsQuerySchema,
  ProviderQuerySchema,
  ProviderSchema,
  UpdateProviderSchema,
} from '@modelyard/contracts';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta, RequireRole } from '../../common/auth/auth.decorators';
import { ProvidersService } from './providers.service';
import { idParam } from '../../common/http/id-param';
import { createZodDto } from '../../common/openapi/zod-dto';
import { ApiObjectResponse } from '../../common/openapi/plain-responses';

class CreateProviderDto extends createZodDto(CreateProviderSchema) {}
class UpdateProviderDto extends createZodDto(UpdateProviderSchema) {}
class ProviderModelsQueryDto extends createZodDto(ProviderModelsQuerySchema) {}
class ProviderDto extends createZodDto(ProviderSchema) {}
class ProviderListDto extends createZodDto(ProviderListSchema) {}
class ProviderQueryDto extends createZodDto(ProviderQuerySchema) {}
class ProviderModelListDto extends createZodDto(ProviderModelListSchema) {}
class ConnectionTestResultDto extends createZodDto(ConnectionTestResultSchema) {}
class DetectedProviderListDto extends createZodDto(DetectedProviderListSchema) {}

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  /** Admins see every provider; everyone else the enabled ones. Secrets never leave the server. */
  @Get()
  @ApiOkResponse({ type: ProviderListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ProviderQueryDto) {
    return this.providers.list(user, query);
  }

  /** The kinds of server the add dialog offers, with their usual base URLs. */
  @Get('presets')
  @ApiObjectResponse('Kinds of model server, with their usual base URLs', {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          kind: { type: 'string', enum: ['openai', 'ollama', 'anthropic'] },
          baseUrl: { type: 'string' },
          local: { type: 'boolean' },
          requiresKey: { type: 'boolean' },
          acceptsTopK: { type: 'boolean' },
          docsUrl: { type: 'string' },
        },
      },
    },
  })
  presets() {
    return { items: PROVIDER_PRESETS };
  }

  /** Local model servers found on their default ports and not registered yet. */
  @RequireRole('admin')
  @Get('detected')
  @ApiOkResponse({ type: DetectedProviderListDto })
  async detected() {
    return { items: await this.providers.detected() };
  }

  @RequireRole('admin')
  @Post()
  @ApiCreatedResponse({ type: ProviderDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateProviderDto, @ReqMeta() meta: RequestMeta) {
    return this.providers.create(user, body, meta);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProviderDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.providers.get(user, id);
  }

  @RequireRole('admin')
  @Patch(':id')
  @ApiOkResponse({ type: ProviderDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: UpdateProviderDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.providers.update(user, id, body, meta);
  }

  /** Also deletes the model configs built on it; the UI confirms with their count first. */
  @RequireRole('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @ReqMeta() meta: RequestMeta) {
    await this.providers.remove(user, id, meta);
  }

  @Get(':id/models')
  @ApiOkResponse({ type: ProviderModelListDto })
  models(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Query() query: ProviderModelsQueryDto) {
    return this.providers.models(user, id, query.refresh ?? false);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({ type: ConnectionTestResultDto })
  test(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.providers.test(user, id);
  }
}
