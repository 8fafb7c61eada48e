import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModelConfigsModule } from '../model-configs/model-configs.module';
import { PromptsModule } from '../prompts/prompts.module';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatSessionEntity } from './chat-session.entity';
import { ChatController } from './chat.controller';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';
import { GenerationEventsRepository } from './generation-events.repository';
import { GenerationsService } from './generations.service';

@Module({
  imports: [TypeOrmModule.forFeature([ChatSessionEntity, ChatMessageEntity]), ModelConfigsModule, PromptsModule],
  controllers: [ChatController],
  providers: [ChatRepository, ChatService, GenerationsService, GenerationEventsRepository],
  exports: [ChatService, ChatRepository, GenerationsService],
})
export class ChatModule {}
