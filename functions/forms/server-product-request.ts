import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition } from '../domain/form-definition';
import type { LedgerReader } from '../domain/ledgers';
import type { ServerProduct } from '../ledgers/installations';
import { issue, licenceSeat, lookUp, productStanding, stateItems } from './checks';
import { formData, ledgerPick, requiredText, textArea } from './fields';

/** F6's data. */
export const ServerProductRequestData = formData({
  serverId: ledgerPick({
    source: { ledger: 'servers', label: 'name' },
    label: { ja: 'インストール先サーバ', en: 'Server' },
    help: { ja: 'サーバ台帳に登録されたサーバから選びます。', en: 'Pick a server from the server ledger.' },
  }),
  productId: ledgerPick({
    source: { ledger: 'products', label: 'name', filter: { target: 'server', status: 'managed' } },
    label: { ja: 'プロダクト', en: 'Product' },
    help: {
      ja: '情報システム部インフラ担当が管理するサーバ用プロダクトから選びます。台帳にないプロダクトはインストールできません（第29条第3項）。DBソフトはデータベース管理者も承認します（第23条第4項）。',
      en: 'Pick a server product managed by IT infrastructure; nothing else may be installed (Art. 29-3). The database administrator also approves database software (Art. 23-4).',
    },
  }),
  version: requiredText({
    max: 50,
    label: { ja: 'バージョン', en: 'Version' },
    help: { ja: 'インストールするバージョン。台帳に記録されます（第28条第3項）。', en: 'The version to install; the ledger records it (Art. 28-3).' },
  }),
  purpose: textArea({
    max: 2000,
    label: { ja: '利用目的', en: 'Purpose' },
    help: { ja: '業務上必要な理由（2000文字以内）。導入時の目的以外には利用できません（第27条第2項）。', en: 'Why the work needs it (up to 2000 characters); it may be used for nothing else (Art. 27-2).' },
  }),
});

export type ServerProductRequest = z.infer<typeof ServerProductRequestData>;

/** Whether the product is installed on the server already (S28-3: one line per product and server). */
async function alreadyInstalled(ledgers: LedgerReader, serverId: string, productId: string): Promise<boolean> {
  for await (const item of stateItems(ledgers, 'server-products', `server#${serverId}`)) {
    if (item.productId === productId && item.status === 'installed') return true;
  }
  return false;
}

