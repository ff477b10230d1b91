const KEY = 'wharf.lastTenant';

export function readLastTenant(): string | undefined {
  return typeof window === 'undefined' ? undefined : (window.localStorage.getItem(KEY) ?? undefined);
}

export function rememberTenant(slug: string): void {
  window.localStorage.setItem(KEY, slug);
}
