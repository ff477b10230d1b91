// Summarises a V8 .cpuprofile (from `bench/api.js --cpu-prof=DIR` or `node --cpu-prof`): where the CPU went, by
// function (self and inclusive time) and by package or file. Shares are of the profiled wall time.
//
//   node bench/profile-summary.js /tmp/wharf-prof/api-members.cpuprofile [--top=25] [--match=passport]
//
// --match lists every function whose name or file contains the text, with inclusive time: "how much does X cost?".

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, match: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-summary.js FILE.cpuprofile [--top=25] [--match=TEXT]');
  process.exit(2);
}
const top = Number(args.top);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));

/** A file as a reader knows it: a package (`pg`, `@nestjs/core`) or a path in the repo. */
function where(url) {
  if (!url) return '';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    return `${pkg}/${parts.slice(parts[0].startsWith('@') ? 2 : 1).join('/')}`;
  }
  if (file.startsWith('node:')) return file;
  return path.isAbsolute(file) ? path.relative(ROOT, file) : file;
}

function packageOf(url) {
  const w = where(url);
  if (!w) return '(native / V8)';
  if (w.startsWith('node:')) return 'node core';
  if (!url.includes('/node_modules/')) return w.split('/').slice(0, 3).join('/');
  return w.startsWith('@') ? w.split('/').slice(0, 2).join('/') : w.split('/')[0];
}

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const keyOf = (n) => {
  const f = n.callFrame;
  const name = f.functionName || '(anonymous)';
  return f.url ? `${name}  ${where(f.url)}:${f.lineNumber + 1}` : name;
};

const self = new Map();
const inclusive = new Map();
const byPackage = new Map();
let total = 0;
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);

profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const n = nodes.get(id);
  add(self, keyOf(n), dt);
  add(byPackage, packageOf(n.callFrame.url), dt);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = keyOf(nodes.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    add(inclusive, k, dt);
  }
});

const idle = self.get('(idle)') ?? 0;
const pct = (v) => `${((100 * v) / total).toFixed(1).padStart(5)} %`;
const ms = (v) => `${(v / 1000).toFixed(0).padStart(7)} ms`;
const print = (title, m, filter = () => true) => {
  console.log(`\n${title}`);
  const rows = [...m.entries()]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [k, v] of rows) console.log(`${pct(v)} ${ms(v)}  ${k}`);
};

console.log(
  `${positionals[0]}: ${(total / 1e6).toFixed(2)} s profiled, idle ${pct(idle).trim()} (busy ${pct(total - idle).trim()})`,
);
if (args.match) {
  const text = args.match.toLowerCase();
  print(`inclusive time of functions matching "${args.match}"`, inclusive, (k) => k.toLowerCase().includes(text));
} else {
  print('self time by package / file', byPackage);
  print('self time by function', self);
  const skip = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);
  print('inclusive time by function (the function and what it calls)', inclusive, (k) => !skip.has(k));
}
