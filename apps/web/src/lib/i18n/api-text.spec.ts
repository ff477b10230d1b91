import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiText } from './api-text';
import { en } from './messages/en';
import { zhCN } from './messages/zh-CN';

const ROOT = path.resolve(import.meta.dirname, '../../../../..');

/** The TypeScript sources of the API and the libraries it validates with (tests aside). */
function sources(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) {
        if (name !== 'node_modules' && name !== 'dist' && name !== 'testing') walk(abs);
      } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(readFileSync(abs, 'utf8'));
    }
  };
  walk(path.join(ROOT, 'apps/api/src'));
  for (const lib of readdirSync(path.join(ROOT, 'libs'))) walk(path.join(ROOT, 'libs', lib, 'src'));
  return out.join('\n');
}

describe('texts the API writes', () => {
  it('are left as written on an English page', () => {
    expect(apiText(en, 'en', 'not a gzip-compressed archive')).toEqual({ text: 'not a gzip-compressed archive' });
    expect(apiText(en, 'en', 'anything', { code: 'too_small', params: { origin: 'string', minimum: 3 } })).toEqual({
      text: 'anything',
    });
  });

  it('read in Chinese on a Chinese page: by their words, or by their code and figures', () => {
    expect(apiText(zhCN, 'zh-CN', 'not a gzip-compressed archive')).toEqual({ text: '不是压缩归档（.tar.gz）' });
    expect(
      apiText(zhCN, 'zh-CN', 'Too small: expected string to have >=3 characters', {
        code: 'too_small',
        params: { origin: 'string', minimum: 3 },
      }),
    ).toEqual({ text: '至少 3 个字符' });
    expect(
      apiText(zhCN, 'zh-CN', 'Too big: expected number to be <=5', { code: 'too_big', params: { origin: 'number', maximum: 5 } }),
    ).toEqual({ text: '不能大于 5' });
  });

  it('stay as written, marked as English, when the dashboard does not know them', () => {
    const unknown = 'Only a brought host still waiting for its agent gets an install command.';
    expect(apiText(zhCN, 'zh-CN', unknown)).toEqual({ text: unknown, lang: 'en' });
    expect(apiText(zhCN, 'zh-CN', 'odd', { code: 'too_small', params: { origin: 'date', minimum: 1 } })).toEqual({
      text: 'odd',
      lang: 'en',
    });
  });

  it('are known by words the API really writes (a changed message is caught here)', () => {
    const code = sources();
    const missing = Object.entries(en)
      .filter(([key, text]) => key.startsWith('apiText.') && !code.includes(`'${text}'`) && !code.includes(`\`${text}\``))
      .map(([key]) => key);
    expect(missing).toEqual([]);
  });
});
