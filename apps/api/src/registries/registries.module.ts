import { Module } from '@nestjs/common';
import { RegistriesController } from './registries.controller.js';
import { RegistriesService } from './registries.service.js';

@Module({ controllers: [RegistriesController], providers: [RegistriesService], exports: [RegistriesService] })
export class RegistriesModule {}
