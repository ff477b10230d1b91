import type { StackForm } from './stack-form';

/*
 * The Stack tab's two drafts of one stack. The YAML draft is what the editor shows; the form draft is read from
 * it by the API (`stack.validate` answers the form of any YAML). Only the API writes a form into YAML, keeping
 * comments and layout, and only when saving (`stack.save` with `{ form }`): so while the form has edits of its
 * own, the YAML draft is kept as it was and shown read-only, and saving sends the YAML draft first, then the form.
 * Neither view loses an edit by switching to the other.
 */

export type StackViewMode = 'yaml' | 'form';

export interface StackDrafts {
  view: StackViewMode;
  /** The stack as last loaded or saved, and its form. */
  saved: string;
  savedForm: StackForm | null;
  yaml: string;
  /** The form draft (null: not read yet, or the YAML could not be read as a form). */
  form: StackForm | null;
  /** The YAML the form draft was read from. */
  formOf: string | undefined;
  /** The form as read from `formOf`, before its edits: what discarding them goes back to. */
  formBase: StackForm | null;
  /** The form has edits not yet written into the YAML. */
  formEdited: boolean;
}

export type StackDraftsAction =
  /** The stack as the API has it (loaded, or answered by a save). */
  | { type: 'loaded'; yaml: string; form: StackForm | null }
  | { type: 'yamlEdited'; yaml: string }
  /** The form the API read from `yaml`; shown when `yaml` is still the draft. */
  | { type: 'formRead'; yaml: string; form: StackForm }
  | { type: 'formEdited'; form: StackForm }
  | { type: 'formDiscarded' }
  /** The YAML draft was saved, its form edits not yet (they are saved next, on top of it). */
  | { type: 'yamlSaved'; yaml: string }
  /** Every edit dropped: back to the stack as saved. */
  | { type: 'reverted' }
  | { type: 'show'; view: StackViewMode };

export function initialDrafts(yaml: string, form: StackForm | null): StackDrafts {
  return { view: 'yaml', saved: yaml, savedForm: form, yaml, form, formOf: yaml, formBase: form, formEdited: false };
}

export function stackDraftsReducer(state: StackDrafts, action: StackDraftsAction): StackDrafts {
  switch (action.type) {
    case 'loaded':
      return { ...initialDrafts(action.yaml, action.form), view: action.form ? state.view : 'yaml' };
    case 'reverted':
      return { ...initialDrafts(state.saved, state.savedForm), view: state.savedForm ? state.view : 'yaml' };
    case 'yamlEdited':
      // The YAML stays as it is while the form has edits: they are written into it by the next save.
      return state.formEdited ? state : { ...state, yaml: action.yaml };
    case 'formRead':
      if (action.yaml !== state.yaml || state.formEdited) return state;
      return { ...state, form: action.form, formBase: action.form, formOf: action.yaml, view: 'form' };
    case 'formEdited':
      return { ...state, form: action.form, formEdited: true };
    case 'yamlSaved':
      if (action.yaml !== state.yaml) return state;
      return { ...state, saved: action.yaml, savedForm: state.formOf === action.yaml ? state.formBase : null };
    case 'formDiscarded':
      return { ...state, form: state.formBase, formEdited: false };
    case 'show':
      if (action.view === 'form' && needsRead(state)) return state;
      return { ...state, view: action.view };
  }
}

/** Switching to the form needs the API to read the YAML draft first (it changed since the form was read). */
export function needsRead(state: StackDrafts): boolean {
  return !state.formEdited && (state.form === null || state.formOf !== state.yaml);
}

export function yamlDirty(state: StackDrafts): boolean {
  return state.yaml !== state.saved;
}

export function isDirty(state: StackDrafts): boolean {
  return yamlDirty(state) || state.formEdited;
}

export type SaveStep = { yaml: string } | { form: StackForm };

/** The `stack.save` bodies that keep every edit: the YAML draft when it changed, then the form's edits on top. */
export function saveSteps(state: StackDrafts): SaveStep[] {
  const steps: SaveStep[] = [];
  if (yamlDirty(state)) steps.push({ yaml: state.yaml });
  if (state.formEdited && state.form) steps.push({ form: state.form });
  return steps;
}
