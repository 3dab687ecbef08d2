import { z } from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition } from '../domain/form-definition';
import type { LedgerReader } from '../domain/ledgers';
import type { ServerProduct } from '../ledgers/installations';
import type { Licence } from '../ledgers/licences';
import type { Product } from '../ledgers/products';
import type { Server } from '../ledgers/servers';

/** F6's data. */
export const ServerProductRequestData = z
  .object({
    serverId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .meta({
        title: 'インストール先サーバ',
        'x-label': { ja: 'インストール先サーバ', en: 'Server' },
        'x-help': { ja: 'サーバ台帳に登録されたサーバから選びます。', en: 'Pick a server from the server ledger.' },
        'x-widget': 'select',
        'x-source': { ledger: 'servers', value: 'id', label: 'name' },
        'x-order': 1,
      }),
    productId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .meta({
        title: 'プロダクト',
        'x-label': { ja: 'プロダクト', en: 'Product' },
        'x-help': {
          ja: '情報システム部インフラ担当が管理するサーバ用プロダクトから選びます。台帳にないプロダクトはインストールできません（第29条第3項）。DBソフトはデータベース管理者も承認します（第23条第4項）。',
          en: 'Pick a server product managed by IT infrastructure; nothing else may be installed (Art. 29-3). The database administrator also approves database software (Art. 23-4).',
        },
        'x-widget': 'select',
        'x-source': { ledger: 'products', value: 'id', label: 'name', filter: { target: 'server', status: 'managed' } },
        'x-order': 2,
      }),
    version: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .meta({
        title: 'バージョン',
        'x-label': { ja: 'バージョン', en: 'Version' },
        'x-help': { ja: 'インストールするバージョン。台帳に記録されます（第28条第3項）。', en: 'The version to install; the ledger records it (Art. 28-3).' },
        'x-widget': 'text',
        'x-order': 3,
      }),
    purpose: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .meta({
        title: '利用目的',
        'x-label': { ja: '利用目的', en: 'Purpose' },
        'x-help': { ja: '業務上必要な理由（2000文字以内）。導入時の目的以外には利用できません（第27条第2項）。', en: 'Why the work needs it (up to 2000 characters); it may be used for nothing else (Art. 27-2).' },
        'x-widget': 'textarea',
        'x-order': 4,
      }),
  })
  .strict();

export type ServerProductRequest = z.infer<typeof ServerProductRequestData>;

const productIssue = (ja: string, en: string): FieldIssue => ({ path: 'data.productId', messages: { ja, en } });

/** Whether the product is installed on the server already (S28-3: one line per product and server). */
async function alreadyInstalled(ledgers: LedgerReader, serverId: string, productId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await ledgers.byState('server-products', `server#${serverId}`, { limit: 100, cursor });
    if ((page.items as ServerProduct[]).some((item) => item.productId === productId && item.status === 'installed')) return true;
    cursor = page.nextCursor;
  } while (cursor);
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
    const server = (await ledgers.get('servers', data.serverId)) as Server | null;
    if (!server) {
      issues.push({
        path: 'data.serverId',
        messages: { ja: '「インストール先サーバ」がサーバ台帳にありません。台帳に登録されたサーバを選んでください（第7条）。', en: 'The server is not in the server ledger; pick a registered server (Art. 7).' },
      });
    } else if (server.status === 'retired') {
      issues.push({ path: 'data.serverId', messages: { ja: 'このサーバは廃止されています（第7条）。', en: 'This server has been retired (Art. 7).' } });
    }
    const product = (await ledgers.get('products', data.productId)) as Product | null;
    if (!product) {
      issues.push(
        productIssue(
          'このプロダクトはプロダクト台帳にありません。情報システム部インフラ担当が管理していないプロダクトはインストールできません（第29条第3項）。',
          'This product is not in the product ledger; a product IT infrastructure does not manage cannot be installed (Art. 29-3).',
        ),
      );
      return issues;
    }
    if (product.status !== 'managed') {
      issues.push(
        productIssue(
          'このプロダクトは管理対象ではありません（導入予定または廃止）。管理対象のプロダクトだけがインストールできます（第29条第3項）。',
          'This product is not managed (planned or retired); only managed products may be installed (Art. 29-3).',
        ),
      );
    } else if (product.target !== 'server') {
      issues.push(productIssue('このプロダクトはクライアント用です。サーバ用のプロダクトを選んでください（第24条）。', 'This is a client product; pick a server product (Art. 24).'));
    }
    if (product.licenceId) {
      const licence = (await ledgers.get('licences', product.licenceId)) as Licence | null;
      if (!licence || licence.status !== 'active') {
        issues.push(
          productIssue(
            'このプロダクトのライセンス契約が有効ではありません。契約数を超えるインストールはできません（第29条第2項）。',
            "This product's licence is not in force; installs may not exceed the licences bought (Art. 29-2).",
          ),
        );
      }
    }
    if (server && (await alreadyInstalled(ledgers, data.serverId, data.productId))) {
      issues.push(
        productIssue(
          'このプロダクトは既にこのサーバにインストールされています（第28条第3項）。バージョンの変更は台帳の改訂で行います。',
          'This product is already installed on this server (Art. 28-3); a version change revises the ledger instead.',
        ),
      );
    }
    return issues;
  },
  /** A licensed product takes a seat while the request is in review (S29-2). */
  async reserve(data, _requester, { ledgers }): Promise<Reservation[]> {
    const product = (await ledgers.get('products', data.productId)) as Product | null;
    return product?.licenceId ? [{ kind: 'seat', licenceId: product.licenceId, field: 'data.productId' }] : [];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    const server = (await ledgers.get('servers', data.serverId)) as Server | null;
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