/** F6 サーバプロダクト利用申請 — システム管理規程 第26条・第28条・第29条. */
export const serverProductRequest: FormDefinition<ServerProductRequest> = {
  id: 'server-product-request',
  code: 'F6',
  version: 1,
  category: 'products',
  title: { ja: 'サーバプロダクト利用申請', en: 'Server product request' },
  description: {
    ja: 'サーバに管理対象のプロダクト（OS・通信ソフト・DBソフト・パッケージ・監視ツール等）を新たに使う必要が生じたときに申請します。情報システム部インフラ担当が承認し、DBソフトの場合はデータベース管理者も承認します。承認されるとインストールがバージョンとともにサーバプロダクト台帳に記録されます。',
    en: 'Apply when a server needs a managed product (OS, communication, database, package, monitoring…). IT infrastructure approves, and the database administrator too for database software. Approval records the installation and its version in the server product ledger.',
  },
  articles: [
    {
      ref: 'S26',
      text: {
        ja: '利用部門はサーバプロダクトの新たな必要性が発生した場合、別途定められた手順に従って、情報システム部インフラ担当に利用の申請を提出しなければならない。',
        en: 'A department that needs a new server product must apply to IT infrastructure.',
      },
    },
    {
      ref: 'S23-4',
      text: {
        ja: 'データベース管理者（管理グループ）は、基幹業務システム全サーバのプロダクトインストールやバージョンアップ、設定及び障害対応を実施する。',
        en: 'The database administrators install, upgrade, configure and repair the products of every server.',
      },
    },
    { ref: 'S28-3', text: { ja: '各サーバにインストールされたプロダクトは、バージョン情報を台帳で管理しなければならない。', en: 'The version of every product installed on a server is kept in the ledger.' } },
    { ref: 'S29-2', text: { ja: 'ライセンス契約数以上のインストールをしてはならない。', en: 'No more installs than the licences bought.' } },
    { ref: 'S29-3', text: { ja: '情報システム部インフラ担当で管理していないプロダクトを、インストールしてはいけない。', en: 'No product that IT infrastructure does not manage may be installed.' } },
  ],
  route: [
    { role: 'itInfra', rule: 'any' },
    {
      role: 'dba',
      rule: 'any',
      when: { field: 'productId', ledger: 'products', property: 'category', equals: 'database', label: { ja: 'DBソフトの場合', en: 'when it is database software' } },
    },
  ],
  schema: ServerProductRequestData,
  rules: [],
  async check(data, { ledgers }) {
    const issues: FieldIssue[] = [];
    const server = await lookUp(ledgers, 'servers', data.serverId);
    if (!server) {
      issues.push(issue('serverId', '「インストール先サーバ」がサーバ台帳にありません。台帳に登録されたサーバを選んでください（第7条）。', 'The server is not in the server ledger; pick a registered server (Art. 7).'));
    } else if (server.status === 'retired') {
      issues.push(issue('serverId', 'このサーバは廃止されています（第7条）。', 'This server has been retired (Art. 7).'));
    }
    const { faults } = await productStanding(ledgers, data.productId, 'server');
    if (faults.includes('missing')) {
      issues.push(issue('productId', 'このプロダクトはプロダクト台帳にありません。情報システム部インフラ担当が管理していないプロダクトはインストールできません（第29条第3項）。', 'This product is not in the product ledger; a product IT infrastructure does not manage cannot be installed (Art. 29-3).'));
      return issues;
    }
    if (faults.includes('planned') || faults.includes('retired')) {
      issues.push(issue('productId', 'このプロダクトは管理対象ではありません（導入予定または廃止）。管理対象のプロダクトだけがインストールできます（第29条第3項）。', 'This product is not managed (planned or retired); only managed products may be installed (Art. 29-3).'));
    } else if (faults.includes('other-target')) {
      issues.push(issue('productId', 'このプロダクトはクライアント用です。サーバ用のプロダクトを選んでください（第24条）。', 'This is a client product; pick a server product (Art. 24).'));
    }
    // Said besides the above: a product nobody manages may still hold a licence that lapsed.
    if (faults.includes('licence-not-in-force')) {
      issues.push(issue('productId', 'このプロダクトのライセンス契約が有効ではありません。契約数を超えるインストールはできません（第29条第2項）。', "This product's licence is not in force; installs may not exceed the licences bought (Art. 29-2)."));
    }
    if (server && (await alreadyInstalled(ledgers, data.serverId, data.productId))) {
      issues.push(issue('productId', 'このプロダクトは既にこのサーバにインストールされています（第28条第3項）。バージョンの変更は台帳の改訂で行います。', 'This product is already installed on this server (Art. 28-3); a version change revises the ledger instead.'));
    }
    return issues;
  },
  /** A licensed product takes a seat while the request is in review (S29-2). */
  async reserve(data, _requester, { ledgers }): Promise<Reservation[]> {
    return licenceSeat(ledgers, data.productId);
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    const server = await lookUp(ledgers, 'servers', data.serverId);
    // Servers are retired, never deleted, so the server is there; fail loudly rather than record no place.
    if (!server) throw new Error(`Server ${data.serverId} of request ${requestId} is not in the server ledger.`);
    const installation: ServerProduct = {
      id: requestId.replace(/^R-/, 'SP-'),
      serverId: data.serverId,
      productId: data.productId,
      version: data.version,
      status: 'installed',
      installedAt: approvedAt,
      siteId: server.siteId,
      branchId: server.branchId,
      requestId,
    };
    return [
      {
        kind: 'create',
        ledger: 'server-products',
        item: installation,
        summary: { ja: `申請 ${requestId} の承認によりインストールを記録しました（バージョン ${data.version}）`, en: `Installation recorded by the approval of request ${requestId} (version ${data.version})` },
      },
    ];
  },
};
