import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { RebuildProjectionHandler } from './rebuild-projection.handler';

@Module({ controllers: [AdminController], providers: [RebuildProjectionHandler] })
export class AdminModule {}
