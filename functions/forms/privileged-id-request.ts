import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormContext, FormDefinition } from '../domain/form-definition';
import type { Text } from '../domain/text';
import type { PrivilegedId, SystemId } from '../ledgers/user-ids';
import { systemIds, systems } from '../ledgers/user-ids';
import { issue, lookUp, stateItems } from './checks';
import { formData, textArea } from './fields';
import { isSharedOrAnonymousLogin, loginIdField, personIdField, personOrIssue, sharedLoginIssue, systemField } from './user-id-issue-request';

/** F14's data. */
export const PrivilegedIdRequestData = formData({
  personId: personIdField({
    ja: '特権IDを使う機器管理者の社員ID（例: u-yamada）。資質と適用範囲を十分考慮して選びます（第15条）。',
    en: 'The employee ID of the administrator who will use the privileged ID (e.g. u-yamada), chosen with care for their fitness and scope (Art. 15).',
  }),
  system: systemField({ ja: '特権IDを付与するサーバ・クラウドシステムやネットワークの重要機器。', en: 'The server, cloud system or key network equipment the privileged ID is for.' }),
  loginId: loginIdField(
    { ja: '特権ID', en: 'Privileged login ID' },
    {
      ja: '3〜64文字の英数字と「. _ -」。使う本人を識別できるID（例: sysdba_yamada）。root・admin・sa など共用のIDは付与できません（第16条第2項）。',
      en: '3–64 letters, digits and ". _ -", identifying the person (e.g. sysdba_yamada). Shared IDs such as root, admin or sa are not granted (Art. 16-2).',
    },
  ),
  privilege: textArea({
    max: 1000,
    label: { ja: '付与する権限', en: 'Privilege' },
    help: { ja: '付与する管理者特権の内容と範囲（例: SYSDBA、OS管理者）。', en: 'The administrative privilege and its scope (e.g. SYSDBA, OS administrator).' },
  }),
  reason: textArea({
    max: 2000,
    label: { ja: '必要な理由', en: 'Why it is needed' },
    help: {
      ja: '特権IDが必要な理由と、既存の特権IDでは足りない理由。特権IDは必要最小限にとどめます（第15条第3項）。',
      en: 'Why the privileged ID is needed, and why the existing ones are not enough. Privileged IDs are kept to the minimum (Art. 15-3).',
    },
  }),
});

export type PrivilegedIdRequest = z.infer<typeof PrivilegedIdRequestData>;

const A15: Text = { ja: '安全管理細則 第15条', en: 'Security Rules Art. 15' };
const A15_3: Text = { ja: '安全管理細則 第15条第3項', en: 'Security Rules Art. 15-3' };

export const privilegedLoginClaim = (system: string, loginId: string) => `privileged-ids#${system}#login#${loginId.toLowerCase()}`;
export const privilegedEntryId = (system: string, loginId: string) => `${system}:${loginId}`;

/** How many active privileged IDs a system has, read from the state index page by page. */
export async function activePrivilegedIds({ ledgers }: Pick<FormContext, 'ledgers'>, system: SystemId): Promise<number> {
  let count = 0;
  for await (const _ of stateItems(ledgers, 'privileged-ids', `active#${system}`)) count++;
  return count;
}

/**
 * Whether the ledger holds the login on the system, active or revoked: by the entry id this form
 * gives, and by login among the system's entries (entries made otherwise, such as imported or seeded
 * ones, may be named differently).
 */
async function loginInLedger({ ledgers }: Pick<FormContext, 'ledgers'>, system: SystemId, loginId: string): Promise<boolean> {
  if (await lookUp(ledgers, 'privileged-ids', privilegedEntryId(system, loginId))) return true;
  for (const status of ['active', 'revoked']) {
    for await (const item of stateItems(ledgers, 'privileged-ids', `${status}#${system}`)) if (String(item.loginId).toLowerCase() === loginId.toLowerCase()) return true;
  }
  return false;
}

