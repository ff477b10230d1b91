import type { PlanId, QuotaLimits } from '@wharf/contracts';
import type { Tx } from '../database.js';

export interface PlanRow {
  id: PlanId;
  name: string;
  limits: QuotaLimits;
}

export class PlansRepository {
  async list(trx: Tx): Promise<PlanRow[]> {
    return trx.selectFrom('plans').select(['id', 'name', 'limits']).orderBy('createdAt').orderBy('id').execute();
  }

  async get(trx: Tx, id: PlanId): Promise<PlanRow | undefined> {
    return trx.selectFrom('plans').select(['id', 'name', 'limits']).where('id', '=', id).executeTakeFirst();
  }
}
