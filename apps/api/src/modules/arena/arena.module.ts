import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChatModule } from '../chat/chat.module';
import { ModelConfigsModule } from '../model-configs/model-configs.module';
import { UsersModule } from '../users/users.module';
import { ArenaController } from './arena.controller';
import { ArenaRepository } from './arena.repository';
import { ArenaService } from './arena.service';

@Module({
  imports: [ChatModule, ModelConfigsModule, UsersModule, AuditModule],
  controllers: [ArenaController],
  providers: [ArenaRepository, ArenaService],
})
export class ArenaModule {}
