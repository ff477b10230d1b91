import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProviderError } from '../errors.js';
import type { MachineRecord } from './records.js';
import { hostLinkExists, netnsExists, netnsLinkExists, run, succeeds } from './system.js';

/*
 * The local provider's network: one bridge of the host holding the subnet's .1 address, with the iptables rule that
 * lets traffic between its ports pass; each machine a network namespace plugged into the bridge by a veth pair. An
 * isolated bridge (a datacenter the control plane cannot dial into) also gets rules that refuse connections this
 * machine opens towards it and traffic between it and any other interface. What the provider added to the host is
 * written to network.json, so that removing it undoes exactly that. Callers hold the provider's lock around each
 * change.
 */

/** An iptables rule: its chain and the arguments after it. */
interface Rule {
  chain: 'FORWARD' | 'OUTPUT';
  args: string[];
}

/** What the provider added to the host's network, so that destroyAll() undoes exactly that. */
interface NetworkState {
  bridge: string;
  createdBridge: boolean;
  /** The iptables rules this provider inserted. */
  rules: Rule[];
}

/**
 * `ip link add` of a bridge with a fixed MAC address (locally administered, derived from its name). A bridge left
 * to choose its own takes the lowest MAC of its ports and changes it when that port goes: removing a machine would
 * then leave the other machines' ARP entry for the gateway stale, and their replies to this machine lost for seconds.
 */
export function bridgeAddArgs(bridge: string): string[] {
  const bytes = createHash('sha256').update(bridge).digest().subarray(0, 5);
  const mac = ['02', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
  return ['link', 'add', bridge, 'address', mac, 'type', 'bridge'];
}

export class HostNetwork {
  private readonly file: string;

  constructor(
    stateDir: string,
    readonly bridge: string,
    /** The bridge's own address (`.1`), the machines' default route. */
    readonly gateway: string,
    private readonly isolated: boolean,
  ) {
    this.file = path.join(stateDir, 'network.json');
  }

  /** The bridge with its .1 address, up, and the FORWARD rule that lets bridged traffic between machines pass. */
  async ensureBridge(): Promise<void> {
    const { bridge } = this;
    const state = this.read();
    if (!hostLinkExists(bridge)) {
      await run('ip', bridgeAddArgs(bridge));
      state.createdBridge = true;
      this.write(state);
    }
    await run('ip', ['addr', 'replace', `${this.gateway}/24`, 'dev', bridge]);
    await run('ip', ['link', 'set', bridge, 'up']);
    // inserted at the top in reverse, so that they end up in this order above whatever the chain held
    for (const rule of [...this.rules()].reverse()) {
      if (await succeeds('iptables', ['-C', rule.chain, ...rule.args])) continue;
      await run('iptables', ['-I', rule.chain, '1', ...rule.args]);
      if (!state.rules.some((r) => sameRule(r, rule))) state.rules.push(rule);
      this.write(state);
    }
  }

  private rules(): Rule[] {
    const { bridge } = this;
    // with br_netfilter loaded (Docker loads it), frames between two ports of a bridge cross the FORWARD chain,
    // whose policy Docker sets to DROP; traffic to the bridge's own address goes to INPUT instead
    const within: Rule = { chain: 'FORWARD', args: ['-i', bridge, '-o', bridge, '-j', 'ACCEPT'] };
    if (!this.isolated) return [within];
    const refuse = ['-j', 'REJECT'];
    return [
      within,
      // nothing routed in or out: the datacenter's machines reach only each other and this machine's own addresses
      { chain: 'FORWARD', args: ['-i', bridge, '!', '-o', bridge, ...refuse] },
      { chain: 'FORWARD', args: ['!', '-i', bridge, '-o', bridge, ...refuse] },
      // this machine (the control plane) answers the machines' connections but opens none towards them
      { chain: 'OUTPUT', args: ['-o', bridge, '-m', 'conntrack', '--ctstate', 'NEW', ...refuse] },
    ];
  }

  /** Takes away the iptables rules this provider inserted, and the bridge if it created it. */
  async removeBridge(): Promise<void> {
    const state = this.read();
    for (const rule of state.rules) {
      while (await succeeds('iptables', ['-C', rule.chain, ...rule.args]))
        await run('iptables', ['-D', rule.chain, ...rule.args]);
    }
    if (state.createdBridge && hostLinkExists(state.bridge)) await run('ip', ['link', 'del', state.bridge]);
    rmSync(this.file, { force: true });
  }

  async ensureNamespace(record: MachineRecord): Promise<void> {
    if (!netnsExists(record.netns)) await run('ip', ['netns', 'add', record.netns]);
  }

  /** The machine's veth pair: the host end on the bridge, the other in its namespace with its address and route. */
  async ensureLink(record: MachineRecord): Promise<void> {
    const { vethHost, vethNs, netns } = record;
    if (!hostLinkExists(vethHost)) {
      // a host end without its peer cannot exist (a veth pair goes as one); a namespace end left in the host can't either
      await run('ip', ['link', 'add', vethHost, 'type', 'veth', 'peer', 'name', vethNs]);
    }
    if (hostLinkExists(vethNs)) await run('ip', ['link', 'set', vethNs, 'netns', netns]);
    await run('ip', ['link', 'set', vethHost, 'master', this.bridge, 'up']);
    if (!(await netnsLinkExists(netns, vethNs)))
      throw new ProviderError('failed', `${vethNs} is not in ${netns}`, 'LocalLinkMissing');
    await run('ip', ['-n', netns, 'addr', 'replace', `${record.address}/24`, 'dev', vethNs]);
    await run('ip', ['-n', netns, 'link', 'set', vethNs, 'up']);
    await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    await run('ip', ['-n', netns, 'route', 'replace', 'default', 'via', this.gateway]);
  }

  /** Deletes a machine's veth pair and namespace, whichever of them is there. */
  async removeMachine(netns: string, vethHost: string): Promise<void> {
    if (hostLinkExists(vethHost)) await run('ip', ['link', 'del', vethHost]);
    if (netnsExists(netns)) await run('ip', ['netns', 'del', netns]);
  }

  private read(): NetworkState {
    try {
      const state = JSON.parse(readFileSync(this.file, 'utf8')) as NetworkState & { forwardRules?: string[][] };
      // written before rules had chains: FORWARD rules only
      const older = (state.forwardRules ?? []).map((args): Rule => ({ chain: 'FORWARD', args }));
      return { bridge: state.bridge, createdBridge: state.createdBridge, rules: [...(state.rules ?? []), ...older] };
    } catch {
      return { bridge: this.bridge, createdBridge: false, rules: [] };
    }
  }

  private write(state: NetworkState): void {
    writeFileSync(this.file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }
}

const sameRule = (a: Rule, b: Rule) => a.chain === b.chain && a.args.join(' ') === b.args.join(' ');
