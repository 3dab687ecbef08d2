import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormDefinition } from '../domain/form-definition';
import type { LedgerOp, LedgerReader } from '../domain/ledgers';
import type { Text } from '../domain/text';
import type { ClientProduct } from '../ledgers/installations';
import type { ProductFault } from './checks';
import { defined, installedOn, issue, licenceSeat, lookUp, productStanding } from './checks';
import { formData, ledgerPick, requiredText, textArea } from './fields';

/** F7's data. */
export const ClientProductRequestData = formData({
  clientId: ledgerPick({
    source: { ledger: 'clients', label: 'label', filter: { ownership: 'company', status: 'active' } },
    label: { ja: 'インストール先クライアント', en: 'Client' },
    help: {
      ja: 'クライアント台帳に登録された会社所有のクライアントから選びます。個人所有のクライアントには管理プロダクトをインストールできません（第35条第5項）。',
      en: 'Pick a company-owned client from the client ledger; a personal device may not receive a managed product (Art. 35-5).',
    },
  }),
  productId: ledgerPick({
    source: { ledger: 'products', label: 'name', filter: { target: 'client', status: 'managed' } },
    label: { ja: 'プロダクト', en: 'Product' },
    help: {
      ja: 'プロダクト台帳で管理対象のクライアント用プロダクトから選びます。それ以外はインストールできません（第38条第3項）。ライセンスが必要なプロダクトは、申請中から1ライセンスを確保します。',
      en: 'Pick a managed client product from the product ledger; nothing else may be installed (Art. 38-3). A licensed product holds one seat from the moment you apply.',
    },
  }),
  version: requiredText({
    max: 50,
    label: { ja: 'バージョン', en: 'Version' },
    help: { ja: 'インストールするバージョン。台帳でバージョンを管理します（第37条第3項）。', en: 'The version to install; the ledger keeps it (Art. 37-3).' },
  }),
  purpose: textArea({
    max: 2000,
    label: { ja: '利用目的', en: 'Purpose' },
    help: {
      ja: 'このプロダクトを使って遂行する業務を書いてください（2000文字以内）。部門責任者がその業務での利用を認めます（第35条第6項）。',
      en: 'The work you will do with this product (up to 2000 characters); your department head authorises it (Art. 35-6).',
    },
  }),
});

export type ClientProductRequest = z.infer<typeof ClientProductRequestData>;

/** The same product requested twice for one client while in review would hold two seats for one install. */
const claimKey = (data: Pick<ClientProductRequest, 'clientId' | 'productId'>) => `client-product:${data.clientId}:${data.productId}`;

const pendingTwice: Text = {
  ja: 'このクライアントへの同じプロダクトの利用申請が既に審査中です。1台のクライアントに同じプロダクトのライセンスを重ねて確保することはできません（第38条第2項）。',
  en: 'A request for this product on this client is already in review; one client cannot hold two seats of the same product (Art. 38-2).',
};

async function clientIssues(ledgers: LedgerReader, clientId: string): Promise<FieldIssue[]> {
  const client = await lookUp(ledgers, 'clients', clientId);
  if (!client) {
    return [issue('clientId', '「インストール先クライアント」がクライアント台帳にありません。台帳に登録されたクライアントを選んでください（第14条第2項）。', 'The client is not in the client ledger; pick a registered client (Art. 14-2).')];
  }
  if (client.ownership === 'personal') {
    return [issue('clientId', '個人所有のクライアントには管理プロダクトをインストールできません（第35条第5項・第48条）。', 'A personally owned client may not receive a managed product (Art. 35-5, 48).')];
  }
  if (client.status !== 'active') {
    return [issue('clientId', '「インストール先クライアント」は稼働中ではありません。稼働中のクライアントを選んでください（第16条）。', 'The client is not active; pick an active client (Art. 16).')];
  }
  return [];
}

