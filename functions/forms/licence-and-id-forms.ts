import type { FormDefinition } from '../domain/form-definition';

/** Forms of licences (F9, F10) and user / privileged IDs (F12, F13, F14). */
export const licenceAndIdForms: FormDefinition<any>[] = [];
