import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  type PipeTransform,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreatePromptSchema,
  PaginationQuerySchema,
  PromptCategoriesSchema,
  PROMPT_VERSION_MAX,
  PromptDiffQuerySchema,
  PromptDiffSchema,
  PromptExportQuerySchema,
  PromptImportResultSchema,
  PromptLabelNameSchema,
  PromptLibraryExportSchema,
  PromptPageSchema,
  PromptQuerySchema,
  PromptSchema,
  PromptTagsSchema,
  PromptVersionPageSchema,
  PromptVersionSchema,
  RenderedPromptSchema,
  RenderPromptSchema,
  SetPromptLabelSchema,
  UpdatePromptSchema,
} from '@modelyard/contracts';
import type { FastifyReply } from 'fastify';
import { ZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta } from '../../common/auth/auth.decorators';
import { PromptsErrorCode, promptsError } from './prompts.errors';
import { PromptsService } from './prompts.service';
import { idParam } from '../../common/http/id-param';
import { BodyLimit, IMPORT_BODY_LIMIT } from '../../common/http/body-limit';
import { sendDownload } from '../../common/http/download';
import { createZodDto } from '../../common/openapi/zod-dto';

class CreatePromptDto extends createZodDto(CreatePromptSchema) {}
class UpdatePromptDto extends createZodDto(UpdatePromptSchema) {}
class PromptQueryDto extends createZodDto(PromptQuerySchema) {}
class PageQueryDto extends createZodDto(PaginationQuerySchema) {}
class RenderPromptDto extends createZodDto(RenderPromptSchema) {}
class SetPromptLabelDto extends createZodDto(SetPromptLabelSchema) {}
class PromptDiffQueryDto extends createZodDto(PromptDiffQuerySchema) {}
class PromptExportQueryDto extends createZodDto(PromptExportQuerySchema) {}
class PromptLibraryExportDto extends createZodDto(PromptLibraryExportSchema) {}
/** The body is optional: a bare POST restores with the default note. */
class RestoreDto extends createZodDto(z.object({ changeNote: z.string().trim().max(500).optional() }).default({})) {}
class PromptDto extends createZodDto(PromptSchema) {}
class PromptPageDto extends createZodDto(PromptPageSchema) {}
class PromptVersionDto extends createZodDto(PromptVersionSchema) {}
class PromptVersionPageDto extends createZodDto(PromptVersionPageSchema) {}
class PromptDiffDto extends createZodDto(PromptDiffSchema) {}
class RenderedPromptDto extends createZodDto(RenderedPromptSchema) {}
class PromptCategoriesDto extends createZodDto(PromptCategoriesSchema) {}
class PromptTagsDto extends createZodDto(PromptTagsSchema) {}
class PromptImportResultDto extends createZodDto(PromptImportResultSchema) {}

/** A version number in the path: anything but a positive 32-bit integer names no version. */
const versionNumber: PipeTransform<string, number> = {
  transform(value: string): number {
    const version = /^\d{1,10}$/.test(value) ? Number(value) : 0;
    if (version < 1 || version > PROMPT_VERSION_MAX) {
      throw promptsError(PromptsErrorCode.VersionNotFound, 'No such version');
    }
    return version;
  },
};
const labelName = new ZodValidationPipe(PromptLabelNameSchema);

@ApiTags('prompts')
@ApiBearerAuth()
@Controller('prompts')
export class PromptsController {
  constructor(private readonly prompts: PromptsService) {}

