/*
 * The form view of a compose file: `formFromYaml` reads the fields the dashboard's form edits, `applyForm` writes
 * an edited form back into the same file, changing only what the form changed.
 */

export { shellJoin, shellSplit } from '../shell-words.js';
export { canonicalForm, sameForm } from './compare.js';
export {
  ComposeName,
  DEPENDENCY_CONDITIONS,
  DependencyForm,
  EnvVarForm,
  HealthcheckForm,
  PortForm,
  ServiceForm,
  StackForm,
} from './form.schema.js';
export { type FormFromYamlResult, formFromYaml } from './read.js';
export { type ApplyFormResult, applyForm } from './write.js';
