import { MAX_UPLOAD_BYTES } from '@wharf/contracts';
import type { NextConfig } from 'next';

/**
 * `/api/*` reaches the API through `src/proxy.ts` (read at run time), not `rewrites()` here, which
 * Next bakes into the build. `@wharf/contracts` is consumed as its built ESM (`libs/contracts/dist`),
 * which Turbopack bundles as is, so it needs no `transpilePackages`.
 */
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  experimental: {
    // the proxy hands the API at most this much of a request body (Next's default, 10 MB, would cut a source
    // archive short): the largest upload the API takes, and room for the API to refuse a larger one itself
    proxyClientMaxBodySize: MAX_UPLOAD_BYTES + 1024 * 1024,
  },
};

export default nextConfig;
