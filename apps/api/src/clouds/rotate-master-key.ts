import { AAD, Keyring } from '@wharf/crypto';
import { CloudAccountsRepository, type Database } from '@wharf/db';

export interface RotationReport {
  /** Secrets whose data key is now wrapped by the current master key. */
  rewrapped: number;
  /** Secrets that already were. */
  current: number;
  /** Secrets changed or deleted while the rotation ran (a newer value is sealed under the current key already). */
  skipped: number;
}

/**
 * Re-wraps every cloud account secret under the keyring's current master key (MASTER_KEY), across all tenants
 * (platform scope), one batch per transaction. Values stay as they are; only their data keys are re-wrapped, so a
 * run that stops half-way is simply run again. Once it reports nothing left to re-wrap, the previous keys can go.
 */
export async function rotateMasterKey(db: Database, keyring: Keyring, batchSize = 200): Promise<RotationReport> {
  const accounts = new CloudAccountsRepository();
  const report: RotationReport = { rewrapped: 0, current: 0, skipped: 0 };
  let after: { tenantId: string; id: string } | undefined;
  for (;;) {
    const rows = await db.withPlatform(async (scope) => {
      const page = await accounts.sealedPage(scope, batchSize, after);
      for (const row of page) {
        if (row.secretSealed === null) continue;
        if (Keyring.keyIdOf(row.secretSealed) === keyring.currentId) {
          report.current += 1;
          continue;
        }
        const to = keyring.rewrap(row.secretSealed, AAD.cloudAccount(row.tenantId, row.id));
        if (await accounts.rewrapped(scope, row, row.secretSealed, to)) report.rewrapped += 1;
        else report.skipped += 1;
      }
      return page;
    });
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return report;
    after = { tenantId: last.tenantId, id: last.id };
  }
}
