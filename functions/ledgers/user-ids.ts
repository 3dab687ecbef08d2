import * as z from 'zod';
import { bilingual, col, defineLedger, id, isoDate, isoDateTime, optionalText, placeColumns } from './common';

export const systems = {
  'core-business': { ja: '基幹業務システム', en: 'Core business system' },
  'core-db': { ja: '基幹DB', en: 'Core database' },
  'dev-db': { ja: '開発・研修用DB', en: 'Development database' },
  network: { ja: '社内ネットワーク', en: 'Company network' },
  mail: { ja: 'メール', en: 'Mail' },
};
export type SystemId = keyof typeof systems;
export const systemIds = Object.keys(systems) as [SystemId, ...SystemId[]];

export const userIdStatuses = {
  active: { ja: '有効', en: 'Active' },
  suspended: { ja: '利用停止', en: 'Suspended' },
  deleted: { ja: '削除', en: 'Deleted' },
};

export const UserId = z.object({
  id,
  system: z.enum(systemIds),
  loginId: z.string().trim().min(3).max(64),
  personId: id,
  personName: bilingual,
  accessRights: z.string().trim().min(1).max(2000),
  status: z.enum(['active', 'suspended', 'deleted']),
  issuedAt: isoDateTime,
  passwordChangedAt: isoDateTime.optional(),
  suspendedAt: isoDateTime.optional(),
  scheduledDeletionOn: isoDate.optional(),
  deletedAt: isoDateTime.optional(),
  siteId: id,
  branchId: id,
  requestId: optionalText(64),
});
export type UserId = z.infer<typeof UserId>;

/** ユーザID台帳 (A16): one person one ID per system, each with its access rights (A16-4). */
export const userIds = defineLedger<UserId>({
  name: 'user-ids',
  title: { ja: 'ユーザID台帳', en: 'User ID ledger' },
  description: { ja: '発行したユーザIDと利用者ごとのアクセス権限（安全管理細則 第16条）。共用・匿名IDは発行しません。', en: 'Issued user IDs with per-user access rights (A16). No shared or anonymous IDs.' },
  articles: ['A16-2', 'A16-3', 'A16-4', 'A16-5'],
  item: UserId,
  columns: [
    col('id', '台帳ID', 'Entry'),
    col('system', 'システム', 'System', 'enum', systems),
    col('loginId', 'ユーザID', 'Login ID'),
    col('personId', '利用者ID', 'Person ID'),
    col('personName.ja', '利用者', 'Person (ja)'),
    col('personName.en', '利用者（英語）', 'Person (en)'),
    col('accessRights', 'アクセス権限', 'Access rights'),
    col('status', '状態', 'Status', 'enum', userIdStatuses),
    col('issuedAt', '発行日時', 'Issued', 'datetime'),
    col('passwordChangedAt', 'パスワード変更日時', 'Password changed', 'datetime'),
    col('suspendedAt', '停止日時', 'Suspended', 'datetime'),
    col('scheduledDeletionOn', '削除予定日', 'Deletion scheduled', 'date'),
    col('deletedAt', '削除日時', 'Deleted', 'datetime'),
    ...placeColumns,
    col('requestId', '申請番号', 'Request'),
  ],
  stateKey: (item) => ({ partition: `person#${item.personId}`, sort: `${item.system}#${item.id}` }),
});

export const PrivilegedId = z.object({
  id,
  system: z.enum(systemIds),
  loginId: z.string().trim().min(3).max(64),
  personId: id,
  personName: bilingual,
  privilege: z.string().trim().min(1).max(1000),
  reason: z.string().trim().min(1).max(2000),
  status: z.enum(['active', 'revoked']),
  grantedAt: isoDateTime,
  revokedAt: isoDateTime.optional(),
  requestId: optionalText(64),
});
export type PrivilegedId = z.infer<typeof PrivilegedId>;

/** 特権ID台帳 (A15): privileged IDs, kept to the minimum (A15-3). */
export const privilegedIds = defineLedger<PrivilegedId>({
  name: 'privileged-ids',
  title: { ja: '特権ID台帳', en: 'Privileged ID ledger' },
  description: { ja: '付与した特権ID（安全管理細則 第15条）。特権IDは必要最小限にします。', en: 'Privileged IDs granted (A15), kept to the minimum.' },
  articles: ['A15', 'A15-3'],
  item: PrivilegedId,
  columns: [
    col('id', '台帳ID', 'Entry'),
    col('system', 'システム', 'System', 'enum', systems),
    col('loginId', '特権ID', 'Login ID'),
    col('personId', '利用者ID', 'Person ID'),
    col('personName.ja', '利用者', 'Person (ja)'),
    col('personName.en', '利用者（英語）', 'Person (en)'),
    col('privilege', '権限', 'Privilege'),
    col('reason', '理由', 'Reason'),
    col('status', '状態', 'Status', 'enum', { active: { ja: '有効', en: 'Active' }, revoked: { ja: '取消', en: 'Revoked' } }),
    col('grantedAt', '付与日時', 'Granted', 'datetime'),
    col('revokedAt', '取消日時', 'Revoked', 'datetime'),
    col('requestId', '申請番号', 'Request'),
  ],
  stateKey: (item) => ({ partition: `${item.status}#${item.system}`, sort: item.id }),
});
