import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SecretBox } from '@wharf/crypto';
import { Database } from '@wharf/db';
import { Redis } from 'ioredis';
import { CONFIG, type Config } from '../config.js';
import { AuditService } from './audit.service.js';
import { DATABASE, REDIS, SECRET_BOX } from './tokens.js';

/** Configuration, the Postgres pool, the Redis client and the audit log, for every feature module. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(config: Config): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: config },
        {
          provide: DATABASE,
          useFactory: () => new Database({ connectionString: config.DATABASE_URL, maxConnections: config.DATABASE_POOL_SIZE }),
        },
        { provide: REDIS, useFactory: () => new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 3 }) },
        { provide: SECRET_BOX, useFactory: () => SecretBox.fromBase64(config.MASTER_KEY) },
        AuditService,
      ],
      exports: [CONFIG, DATABASE, REDIS, SECRET_BOX, AuditService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
    this.redis.disconnect();
  }
}
