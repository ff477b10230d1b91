import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { AdminOpsController } from './admin-ops.controller.js';
import { AdminOpsService } from './admin-ops.service.js';

@Module({ controllers: [AdminController, AdminOpsController], providers: [AdminService, AdminOpsService] })
export class AdminModule {}
