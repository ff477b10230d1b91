import { describe, expect, it } from 'vitest';
import {
  asStackForm,
  formProblems,
  linesOf,
  newService,
  optionalInteger,
  optionalText,
  renameService,
  type ServiceForm,
  type StackForm,
  withoutService,
} from './stack-form';

const service = (name: string, dependsOn: string[] = []): ServiceForm => ({
  name,
  environment: [],
  ports: [],
  dependsOn: dependsOn.map((s) => ({ service: s, condition: 'service_started' })),
  volumes: [],
});
const stack = (...services: ServiceForm[]): StackForm => ({ services, volumes: [] });

describe('asStackForm', () => {
  it('takes the API’s form JSON and refuses anything else', () => {
    const form = stack(service('web'));
    expect(asStackForm(JSON.parse(JSON.stringify(form)))).toEqual(form);
    expect(asStackForm(null)).toBeNull();
    expect(asStackForm({ services: {}, volumes: [] })).toBeNull();
    expect(asStackForm({ services: [{ image: 'x' }], volumes: [] })).toBeNull();
  });
});

describe('newService', () => {
  it('picks a name the stack does not use', () => {
    expect(newService(stack()).name).toBe('service');
    expect(newService(stack(service('service'), service('service-2'))).name).toBe('service-3');
  });
});

describe('withoutService and renameService', () => {
  it('drop or rename the dependencies on the service with it', () => {
    const form = stack(service('api'), service('web', ['api']), service('worker', ['api', 'web']));
    expect(withoutService(form, 0).services.map((s) => [s.name, s.dependsOn.map((d) => d.service)])).toEqual([
      ['web', []],
      ['worker', ['web']],
    ]);
    expect(renameService(form, 0, 'backend').services.map((s) => [s.name, s.dependsOn.map((d) => d.service)])).toEqual([
      ['backend', []],
      ['web', ['backend']],
      ['worker', ['backend', 'web']],
    ]);
  });
});

describe('field readers', () => {
  it('read lines, optional text and optional integers', () => {
    expect(linesOf(' CMD \r\n\nwget\n-q ')).toEqual(['CMD', 'wget', '-q']);
    expect(optionalText('  ')).toBeUndefined();
    expect(optionalText(' 512M ')).toBe('512M');
    expect(optionalInteger('')).toBeUndefined();
    expect(optionalInteger('3')).toBe(3);
    expect(optionalInteger('2.5')).toBeUndefined();
  });
});

describe('formProblems', () => {
  it('names blank and repeated names, bad ports and repeated dependencies by their API path', () => {
    const web: ServiceForm = {
      ...service('web', ['api', 'api']),
      environment: [
        { key: 'A', value: '1' },
        { key: 'A', value: null },
        { key: ' ', value: '' },
      ],
      ports: [
        { target: 0, protocol: 'tcp' },
        { target: 80, published: 70_000, protocol: 'udp' },
      ],
    };
    expect(formProblems(stack(service('api'), web, service('api'), service('')))).toEqual([
      { path: 'services.1.environment.1.key', kind: 'duplicate' },
      { path: 'services.1.environment.2.key', kind: 'required' },
      { path: 'services.1.ports.0.target', kind: 'port' },
      { path: 'services.1.ports.1.published', kind: 'port' },
      { path: 'services.1.dependsOn.1.service', kind: 'duplicate' },
      { path: 'services.2.name', kind: 'duplicate' },
      { path: 'services.3.name', kind: 'required' },
    ]);
    expect(formProblems(stack(service('api'), service('web', ['api'])))).toEqual([]);
  });
});
