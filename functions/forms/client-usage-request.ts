import * as z from 'zod';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition } from '../domain/form-definition';
import type { Client } from '../ledgers/clients';
import { clientKinds } from '../ledgers/clients';
import { defined, issue } from './checks';
import { choice, fieldMeta, formData, optionalText, requiredText, textArea } from './fields';

/** The help of the configuration a terminal must give and other clients may leave out (checked in `check`). */
const forTerminals = { ja: '入力用端末では必須です。', en: 'Required for a terminal.' };

/** F4's data: what the client is and its hardware configuration, as the client ledger keeps it (S14-2). */
export const ClientUsageRequestData = formData({
  kind: choice({
    labels: clientKinds,
    label: { ja: 'クライアントの種別', en: 'Kind of client' },
    help: { ja: '第13条に定めるクライアント（入力用端末、ネットワークプリンタ、ネットワーク接続機器）から選びます。', en: 'A client under Article 13: terminal, network printer or network device.' },
  }),
  label: requiredText({
    max: 200,
    label: { ja: '名称', en: 'Name' },
    help: { ja: '台帳に載る呼び名（例：営業部 端末3）。', en: 'The name the ledger shows (e.g. Sales terminal 3).' },
  }),
  model: requiredText({ max: 200, label: { ja: '機種', en: 'Model' } }),
  serialNumber: requiredText({ max: 100, label: { ja: '製造番号', en: 'Serial number' } }),
  cpu: optionalText({
    max: 100,
    label: { ja: 'CPU', en: 'CPU' },
    help: { ja: '入力用端末では必須です（第14条第2項：ハード構成の台帳管理）。', en: 'Required for a terminal (Art. 14-2: hardware configuration in the ledger).' },
  }),
  memoryGb: z
    .number()
    .min(1)
    .max(4096)
    .optional()
    .meta(fieldMeta('number', { label: { ja: 'メモリ(GB)', en: 'Memory (GB)' }, help: forTerminals })),
  storageGb: z
    .number()
    .min(1)
    .max(1_000_000)
    .optional()
    .meta(fieldMeta('number', { label: { ja: 'ストレージ(GB)', en: 'Storage (GB)' }, help: forTerminals })),
  os: optionalText({ max: 100, label: { ja: 'OS', en: 'Operating system' }, help: forTerminals }),
  purpose: textArea({
    max: 2000,
    label: { ja: '利用目的', en: 'Purpose' },
    help: {
      ja: '基幹業務システムに接続するクライアントが新たに必要な理由を書いてください（2000文字以内）。利用者は申請者本人として台帳に登録されます。',
      en: 'Say why the work needs a new client of the core system (up to 2000 characters). You are recorded as its user.',
    },
  }),
});

export type ClientUsageRequest = z.infer<typeof ClientUsageRequestData>;

const configurationFields = [
  { key: 'cpu', label: { ja: 'CPU', en: 'CPU' } },
  { key: 'memoryGb', label: { ja: 'メモリ(GB)', en: 'Memory (GB)' } },
  { key: 'storageGb', label: { ja: 'ストレージ(GB)', en: 'Storage (GB)' } },
  { key: 'os', label: { ja: 'OS', en: 'Operating system' } },
] as const;

/** F4 クライアント利用申請 — システム管理規程 第16条 (the client ledger of 第14条第2項・第3項). */
export const clientUsageRequest: FormDefinition<ClientUsageRequest> = {
  id: 'client-usage-request',
  code: 'F4',
  version: 1,
  category: 'client',
  title: { ja: 'クライアント利用申請', en: 'Client usage request' },
  description: {
    ja: '基幹業務システムに接続するクライアント（入力用端末、ネットワークプリンタ、ネットワーク接続機器）が新たに必要になったときに申請します。拠点管理者・拠点責任者の承認の上、情報システム部インフラ担当が最終承認し、ハード構成とともにクライアント台帳に登録されます。',
    en: 'Apply when your work needs a new client of the core business system (terminal, network printer, network device). The site manager and branch responsible approve, IT infrastructure gives the final approval, and the client is recorded in the client ledger with its hardware configuration.',
  },
  articles: [
    {
      ref: 'S16',
      text: {
        ja: '利用部門は基幹業務システム接続のクライアントの新たな必要性が発生した場合、別途定められた手順に従って、情報システム部インフラ担当に利用の申請をしなければならない。',
        en: 'A department that needs a new client connected to the core business system must apply to IT infrastructure by the prescribed procedure.',
      },
    },
    { ref: 'S16-2', text: { ja: '利用申請は、定められた書式によらねばならない。', en: 'Applications use the prescribed form.' } },
    {
      ref: 'S16-3',
      text: {
        ja: '利用許可は、各拠点の管理者と責任者の承認の上、最終的に情報システム部インフラ担当の承認によって決定される。',
        en: 'Permission is decided by IT infrastructure after the site manager and the branch responsible approve.',
      },
    },
    { ref: 'S16-4', text: { ja: '利用許可なく、利用者がクライアントの新規導入はできない。', en: 'No new client may be introduced without permission.' } },
    {
      ref: 'S14-2',
      text: {
        ja: '情報システム部インフラ担当は、基幹業務システム全クライアントの台数、ハード構成情報を台帳管理する。',
        en: 'IT infrastructure keeps the number and hardware configuration of every client of the core business system in a ledger.',
      },
    },
    {
      ref: 'S14-3',
      text: {
        ja: '拠点責任者は支社毎に配置され、各支社内の基幹業務システム全クライアントの台数、ハード構成情報を台帳管理する。',
        en: 'The branch responsible, one per branch, keeps the number and hardware configuration of the branch’s clients in a ledger.',
      },
    },
  ],
  route: [
    { role: 'siteManager', rule: 'any' },
    { role: 'siteResponsible', rule: 'any' },
    { role: 'itInfra', rule: 'any' },
  ],
  schema: ClientUsageRequestData,
  rules: [],
  async check(data) {
    // A terminal's configuration is what the ledger exists to keep (S14-2); a printer or a network
    // device may have none of these.
    if (data.kind !== 'terminal') return [];
    return configurationFields.flatMap(({ key, label }): FieldIssue[] => {
      const value = data[key];
      return value === undefined || value === ''
        ? [issue(key, `入力用端末は「${label.ja}」を入力してください。クライアントのハード構成は台帳で管理します（第14条第2項）。`, `Enter ${label.en} for a terminal; the client ledger keeps its hardware configuration (Art. 14-2).`)]
        : [];
    });
  },
  async onApproved({ requestId, requester, data }) {
    const client: Client = defined({
      id: requestId.replace(/^R-/, 'CL-'),
      label: data.label,
      kind: data.kind,
      // A client of the core system is a company asset; personal devices never come in this way (S35-5).
      ownership: 'company',
      // Where the requester was when they filed: the place the approvers approved for.
      siteId: requester.siteId,
      branchId: requester.branchId,
      departmentId: requester.departmentId,
      userId: requester.id,
      model: data.model,
      serialNumber: data.serialNumber,
      cpu: data.cpu || undefined,
      memoryGb: data.memoryGb,
      storageGb: data.storageGb,
      os: data.os || undefined,
      status: 'active',
      serverAccessApproved: false,
      requestId,
    });
    return [
      {
        kind: 'create',
        ledger: 'clients',
        item: client,
        summary: { ja: `申請 ${requestId} の承認によりクライアントを登録しました`, en: `Client recorded by the approval of request ${requestId}` },
      },
    ];
  },
};
