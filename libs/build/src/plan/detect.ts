import { normaliseRelativePath, RepoFiles } from './repo-files.js';
import { BuildPlanError, type GeneratedProgramType } from './types.js';

/*
 * Program type detection: which kind of program a context directory holds, and the facts its generated Dockerfile
 * needs. Looks in this order: Node.js, Python, Go, Java, static site.
 */

export type NodeStart = { kind: 'npm-start' } | { kind: 'node'; file: string };
export type PythonCommand = { kind: 'file'; file: string } | { kind: 'procfile'; command: string };

export type Detection =
  | {
      type: 'node';
      /** Lock files to copy before installing (`npm ci` when there is one). */
      lockfiles: string[];
      npmrc: boolean;
      /** package.json has a `build` script. */
      build: boolean;
      /** Install scripts or workspaces need the whole source before `npm install`. */
      sourceBeforeInstall: boolean;
      start: NodeStart;
    }
  | {
      type: 'python';
      install: 'requirements' | 'pyproject' | 'pipenv' | 'none';
      pipfileLock: boolean;
      command: PythonCommand;
    }
  | { type: 'go'; goSum: boolean /** the package to build, `.` or `./cmd/<name>` */; pkg: string }
  | { type: 'java'; tool: 'maven' | 'gradle'; wrapper: boolean }
  | { type: 'static' /** the directory holding index.html, relative to the context */; dir: string };

/** What was found, for the plan's reason: `package.json found`. */
export interface Detected {
  detection: Detection;
  evidence: string;
}

const PYTHON_MARKERS = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'main.py', 'app.py'];
const STATIC_DIRS = ['.', 'public', 'dist', 'build', 'site'];
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_PROCFILE_COMMAND = 4096;

export const LOOKED_FOR =
  'package.json (Node.js); requirements.txt, pyproject.toml, Pipfile, main.py or app.py (Python); go.mod (Go); ' +
  'pom.xml, build.gradle or build.gradle.kts (Java); index.html in ., public/, dist/, build/ or site/ (static site)';

type Detector = (files: RepoFiles, dir: string) => Promise<Detected | undefined>;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

const detectNode: Detector = async (files, dir) => {
  const at = (name: string) => RepoFiles.join(dir, name);
  const text = await files.readText('repository', at('package.json'));
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BuildPlanError('repository', `${at('package.json')} is not valid JSON: ${(error as Error).message}`);
  }
  const pkg = record(parsed);
  if (!pkg) throw new BuildPlanError('repository', `${at('package.json')} is not a JSON object`);
  const scripts = record(pkg.scripts) ?? {};
  let start: NodeStart;
  if (nonBlank(scripts.start)) start = { kind: 'npm-start' };
  else if (nonBlank(pkg.main)) start = { kind: 'node', file: normaliseRelativePath('repository', pkg.main, 'package.json main') };
  else if (await files.isFile('repository', at('server.js'))) start = { kind: 'node', file: 'server.js' };
  else if (await files.isFile('repository', at('index.js'))) start = { kind: 'node', file: 'index.js' };
  else {
    throw new BuildPlanError(
      'repository',
      `${at('package.json')} has no start script and no main, and there is no server.js or index.js: add "scripts": {"start": …}`,
    );
  }
  const lockfiles: string[] = [];
  for (const name of ['package-lock.json', 'npm-shrinkwrap.json']) {
    if (await files.isFile('repository', at(name))) lockfiles.push(name);
  }
  return {
    evidence: 'package.json found',
    detection: {
      type: 'node',
      lockfiles,
      npmrc: await files.isFile('repository', at('.npmrc')),
      build: nonBlank(scripts.build),
      sourceBeforeInstall:
        pkg.workspaces !== undefined || ['preinstall', 'install', 'postinstall', 'prepare'].some((s) => nonBlank(scripts[s])),
      start,
    },
  };
};

