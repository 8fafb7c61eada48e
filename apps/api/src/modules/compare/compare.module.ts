import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { ModelConfigsModule } from '../model-configs/model-configs.module';
import { PromptsModule } from '../prompts/prompts.module';
import { CompareController } from './compare.controller';
import { CompareRepository } from './compare.repository';
import { CompareService } from './compare.service';

@Module({
  imports: [ChatModule, ModelConfigsModule, PromptsModule],
  controllers: [CompareController],
  providers: [CompareRepository, CompareService],
})
export class CompareModule {}
