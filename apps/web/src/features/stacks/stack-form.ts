/*
 * The form model of a compose stack as the API sends it (`StackView.form`, JSON). Its schema is `StackForm` of
 * libs/compose/src/form/form.schema.ts; the dashboard does not bundle that library (it runs on Node), so the shape
 * is restated here and the API stays the judge of every value.
 */

export const DEPENDENCY_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

export const PROTOCOLS = ['tcp', 'udp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface EnvVarForm {
  key: string;
  /** `null`: no value, passed through from where the stack runs (`- KEY`). */
  value: string | null;
}

export interface PortForm {
  /** Container port. */
  target: number;
  /** Host port; absent: not published on a fixed port. */
  published?: number;
  protocol: Protocol;
}

export interface DependencyForm {
  service: string;
  condition: DependencyCondition;
}

export interface HealthcheckForm {
  /** `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`; empty: the image's own test. */
  test: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
}

export interface ServiceForm {
  name: string;
  image?: string;
  command?: string[];
  environment: EnvVarForm[];
  ports: PortForm[];
  /** `deploy.replicas`. */
  replicas?: number;
  /** `deploy.resources.limits.cpus`, as written (`"0.5"`). */
  cpus?: string;
  /** `deploy.resources.limits.memory`, as written (`"512M"`). */
  memory?: string;
  dependsOn: DependencyForm[];
  healthcheck?: HealthcheckForm;
  /** Short syntax, as written: `source:target[:mode]`. */
  volumes: string[];
}

/** A type literal, not an interface: it goes out as the contract's JSON object (`Record<string, unknown>`). */
export type StackForm = {
  services: ServiceForm[];
  /** Names of the top-level (named) volumes. */
  volumes: string[];
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The API's form JSON as a `StackForm`, or `null` when it is not one (no form: the YAML does not parse). Only the
 * outline is checked: the API built it from the same schema.
 */
export function asStackForm(value: unknown): StackForm | null {
  if (!isRecord(value) || !Array.isArray(value.services) || !Array.isArray(value.volumes)) return null;
  if (!value.services.every((s) => isRecord(s) && typeof s.name === 'string')) return null;
  // The outline matches the schema the API serialised: the contract types the form as plain JSON.
  return value as unknown as StackForm;
}

/** A service of a new name (`service`, `service-2`, …) with nothing set. */
export function newService(form: StackForm, base = 'service'): ServiceForm {
  const names = new Set(form.services.map((s) => s.name));
  let name = base;
  for (let n = 2; names.has(name); n += 1) name = `${base}-${n}`;
  return { name, environment: [], ports: [], dependsOn: [], volumes: [] };
}

/** The stack with service `index` replaced. */
export function withService(form: StackForm, index: number, service: ServiceForm): StackForm {
  return { ...form, services: form.services.map((s, i) => (i === index ? service : s)) };
}

/**
 * The stack without service `index`; the other services' dependencies on it go too (a dependency on a service
 * the stack does not have is an error).
 */
export function withoutService(form: StackForm, index: number): StackForm {
  const removed = form.services[index]?.name;
  return {
    ...form,
    services: form.services
      .filter((_s, i) => i !== index)
      .map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => d.service !== removed) })),
  };
}

/** Service `index` renamed, and the dependencies of the others on it with it. */
export function renameService(form: StackForm, index: number, name: string): StackForm {
  const old = form.services[index]?.name;
  return {
    ...form,
    services: form.services.map((s, i) => ({
      ...(i === index ? { ...s, name } : s),
      dependsOn: s.dependsOn.map((d) => (d.service === old ? { ...d, service: name } : d)),
    })),
  };
}

/** One entry per non-empty line, as written (argv, volumes, names). */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** An optional text field: `undefined` (left out of the JSON) when blank. */
export function optionalText(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An optional whole-number field: `undefined` when blank or not a number. */
export function optionalInteger(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) ? value : undefined;
}

/** What the form itself can tell is wrong before the API is asked: blank or repeated names. */
export interface FormProblem {
  /** `services.1.name`, `services.0.ports.2.target`: as the API's `body.form.` paths. */
  path: string;
  kind: 'required' | 'duplicate' | 'port';
}

export function formProblems(form: StackForm): FormProblem[] {
  const problems: FormProblem[] = [];
  const names = new Set<string>();
  form.services.forEach((service, i) => {
    const at = `services.${i}`;
    if (service.name.trim() === '') problems.push({ path: `${at}.name`, kind: 'required' });
    else if (names.has(service.name)) problems.push({ path: `${at}.name`, kind: 'duplicate' });
    names.add(service.name);
    const keys = new Set<string>();
    service.environment.forEach((v, j) => {
      if (v.key.trim() === '') problems.push({ path: `${at}.environment.${j}.key`, kind: 'required' });
      else if (keys.has(v.key)) problems.push({ path: `${at}.environment.${j}.key`, kind: 'duplicate' });
      keys.add(v.key);
    });
    service.ports.forEach((p, j) => {
      if (!validPort(p.target)) problems.push({ path: `${at}.ports.${j}.target`, kind: 'port' });
      if (p.published !== undefined && !validPort(p.published))
        problems.push({ path: `${at}.ports.${j}.published`, kind: 'port' });
    });
    const deps = new Set<string>();
    service.dependsOn.forEach((d, j) => {
      if (d.service === '') problems.push({ path: `${at}.dependsOn.${j}.service`, kind: 'required' });
      else if (deps.has(d.service)) problems.push({ path: `${at}.dependsOn.${j}.service`, kind: 'duplicate' });
      deps.add(d.service);
    });
  });
  return problems;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}