/** The words for the first fault of the product (S38-2, S38-3); only the first is said. */
const productFaultIssue = (fault: ProductFault, licenceId: string | undefined): FieldIssue => {
  switch (fault) {
    case 'missing':
      return issue('productId', '「プロダクト」がプロダクト台帳にありません。情報システム部インフラ担当で管理していないプロダクトはインストールできません（第38条第3項）。', 'The product is not in the product ledger; a product IT infrastructure does not manage may not be installed (Art. 38-3).');
    case 'retired':
      return issue('productId', '「プロダクト」は廃止されています。情報システム部インフラ担当で管理していないプロダクトはインストールできません（第38条第3項）。', 'The product is retired; a product IT infrastructure does not manage may not be installed (Art. 38-3).');
    case 'planned':
      return issue('productId', '「プロダクト」はまだ導入予定で、管理対象になっていません。管理対象のプロダクトだけがインストールできます（第38条第3項）。', 'The product is only planned and not yet managed; only managed products may be installed (Art. 38-3).');
    case 'other-target':
      return issue('productId', '「プロダクト」はサーバ用です。クライアントには管理対象のクライアント用プロダクトだけをインストールできます（第38条第3項）。', 'The product is for servers; only managed client products may be installed on a client (Art. 38-3).');
    case 'licence-not-in-force':
      return issue('productId', `「プロダクト」のライセンス（${licenceId}）が有効ではありません。ライセンス契約数を超えるインストールはできません（第38条第2項）。`, `The product's licence ${licenceId} is not in force; installs may not exceed the licences held (Art. 38-2).`);
  }
};

async function productIssues(ledgers: LedgerReader, data: ClientProductRequest): Promise<FieldIssue[]> {
  const { product, licence, faults } = await productStanding(ledgers, data.productId, 'client');
  if (faults.length > 0) return [productFaultIssue(faults[0], product?.licenceId)];
  // Read before the transaction only to report every problem at once; the seat itself is held by
  // the transaction that files the request, which alone decides the last seat.
  if (licence && licence.seatsFree < 1) {
    return [issue('productId', `ライセンス（${licence.id}）に空きがありません。契約数を超えるインストールはできません（第29条第2項・第38条第2項）。`, `Licence ${licence.id} has no free seat; installs may not exceed the licences bought (Art. 29-2, 38-2).`)];
  }
  if ((await installedOn(ledgers, data.clientId)).some((item) => item.productId === data.productId)) {
    return [issue('productId', '「プロダクト」はこのクライアントに既にインストールされています。同じクライアントに重ねて申請することはできません（第37条第3項・第38条第2項）。', 'The product is already installed on this client; it cannot be requested twice for one client (Art. 37-3, 38-2).')];
  }
  return [];
}

