import * as z from 'zod';
import type { FormDefinition } from '../domain/form-definition';
import type { LedgerOp } from '../domain/ledgers';
import { issue, lookUp, versionedIfStill } from './checks';
import { formData, ledgerPick, textArea } from './fields';

/** F8's data. */
export const ProductUninstallNoticeData = formData({
  installationId: ledgerPick({
    source: { ledger: 'client-products', label: 'id', filter: { status: 'installed' } },
    label: { ja: 'アンインストールするプロダクト', en: 'Installation' },
    help: { ja: 'クライアントプロダクト台帳に登録された、インストール済のプロダクトから選びます。', en: 'Pick an installed product from the client product ledger.' },
  }),
  reason: textArea({
    max: 2000,
    label: { ja: '終了理由', en: 'Reason' },
    help: {
      ja: 'プロダクトが不要になった理由（クライアントの返却、異動など）を書いてください（2000文字以内）。',
      en: 'Why the product is no longer needed (the client returned, a move, …), up to 2000 characters.',
    },
  }),
});

export type ProductUninstallNotice = z.infer<typeof ProductUninstallNoticeData>;

/** F8 プロダクト利用終了・アンインストール届 — システム管理規程 第35条第7項. */
export const productUninstallNotice: FormDefinition<ProductUninstallNotice> = {
  id: 'product-uninstall-notice',
  code: 'F8',
  version: 1,
  category: 'products',
  title: { ja: 'プロダクト利用終了・アンインストール届', en: 'Product end-of-use and uninstall notice' },
  description: {
    ja: 'クライアントの返却や異動等でプロダクトが不要になったときに届け出ます。拠点管理者の確認の上、情報システム部インフラ担当が承認すると、インストールは台帳上アンインストール済となり、ライセンスが返却されます。',
    en: 'File this when a product on a client is no longer needed (the client returned, a move, …). After the site manager and IT infrastructure approve, the installation is recorded as removed and its licence seat is given back.',
  },
  articles: [
    {
      ref: 'S35-7',
      text: {
        ja: '拠点管理者はクライアントの返却や異動等により使用しているプロダクトの必要性がなくなった場合、別途定められた手順に従って、速やかに情報システム部インフラ担当に連絡の上プロダクトのアンインストールをしなければならない。',
        en: 'When a product is no longer needed because a client is returned or moved, the site manager tells IT infrastructure and uninstalls it promptly.',
      },
    },
    { ref: 'S37-4', text: { ja: 'バージョンの変更があれば、管理台帳も必ず改訂しなければならない。', en: 'Any change is reflected in the ledger.' } },
    {
      ref: 'S38-4',
      text: {
        ja: '利用しなくなったプロダクトについて、情報システム部インフラ担当の許可なく他の利用者へ利用権限の委譲をしてはいけない。',
        en: 'A product no longer used may not be handed to another user without IT infrastructure’s permission.',
      },
    },
  ],
  route: [
    { role: 'siteManager', rule: 'any' },
    { role: 'itInfra', rule: 'any' },
  ],
  schema: ProductUninstallNoticeData,
  rules: [],
  async check(data, { ledgers }) {
    const installation = await lookUp(ledgers, 'client-products', data.installationId);
    if (!installation) {
      return [issue('installationId', '「アンインストールするプロダクト」がクライアントプロダクト台帳にありません。台帳に登録されたインストールを選んでください（第37条第3項）。', 'The installation is not in the client product ledger; pick a recorded installation (Art. 37-3).')];
    }
    if (installation.status !== 'installed') {
      return [issue('installationId', '「アンインストールするプロダクト」は既にアンインストール済です（第35条第7項）。', 'The product has already been uninstalled (Art. 35-7).')];
    }
    return [];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    // Removed meanwhile (e.g. with its client, F5): the seat went back then, not again now.
    const found = await versionedIfStill(ledgers, 'client-products', data.installationId, 'installed');
    if (!found) return [];
    const ops: LedgerOp[] = [
      {
        kind: 'update',
        ledger: 'client-products',
        before: found,
        after: { ...found.item, status: 'removed', removedAt: approvedAt },
        summary: { ja: `申請 ${requestId} の承認によりアンインストール済としました`, en: `Removed by the approval of request ${requestId}` },
      },
    ];
    if (found.item.licenceId) ops.push({ kind: 'seats', licenceId: found.item.licenceId, held: 0, used: -1 });
    return ops;
  },
};
