import type { FormDefinition } from '../domain/form-definition';
import { configurationChangeRequest } from './configuration-change-request';
import { newIntroductionRingi } from './new-introduction-ringi';
import { serverConnectionEnd } from './server-connection-end';
import { serverProductRequest } from './server-product-request';

/** Forms of システム管理規程 chapter 1 (servers) and configuration changes: F2, F3, F6, F11. */
export const serverForms: FormDefinition<any>[] = [serverConnectionEnd, newIntroductionRingi, serverProductRequest, configurationChangeRequest];
