import * as z from 'zod';
import { japanDate } from '../domain/dates';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition, Notice } from '../domain/form-definition';
import type { LedgerReader } from '../domain/ledgers';
import type { PersonRef } from '../domain/organisation';
import type { Text } from '../domain/text';
import type { Client } from '../ledgers/clients';
import type { ConfigurationChange } from '../ledgers/configuration-changes';
import type { Server } from '../ledgers/servers';
import { issue, lookUp } from './checks';
import { checkbox, choice, fieldMeta, formData, isoDate, mustTick, optionalTextArea, requiredText, textArea } from './fields';

/**
 * The departments a change can affect, as the organisation names them. The directory has no list
 * of departments to read from, so this mirrors the organisation (a unit test keeps it equal to the
 * demo organisation in infra/local/seed-data.ts).
 */
export const departmentLabels = {
  'dep-sales': { ja: '営業部', en: 'Sales' },
  'dep-accounting': { ja: '経理部', en: 'Accounting' },
  'dep-it': { ja: '情報システム部', en: 'Information Systems' },
  'dep-general': { ja: '総務部', en: 'General Affairs' },
  'dep-production': { ja: '製造部', en: 'Production' },
} satisfies Record<string, Text>;

type DepartmentId = keyof typeof departmentLabels;
const departmentIds = Object.keys(departmentLabels) as [DepartmentId, ...DepartmentId[]];

const targets = { server: { ja: 'サーバ', en: 'Server' }, client: { ja: 'クライアント', en: 'Client' } };

/** F11's data. */
export const ConfigurationChangeRequestData = formData({
  target: choice({
    labels: targets,
    label: { ja: '変更対象', en: 'Target' },
    help: { ja: 'サーバ（第8条）またはクライアント（第19条）。クライアントの場合は拠点管理者が先に承認します。', en: 'A server (Art. 8) or a client (Art. 19); for a client the site manager approves first.' },
  }),
  // Typed, not picked: the choices would depend on the target field, which x-source cannot express.
  targetId: requiredText({
    max: 128,
    label: { ja: '対象のID', en: 'Target ID' },
    help: {
      ja: 'サーバ台帳のサーバID（例：srv-app）またはクライアント台帳のクライアントID（例：pc-tokyo-001）。',
      en: 'The server ID in the server ledger (e.g. srv-app) or the client ID in the client ledger (e.g. pc-tokyo-001).',
    },
  }),
  summary: textArea({
    max: 2000,
    label: { ja: '変更内容', en: 'What changes' },
    help: { ja: '何をなぜ変更するか。影響部署への事前通知に載ります（第8条第2項）。', en: 'What changes and why; the advance notice to the affected departments carries it (Art. 8-2).' },
  }),
  newConfiguration: textArea({
    max: 4000,
    label: { ja: '変更後の構成', en: 'Configuration after the change' },
    help: { ja: '実施完了時にこの内容で構成管理台帳を改訂します（第7条第3項・第19条第4項）。', en: 'When the change is done, the configuration ledger is revised to this (Art. 7-3, 19-4).' },
  }),
  testPlan: textArea({
    max: 2000,
    label: { ja: 'テスト計画', en: 'Test plan' },
    help: { ja: '本番稼働前に実施する十分なテストの内容（第19条第3項）。', en: 'The tests done before going live (Art. 19-3).' },
  }),
  fallback: textArea({
    max: 2000,
    label: { ja: '切り戻し（変更前構成のバックアップ）', en: 'Fallback (the previous configuration as backup)' },
    help: { ja: '安定稼働するまで変更前の構成をどのようにバックアップとして機能させるか（第8条第3項）。', en: 'How the previous configuration keeps working as a backup until the change is stable (Art. 8-3).' },
  }),
  trainingNeeded: checkbox({
    label: { ja: '利用者への操作教育が必要', en: 'Users need training' },
    help: { ja: '利用者側の操作手順が変わる場合はチェックし、教育計画を書いてください（第8条第4項）。', en: 'Tick when users’ procedures change, and describe the training (Art. 8-4).' },
  }),
  trainingPlan: optionalTextArea({
    max: 2000,
    label: { ja: '操作教育の計画', en: 'Training plan' },
    help: { ja: '操作教育が必要な場合は必須：対象者・時期・方法（第8条第4項）。', en: 'Required when training is needed: who, when, how (Art. 8-4).' },
  }),
  affectedDepartments: z
    .array(z.enum(departmentIds))
    .min(1)
    .max(departmentIds.length)
    .meta(
      fieldMeta(
        'multiselect',
        {
          label: { ja: '影響を受ける部署', en: 'Affected departments' },
          help: { ja: '承認されると、各部署の部門責任者に変更内容が事前に通知されます（第8条第2項）。', en: 'On approval each department head is told of the change in advance (Art. 8-2).' },
        },
        { 'x-enum-labels': departmentLabels },
      ),
    ),
  plannedOn: isoDate({
    label: { ja: '実施予定日', en: 'Planned on' },
    help: { ja: '影響部署へは事前に通知するため、今日以降の日付にしてください（第8条第2項）。', en: 'Today or later, since the departments are told in advance (Art. 8-2).' },
  }),
  securityChecked: mustTick({
    label: { ja: 'セキュリティ上の問題が生じないことを確認した', en: 'I confirmed the change causes no security problem' },
    help: { ja: '設定やシステム構成の変更では、セキュリティ上の問題が生じないことを確認します（安全管理細則 第13条(3)）。', en: 'A change of settings or configuration must be checked for security problems (A13(3)).' },
  }),
});

