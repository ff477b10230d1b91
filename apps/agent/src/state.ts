import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, errorMessage } from './errors.js';

/** What the agent keeps between restarts: who it is and the credential it authenticates with. */
export const AgentState = z.strictObject({
  agentId: z.uuid(),
  clusterId: z.uuid(),
  credential: z.string().min(1),
});
export type AgentState = z.output<typeof AgentState>;

/** The saved state, or undefined when the file does not exist (first start). */
export async function readState(file: string): Promise<AgentState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read the agent state file ${file}: ${errorMessage(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`the agent state file ${file} is not JSON`);
  }
  const parsed = AgentState.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(`the agent state file ${file} is not an agent state (agentId, clusterId, credential)`);
  return parsed.data;
}

/**
 * Writes the state atomically: a temporary file (mode 0600, in the same directory) renamed over the old one, so a
 * crash leaves either the old or the new credential on disk, never half of one.
 */
export async function writeState(file: string, state: AgentState): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(AgentState.parse(state))}\n`, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new ConfigError(`cannot write the agent state file ${file}: ${errorMessage(err)}`);
  }
}
