import type { Page } from 'playwright-core';

/** A control the Tab key stopped on: its accessible text, where it sits, and whether its focus shows. */
export interface FocusStop {
  name: string;
  top: number;
  /** An outline or a box-shadow ring on the focused control (computed style). */
  ring: boolean;
}

/** Tab presses before giving up on leaving the container (the page's other controls come first). */
const MAX_TABS = 25;

/**
 * Presses Tab from the top of the page and records the controls inside `container` that focus stops on, in order,
 * until focus leaves the container again (or the page's controls run out).
 */
export async function focusWalk(page: Page, container: string): Promise<FocusStop[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const stops: FocusStop[] = [];
  for (let press = 0; press < MAX_TABS; press += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate((selector) => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body || !element.closest(selector)) return null;
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
      const labelled = element as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null };
      const name = labelled.labels?.[0]?.textContent ?? element.getAttribute('aria-label') ?? element.textContent ?? '';
      return { name: name.trim(), top: element.getBoundingClientRect().top, ring: outline || style.boxShadow !== 'none' };
    }, container);
    if (stop) stops.push(stop);
    else if (stops.length > 0) break;
  }
  return stops;
}

/** Signs in on the open sign-in page with the keyboard only: Tab to the email field, type, Tab, type, Enter. */
export async function logInWithKeyboard(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let press = 0; press < MAX_TABS; press += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'email')) break;
  }
  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');
}
