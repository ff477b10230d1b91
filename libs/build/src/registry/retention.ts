import type { RegistryClient } from './registry-client.js';

export interface RetentionResult {
  /** Manifest digests deleted. */
  deleted: string[];
  /** The tags that pointed at them. */
  deletedTags: string[];
}

/**
 * Keeps the newest `keep` tags of `repo` and deletes the manifests of the others, except:
 * - a digest in `protectedDigests` (what a running deployment uses) or that a kept tag also points at: deleting a
 *   manifest deletes every tag on it;
 * - a tag `order` leaves out of its answer: what cannot be ordered is never deleted.
 * `order` sorts tags newest first. Safe to run twice (gone is success). Blobs are freed by the registry's garbage
 * collection, not here.
 */
export async function applyRetention(
  client: RegistryClient,
  repo: string,
  keep: number,
  protectedDigests: ReadonlySet<string>,
  order: (tags: string[]) => string[],
): Promise<RetentionResult> {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError('keep must be a whole number, 0 or more');
  const tags = await client.tags(repo);
  const known = new Set(tags);
  const ordered = [...new Set(order([...tags]))].filter((t) => known.has(t));
  const kept = ordered.slice(0, keep);
  const candidates = ordered.slice(keep);
  if (candidates.length === 0) return { deleted: [], deletedTags: [] };

  const orderedSet = new Set(ordered);
  const unordered = tags.filter((t) => !orderedSet.has(t));
  const spared = new Set(protectedDigests);
  for (const tag of [...kept, ...unordered]) {
    const digest = await client.manifestDigest(repo, tag);
    if (digest) spared.add(digest);
  }

  const deleted = new Set<string>();
  const deletedTags: string[] = [];
  for (const tag of candidates) {
    const digest = await client.manifestDigest(repo, tag);
    if (!digest || spared.has(digest)) continue;
    if (!deleted.has(digest)) await client.deleteManifest(repo, digest);
    deleted.add(digest);
    deletedTags.push(tag);
  }
  return { deleted: [...deleted], deletedTags };
}
