/*
 * Just enough of the Dockerfile grammar to check a plan before building: the stages (for `target`) and the ports a
 * stage exposes. Instructions are lines after line continuations are joined; comments and parser directives are
 * skipped. Anything this does not understand is left for the builder to judge.
 */

export interface DockerfileStage {
  /** The stage's `AS` name, lower-cased as the builder compares it. */
  name?: string;
  instructions: string[];
}

function escapeCharacter(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const directive = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]?.toLowerCase() === 'escape' && directive[2] === '`') return '`';
  }
  return '\\';
}

/** The instructions of `text`, one string each, with continuations joined. */
export function dockerfileInstructions(text: string): string[] {
  const escapeChar = escapeCharacter(text);
  const instructions: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (line.endsWith(escapeChar)) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') instructions.push(current.trim());
    current = '';
  }
  if (current.trim() !== '') instructions.push(current.trim());
  return instructions;
}

/** The stages of `text` in order; instructions before the first FROM (global ARGs) are left out. */
export function dockerfileStages(text: string): DockerfileStage[] {
  const stages: DockerfileStage[] = [];
  for (const instruction of dockerfileInstructions(text)) {
    if (/^FROM\s/i.test(instruction)) {
      const words = instruction.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.length === 4 && words[2]?.toUpperCase() === 'AS' ? words[3]?.toLowerCase() : undefined;
      stages.push(as === undefined ? { instructions: [] } : { name: as, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The first literal TCP port the stage EXPOSEs (`EXPOSE 3000`, `EXPOSE 8080/tcp`), if any. */
export function exposedPort(stage: DockerfileStage): number | undefined {
  for (const instruction of stage.instructions) {
    if (!/^EXPOSE\s/i.test(instruction)) continue;
    for (const word of instruction.split(/\s+/).slice(1)) {
      const match = /^(\d{1,5})(\/tcp)?$/i.exec(word);
      const value = match ? Number(match[1]) : Number.NaN;
      if (value >= 1 && value <= 65535) return value;
    }
  }
  return undefined;
}
