import type { FormDefinition } from '../domain/form-definition';

/** Forms of システム管理規程 chapter 1 (servers) and configuration changes: F2, F3, F6, F11. */
export const serverForms: FormDefinition<any>[] = [];