/** F7 クライアント用プロダクト利用申請 — システム管理規程 第35条・第37条・第38条. */
export const clientProductRequest: FormDefinition<ClientProductRequest> = {
  id: 'client-product-request',
  code: 'F7',
  version: 1,
  category: 'products',
  title: { ja: 'クライアント用プロダクト利用申請', en: 'Client product request' },
  description: {
    ja: 'クライアントで管理対象のプロダクト（OS、通信ソフト、パッケージソフト、ツール等）を新たに使う必要があるときに申請します。部門責任者が業務での利用を認め、拠点管理者・拠点責任者の承認の上、情報システム部インフラ担当が最終承認すると、インストールがバージョンとともに台帳に記録されます。ライセンスが必要なプロダクトは申請時に1ライセンスを確保し、却下・差戻し・引戻しで返却されます。',
    en: 'Apply when you need a managed product (OS, communication software, package, tool, …) on a client. Your department head authorises its use for the work, the site manager and branch responsible approve, and IT infrastructure gives the final approval; the installation is then recorded with its version. A licensed product holds one seat from submission, given back if the request is rejected, sent back or withdrawn.',
  },
  articles: [
    {
      ref: 'S35',
      text: {
        ja: '利用部門はプロダクトの新たな必要性が発生した場合、別途定められた手順に従って、情報システム部インフラ担当に利用の申請を申し出なければならない。',
        en: 'A department that needs a new product applies to IT infrastructure by the prescribed procedure.',
      },
    },
    { ref: 'S35-2', text: { ja: '利用申請は、定められた書式によらなければならない。', en: 'Applications use the prescribed form.' } },
    {
      ref: 'S35-3',
      text: {
        ja: '利用許可は、各拠点の管理者と責任者の承認の上、最終的に情報システム部インフラ担当の承認によって決定される。',
        en: 'Permission is decided by IT infrastructure after the site manager and the branch responsible approve.',
      },
    },
    {
      ref: 'S35-5',
      text: { ja: '個人所有のクライアントで、情報システム部インフラ担当で管理しているプロダクトを利用してはいけない。', en: 'A managed product may not be used on a personally owned client.' },
    },
    {
      ref: 'S35-6',
      text: {
        ja: '情報システム部インフラ担当で管理しているプロダクトを利用して業務を遂行することを、利用部署の管理者に認められていない場合は、プロダクトの新規導入をしてはならない。',
        en: 'No product may be introduced unless the department’s manager has authorised doing the work with it.',
      },
    },
    { ref: 'S37-3', text: { ja: '各クライアントにインストールされたプロダクトは、バージョン情報を台帳で管理しなければならない。', en: 'The versions of the products installed on each client are kept in a ledger.' } },
    { ref: 'S38-2', text: { ja: 'ライセンス契約数以上のクライアントに、インストールしてはならない。', en: 'A product may not be installed on more clients than the licences held.' } },
    { ref: 'S38-3', text: { ja: '情報システム部インフラ担当で管理していないプロダクトを、インストールしてはいけない。', en: 'A product IT infrastructure does not manage may not be installed.' } },
    { ref: 'S48', text: { ja: '個人所有パソコンは、原則としてライセンス取得が必要なアプリケーションの使用を認めない。', en: 'A personally owned PC is, in principle, not allowed licensed applications.' } },
  ],
  route: [
    { role: 'deptHead', rule: 'any' },
    { role: 'siteManager', rule: 'any' },
    { role: 'siteResponsible', rule: 'any' },
    { role: 'itInfra', rule: 'any' },
  ],
  schema: ClientProductRequestData,
  rules: [],
  async check(data, { ledgers }) {
    const [client, product] = await Promise.all([clientIssues(ledgers, data.clientId), productIssues(ledgers, data)]);
    return [...client, ...product];
  },
  async reserve(data, _requester, { ledgers }): Promise<Reservation[]> {
    return [...(await licenceSeat(ledgers, data.productId)), { kind: 'claim', key: claimKey(data), field: 'data.productId', message: pendingTwice }];
  },
  async onApproved({ requestId, requester, data, approvedAt }, { ledgers }) {
    const [client, product] = await Promise.all([lookUp(ledgers, 'clients', data.clientId), lookUp(ledgers, 'products', data.productId)]);
    // The installation is where its client is; a client gone meanwhile leaves the requester's place.
    const place = client ?? requester;
    const installation: ClientProduct = defined({
      id: requestId.replace(/^R-/, 'CP-'),
      clientId: data.clientId,
      productId: data.productId,
      version: data.version,
      licenceId: product?.licenceId || undefined,
      userId: requester.id,
      status: 'installed',
      installedAt: approvedAt,
      siteId: place.siteId,
      branchId: place.branchId,
      requestId,
    });
    const ops: LedgerOp[] = [
      {
        kind: 'create',
        ledger: 'client-products',
        item: installation,
        summary: { ja: `申請 ${requestId} の承認によりインストールを記録しました`, en: `Installation recorded by the approval of request ${requestId}` },
      },
      // The installation itself now stands in the way of a second request; the in-review claim is given back.
      { kind: 'release', key: claimKey(data), owner: requestId },
    ];
    return ops;
  },
};
