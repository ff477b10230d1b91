import { describe, expect, it } from 'vitest';
import {
  initialDrafts,
  isDirty,
  needsRead,
  type StackDrafts,
  type StackDraftsAction,
  saveSteps,
  stackDraftsReducer,
} from './stack-drafts';
import type { StackForm } from './stack-form';

const SAVED = 'services:\n  web:\n    image: nginx\n';
const EDITED = 'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 2\n';
const form = (replicas?: number): StackForm => ({
  services: [{ name: 'web', image: 'nginx', environment: [], ports: [], dependsOn: [], volumes: [], replicas }],
  volumes: [],
});

function run(state: StackDrafts, ...actions: StackDraftsAction[]): StackDrafts {
  return actions.reduce(stackDraftsReducer, state);
}

describe('stackDraftsReducer', () => {
  it('keeps a YAML edit through Form and back, and reads the form from the edited YAML', () => {
    let state = run(initialDrafts(SAVED, form()), { type: 'yamlEdited', yaml: EDITED });
    expect(needsRead(state)).toBe(true);
    // no switching before the API has read the draft
    expect(run(state, { type: 'show', view: 'form' }).view).toBe('yaml');
    state = run(state, { type: 'formRead', yaml: EDITED, form: form(2) });
    expect(state.view).toBe('form');
    expect(state.form?.services[0]?.replicas).toBe(2);
    state = run(state, { type: 'show', view: 'yaml' });
    expect(state.yaml).toBe(EDITED);
    expect(saveSteps(state)).toEqual([{ yaml: EDITED }]);
    // unchanged since: back to the form without asking again
    expect(needsRead(state)).toBe(false);
    expect(run(state, { type: 'show', view: 'form' }).view).toBe('form');
  });

  it('keeps a form edit through YAML and back, holding the YAML still until it is saved', () => {
    let state = run(initialDrafts(SAVED, form()), { type: 'show', view: 'form' }, { type: 'formEdited', form: form(3) });
    state = run(state, { type: 'show', view: 'yaml' }, { type: 'yamlEdited', yaml: 'lost' });
    expect(state.yaml).toBe(SAVED);
    state = run(state, { type: 'show', view: 'form' });
    expect(state.view).toBe('form');
    expect(state.form?.services[0]?.replicas).toBe(3);
    expect(isDirty(state)).toBe(true);
    expect(saveSteps(state)).toEqual([{ form: form(3) }]);
  });

  it('saves the YAML draft before the form edits made on top of it', () => {
    const state = run(
      initialDrafts(SAVED, form()),
      { type: 'yamlEdited', yaml: EDITED },
      { type: 'formRead', yaml: EDITED, form: form(2) },
      { type: 'formEdited', form: form(5) },
    );
    expect(saveSteps(state)).toEqual([{ yaml: EDITED }, { form: form(5) }]);
  });

  it('keeps the form edits when only the YAML step of a save went through', () => {
    const state = run(
      initialDrafts(SAVED, form()),
      { type: 'yamlEdited', yaml: EDITED },
      { type: 'formRead', yaml: EDITED, form: form(2) },
      { type: 'formEdited', form: form(5) },
      { type: 'yamlSaved', yaml: EDITED },
    );
    expect(state).toMatchObject({ saved: EDITED, savedForm: form(2), formEdited: true });
    expect(saveSteps(state)).toEqual([{ form: form(5) }]);
    expect(run(state, { type: 'reverted' }).form).toEqual(form(2));
  });

  it('ignores a form read from YAML that has changed since', () => {
    const state = run(
      initialDrafts(SAVED, form()),
      { type: 'yamlEdited', yaml: EDITED },
      { type: 'formRead', yaml: SAVED, form: form(9) },
    );
    expect(state.view).toBe('yaml');
    expect(state.form).toEqual(form());
  });

  it('discards form edits back to the form as read, and starts over from a save', () => {
    let state = run(initialDrafts(SAVED, form()), { type: 'formEdited', form: form(4) }, { type: 'formDiscarded' });
    expect(state.form).toEqual(form());
    expect(isDirty(state)).toBe(false);
    state = run(
      state,
      { type: 'show', view: 'form' },
      { type: 'formEdited', form: form(4) },
      { type: 'loaded', yaml: EDITED, form: form(4) },
    );
    expect(state).toMatchObject({ view: 'form', saved: EDITED, yaml: EDITED, formEdited: false });
    expect(saveSteps(state)).toEqual([]);
  });

  it('reverts every edit to the stack as saved', () => {
    const state = run(
      initialDrafts(SAVED, form()),
      { type: 'yamlEdited', yaml: EDITED },
      { type: 'formRead', yaml: EDITED, form: form(2) },
      { type: 'formEdited', form: form(5) },
      { type: 'reverted' },
    );
    expect(state).toMatchObject({ view: 'form', yaml: SAVED, form: form(), formEdited: false });
    expect(isDirty(state)).toBe(false);
  });

  it('shows the YAML when the stack has no form (it does not parse)', () => {
    const state = run(initialDrafts(SAVED, form()), { type: 'show', view: 'form' }, { type: 'loaded', yaml: 'a: [', form: null });
    expect(state.view).toBe('yaml');
    expect(needsRead(state)).toBe(true);
  });
});
