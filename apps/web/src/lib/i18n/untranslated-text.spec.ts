import { describe, expect, it } from 'vitest';
import { untranslatedPieces, untranslatedWords } from '../../../e2e/untranslated-text';
import { zhCN } from './messages/zh-CN';

describe('untranslatedWords', () => {
  it('finds English words left in a Chinese text', () => {
    expect(untranslatedWords('部署 Deploy now')).toEqual(['Deploy', 'now']);
    expect(untranslatedWords('Cancel')).toEqual(['Cancel']);
    expect(untranslatedWords('No git account is connected yet.')).toEqual(['No', 'connected', 'yet']);
    expect(untranslatedWords('It’s 3 o’clock')).toEqual(['It’s', 'o’clock']);
  });

  it('lets product names, acronyms and units through', () => {
    expect(untranslatedWords('在 Wharf 上运行 Docker 镜像')).toEqual([]);
    expect(untranslatedWords('连接 GitHub、GitLab 或 Gitee 账号')).toEqual([]);
    expect(untranslatedWords('每个副本的 CPU（毫核）· 512 MiB · 2 vCPU')).toEqual([]);
    expect(untranslatedWords('HTTP 端口；API 令牌；SSH 部署密钥；YAML')).toEqual([]);
    expect(untranslatedWords('Amazon Web Services：任意地域的 EC2 实例。')).toEqual([]);
  });

  it('lets technical tokens through: URLs, addresses, refs, paths, ids, commands', () => {
    expect(untranslatedWords('访问 https://demo.apps.example.com/health 查看')).toEqual([]);
    expect(untranslatedWords('发给 ada@example.com')).toEqual([]);
    expect(untranslatedWords('镜像 ghcr.io/acme/web:1.4，分支 main@1a2b3c4')).toEqual([]);
    expect(untranslatedWords('每行一个 KEY=value；NODE_ENV=production')).toEqual([]);
    expect(untranslatedWords('arn:aws:iam::123456789012:role/wharf')).toEqual([]);
    expect(untranslatedWords('npm ci，然后 npm run build，再 wharf deploy')).toEqual([]);
    expect(untranslatedWords('操作标识，例如 members.update')).toEqual([]);
    expect(untranslatedWords('团队的 ExternalId')).toEqual([]);
    expect(untranslatedWords('使用主机的网络栈（network_mode: host）')).toEqual([]);
    expect(untranslatedWords('按 Ctrl+C 或 ⌘C 复制；docker-compose 文件；例如“production”或“eu-west”')).toEqual([]);
  });

  it('lets the allowed things through, literally or by pattern', () => {
    expect(untranslatedWords('应用 demo 运行中', ['demo'])).toEqual([]);
    expect(untranslatedWords('应用 demo 运行中 sample', [/\b(demo|sample)\b/])).toEqual([]);
    expect(untranslatedWords('应用 demo 运行中')).toEqual(['demo']);
  });

  it('ignores an empty allowed string (a name not known yet), rather than splitting the text into letters', () => {
    expect(untranslatedWords('创建 Wharf 账号', [''])).toEqual([]);
    expect(untranslatedWords('创建 Wharf 账号 now', ['', 'x'])).toEqual(['now']);
  });
});

describe('untranslatedPieces', () => {
  it('returns each piece holding an untranslated word once, trimmed, in order', () => {
    expect(untranslatedPieces(['  应用  ', 'Deploy now\n', '部署', 'Deploy   now', 'Logs'])).toEqual(['Deploy now', 'Logs']);
    expect(untranslatedPieces(['Wharf', '', '   ', '512 MiB'])).toEqual([]);
  });
});

describe('the Chinese dictionary', () => {
  it('has no English left, placeholders aside', () => {
    const left = Object.entries(zhCN)
      .map(([key, text]) => [key, untranslatedWords(text.replace(/\{\w+\}/g, ' '))] as const)
      .filter(([, words]) => words.length > 0);
    expect(Object.fromEntries(left)).toEqual({});
  });
});
