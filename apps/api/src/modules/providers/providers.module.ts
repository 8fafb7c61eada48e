import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { AuditModule } from '../audit/audit.module';
import { LlmGatewayRepository } from './llm-gateway.repository';
import { ProviderEntity } from './provider.entity';
import { ProvidersController } from './providers.controller';
import { ProvidersRepository } from './providers.repository';
import { ProvidersService } from './providers.service';

@Module({
  imports: [TypeOrmModule.forFeature([ProviderEntity]), AuditModule],
  controllers: [ProvidersController],
  providers: [ProvidersRepository, ProvidersService, LlmGatewayRepository, SecretBox],
  exports: [ProvidersService, ProvidersRepository, LlmGatewayRepository],
})
export class ProvidersModule {}
