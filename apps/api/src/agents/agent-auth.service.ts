import { Inject, Injectable } from '@nestjs/common';
import { AGENT_CREDENTIAL_PREFIX, UnauthenticatedError } from '@wharf/contracts';
import { hashToken } from '@wharf/crypto';
import { type AgentKind, AgentsRepository, Database } from '@wharf/db';
import { DATABASE } from '../core/tokens.js';

/** The agent behind a request (agent routes only). */
export interface AgentPrincipal {
  agentId: string;
  clusterId: string;
  /** A broker's heartbeat tells nothing of the cluster's engine (it has none of its own). */
  kind?: AgentKind;
}

/** Verifies agent credentials: stored as SHA-256 hashes, revocable, replaced on rotation. */
@Injectable()
export class AgentAuthService {
  private readonly agents = new AgentsRepository();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async verify(credential: string): Promise<AgentPrincipal> {
    if (!credential.startsWith(AGENT_CREDENTIAL_PREFIX)) throw new UnauthenticatedError('Not an agent credential.');
    const agent = await this.db.withPlatform((p) => this.agents.findByCredential(p, hashToken(credential)));
    if (!agent) throw new UnauthenticatedError('Unknown or revoked agent credential.');
    return { agentId: agent.id, clusterId: agent.clusterId, kind: agent.kind };
  }
}
