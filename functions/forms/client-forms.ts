import type { FormDefinition } from '../domain/form-definition';

/** Forms of clients and client products: F4, F5, F7, F8, F15. */
export const clientForms: FormDefinition<any>[] = [];