export type ConfigurationChangeRequest = z.infer<typeof ConfigurationChangeRequestData>;

/** The server or client the change is for, from the ledger of its kind. */
const targetOf = (ledgers: LedgerReader, { target, targetId }: Pick<ConfigurationChangeRequest, 'target' | 'targetId'>): Promise<Server | Client | null> =>
  target === 'server' ? lookUp(ledgers, 'servers', targetId) : lookUp(ledgers, 'clients', targetId);

/** How the target reads in a notice: the server's name or the client's label, with its id. */
function targetName(target: ConfigurationChangeRequest['target'], id: string, item: Server | Client | null): Text {
  if (!item) return { ja: id, en: id };
  if (target === 'server') {
    const server = item as Server;
    return { ja: `${server.name.ja}（${id}）`, en: `${server.name.en} (${id})` };
  }
  return { ja: `${(item as Client).label}（${id}）`, en: `${(item as Client).label} (${id})` };
}

/** The advance notice (S8-2): what changes, when, the fallback and whether training follows. */
function adviceOf(data: ConfigurationChangeRequest, target: Text, changeId: string, department: Text, forwarded: boolean): Pick<Notice, 'subject' | 'body'> {
  const training: Text = data.trainingNeeded
    ? { ja: `あり — ${data.trainingPlan ?? ''}`, en: `Yes — ${data.trainingPlan ?? ''}` }
    : { ja: 'なし（操作手順の変更はありません）', en: 'None (user procedures do not change)' };
  const lead: Text = forwarded
    ? {
        ja: `${department.ja}には部門責任者が登録されていないため、情報システム部インフラ担当にお知らせします。同部署への周知をお願いします。`,
        en: `${department.en} has no department head on record, so IT infrastructure is told instead; please pass this on to the department.`,
      }
    : { ja: `${department.ja}の部門責任者の方へ`, en: `To the head of ${department.en}` };
  return {
    subject: { ja: `構成変更の事前通知：${target.ja}（${data.plannedOn}実施予定）`, en: `Advance notice of a configuration change: ${target.en} (planned on ${data.plannedOn})` },
    body: {
      ja: [
        lead.ja,
        '',
        `${targets[data.target].ja}の構成変更が承認されました（システム管理規程 第8条第2項による事前通知）。`,
        `変更番号: ${changeId}`,
        `対象: ${target.ja}`,
        `実施予定日: ${data.plannedOn}`,
        `変更内容: ${data.summary}`,
        `変更後の構成: ${data.newConfiguration}`,
        `切り戻し: ${data.fallback}（安定稼働まで変更前の構成をバックアップとします・第8条第3項）`,
        `操作教育: ${training.ja}`,
      ].join('\n'),
      en: [
        lead.en,
        '',
        `A configuration change of a ${targets[data.target].en.toLowerCase()} was approved (advance notice under Art. 8-2).`,
        `Change: ${changeId}`,
        `Target: ${target.en}`,
        `Planned on: ${data.plannedOn}`,
        `What changes: ${data.summary}`,
        `Configuration after the change: ${data.newConfiguration}`,
        `Fallback: ${data.fallback} (the previous configuration stays as backup until stable, Art. 8-3)`,
        `Training: ${training.en}`,
      ].join('\n'),
    },
  };
}

