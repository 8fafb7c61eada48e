import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  BatchDeleteResultSchema,
  BatchDeleteSchema,
  ConnectionTestResultSchema,
  CreateModelConfigSchema,
  ModelConfigPageSchema,
  ModelConfigQuerySchema,
  ModelConfigSchema,
  ModelConfigUsageSchema,
  UpdateModelConfigSchema,
} from '@modelyard/contracts';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { ModelConfigsService } from './model-configs.service';
import { idParam } from '../../common/http/id-param';
import { createZodDto } from '../../common/openapi/zod-dto';

class CreateModelConfigDto extends createZodDto(CreateModelConfigSchema) {}
class UpdateModelConfigDto extends createZodDto(UpdateModelConfigSchema) {}
class ModelConfigQueryDto extends createZodDto(ModelConfigQuerySchema) {}
class BatchDeleteDto extends createZodDto(BatchDeleteSchema) {}
class ModelConfigDto extends createZodDto(ModelConfigSchema) {}
class ModelConfigPageDto extends createZodDto(ModelConfigPageSchema) {}
class ModelConfigUsageDto extends createZodDto(ModelConfigUsageSchema) {}
class BatchDeleteResultDto extends createZodDto(BatchDeleteResultSchema) {}
class ConnectionTestResultDto extends createZodDto(ConnectionTestResultSchema) {}

@ApiTags('model-configs')
@ApiBearerAuth()
@Controller('model-configs')
export class ModelConfigsController {
  constructor(
    private readonly configs: ModelConfigsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The caller's own configs and those an admin shared with everyone. */
  @Get()
  @ApiOkResponse({ type: ModelConfigPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ModelConfigQueryDto) {
    return this.configs.list(user, query);
  }

  @Post()
  @ApiCreatedResponse({ type: ModelConfigDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateModelConfigDto, @ReqMeta() meta: RequestMeta) {
    return this.configs.create(user, body, meta);
  }

  /** Deletes the listed configs the caller may delete; reports the others as skipped. */
  @Post('batch-delete')
  @HttpCode(200)
  @ApiOkResponse({ type: BatchDeleteResultDto })
  removeMany(@CurrentUser() user: AuthUser, @Body() body: BatchDeleteDto) {
    return this.configs.removeMany(user, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: ModelConfigDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.configs.get(user, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ModelConfigDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: UpdateModelConfigDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.configs.update(user, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    await this.configs.remove(user, id);
  }

  /** How many of the caller's chat sessions use it (admins: everyone's), to warn before deleting it. */
  @Get(':id/usage')
  @ApiOkResponse({ type: ModelConfigUsageDto })
  usage(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.configs.usage(user, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({ type: ConnectionTestResultDto })
  test(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.configs.test(user, id, this.config.env.LLM_TEST_TIMEOUT_MS);
  }

  @Post(':id/default')
  @HttpCode(200)
  @ApiOkResponse({ type: ModelConfigDto })
  setDefault(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.configs.setDefault(user, id);
  }

  @Post(':id/duplicate')
  @ApiCreatedResponse({ type: ModelConfigDto })
  duplicate(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.configs.duplicate(user, id);
  }
}
