import * as z from 'zod';
import { col, defineLedger, id, isoDateTime, optionalText, placeColumns } from './common';

export const ConfigurationChange = z.object({
  id,
  target: z.enum(['server', 'client']),
  targetId: id,
  summary: z.string().trim().min(1).max(2000),
  newConfiguration: z.string().trim().min(1).max(4000),
  testPlan: z.string().trim().min(1).max(2000),
  fallback: z.string().trim().min(1).max(2000),
  trainingNeeded: z.boolean(),
  affectedDepartments: z.array(id).min(1),
  plannedOn: z.iso.date(),
  status: z.enum(['approved', 'done']),
  approvedAt: isoDateTime,
  completedAt: isoDateTime.optional(),
  completedBy: optionalText(128),
  siteId: id,
  branchId: id,
  requestId: optionalText(64),
});
export type ConfigurationChange = z.infer<typeof ConfigurationChange>;

/**
 * 構成変更台帳 (S8, S19): approved configuration changes. When IT marks one done, the server's or
 * client's configuration in its ledger is revised (S7-3, S19-4).
 */
export const configurationChanges = defineLedger<ConfigurationChange>({
  name: 'configuration-changes',
  title: { ja: '構成変更台帳', en: 'Configuration changes' },
  description: { ja: '承認された構成変更と、その実施（第8条・第19条）。実施完了で構成管理台帳が改訂されます。', en: 'Approved configuration changes and their completion (Art. 8, 19); completion revises the configuration ledger.' },
  articles: ['S8-2', 'S8-3', 'S8-4', 'S19-3', 'S19-4'],
  item: ConfigurationChange,
  columns: [
    col('id', '変更番号', 'Change'),
    col('target', '対象', 'Target', 'enum', { server: { ja: 'サーバ', en: 'Server' }, client: { ja: 'クライアント', en: 'Client' } }),
    col('targetId', '対象ID', 'Target ID'),
    col('summary', '変更内容', 'Summary'),
    col('newConfiguration', '変更後の構成', 'New configuration'),
    col('testPlan', 'テスト計画', 'Test plan'),
    col('fallback', '切り戻し', 'Fallback'),
    col('trainingNeeded', '操作教育', 'Training needed', 'boolean'),
    col('affectedDepartments', '影響部署', 'Affected departments', 'list'),
    col('plannedOn', '実施予定日', 'Planned on', 'date'),
    col('status', '状態', 'Status', 'enum', { approved: { ja: '承認済・未実施', en: 'Approved' }, done: { ja: '実施済', en: 'Done' } }),
    col('approvedAt', '承認日時', 'Approved', 'datetime'),
    col('completedAt', '実施日時', 'Completed', 'datetime'),
    col('completedBy', '実施者', 'Completed by'),
    ...placeColumns,
    col('requestId', '申請番号', 'Request'),
  ],
});
