import { BuildsRepository, type Database, type TenantId } from '@wharf/db';
import { type Bus, CHANNELS } from '@wharf/queue';
import type { Logger } from 'pino';

const FLUSH_MS = 250;
const CHUNK_BYTES = 64 * 1024;
/** A build's log is capped: a build that prints more keeps its last lines in the builder's own log only. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;

/** A numbered piece of a build's log, as stored. */
export interface LogChunk {
  seq: number;
  text: string;
}

/**
 * A build's log as it happens: lines (masked by the caller) gathered into chunks, written to Postgres every quarter
 * second and announced on the build's channel so every SSE reader sees them at once. Chunks are numbered from the
 * last one already stored, so a build taken over after a crash appends to what its first builder wrote.
 */
export class BuildLog {
  private readonly builds = new BuildsRepository();
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private truncated = false;

  private constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly tenantId: TenantId,
    private readonly buildId: string,
    private seq: number,
  ) {}

  /** The build's log, appending after chunk `lastSeq` (-1 when none is stored yet). */
  static resume(db: Database, bus: Bus, log: Logger, tenantId: TenantId, buildId: string, lastSeq: number): BuildLog {
    return new BuildLog(db, bus, log, tenantId, buildId, lastSeq);
  }

  line(text: string): void {
    if (this.truncated) return;
    if (this.written + this.pendingBytes > MAX_LOG_BYTES) {
      this.truncated = true;
      this.pending.push('… the log is longer than 8 MiB: the rest is not kept');
    } else {
      this.pending.push(text);
      this.pendingBytes += text.length + 1;
    }
    if (this.pendingBytes >= CHUNK_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is pending; resolves when everything given so far is stored. */
  flush(): Promise<void> {
    const chunk = this.nextChunk();
    return chunk ? this.store(chunk) : this.flushing;
  }

  /** Stores a chunk handed over whose transaction failed, under its number, after what is being written. */
  takeBack(chunk: LogChunk): Promise<void> {
    return this.store(chunk);
  }

  private store({ seq, text }: LogChunk): Promise<void> {
    this.flushing = this.flushing
      .then(async () => {
        await this.db.withTenant(this.tenantId, null, (s) => this.builds.appendLog(s, this.buildId, seq, text));
        await this.bus.publish(CHANNELS.build(this.buildId));
      })
      // a chunk that cannot be stored is lost from the stored log, never from the build: say so where it can be seen
      .catch((err: Error) => this.log.error({ buildId: this.buildId, seq, err: err.message }, 'build log chunk not stored'));
    return this.flushing;
  }

  /**
   * The lines given so far and not yet written, as the log's next chunk, for the caller to store in a transaction of
   * its own (the build's success, so that whoever sees the build ended finds its whole log); resolves once every
   * chunk before it is stored.
   */
  async handOver(): Promise<LogChunk | undefined> {
    const chunk = this.nextChunk();
    await this.flushing;
    return chunk;
  }

  private nextChunk(): LogChunk | undefined {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return undefined;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.written += this.pendingBytes;
    this.pendingBytes = 0;
    return { seq: ++this.seq, text };
  }
}
