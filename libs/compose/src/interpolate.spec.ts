// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation is written "${VAR}"
import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { interpolateString } from './interpolate.js';

const vars = { SET: 'value', EMPTY: '', TAG: '1.2', HOST: 'db' };
const value = (text: string) => interpolateString(text, vars).value;

describe('interpolateString', () => {
  it('substitutes $VAR and ${VAR}', () => {
    expect(value('$SET')).toBe('value');
    expect(value('${SET}')).toBe('value');
    expect(value('a-${SET}-$SET.b')).toBe('a-value-value.b');
    expect(value('nginx:${TAG}')).toBe('nginx:1.2');
  });

  it('writes $$ as a literal $ and leaves a $ before anything else', () => {
    expect(value('$$SET')).toBe('$SET');
    expect(value('price: 5$ or $1')).toBe('price: 5$ or $1');
    expect(value('a $ b')).toBe('a $ b');
  });

  it('applies defaults: ":-" when unset or empty, "-" when unset', () => {
    expect(value('${UNSET:-d}')).toBe('d');
    expect(value('${EMPTY:-d}')).toBe('d');
    expect(value('${EMPTY-d}')).toBe('');
    expect(value('${UNSET-d}')).toBe('d');
    expect(value('${SET:-d}')).toBe('value');
    expect(value('${UNSET:-}')).toBe('');
  });

  it('applies alternatives: ":+" when set and not empty, "+" when set', () => {
    expect(value('${SET:+alt}')).toBe('alt');
    expect(value('${EMPTY:+alt}')).toBe('');
    expect(value('${EMPTY+alt}')).toBe('alt');
    expect(value('${UNSET+alt}')).toBe('');
  });

  it('nests defaults and evaluates only the branch it uses', () => {
    expect(value('${UNSET:-${HOST}:5432}')).toBe('db:5432');
    expect(value('${UNSET:-${ALSO_UNSET:-x}}')).toBe('x');
    const r = interpolateString('${SET:-${MISSING}}', vars);
    expect(r).toEqual({ value: 'value', missing: [], errors: [] });
    expect(interpolateString('${UNSET:-${MISSING}}', vars).missing).toEqual(['MISSING']);
  });

  it('fails ":?" when unset or empty and "?" when unset, with the message', () => {
    expect(interpolateString('${UNSET:?set the password}', vars).errors).toEqual([
      'required variable UNSET is missing a value: set the password',
    ]);
    expect(interpolateString('${EMPTY:?}', vars).errors).toEqual([
      'required variable EMPTY is missing a value: it is unset or empty',
    ]);
    expect(interpolateString('${EMPTY?x}', vars).errors).toEqual([]);
    expect(interpolateString('${UNSET?x}', vars).errors).toHaveLength(1);
  });

  it('refuses defaults nested absurdly deep', () => {
    const deep = `${'${A:-'.repeat(10_000)}x${'}'.repeat(10_000)}`;
    expect(interpolateString(deep, vars).errors[0]).toContain('nested more than 16 levels deep');
    expect(value(`${'${A:-'.repeat(10)}x${'}'.repeat(10)}`)).toBe('x');
  });

  it('reports a missing variable and substitutes the empty string', () => {
    expect(interpolateString('a${NOPE}b$NOPE2', vars)).toEqual({ value: 'ab', missing: ['NOPE', 'NOPE2'], errors: [] });
  });

  it('refuses malformed references', () => {
    for (const bad of ['${', '${}', '${1A}', '${A', '${A:x}', '${A!}']) {
      expect(interpolateString(bad, vars).errors[0], bad).toContain('invalid interpolation format');
    }
  });
});

describe('interpolation in a compose file', () => {
  it('interpolates values, never keys', () => {
    const r = compileCompose('services:\n  web:\n    image: "nginx:${TAG}"\n    environment:\n      ${KEY}: "$SET"\n', {
      variables: { ...vars, KEY: 'K' },
    });
    expect(r.ok).toBe(false); // "${KEY}" stays a key, and is not an environment variable name
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['services.web.environment["${KEY}"]']);
  });

  it('warns once per missing variable, at the first value that uses it', () => {
    const r = compileCompose('services:\n  web:\n    image: "nginx:${TAG}"\n    user: "${TAG}"\n');
    expect(r.warnings.filter((w) => w.code === 'interpolation')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 3,
        column: 5,
        path: 'services.web.image',
        message: 'services.web.image: variable TAG is not set; substituting an empty string',
      }),
    ]);
  });

  it('reports ":?" as an interpolation error at the value', () => {
    const r = compileCompose(
      'services:\n  db:\n    image: postgres\n    environment:\n      PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}\n',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        expect.objectContaining({
          code: 'interpolation',
          line: 5,
          column: 7,
          path: 'services.db.environment.PASSWORD',
          message: 'services.db.environment.PASSWORD: required variable DB_PASSWORD is missing a value: set DB_PASSWORD',
        }),
      ]);
    }
  });

  it('compiles with the interpolated values', () => {
    const r = compileCompose(
      'services:\n  web:\n    image: "nginx:${TAG:-latest}"\n    environment: ["URL=http://${HOST}:$$PORT"]\n',
      {
        variables: { HOST: 'api' },
      },
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.stack.services[0]).toMatchObject({ image: 'docker.io/library/nginx:latest', env: { URL: 'http://api:$PORT' } });
  });
});
