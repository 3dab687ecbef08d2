import * as z from 'zod';
import { col, defineLedger, id, isoDateTime, optionalText, placeColumns } from './common';

export const LicenceRegistration = z.object({
  id,
  userId: id,
  clientId: id,
  productId: id,
  licenceId: id,
  usage: z.string().trim().min(1).max(2000),
  status: z.enum(['active', 'lapsed', 'revoked']),
  revision: z.number().int().min(1),
  registeredAt: isoDateTime,
  changedAt: isoDateTime.optional(),
  endedAt: isoDateTime.optional(),
  siteId: id,
  branchId: id,
  requestId: optionalText(64),
});
export type LicenceRegistration = z.infer<typeof LicenceRegistration>;

/**
 * アプリケーション使用登録 (S41, S44): who may use which licensed application on which client.
 * A change of content is approved again; until then the registration in force stays as it was (S41-3).
 */
export const licenceRegistrations = defineLedger<LicenceRegistration>({
  name: 'licence-registrations',
  title: { ja: 'アプリケーション使用登録台帳', en: 'Application use registrations' },
  description: { ja: 'ライセンス管理者が承認したアプリケーションの使用登録（第41条）。内容の変更は再承認が必要です。', en: 'Application use approved by the licence manager (Art. 41); changes need approval again.' },
  articles: ['S41', 'S41-3', 'S44'],
  item: LicenceRegistration,
  columns: [
    col('id', '登録番号', 'Registration'),
    col('userId', '利用者', 'User'),
    col('clientId', 'クライアント', 'Client'),
    col('productId', 'プロダクト', 'Product'),
    col('licenceId', 'ライセンス', 'Licence'),
    col('usage', '使用内容', 'Usage'),
    col('status', '状態', 'Status', 'enum', { active: { ja: '有効', en: 'Active' }, lapsed: { ja: '失効', en: 'Lapsed' }, revoked: { ja: '取消', en: 'Revoked' } }),
    col('revision', '版', 'Revision', 'number'),
    col('registeredAt', '登録日時', 'Registered', 'datetime'),
    col('changedAt', '変更日時', 'Changed', 'datetime'),
    col('endedAt', '終了日時', 'Ended', 'datetime'),
    ...placeColumns,
    col('requestId', '申請番号', 'Request'),
  ],
  stateKey: (item) => ({ partition: `client#${item.clientId}`, sort: `${item.productId}#${item.id}` }),
});