/** The change's id in the configuration-change ledger, derived from the request's. */
export const changeIdOf = (requestId: string) => requestId.replace(/^R-/, 'CC-');

/** F11 構成変更申請 — システム管理規程 第8条・第19条, 安全管理細則 第13条(3). */
export const configurationChangeRequest: FormDefinition<ConfigurationChangeRequest> = {
  id: 'configuration-change-request',
  code: 'F11',
  version: 1,
  category: 'configuration',
  title: { ja: '構成変更申請', en: 'Configuration change request' },
  description: {
    ja: 'サーバまたはクライアントの構成を変更するときに申請します。サーバは情報システム部インフラ担当の全員が承認し（合議）、クライアントは拠点管理者の承認の上、情報システム部インフラ担当が承認します。承認されると影響部署の部門責任者に事前通知が送られ、実施完了の登録で構成管理台帳が改訂されます。',
    en: 'Apply before changing the configuration of a server or a client. Every member of IT infrastructure approves a server change (合議); for a client the site manager approves first and IT infrastructure decides. Approval sends the advance notice to the heads of the affected departments, and recording the completion revises the configuration ledger.',
  },
  articles: [
    { ref: 'S3', text: { ja: 'サーバのハードウェア及び、ＯＳを管理する責任者（管理担当者）に、情報システム部インフラ担当のメンバーがなる。', en: 'The members of IT infrastructure manage the servers’ hardware and OS.' } },
    { ref: 'S8', text: { ja: 'サーバの構成変更管理は、情報システム部インフラ担当が実施する。', en: 'IT infrastructure manages server configuration changes.' } },
    { ref: 'S8-2', text: { ja: 'サーバ構成変更によって影響を受ける部署には、変更に関する情報を事前に通知しなければならない。', en: 'Departments affected by a server configuration change must be told in advance.' } },
    {
      ref: 'S8-3',
      text: { ja: '構成変更されたサーバは安定稼働するまで、変更前の構成がバックアップとして機能するようにしなければならない。', en: 'Until a changed server is stable, the previous configuration must work as a backup.' },
    },
    {
      ref: 'S8-4',
      text: { ja: 'サーバの構成変更により利用者側の操作手順に変更が発生した場合、利用者に変更に関する操作教育を実施する。', en: 'When a change alters users’ procedures, users are trained in it.' },
    },
    {
      ref: 'S19',
      text: {
        ja: 'クライアントの構成変更管理は、情報システム部インフラ担当が中心になって各拠点管理者と連携をとって実施する。',
        en: 'IT infrastructure manages client configuration changes together with the site managers.',
      },
    },
    { ref: 'S19-3', text: { ja: '構成変更に関しては、本番稼働前に十分なテストを実施しなければならない。', en: 'A configuration change is tested thoroughly before going live.' } },
    { ref: 'S19-4', text: { ja: '構成変更をした場合は、必ず構成管理ドキュメントを改訂しなければならない。', en: 'After a configuration change, the configuration documents must be revised.' } },
    {
      ref: 'A13(3)',
      text: { ja: 'サーバ・クラウドシステムの設定やシステム構成の変更を行うときは、セキュリティ上の問題が生じないことを確認する。', en: 'Before changing settings or the system configuration, confirm it causes no security problem.' },
    },
  ],
  route: [
    { role: 'siteManager', rule: 'any', when: { field: 'target', equals: 'client', label: { ja: 'クライアントの場合', en: 'for a client' } } },
    // 合議 (S3): every member of IT infrastructure manages the servers, so each approves a server change.
    { role: 'itInfra', rule: 'all', when: { field: 'target', equals: 'server', label: { ja: 'サーバの場合（合議：全員が承認）', en: 'for a server (every member approves)' } } },
    { role: 'itInfra', rule: 'any', when: { field: 'target', equals: 'client', label: { ja: 'クライアントの場合', en: 'for a client' } } },
  ],
  schema: ConfigurationChangeRequestData,
  rules: [],
  async check(data, { ledgers, now }) {
    const issues: FieldIssue[] = [];
    const item = await targetOf(ledgers, data);
    if (!item) {
      issues.push(
        data.target === 'server'
          ? issue('targetId', '「対象のID」がサーバ台帳にありません。台帳に登録されたサーバのIDを入力してください（第7条）。', 'The target is not in the server ledger; enter the ID of a registered server (Art. 7).')
          : issue('targetId', '「対象のID」がクライアント台帳にありません。台帳に登録されたクライアントのIDを入力してください（第18条）。', 'The target is not in the client ledger; enter the ID of a registered client (Art. 18).'),
      );
    } else if (item.status === 'retired') {
      issues.push(issue('targetId', '廃止された機器の構成は変更できません（第7条・第18条）。', 'A retired machine cannot be reconfigured (Art. 7, 18).'));
    }
    if (data.trainingNeeded && !data.trainingPlan) {
      issues.push(issue('trainingPlan', '操作教育が必要な場合は「操作教育の計画」を入力してください（第8条第4項）。', 'Describe the training plan when users need training (Art. 8-4).'));
    }
    if (data.plannedOn < japanDate(now)) {
      issues.push(issue('plannedOn', '「実施予定日」は今日以降にしてください。影響部署には事前に通知します（第8条第2項）。', 'The planned date must be today or later; the departments are told in advance (Art. 8-2).'));
    }
    return issues;
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    const item = await targetOf(ledgers, data);
    // Machines are retired, never deleted, so the target is there; fail loudly rather than record no place.
    if (!item) throw new Error(`The ${data.target} ${data.targetId} of request ${requestId} is not in its ledger.`);
    const change: ConfigurationChange = {
      id: changeIdOf(requestId),
      target: data.target,
      targetId: data.targetId,
      summary: data.summary,
      newConfiguration: data.newConfiguration,
      testPlan: data.testPlan,
      fallback: data.fallback,
      trainingNeeded: data.trainingNeeded,
      affectedDepartments: [...new Set(data.affectedDepartments)],
      plannedOn: data.plannedOn,
      status: 'approved',
      approvedAt,
      siteId: item.siteId,
      branchId: item.branchId,
      requestId,
    };
    return [
      {
        kind: 'create',
        ledger: 'configuration-changes',
        item: change,
        summary: { ja: `申請 ${requestId} の承認により構成変更を登録しました（未実施）`, en: `Change recorded, not yet done, by the approval of request ${requestId}` },
      },
    ];
  },
  /**
   * S8-2: every affected department's head is told in advance. A department without a head is never
   * skipped: IT infrastructure is told instead, to pass it on.
   */
  async notices({ requestId, data }, { ledgers, directory }) {
    const item = await targetOf(ledgers, data);
    const target = targetName(data.target, data.targetId, item);
    const changeId = changeIdOf(requestId);
    const notices: Notice[] = [];
    let infra: PersonRef[] | null = null;
    for (const departmentId of new Set(data.affectedDepartments)) {
      const department = departmentLabels[departmentId];
      const heads = await directory.holders('deptHead', departmentId);
      if (heads.length > 0) {
        notices.push({ to: heads, ...adviceOf(data, target, changeId, department, false) });
        continue;
      }
      infra ??= await directory.holders('itInfra', '*');
      notices.push({ to: infra, ...adviceOf(data, target, changeId, department, true) });
    }
    return notices;
  },
};
