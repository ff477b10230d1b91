import type { NextConfig } from 'next';

/**
 * `/api/*` reaches the API through `src/proxy.ts` (read at run time), not `rewrites()` here, which
 * Next bakes into the build. `@wharf/contracts` is consumed as its built ESM (`libs/contracts/dist`),
 * which Turbopack bundles as is, so it needs no `transpilePackages`.
 */
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
