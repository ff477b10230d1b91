import { z } from 'zod';

/*
 * Image references: the distribution/reference grammar, with an explicit registry host.
 */

// ---------------------------------------------------------------------------------------------------------------

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const IMAGE_REF = new RegExp(
  `^(?<registry>${HOST}(?::[0-9]{1,5})?)/(?<path>${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(?<tag>${TAG}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$`,
);

export interface ImageReference {
  /** `host[:port]`, e.g. `127.0.0.1:5000`, `ghcr.io`. */
  registry: string;
  /** Repository path below the registry, lowercase. */
  path: string;
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

/**
 * Parses a full image reference (`host[:port]/path[:tag][@sha256:…]`); undefined when it is not one. A registry
 * host is required: a bare `nginx` would make the engine ask Docker Hub, which is a decision for the caller
 * (`normaliseImage` expands the familiar short forms).
 */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (ref.length > 512) return undefined;
  const m = IMAGE_REF.exec(ref);
  const g = m?.groups;
  if (!g?.registry || !g.path) return undefined;
  const first = g.registry.split(':')[0] ?? '';
  // Docker's own rule: the first component is a registry only if it has a dot, a port, or is `localhost`.
  const looksLikeHost =
    g.registry.includes('.') || g.registry.includes(':') || first === 'localhost' || g.registry.startsWith('[');
  if (!looksLikeHost) return undefined;
  const port = /:(\d+)$/.exec(g.registry)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  // distribution: the name (registry + path) is at most 255 characters
  if (g.registry.length + 1 + g.path.length > 255) return undefined;
  return { registry: g.registry, path: g.path, ...(g.tag ? { tag: g.tag } : {}), ...(g.digest ? { digest: g.digest } : {}) };
}

/**
 * Expands Docker's familiar short forms to a full reference: `nginx` → `docker.io/library/nginx`,
 * `me/app:1` → `docker.io/me/app:1`. A reference that already names a registry is returned unchanged.
 */
export function normaliseImage(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
  if (hasRegistry) return ref;
  return slash === -1 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
}

/** A full image reference; without tag or digest, `:latest` is made explicit. */
export const ImageRef = z
  .string()
  .refine(
    (s) => parseImageReference(s) !== undefined,
    'not a full image reference: registry-host[:port]/lowercase/path[:tag][@sha256:<64 hex>]',
  )
  .transform((s) => {
    const r = parseImageReference(s);
    return r && !r.tag && !r.digest ? `${s}:latest` : s;
  });
