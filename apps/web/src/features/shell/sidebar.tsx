'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { isActive, type NavSection } from './nav';

export function Sidebar({ sections }: { sections: readonly NavSection[] }) {
  const pathname = usePathname();
  const { t } = useI18n();
  return (
    <nav className="sidebar" aria-label={t('nav.label')}>
      {sections.map((section) => (
        <div className="sidebar-section" key={section.title}>
          <p className="sidebar-title">{t(section.title)}</p>
          <ul>
            {section.items.map((item) => {
              const active = isActive(item, pathname);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    className={active ? 'sidebar-link active' : 'sidebar-link'}
                    aria-current={active ? 'page' : undefined}
                  >
                    {t(item.label)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
