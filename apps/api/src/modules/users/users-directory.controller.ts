import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UserDirectoryQuerySchema, UserDirectorySchema } from '@modelyard/contracts';
import { UsersRepository } from './users.repository';
import { createZodDto } from '../../common/openapi/zod-dto';

class UserDirectoryQueryDto extends createZodDto(UserDirectoryQuerySchema) {}
class UserDirectoryDto extends createZodDto(UserDirectorySchema) {}

const DIRECTORY_LIMIT = 10;

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersDirectoryController {
  constructor(private readonly users: UsersRepository) {}

  /** Up to ten active colleagues matching a name or e-mail (≥ 2 characters), to add to a team. */
  @Get('directory')
  @ApiOkResponse({ type: UserDirectoryDto })
  async directory(@Query() query: UserDirectoryQueryDto) {
    const rows = await this.users.directory(query.search, DIRECTORY_LIMIT);
    return { items: rows.map((u) => ({ id: u.id, nickname: u.nickname, email: u.email })) };
  }
}