  /** Prompts the caller may read, filtered and sorted; the caller's favourites first. */
  @Get()
  @ApiOkResponse({ type: PromptPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PromptQueryDto) {
    return this.prompts.list(user, query);
  }

  @Post()
  @ApiCreatedResponse({ type: PromptDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreatePromptDto, @ReqMeta() meta: RequestMeta) {
    return this.prompts.create(user, body, meta);
  }

  /** Built-in categories and the custom ones in use, with counts over the prompts the caller may read. */
  @Get('categories')
  @ApiOkResponse({ type: PromptCategoriesDto })
  categories(@CurrentUser() user: AuthUser) {
    return this.prompts.categories(user);
  }

  @Get('tags')
  @ApiOkResponse({ type: PromptTagsDto })
  tags(@CurrentUser() user: AuthUser) {
    return this.prompts.tags(user);
  }

  /** A JSON file of the listed prompts (`ids=a,b`), or of every prompt the caller owns. */
  @Get('export')
  @ApiProduces('application/json')
  @ApiOkResponse({ type: PromptLibraryExportDto })
  async export(@CurrentUser() user: AuthUser, @Query() query: PromptExportQueryDto, @Res() reply: FastifyReply) {
    const library = await this.prompts.exportLibrary(user, query.ids);
    const filename = `modelyard-prompts_${new Date().toISOString().slice(0, 10)}.json`;
    await sendDownload(reply, {
      filename,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(library, null, 2),
    });
  }

  /** Imports an export as private prompts of the caller; clashing names get a " (2)" suffix. */
  @Post('import')
  @BodyLimit(IMPORT_BODY_LIMIT)
  @ApiCreatedResponse({ type: PromptImportResultDto })
  import(@CurrentUser() user: AuthUser, @Body() body: PromptLibraryExportDto) {
    return this.prompts.importLibrary(user, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: PromptDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.prompts.get(user, id);
  }

  /** A change of content or variables makes a new immutable version; other fields are metadata. */
  @Patch(':id')
  @ApiOkResponse({ type: PromptDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: UpdatePromptDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.prompts.update(user, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @ReqMeta() meta: RequestMeta) {
    await this.prompts.remove(user, id, meta);
  }

  /** A private copy in the caller's library of any prompt they may read. */
  @Post(':id/copy')
  @ApiCreatedResponse({ type: PromptDto })
  copy(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.prompts.copy(user, id);
  }

  @Put(':id/favorite')
  @HttpCode(204)
  @ApiNoContentResponse()
  async favorite(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    await this.prompts.setFavorite(user, id, true);
  }

  @Delete(':id/favorite')
  @HttpCode(204)
  @ApiNoContentResponse()
  async unfavorite(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    await this.prompts.setFavorite(user, id, false);
  }

  /** Newest first. */
  @Get(':id/versions')
  @ApiOkResponse({ type: PromptVersionPageDto })
  versions(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Query() query: PageQueryDto) {
    return this.prompts.versions(user, id, query.page, query.pageSize);
  }

  @Get(':id/versions/:version')
  @ApiOkResponse({ type: PromptVersionDto })
  version(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Param('version', versionNumber) version: number,
  ) {
    return this.prompts.version(user, id, version);
  }

  /** Restores an old version's content as a new version. */
  @Post(':id/versions/:version/restore')
  @HttpCode(200)
  @ApiOkResponse({ type: PromptDto })
  restore(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Param('version', versionNumber) version: number,
    @Body() body: RestoreDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.prompts.restore(user, id, version, body?.changeNote, meta);
  }

  @Get(':id/diff')
  @ApiOkResponse({ type: PromptDiffDto })
  diff(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Query() query: PromptDiffQueryDto) {
    return this.prompts.diff(user, id, query.from, query.to);
  }

  /** Points a label (e.g. `production`) at a version; consumers may pin the label instead of a number. */
  @Put(':id/labels/:label')
  @ApiOkResponse({ type: PromptDto })
  setLabel(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Param('label', labelName) label: string,
    @Body() body: SetPromptLabelDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.prompts.setLabel(user, id, label, body.version, meta);
  }

  @Delete(':id/labels/:label')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeLabel(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Param('label') label: string,
    @ReqMeta() meta: RequestMeta,
  ) {
    await this.prompts.removeLabel(user, id, label, meta);
  }

  /** The text with variables filled in, and the variables still missing (left as `{{name}}`). */
  @Post(':id/render')
  @HttpCode(200)
  @ApiOkResponse({ type: RenderedPromptDto })
  render(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Body() body: RenderPromptDto) {
    return this.prompts.render(user, id, body);
  }
}