/** F14 特権ID付与申請 — 安全管理細則 第15条. */
export const privilegedIdRequest: FormDefinition<PrivilegedIdRequest> = {
  id: 'privileged-id-request',
  code: 'F14',
  version: 1,
  category: 'ids',
  title: { ja: '特権ID付与申請', en: 'Privileged ID request' },
  description: {
    ja: 'サーバ・クラウドシステムやネットワークの重要機器の管理者特権を持つ特権IDの付与を申請します。システム管理者が確認し、安全管理責任者が承認します。特権IDは必要最小限にとどめます。',
    en: 'Request a privileged ID (administrator privileges on servers, cloud systems or key network equipment). The system administrator checks it and the security manager approves. Privileged IDs are kept to the minimum.',
  },
  articles: [
    {
      ref: 'A15',
      text: {
        ja: 'システム管理者は、特定の者に、当社の使用するサーバ・クラウドシステムやネットワークの重要機器に、特別な管理を行うことができるユーザとしての管理者特権を有する特権IDを付与する。特権IDの付与に当たっては、その資質と適用範囲について十分考慮した上で、安全管理責任者の承認を得る。',
        en: 'The system administrator grants privileged IDs with administrator privileges on servers, cloud systems and key network equipment to specific people, after weighing their fitness and scope, with the security manager\'s approval.',
      },
    },
    {
      ref: 'A15-3',
      text: {
        ja: '特権IDを付与する機器管理者は、安全性と可用性を考慮して複数のものにすることがのぞましいが、必要最小限にとどめる。',
        en: 'Privileged IDs may be given to more than one administrator for safety and availability, but are kept to the minimum.',
      },
    },
    {
      ref: 'A16-2',
      text: { ja: 'サーバ・クラウドシステムには「guest」など不特定多数が利用するIDを使用しない。', en: 'No IDs used by many unspecified people, such as "guest", on servers and cloud systems.' },
    },
  ],
  route: [
    { role: 'sysAdmin', rule: 'any' },
    { role: 'securityManager', rule: 'any' },
  ],
  schema: PrivilegedIdRequestData,
  rules: [],
  async check(data, context) {
    const issues: FieldIssue[] = [];
    const person = await personOrIssue(data.personId, context, A15);
    if ('path' in person) issues.push(person);
    if (isSharedOrAnonymousLogin(data.loginId)) issues.push(sharedLoginIssue);
    // Claims cover requests from now on; IDs already in the ledger (and revoked ones, whose entry keeps the name) are read.
    if (await loginInLedger(context, data.system, data.loginId)) {
      issues.push(issue('loginId', `この特権IDは${systems[data.system].ja}で既に使われています（取り消されたIDも再利用しません）。別のIDにしてください（${A15.ja}）。`, `This privileged login is already used on ${systems[data.system].en} (revoked ones are not reused); choose another (${A15.en}).`));
    }
    return issues;
  },
  async reserve(data): Promise<Reservation[]> {
    return [
      {
        kind: 'claim',
        key: privilegedLoginClaim(data.system, data.loginId),
        field: 'data.loginId',
        message: {
          ja: `この特権IDは${systems[data.system].ja}で既に付与されているか、申請中です（${A15.ja}）。`,
          en: `This privileged login is already granted, or requested, on ${systems[data.system].en} (${A15.en}).`,
        },
      },
    ];
  },
  async onApproved({ requestId, data, approvedAt }, { directory }) {
    const person = await directory.person(data.personId);
    const entry: PrivilegedId = {
      id: privilegedEntryId(data.system, data.loginId),
      system: data.system,
      loginId: data.loginId,
      personId: data.personId,
      personName: person?.name ?? { ja: data.personId, en: data.personId },
      privilege: data.privilege,
      reason: data.reason,
      status: 'active',
      grantedAt: approvedAt,
      requestId,
    };
    return [
      {
        kind: 'create',
        ledger: 'privileged-ids',
        item: entry,
        summary: { ja: `申請 ${requestId} の承認により特権IDを付与しました`, en: `Privileged ID granted by the approval of request ${requestId}` },
      },
    ];
  },
  /** A15-3: the requester and the approvers see how many privileged IDs each system has before adding one. */
  async context(context) {
    const counts = await Promise.all(systemIds.map(async (system) => [system, await activePrivilegedIds(context, system)] as const));
    return [
      ...counts.map(([system, count]) => ({
        ja: `${systems[system].ja}: 有効な特権ID ${count}件`,
        en: `${systems[system].en}: ${count} active privileged ID${count === 1 ? '' : 's'}`,
      })),
      {
        ja: `特権IDは、安全性と可用性を考慮して複数にすることが望ましいものの、必要最小限にとどめます（${A15_3.ja}）。既存の特権IDで足りないかを確認してから申請してください。`,
        en: `Privileged IDs may be held by more than one administrator for safety and availability, but are kept to the minimum (${A15_3.en}). Check whether an existing one will do before applying.`,
      },
    ];
  },
};
