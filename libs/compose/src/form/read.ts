import { type Document, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from 'yaml';
import { shellSplit } from '../shell-words.js';
import {
  DEPENDENCY_CONDITIONS,
  type DependencyForm,
  type EnvVarForm,
  type HealthcheckForm,
  type ServiceForm,
  StackForm,
} from './form.schema.js';
import { RESET_TAG } from './render.js';
import { parseEnvItem, readPort, readVolume } from './syntax.js';
import {
  deref,
  type Entry,
  entries,
  expectMap,
  expectSeq,
  FormError,
  fieldValue,
  integerOf,
  isNull,
  keyOf,
  positionOf,
  scalarText,
} from './yaml-nodes.js';

export type FormFromYamlResult = { ok: true; form: StackForm } | { ok: false; message: string; line?: number; column?: number };

export type FormFailure = Extract<FormFromYamlResult, { ok: false }>;

/** A parsed compose file with its form. */
export interface ReadStack {
  ok: true;
  doc: Document.Parsed;
  form: StackForm;
}

/**
 * The form of a compose file. Both syntaxes are read where compose has two (environment as a list or a map, ports
 * and volumes short or long, depends_on as a list or a map, command as a string or a list); whatever the form does
 * not model is left out. Aliases and merge keys (`<<`) are resolved as compose does.
 */
export function formFromYaml(source: string): FormFromYamlResult {
  const read = readStack(source);
  return read.ok ? { ok: true, form: read.form } : read;
}

export function parseStack(source: string): { ok: true; doc: Document.Parsed } | FormFailure {
  const doc = parseDocument(source, { customTags: [RESET_TAG] });
  const error = doc.errors[0];
  if (error !== undefined) {
    const at = error.linePos?.[0];
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    return at === undefined ? { ok: false, message } : { ok: false, message, line: at.line, column: at.col };
  }
  return { ok: true, doc };
}

export function readStack(source: string): ReadStack | FormFailure {
  const parsed = parseStack(source);
  if (!parsed.ok) return parsed;
  const { doc } = parsed;
  const located: (Node | null)[] = [];
  try {
    const form = readForm(doc, located);
    const checked = StackForm.safeParse(form);
    if (checked.success) return { ok: true, doc, form };
    const issue = checked.error.issues[0];
    const path = issue?.path ?? [];
    const message = `${path.join('.')}: ${issue?.message ?? 'invalid'}`;
    const index = path[0] === 'services' && typeof path[1] === 'number' ? path[1] : undefined;
    return failure(source, message, index === undefined ? null : (located[index] ?? null));
  } catch (error) {
    if (error instanceof FormError) return failure(source, error.message, error.node ?? null);
    throw error;
  }
}

function failure(source: string, message: string, node: Node | null): FormFailure {
  const offset = node?.range?.[0];
  return offset === undefined ? { ok: false, message } : { ok: false, message, ...positionOf(source, offset) };
}

function readForm(doc: Document, located: (Node | null)[]): StackForm {
  const root = doc.contents;
  if (isNull(root)) return { services: [], volumes: [] };
  const top = expectMap(root as Node, 'a compose file');
  const services: ServiceForm[] = [];
  const servicesNode = fieldValue(doc, top, 'services');
  if (servicesNode !== null) {
    const map = expectMap(servicesNode, 'services');
    if (map.items.some((pair) => keyOf(pair) === '<<')) {
      throw new FormError('merge keys (<<) directly under services are not supported', map);
    }
    for (const pair of map.items) {
      const name = keyOf(pair) ?? '';
      located.push(pair.key as Node);
      services.push(readService(doc, name, deref(doc, pair.value as Node | null)));
    }
  }
  const volumesNode = fieldValue(doc, top, 'volumes');
  const volumes = volumesNode === null ? [] : entries(doc, expectMap(volumesNode, 'volumes')).map((e) => e.key);
  return { services, volumes };
}

export function readService(doc: Document, name: string, node: Node | null): ServiceForm {
  const at = `services.${name}`;
  const map = isNull(node) ? null : expectMap(node as Node, at);
  const get = (key: string): Node | null => (map === null ? null : fieldValue(doc, map, key));
  const image = get('image');
  const command = get('command');
  const environment = get('environment');
  const ports = get('ports');
  const deploy = get('deploy');
  const dependsOn = get('depends_on');
  const healthcheck = get('healthcheck');
  const volumes = get('volumes');
  return {
    name,
    ...(image === null ? {} : { image: scalarText(image, `${at}.image`) ?? '' }),
    ...(command === null ? {} : { command: readCommand(doc, command, `${at}.command`) }),
    environment: environment === null ? [] : readEnvironment(doc, environment, `${at}.environment`),
    ports: ports === null ? [] : readItems(doc, expectSeq(ports, `${at}.ports`), readPort),
    ...(deploy === null ? {} : readDeploy(doc, expectMap(deploy, `${at}.deploy`), `${at}.deploy`)),
    dependsOn: dependsOn === null ? [] : readDependsOn(doc, dependsOn, `${at}.depends_on`),
    ...(healthcheck === null ? {} : { healthcheck: readHealthcheck(doc, healthcheck, `${at}.healthcheck`) }),
    volumes: volumes === null ? [] : readItems(doc, expectSeq(volumes, `${at}.volumes`), readVolume),
  };
}

function readItems<T>(doc: Document, seq: { items: unknown[] }, read: (doc: Document, item: Node) => T | undefined): T[] {
  const out: T[] = [];
  for (const item of seq.items) {
    const value = read(doc, item as Node);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** A list of strings, or one string split the way a shell would (`command: npm start`). */
export function readCommand(doc: Document, node: Node, what: string): string[] {
  if (isScalar(node)) {
    const split = shellSplit(scalarText(node, what) ?? '');
    if (!split.ok) throw new FormError(`${what}: ${split.message}`, node);
    return split.words;
  }
  return expectSeq(node, what).items.map((item) => stringItem(doc, item as Node, what));
}

function stringItem(doc: Document, item: Node, what: string): string {
  const text = scalarText(deref(doc, item) ?? (item as Node), `an item of ${what}`);
  if (text === null) throw new FormError(`${what} must not contain empty items`, item);
  return text;
}

export function readEnvironment(doc: Document, node: Node, what: string): EnvVarForm[] {
  if (isSeq(node)) return node.items.map((item) => parseEnvItem(stringItem(doc, item as Node, what)));
  return entries(doc, expectMap(node, what)).map((entry) => envEntry(doc, entry, what));
}

function envEntry(doc: Document, entry: Entry, what: string): EnvVarForm {
  const value = deref(doc, entry.value);
  return { key: entry.key, value: value === null ? null : scalarText(value, `${what}.${entry.key}`) };
}

function readDeploy(doc: Document, deploy: YAMLMap, what: string): Partial<ServiceForm> {
  const out: Partial<ServiceForm> = {};
  const replicas = fieldValue(doc, deploy, 'replicas');
  if (replicas !== null) out.replicas = wholeNumber(replicas, `${what}.replicas`);
  const resources = fieldValue(doc, deploy, 'resources');
  const limitsNode = resources === null ? null : fieldValue(doc, expectMap(resources, `${what}.resources`), 'limits');
  if (limitsNode === null) return out;
  const limits = expectMap(limitsNode, `${what}.resources.limits`);
  const cpus = fieldValue(doc, limits, 'cpus');
  if (cpus !== null) out.cpus = scalarText(cpus, `${what}.resources.limits.cpus`) ?? '';
  const memory = fieldValue(doc, limits, 'memory');
  if (memory !== null) out.memory = scalarText(memory, `${what}.resources.limits.memory`) ?? '';
  return out;
}

function wholeNumber(node: Node, what: string): number {
  const n = integerOf(node);
  if (n === undefined) throw new FormError(`${what} must be a whole number`, node);
  return n;
}

export function readDependsOn(doc: Document, node: Node, what: string): DependencyForm[] {
  if (isSeq(node)) {
    return node.items.map((item) => ({ service: stringItem(doc, item as Node, what), condition: 'service_started' }));
  }
  return entries(doc, expectMap(node, what)).map((entry) => {
    const value = deref(doc, entry.value);
    return { service: entry.key, condition: isNull(value) ? 'service_started' : conditionOf(doc, value as Node, what) };
  });
}

function conditionOf(doc: Document, node: Node, what: string): DependencyForm['condition'] {
  const condition = fieldValue(doc, expectMap(node, what), 'condition');
  if (condition === null) return 'service_started';
  const text = scalarText(condition, `${what} condition`);
  const known = DEPENDENCY_CONDITIONS.find((c) => c === text);
  if (known === undefined) throw new FormError(`${what}: unknown condition "${text}"`, condition);
  return known;
}

export function readHealthcheck(doc: Document, node: Node, what: string): HealthcheckForm {
  const map = expectMap(node, what);
  const test = fieldValue(doc, map, 'test');
  const out: HealthcheckForm = { test: test === null ? [] : readTest(doc, test, `${what}.test`) };
  for (const key of ['interval', 'timeout'] as const) {
    const value = fieldValue(doc, map, key);
    if (value !== null) out[key] = scalarText(value, `${what}.${key}`) ?? '';
  }
  const retries = fieldValue(doc, map, 'retries');
  if (retries !== null) out.retries = wholeNumber(retries, `${what}.retries`);
  return out;
}

/** A healthcheck test: a string is `CMD-SHELL` (run by the container's shell). */
export function readTest(doc: Document, node: Node, what: string): string[] {
  if (isScalar(node)) return ['CMD-SHELL', scalarText(node, what) ?? ''];
  return expectSeq(node, what).items.map((item) => stringItem(doc, item as Node, what));
}
