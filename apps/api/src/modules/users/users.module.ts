import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AdminUsersController } from './admin-users.controller';
import { AvatarStorageRepository } from './avatar-storage.repository';
import { UserAvatarController } from './user-avatar.controller';
import { UsersDirectoryController } from './users-directory.controller';
import { UserAuthStateCache } from './user-auth-state.cache';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), AuditModule],
  controllers: [AdminUsersController, UserAvatarController, UsersDirectoryController],
  providers: [UsersRepository, UsersService, UserAuthStateCache, AvatarStorageRepository],
  exports: [UsersRepository, UsersService, UserAuthStateCache],
})
export class UsersModule {}
