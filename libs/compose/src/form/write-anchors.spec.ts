import { describe, expect, it } from 'vitest';
import { sameForm } from './compare.js';
import type { ServiceForm, StackForm } from './form.schema.js';
import { formFromYaml } from './read.js';
import { applyForm } from './write.js';

function edit(source: string, change: (form: StackForm) => void): string {
  const read = formFromYaml(source);
  if (!read.ok) throw new Error(read.message);
  const form = structuredClone(read.form);
  change(form);
  const written = applyForm(source, form);
  if (!written.ok) throw new Error(written.message);
  const back = formFromYaml(written.yaml);
  expect(back.ok && sameForm(back.form, form)).toBe(true);
  return written.yaml;
}

function svc(form: StackForm, name: string): ServiceForm {
  const found = form.services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

const COMMON = `x-common: &common
  image: app:1
  environment:
    TZ: UTC
  deploy:
    replicas: 2
    labels: {tier: app}

services:
  web:
    <<: *common
    ports: ["80:80"]
  worker:
    <<: *common
`;

describe('applyForm with anchors, aliases and merge keys', () => {
  it('overrides an inherited field on the service, leaving the anchor as others use it', () => {
    const out = edit(COMMON, (f) => {
      const worker = svc(f, 'worker');
      worker.image = 'app:2';
      worker.environment.push({ key: 'QUEUE', value: 'jobs' });
      worker.replicas = 5;
    });
    expect(out).toBe(`${COMMON}    image: app:2
    environment:
      TZ: UTC
      QUEUE: jobs
    deploy:
      replicas: 5
      labels:
        tier: app
`);
  });

  it('clears an inherited field with !reset', () => {
    const out = edit(COMMON, (f) => {
      svc(f, 'web').image = undefined;
    });
    expect(out).toBe(COMMON.replace('    ports: ["80:80"]\n', '    ports: ["80:80"]\n    image: !reset null\n'));
  });

  it('gives a service that is an alias its own mapping, merging the one it shared', () => {
    const source = `services:
  web: &web
    image: app:1
    command: ["serve"]
  web-2: *web
`;
    expect(
      edit(source, (f) => {
        svc(f, 'web-2').command = ['serve', '--port', '81'];
      }),
    ).toBe(`services:
  web: &web
    image: app:1
    command: ["serve"]
  web-2:
    <<: *web
    command: ["serve", "--port", "81"]
`);
  });

  it('pins what another service shares when the anchor it shares is edited', () => {
    const source = `services:
  web: &web
    image: app:1
  web-2: *web
`;
    expect(
      edit(source, (f) => {
        svc(f, 'web').image = 'app:2';
      }),
    ).toBe(`services:
  web: &web
    image: app:2
  web-2:
    <<: *web
    image: app:1
`);
  });

  it('writes over an alias value without touching its anchor', () => {
    const source = `x-env: &env
  TZ: UTC
services:
  web:
    environment: *env
  api:
    environment: *env
`;
    expect(
      edit(source, (f) => {
        svc(f, 'api').environment = [{ key: 'TZ', value: 'Europe/Paris' }];
      }),
    ).toBe(source.replace('  api:\n    environment: *env\n', '  api:\n    environment:\n      TZ: Europe/Paris\n'));
  });

  it('refuses to remove an anchor that another service still uses', () => {
    const source = 'services:\n  web: &web\n    image: app\n  worker:\n    <<: *web\n';
    const read = formFromYaml(source);
    if (!read.ok) throw new Error(read.message);
    const result = applyForm(source, { ...read.form, services: read.form.services.filter((s) => s.name !== 'web') });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('&web') });
  });
});
