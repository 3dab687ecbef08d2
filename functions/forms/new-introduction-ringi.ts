import * as z from 'zod';
import type { FieldIssue } from '../domain/errors';
import type { ApprovedRequestFacts, FormContext, FormDefinition } from '../domain/form-definition';
import type { LedgerOp } from '../domain/ledgers';
import type { Client } from '../ledgers/clients';
import { clientKinds } from '../ledgers/clients';
import type { Product } from '../ledgers/products';
import { productCategories } from '../ledgers/products';
import type { Server } from '../ledgers/servers';
import { issue } from './checks';
import { choice, fieldMeta, formData, optionalChoice, optionalText, requiredText, textArea } from './fields';

const assetTypes = {
  server: { ja: 'サーバ', en: 'Server' },
  client: { ja: 'クライアント', en: 'Client' },
  product: { ja: 'プロダクト（ソフトウェア）', en: 'Product (software)' },
};

/** Servers and clients are recorded one ledger item per unit (S14-2 counts clients); more go in another request. */
export const MAX_UNITS = 20;

/** F3's data. */
export const NewIntroductionRingiData = formData({
  assetType: choice({
    labels: assetTypes,
    label: { ja: '導入対象', en: 'What is introduced' },
    help: { ja: 'サーバ（第4条）、クライアント（第15条）、プロダクト（第25条・第34条）のいずれか。', en: 'A server (Art. 4), a client (Art. 15) or a product (Art. 25, 34).' },
  }),
  name: requiredText({
    max: 200,
    label: { ja: '名称', en: 'Name' },
    help: { ja: '台帳に載せる名称（例：販売管理アプリケーションサーバ2号機）。', en: 'The name the ledger will show.' },
  }),
  nameEn: optionalText({
    max: 200,
    label: { ja: '名称（英語）', en: 'Name (English)' },
    help: { ja: '省略すると日本語の名称を使います。', en: 'Defaults to the Japanese name.' },
  }),
  clientKind: optionalChoice({
    labels: clientKinds,
    label: { ja: 'クライアント種別', en: 'Client kind' },
    help: { ja: 'クライアントの場合（第13条）。省略すると入力用端末です。', en: 'For a client (Art. 13); a terminal when left empty.' },
  }),
  productCategory: optionalChoice({
    labels: productCategories,
    label: { ja: 'プロダクト区分', en: 'Product category' },
    help: { ja: 'プロダクトの場合は必須（第24条・第33条）。', en: 'Required for a product (Art. 24, 33).' },
  }),
  productTarget: optionalChoice({
    labels: { server: { ja: 'サーバ', en: 'Server' }, client: { ja: 'クライアント', en: 'Client' } },
    label: { ja: 'プロダクトの利用先', en: 'Product runs on' },
    help: { ja: 'プロダクトの場合は必須：サーバ用（第3章）かクライアント用（第4章）か。', en: 'Required for a product: server (chapter 3) or client (chapter 4).' },
  }),
  vendor: requiredText({ max: 200, label: { ja: '提供業者', en: 'Vendor' } }),
  model: optionalText({
    max: 200,
    label: { ja: '機種', en: 'Model' },
    help: { ja: 'クライアントの場合。未定なら空欄（台帳には「TBD」と記録）。', en: 'For a client; leave empty if not decided yet (recorded as TBD).' },
  }),
  specification: textArea({
    max: 4000,
    label: { ja: '仕様', en: 'Specification' },
    help: {
      ja: 'CPU・メモリ・OS・バージョン等。情報システム部インフラ担当が仕様を確認します（第15条第4項・第34条第4項）。',
      en: 'CPU, memory, OS, version… IT infrastructure checks the specification (Art. 15-4, 34-4).',
    },
  }),
  quantity: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .meta(
      fieldMeta('number', {
        label: { ja: '数量', en: 'Quantity' },
        help: { ja: `台数またはライセンス数。サーバ・クライアントは1件の稟議で${MAX_UNITS}台までです。`, en: `Units or licences; up to ${MAX_UNITS} servers or clients per request.` },
      }),
    ),
  estimatedCost: z
    .number()
    .int()
    .min(0)
    .max(10_000_000_000)
    .meta(fieldMeta('number', { label: { ja: '概算費用（円）', en: 'Estimated cost (yen)' } })),
  annualPlanRef: requiredText({
    max: 500,
    label: { ja: '年間運営計画の該当項目', en: 'Annual operation plan item' },
    help: {
      ja: '情報システム部の年間運営計画のどの項目に盛り込まれているか（第4条第3項・第15条第3項・第25条第3項・第34条第3項）。',
      en: "Where the introduction stands in the IT department's annual operation plan (Art. 4-3, 15-3, 25-3, 34-3).",
    },
  }),
  maintenanceContract: requiredText({
    max: 500,
    label: { ja: '保守契約', en: 'Maintenance contract' },
    help: {
      ja: '保守契約の締結先と契約内容（第4条第4項・第15条第5項・第25条第5項・第34条第5項）。',
      en: 'The vendor and the maintenance contract (Art. 4-4, 15-5, 25-5, 34-5).',
    },
  }),
  purpose: textArea({
    max: 2000,
    label: { ja: '導入目的', en: 'Purpose' },
    help: { ja: '業務上必要な理由（2000文字以内）。', en: 'Why the work needs it (up to 2000 characters).' },
  }),
});

