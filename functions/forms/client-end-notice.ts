import * as z from 'zod';
import type { FormDefinition } from '../domain/form-definition';
import type { LedgerOp, LedgerReader, Versioned } from '../domain/ledgers';
import type { Client } from '../ledgers/clients';
import { installedOn, issue, lookUp, lookUpVersioned, versionedIfStill } from './checks';
import { formData, isoDate, ledgerPick, textArea } from './fields';

/** F5's data. */
export const ClientEndNoticeData = formData({
  clientId: ledgerPick({
    source: { ledger: 'clients', label: 'label', filter: { status: 'active' } },
    label: { ja: '利用を終了するクライアント', en: 'Client' },
    help: { ja: 'クライアント台帳に登録された、あなたの拠点の稼働中のクライアントから選びます。', en: 'Pick an active client of your site from the client ledger.' },
  }),
  reason: textArea({
    max: 2000,
    label: { ja: '終了理由', en: 'Reason' },
    help: { ja: 'クライアントが不要になった理由（返却、異動、更新など）を書いてください（2000文字以内）。', en: 'Why the client is no longer needed (returned, moved, replaced, …), up to 2000 characters.' },
  }),
  endDate: isoDate({ label: { ja: '利用終了日', en: 'End date' } }),
});

export type ClientEndNotice = z.infer<typeof ClientEndNoticeData>;

/** F5 クライアント利用終了届 — システム管理規程 第16条第5項 (and the uninstalls of 第35条第7項 that follow). */
export const clientEndNotice: FormDefinition<ClientEndNotice> = {
  id: 'client-end-notice',
  code: 'F5',
  version: 1,
  category: 'client',
  title: { ja: 'クライアント利用終了届', en: 'Client end-of-use notice' },
  description: {
    ja: '使用しているクライアントが不要になったときに届け出ます。拠点管理者の確認の上、情報システム部インフラ担当が承認すると、クライアントは台帳上「廃止」となり、インストールされていたプロダクトはアンインストール扱いとなってライセンスが返却されます。',
    en: 'File this when a client is no longer needed. After the site manager and IT infrastructure approve, the client is retired in the ledger, and the products installed on it are recorded as removed with their licence seats given back.',
  },
  articles: [
    {
      ref: 'S16-5',
      text: {
        ja: '利用部門は使用しているクライアントの必要性がなくなった場合、別途定められた手順に従って速やかに情報システム部インフラ担当に連絡し指示に従う。',
        en: 'When a client is no longer needed, the department promptly tells IT infrastructure by the prescribed procedure and follows its instructions.',
      },
    },
    {
      ref: 'S35-7',
      text: {
        ja: '拠点管理者はクライアントの返却や異動等により使用しているプロダクトの必要性がなくなった場合、別途定められた手順に従って、速やかに情報システム部インフラ担当に連絡の上プロダクトのアンインストールをしなければならない。',
        en: 'When a product is no longer needed because a client is returned or moved, the site manager tells IT infrastructure and uninstalls it promptly.',
      },
    },
    {
      ref: 'S18-3',
      text: {
        ja: 'クライアント別構成の一覧等のドキュメントは、クライアント構成に変更があれば逐次改訂を実施し、常時最新状態で保管しなければならない。',
        en: 'The per-client configuration documents are revised with every change and always kept current.',
      },
    },
  ],
  route: [
    { role: 'siteManager', rule: 'any' },
    { role: 'itInfra', rule: 'any' },
  ],
  schema: ClientEndNoticeData,
  rules: [],
  async check(data, { ledgers, requester }) {
    const client = await lookUp(ledgers, 'clients', data.clientId);
    if (!client) {
      return [issue('clientId', '「利用を終了するクライアント」がクライアント台帳にありません。台帳に登録されたクライアントを選んでください（第14条第2項）。', 'The client is not in the client ledger; pick a registered client (Art. 14-2).')];
    }
    // The department at the client's site gives it up (S16-5); its site manager is the one who approves.
    if (requester && client.siteId !== requester.siteId) {
      return [issue('clientId', '「利用を終了するクライアント」はあなたの拠点のクライアントではありません。設置拠点の利用部門が届け出てください（第16条第5項）。', 'The client is not at your site; the department at its site files the notice (Art. 16-5).')];
    }
    if (client.status !== 'active') {
      return [issue('clientId', '「利用を終了するクライアント」は稼働中ではありません。既に廃止されたクライアントの終了届は不要です（第16条第5項）。', 'The client is not active; a retired client needs no end-of-use notice (Art. 16-5).')];
    }
    return [];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    const found = await lookUpVersioned(ledgers, 'clients', data.clientId);
    return found ? retireClient(found, requestId, approvedAt, ledgers) : [];
  },
};

/**
 * The client retired, and everything installed on it removed with its seats given back (S35-7):
 * one seat change per licence, since a transaction names each licence once.
 */
async function retireClient(found: Versioned<Client>, requestId: string, approvedAt: string, ledgers: LedgerReader): Promise<LedgerOp[]> {
  const ops: LedgerOp[] = [];
  if (found.item.status !== 'retired') {
    ops.push({
      kind: 'update',
      ledger: 'clients',
      before: found,
      after: { ...found.item, status: 'retired' },
      summary: { ja: `申請 ${requestId} の承認によりクライアントを廃止しました`, en: `Client retired by the approval of request ${requestId}` },
    });
  }
  const seatsBack = new Map<string, number>();
  for (const installation of await installedOn(ledgers, found.item.id)) {
    const current = await versionedIfStill(ledgers, 'client-products', installation.id, 'installed');
    if (!current) continue;
    ops.push({
      kind: 'update',
      ledger: 'client-products',
      before: current,
      after: { ...current.item, status: 'removed', removedAt: approvedAt },
      summary: {
        ja: `申請 ${requestId}（クライアント利用終了）の承認によりアンインストール済としました`,
        en: `Removed by the approval of request ${requestId} (client end of use)`,
      },
    });
    const licenceId = current.item.licenceId;
    if (typeof licenceId === 'string' && licenceId) seatsBack.set(licenceId, (seatsBack.get(licenceId) ?? 0) + 1);
  }
  for (const [licenceId, count] of seatsBack) ops.push({ kind: 'seats', licenceId, held: 0, used: -count });
  return ops;
}