/** A requirements file with at least one line that is not blank or a comment. */
function hasRequirements(text: string | undefined): boolean {
  return (text ?? '').split(/\r?\n/).some((line) => line.replace(/#.*/, '').trim() !== '');
}

function procfileWeb(text: string | undefined): string | undefined {
  const line = text?.split(/\r?\n/).find((l) => /^web\s*:/.test(l));
  if (line === undefined) return undefined;
  const command = line.replace(/^web\s*:/, '').trim();
  if (command === '' || command.length > MAX_PROCFILE_COMMAND || command.includes('\0')) {
    throw new BuildPlanError(
      'repository',
      `the Procfile's web: line must hold a command of at most ${MAX_PROCFILE_COMMAND} characters`,
    );
  }
  return command;
}

const detectPython: Detector = async (files, dir) => {
  const at = (name: string) => RepoFiles.join(dir, name);
  const present: string[] = [];
  for (const name of PYTHON_MARKERS) if (await files.isFile('repository', at(name))) present.push(name);
  if (present.length === 0) return undefined;
  const web = procfileWeb(await files.readText('repository', at('Procfile')));
  let command: PythonCommand;
  if (web !== undefined) command = { kind: 'procfile', command: web };
  else if (present.includes('app.py')) command = { kind: 'file', file: 'app.py' };
  else if (present.includes('main.py')) command = { kind: 'file', file: 'main.py' };
  else {
    throw new BuildPlanError(
      'repository',
      `${present.join(', ')} found in ${dir} but no way to start the program: add app.py, main.py or a Procfile with a web: line`,
    );
  }
  const pyproject = await files.readText('repository', at('pyproject.toml'));
  let install: 'requirements' | 'pyproject' | 'pipenv' | 'none' = 'none';
  if (hasRequirements(await files.readText('repository', at('requirements.txt')))) install = 'requirements';
  else if (pyproject !== undefined && /^\s*\[(project|build-system)\]/m.test(pyproject)) install = 'pyproject';
  else if (present.includes('Pipfile')) install = 'pipenv';
  const started = command.kind === 'procfile' ? 'Procfile' : command.file;
  const evidence = { requirements: 'requirements.txt', pyproject: 'pyproject.toml', pipenv: 'Pipfile', none: started }[install];
  return {
    evidence: `${evidence} found`,
    detection: { type: 'python', install, pipfileLock: await files.isFile('repository', at('Pipfile.lock')), command },
  };
};

const detectGo: Detector = async (files, dir) => {
  const at = (name: string) => RepoFiles.join(dir, name);
  if (!(await files.isFile('repository', at('go.mod')))) return undefined;
  const top = await files.list('repository', dir);
  let pkg = '.';
  if (!top.files.some((f) => f.endsWith('.go'))) {
    const commands = (await files.list('repository', at('cmd'))).directories.filter((d) => SAFE_NAME.test(d));
    if (commands.length > 1) {
      throw new BuildPlanError(
        'repository',
        `go.mod found with several commands under cmd/ (${commands.join(', ')}): edit the generated Dockerfile to pick one`,
      );
    }
    if (commands[0] !== undefined) pkg = `./cmd/${commands[0]}`;
  }
  return { evidence: 'go.mod found', detection: { type: 'go', goSum: await files.isFile('repository', at('go.sum')), pkg } };
};

const detectJava: Detector = async (files, dir) => {
  const at = (name: string) => RepoFiles.join(dir, name);
  if (await files.isFile('repository', at('pom.xml'))) {
    return {
      evidence: 'pom.xml found',
      detection: { type: 'java', tool: 'maven', wrapper: await files.isFile('repository', at('mvnw')) },
    };
  }
  for (const name of ['build.gradle', 'build.gradle.kts']) {
    if (await files.isFile('repository', at(name))) {
      return {
        evidence: `${name} found`,
        detection: { type: 'java', tool: 'gradle', wrapper: await files.isFile('repository', at('gradlew')) },
      };
    }
  }
  return undefined;
};

const detectStatic: Detector = async (files, dir) => {
  for (const sub of STATIC_DIRS) {
    if (await files.isFile('repository', RepoFiles.join(RepoFiles.join(dir, sub), 'index.html'))) {
      return { evidence: sub === '.' ? 'index.html found' : `${sub}/index.html found`, detection: { type: 'static', dir: sub } };
    }
  }
  return undefined;
};

const DETECTORS: Record<GeneratedProgramType, Detector> = {
  node: detectNode,
  python: detectPython,
  go: detectGo,
  java: detectJava,
  static: detectStatic,
};

const MARKERS: Record<GeneratedProgramType, string> = {
  node: 'package.json',
  python: 'requirements.txt, pyproject.toml, Pipfile, main.py or app.py',
  go: 'go.mod',
  java: 'pom.xml, build.gradle or build.gradle.kts',
  static: 'index.html in ., public/, dist/, build/ or site/',
};

/** The program in directory `dir` (relative to the repository root): of type `only`, or the first that matches. */
export async function detectProgram(files: RepoFiles, dir: string, only?: GeneratedProgramType): Promise<Detected | undefined> {
  if (only) {
    const found = await DETECTORS[only](files, dir);
    if (!found) throw new BuildPlanError('programType', `program type ${only} was chosen but ${dir} has no ${MARKERS[only]}`);
    return found;
  }
  for (const detector of Object.values(DETECTORS)) {
    const found = await detector(files, dir);
    if (found) return found;
  }
  return undefined;
}