export type NewIntroductionRingi = z.infer<typeof NewIntroductionRingiData>;

const idFor = (requestId: string, prefix: string, unit: number, units: number) =>
  `${requestId.replace(/^R-/, `${prefix}-`)}${units > 1 ? `-${unit}` : ''}`;

/** Where the requester sits: the request keeps it at filing; the directory answers otherwise. */
async function placeOf(requester: ApprovedRequestFacts<unknown>['requester'], { directory }: FormContext) {
  const filed = requester as Partial<Record<'siteId' | 'branchId' | 'departmentId', string>>;
  if (filed.siteId && filed.branchId && filed.departmentId) return { siteId: filed.siteId, branchId: filed.branchId, departmentId: filed.departmentId };
  const person = await directory.person(requester.id);
  if (!person) throw new Error(`The requester ${requester.id} is not in the directory; the planned item has no place.`);
  return { siteId: person.siteId, branchId: person.branchId, departmentId: person.departmentId };
}

/** F3 新規導入稟議 — システム管理規程 第4条・第15条・第25条・第34条. */
export const newIntroductionRingi: FormDefinition<NewIntroductionRingi> = {
  id: 'new-introduction-ringi',
  code: 'F3',
  version: 1,
  category: 'server',
  title: { ja: '新規導入稟議', en: 'New introduction (ringi)' },
  description: {
    ja: 'サーバ・クライアント・プロダクトを新たに導入するときの稟議です。部門責任者、情報システム部インフラ担当（仕様確認）の承認の上、管理者（社内稟議）が承認します。承認されると、導入予定として台帳に登録されます。',
    en: 'The ringi for introducing a new server, client or product. The department head and IT infrastructure (specification check) approve, then the ringi approver decides. Approval records it as planned in the ledger.',
  },
  articles: [
    { ref: 'S4-2', text: { ja: 'サーバの新規導入については、管理者の承認（社内稟議ルール）がなければならない。', en: 'A new server needs the approval of management (ringi rules).' } },
    {
      ref: 'S4-3',
      text: {
        ja: 'サーバの新規導入計画については、会社の経営計画に基づいた情報システム部の年間運営計画に盛り込まれなければならない。',
        en: "A new server must be in the IT department's annual operation plan, based on the company's business plan.",
      },
    },
    {
      ref: 'S4-4',
      text: {
        ja: 'サーバの障害対応または定期点検、定期保守のため、サーバの提供業者とは保守契約を締結しておかなければならない。',
        en: 'A maintenance contract must be concluded with the server vendor for failures, inspections and maintenance.',
      },
    },
    { ref: 'S15-2', text: { ja: 'クライアントの新規導入については、管理者の承認（社内稟議ルール）がなければならない。', en: 'A new client needs the approval of management (ringi rules).' } },
    {
      ref: 'S15-3',
      text: {
        ja: 'クライアントの新規導入計画については、会社の経営計画に基づいた情報システム部の年間運営計画に盛り込まれなければならない。',
        en: "A new client must be in the IT department's annual operation plan.",
      },
    },
    {
      ref: 'S15-4',
      text: {
        ja: 'クライアント購入にあたっては、購入予定のクライアントの仕様に問題が無いかどうか、必ず情報システム部インフラ担当に確認をとらなければならない。',
        en: "Before a client is bought, IT infrastructure must confirm that its specification is sound.",
      },
    },
    { ref: 'S15-5', text: { ja: 'クライアントの障害対応に備えて、クライアントの提供業者とは保守契約を締結しておかなければならない。', en: 'A maintenance contract must be concluded with the client vendor.' } },
    { ref: 'S25-2', text: { ja: 'プロダクトの新規導入については、管理者（社内稟議ルール）の承認がなければならない。', en: 'A new product needs the approval of management (ringi rules).' } },
    {
      ref: 'S25-3',
      text: {
        ja: 'プロダクトの新規導入計画については、会社の経営計画に基づいた情報システム部の年間運営計画に盛り込まれなければならない。',
        en: "A new product must be in the IT department's annual operation plan.",
      },
    },
    {
      ref: 'S25-5',
      text: {
        ja: 'プロダクトの障害対応またはバージョンアップに備えて、プロダクトの提供業者とは保守契約を締結しておかなければならない。',
        en: 'A maintenance contract must be concluded with the product vendor for failures and upgrades.',
      },
    },
    { ref: 'S34-2', text: { ja: 'プロダクトの新規導入については、管理者（社内稟議ルール）の承認がなければならない。', en: 'A new client product needs the approval of management (ringi rules).' } },
    {
      ref: 'S34-3',
      text: {
        ja: 'プロダクトの新規導入計画については、会社の経営計画に基づいた情報システム部の年間運営計画に盛り込まれなければならない。',
        en: "A new client product must be in the IT department's annual operation plan.",
      },
    },
    {
      ref: 'S34-4',
      text: {
        ja: 'プロダクトの購入については、購入予定のプロダクトに仕様上問題がないか、情報システム部インフラ担当に必ず確認をとらなければならない。',
        en: 'Before a product is bought, IT infrastructure must confirm that its specification is sound.',
      },
    },
    {
      ref: 'S34-5',
      text: {
        ja: 'プロダクトの障害対応またはバージョンアップに備えて、プロダクトの提供業者とは保守契約を締結しておかなければならない。',
        en: 'A maintenance contract must be concluded with the client product vendor.',
      },
    },
  ],
  route: [
    { role: 'deptHead', rule: 'any' },
    { role: 'itInfra', rule: 'any' },
    { role: 'ringiApprover', rule: 'any' },
  ],
  schema: NewIntroductionRingiData,
  rules: [],
  async check(data) {
    const issues: FieldIssue[] = [];
    if (data.assetType === 'product') {
      if (!data.productCategory) {
        issues.push(issue('productCategory', 'プロダクトの導入では「プロダクト区分」を選んでください（第24条・第33条）。', 'Choose the product category for a product (Art. 24, 33).'));
      }
      if (!data.productTarget) {
        issues.push(issue('productTarget', 'プロダクトの導入では「プロダクトの利用先」（サーバ用かクライアント用か）を選んでください（第25条・第34条）。', 'Choose whether the product runs on servers or clients (Art. 25, 34).'));
      }
    } else if (data.quantity > MAX_UNITS) {
      issues.push(issue('quantity', `サーバ・クライアントは1件の稟議で${MAX_UNITS}台までです。台帳に1台ずつ登録するため、分けて申請してください（第14条第2項）。`, `Up to ${MAX_UNITS} servers or clients per request, since each unit is recorded in the ledger; split the request (Art. 14-2).`));
    }
    return issues;
  },
  async onApproved({ requestId, requester, data }, context) {
    const summary = { ja: `新規導入稟議 ${requestId} の承認により導入予定として登録しました`, en: `Recorded as planned by the approval of ringi ${requestId}` };
    const name = { ja: data.name, en: data.nameEn || data.name };
    if (data.assetType === 'product') {
      const product: Product = {
        id: idFor(requestId, 'PRD', 1, 1),
        name,
        vendor: data.vendor,
        category: data.productCategory ?? 'package',
        target: data.productTarget ?? 'server',
        status: 'planned',
        maintenanceContract: data.maintenanceContract,
        requestId,
      };
      return [{ kind: 'create', ledger: 'products', item: product, summary }];
    }
    const place = await placeOf(requester, context);
    const units = data.quantity;
    const ops: LedgerOp[] = [];
    for (let unit = 1; unit <= units; unit++) {
      // Ledger names are at most 200 characters; the unit number stays visible.
      const numbered = (text: string) => (units > 1 ? `${text.slice(0, 190)} #${unit}` : text);
      if (data.assetType === 'server') {
        const server: Server = {
          id: idFor(requestId, 'SRV', unit, units),
          name: { ja: numbered(name.ja), en: numbered(name.en) },
          kind: 'other',
          // Not known until the server is delivered; IT fills them in the ledger then.
          hostname: 'TBD',
          os: 'TBD',
          siteId: place.siteId,
          branchId: place.branchId,
          owner: requester.id,
          status: 'planned',
          configuration: data.specification,
          maintenanceContract: data.maintenanceContract,
          requestId,
        };
        ops.push({ kind: 'create', ledger: 'servers', item: server, summary });
      } else {
        const client: Client = {
          id: idFor(requestId, 'CL', unit, units),
          label: numbered(name.ja),
          kind: data.clientKind ?? 'terminal',
          ownership: 'company',
          siteId: place.siteId,
          branchId: place.branchId,
          departmentId: place.departmentId,
          model: data.model || 'TBD',
          serialNumber: 'TBD',
          status: 'planned',
          serverAccessApproved: false,
          configuration: data.specification,
          requestId,
        };
        ops.push({ kind: 'create', ledger: 'clients', item: client, summary });
      }
    }
    return ops;
  },
};
