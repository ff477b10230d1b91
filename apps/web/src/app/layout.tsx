import '@fontsource-variable/inter';
import '@fontsource-variable/noto-sans-sc';
// Global styles, in cascade order: later sheets override earlier ones (responsive.css must stay last).
import '@/styles/base.css';
import '@/styles/layout.css';
import '@/styles/data-display.css';
import '@/styles/components.css';
import '@/styles/apps.css';
import '@/styles/stacks.css';
import '@/styles/builds.css';
import '@/styles/clouds.css';
import '@/styles/responsive.css';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SessionProvider } from '@/features/auth/session-provider';
import { I18nProvider } from '@/lib/i18n/i18n-provider';

export const metadata: Metadata = { title: 'Wharf', description: 'Wharf dashboard' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f172a' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <I18nProvider>
          <SessionProvider>{children}</SessionProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
