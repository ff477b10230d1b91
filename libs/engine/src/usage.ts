import type { StackSpec } from './model.js';

/** What a stack holds of a tenant's quota: its services, and the CPU and memory limits of all their replicas. */
export interface StackUsage {
  services: number;
  cpuMillis: number;
  memoryMiB: number;
}

export function stackUsage(stack: Pick<StackSpec, 'services'>): StackUsage {
  let cpuMillis = 0;
  let memoryMiB = 0;
  for (const s of stack.services) {
    cpuMillis += s.replicas * s.resources.limits.cpuMillis;
    memoryMiB += s.replicas * s.resources.limits.memoryMiB;
  }
  return { services: stack.services.length, cpuMillis, memoryMiB };
}
