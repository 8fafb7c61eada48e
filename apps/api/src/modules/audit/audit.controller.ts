import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditLogPageSchema, AuditLogQuerySchema } from '@modelyard/contracts';
import { RequireRole } from '../../common/auth/auth.decorators';
import { createZodDto } from '../../common/openapi/zod-dto';
import { AuditService } from './audit.service';

class AuditLogQueryDto extends createZodDto(AuditLogQuerySchema) {}
class AuditLogPageDto extends createZodDto(AuditLogPageSchema) {}

@ApiTags('admin')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('admin/audit-logs')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ type: AuditLogPageDto })
  list(@Query() query: AuditLogQueryDto) {
    return this.audit.list(query);
  }
}
