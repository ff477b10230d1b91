// CPU time spent by each party of a bench run, from /proc (Linux): the API process, the Postgres backends serving the
// bench database, Redis, and the bench process itself (autocannon). On a 2-core machine they compete for the same
// cores, so "where did the CPU go" explains the figures better than requests/s alone. Elsewhere it reports nothing.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // Linux's USER_HZ nearly everywhere
    }
  }
  return ticksPerSecond;
}

/** utime + stime of one process (all its threads), in ms; undefined once it is gone. */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces; fields after its closing parenthesis are fixed
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

function processes(predicate) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (predicate(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/**
 * Takes a snapshot now; `since()` returns CPU ms per party used in between. Postgres backends are found by the
 * database name in their process title ("postgres: wharf_app wharf_bench_… 127.0.0.1(…) idle"), so only this run's
 * connections count; backends that start in between count in full, those that end in between are lost.
 */
export function cpuMeter({ apiPid, database }) {
  const available = cpuMs(process.pid) !== undefined;
  const isBackend = (cmd) => cmd.startsWith('postgres: ') && cmd.includes(` ${database} `);
  const isRedis = (cmd) => cmd.startsWith('redis-server');
  const sum = (pids, base = new Map()) => pids.reduce((acc, pid) => acc + ((cpuMs(pid) ?? 0) - (base.get(pid) ?? 0)), 0);
  const snapshot = (pids) => new Map(pids.map((pid) => [pid, cpuMs(pid) ?? 0]));

  const api0 = cpuMs(apiPid) ?? 0;
  const pg0 = snapshot(processes(isBackend));
  const redis0 = snapshot(processes(isRedis));
  const self0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();

  return {
    since() {
      if (!available) return undefined;
      const self = process.cpuUsage(self0);
      return {
        wallMs: Number(process.hrtime.bigint() - t0) / 1e6,
        api: (cpuMs(apiPid) ?? api0) - api0,
        postgres: sum(processes(isBackend), pg0),
        redis: sum(processes(isRedis), redis0),
        bench: (self.user + self.system) / 1000,
      };
    },
  };
}
