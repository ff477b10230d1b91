import type { Page } from 'playwright-core';
import { type Allowed, untranslatedPieces } from './untranslated-text.js';

export type { Allowed } from './untranslated-text.js';

export interface UntranslatedOptions {
  /** What the user typed or the API named (app names, image refs, branch names, e-mail addresses…). */
  allow?: readonly Allowed[];
}

/**
 * The visible texts of the page, one per text node, plus the `aria-label`, `placeholder`, `title` and `alt` of its
 * visible elements. Left out: one-word placeholders (example values), code (`code`, `pre`, `kbd`, `samp`), what the user
 * types (inputs, textareas, editors such as the YAML one), content
 * marked as another language than the page's (`lang="en"` on an API's message) and anything inside
 * `[data-i18n-ignore]` (the language switcher, which names each language in itself).
 * Runs in the browser: self-contained.
 */
function collectVisibleTexts(): string[] {
  const pageLang = document.documentElement.lang;
  const SKIPPED = 'code, pre, kbd, samp, script, style, noscript, textarea, [contenteditable], [data-i18n-ignore]';
  const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'alt'];

  const shown = (element: Element): boolean => {
    if (element.closest(SKIPPED)) return false;
    const lang = element.closest('[lang]')?.getAttribute('lang') ?? pageLang;
    if (lang !== pageLang) return false;
    // options of a visible <select> count as shown: they are what the user picks from
    const select = element.closest('select');
    return (select ?? element).checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  };

  const texts: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    if (text.trim() !== '' && node.parentElement && shown(node.parentElement)) texts.push(text);
  }
  for (const element of document.body.querySelectorAll(ATTRIBUTES.map((a) => `[${a}]`).join(', '))) {
    if (!shown(element)) continue;
    for (const attribute of ATTRIBUTES) {
      const value = element.getAttribute(attribute)?.trim() ?? '';
      // a one-word placeholder is an example value (`staging`, `main`, `nginx:1.27`), not a sentence
      if (value === '' || (attribute === 'placeholder' && !/\s/.test(value))) continue;
      texts.push(value);
    }
  }
  for (const input of document.body.querySelectorAll<HTMLInputElement>('input[type="submit"], input[type="button"]')) {
    if (shown(input) && input.value.trim() !== '') texts.push(input.value);
  }
  return texts;
}

/**
 * The pieces of the page's visible text (and accessible names, placeholders and tooltips) that hold Latin words
 * that are neither product names, units, technical tokens, nor in `allow`: what was left untranslated.
 * `[]` on a page fully in the chosen language.
 */
export async function untranslatedText(page: Page, options: UntranslatedOptions = {}): Promise<string[]> {
  const texts = await page.evaluate(collectVisibleTexts);
  return untranslatedPieces(texts, options.allow);
}
