import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Keyring, SecretBox } from '@wharf/crypto';
import { Database } from '@wharf/db';
import { Bus, JobQueues } from '@wharf/queue';
import { Redis } from 'ioredis';
import { CONFIG, type Config } from '../config.js';
import { AuditService } from './audit.service.js';
import { BUS, DATABASE, KEYRING, QUEUES, REDIS, SECRET_BOX } from './tokens.js';

/** Configuration, the Postgres pool, Redis (client, pub/sub bus, queues) and the audit log, for every feature module. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(QUEUES) private readonly queues: JobQueues,
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
        { provide: KEYRING, useFactory: () => Keyring.fromBase64(config.MASTER_KEY, config.MASTER_KEYS_PREVIOUS) },
        { provide: BUS, useFactory: (redis: Redis) => new Bus(redis), inject: [REDIS] },
        { provide: QUEUES, useFactory: (redis: Redis) => new JobQueues(redis, config.QUEUE_PREFIX), inject: [REDIS] },
        AuditService,
      ],
      exports: [CONFIG, DATABASE, REDIS, SECRET_BOX, KEYRING, BUS, QUEUES, AuditService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    this.bus.close();
    await this.db.close();
    this.redis.disconnect();
  }
}
