import type { FormDefinition } from '../domain/form-definition';
import { clientEndNotice } from './client-end-notice';
import { clientPcConnectionRequest } from './client-pc-connection-request';
import { clientProductRequest } from './client-product-request';
import { clientUsageRequest } from './client-usage-request';
import { productUninstallNotice } from './product-uninstall-notice';

/** Forms of clients and client products: F4, F5, F7, F8, F15. */
export const clientForms: FormDefinition<any>[] = [clientUsageRequest, clientEndNotice, clientProductRequest, productUninstallNotice, clientPcConnectionRequest];
