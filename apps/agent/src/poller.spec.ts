import type { AgentCommand, CommandResult, DeliveredCommand } from '@wharf/contracts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AbortedError } from './errors.js';
import { CommandScheduler } from './poller.js';

const tenantId = '0b6a1f3e-8f7c-4d59-9d0e-3c1b2a4d5e6f';
const scale = (app: string, replicas: number): AgentCommand => ({
  kind: 'service.scale',
  scope: { tenantId, app, environment: 'prod' },
  service: 'web',
  replicas,
});
const converge: AgentCommand = { kind: 'cluster.converge', stacks: [], prune: false, keep: [] };
let seq = 0;
const id = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A scheduler whose commands finish when the test says so. */
function harness() {
  const log: string[] = [];
  const finish = new Map<string, (v?: unknown) => void>();
  const reported: [string, CommandResult][] = [];
  const scheduler = new CommandScheduler({
    log: pino({ level: 'silent' }),
    execute: (cid, _command, signal) =>
      new Promise((resolve, reject) => {
        log.push(`start ${cid}`);
        finish.set(cid, resolve);
        signal.addEventListener('abort', () => reject(new AbortedError()));
      }),
    report: async (cid, result) => {
      log.push(`end ${cid}`);
      reported.push([cid, result]);
    },
    onFatal: () => undefined,
  });
  const done = async (cid: string) => {
    finish.get(cid)?.({ ok: cid });
    await tick();
  };
  return { scheduler, log, done, reported };
}

describe('CommandScheduler', () => {
  it('runs commands of one scope in arrival order and other scopes beside them', async () => {
    const h = harness();
    const [a1, a2, b1] = [id(), id(), id()];
    h.scheduler.deliver([
      { id: a1, command: scale('a', 1) },
      { id: a2, command: scale('a', 2) },
      { id: b1, command: scale('b', 1) },
    ]);
    await tick();
    expect(h.log).toEqual([`start ${a1}`, `start ${b1}`]);
    await h.done(a1);
    expect(h.log).toEqual([`start ${a1}`, `start ${b1}`, `end ${a1}`, `start ${a2}`]);
    expect(h.scheduler.ids().sort()).toEqual([a2, b1].sort());
    await h.done(a2);
    await h.done(b1);
    expect(h.scheduler.ids()).toEqual([]);
  });

  it('does not start a command delivered again while it is queued or running', async () => {
    const h = harness();
    const a = id();
    const delivered: DeliveredCommand = { id: a, command: scale('c', 1) };
    h.scheduler.deliver([delivered, delivered]);
    await tick();
    h.scheduler.deliver([delivered]);
    await h.done(a);
    expect(h.log).toEqual([`start ${a}`, `end ${a}`]);
    // delivered again after it finished: the result is posted again, the command is not run again
    h.scheduler.deliver([delivered]);
    await tick();
    expect(h.log).toEqual([`start ${a}`, `end ${a}`, `end ${a}`]);
    expect(h.reported.map(([, r]) => r)).toEqual([
      { ok: true, result: { ok: a } },
      { ok: true, result: { ok: a } },
    ]);
  });

  it('runs a converge alone: after what came before it, before what comes after', async () => {
    const h = harness();
    const [a, c, b] = [id(), id(), id()];
    h.scheduler.deliver([
      { id: a, command: scale('d', 1) },
      { id: c, command: converge },
      { id: b, command: scale('e', 1) },
    ]);
    await tick();
    expect(h.log).toEqual([`start ${a}`]);
    await h.done(a);
    expect(h.log.at(-1)).toBe(`start ${c}`);
    await h.done(c);
    expect(h.log.at(-1)).toBe(`start ${b}`);
    await h.done(b);
  });

  it('posts no result for commands abandoned on stop', async () => {
    const h = harness();
    h.scheduler.deliver([{ id: id(), command: scale('f', 1) }]);
    await tick();
    await h.scheduler.stop(1000);
    expect(h.reported).toEqual([]);
  });

  it('reports a failed command as ok: false with its message', async () => {
    const reported: CommandResult[] = [];
    const scheduler = new CommandScheduler({
      log: pino({ level: 'silent' }),
      execute: async () => {
        throw new Error('no service "web"');
      },
      report: async (_id, r) => {
        reported.push(r);
      },
      onFatal: () => undefined,
    });
    scheduler.deliver([{ id: id(), command: scale('g', 1) }]);
    await tick(20);
    expect(reported).toEqual([{ ok: false, error: 'no service "web"' }]);
  });
});
