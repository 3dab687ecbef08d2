import * as z from 'zod';
import type { Reservation } from '../domain/approval';
import type { FieldIssue } from '../domain/errors';
import type { FormContext, FormDefinition } from '../domain/form-definition';
import type { LedgerOp } from '../domain/ledgers';
import type { Client } from '../ledgers/clients';
import type { LicenceRegistration } from '../ledgers/licence-registrations';
import type { ProductStanding } from './checks';
import { issue, licenceSeat, lookUp, productStanding, stateItems, versionedIfStill } from './checks';
import { formData, keySafeId, ledgerPick, optionalLedgerPick, textArea } from './fields';

/** F9's data. A registration id makes it a change of that registration (S41-3); without one it is new. */
export const ApplicationUseRegistrationData = formData({
  registrationId: optionalLedgerPick({
    // The page cannot filter by "the requester's own" registrations; the server checks ownership.
    source: { ledger: 'licence-registrations', label: 'id', filter: { status: 'active' } },
    id: keySafeId,
    label: { ja: '変更する使用登録', en: 'Registration to change' },
    help: {
      ja: '登録済みの内容を変更するときだけ、あなたの有効な使用登録から選びます。新規の登録では空欄のままにします。変更は承認されるまで反映されません（第41条第3項）。',
      en: 'Only to change an existing registration: pick one of your active registrations. Leave it empty for a new one. A change takes effect only once approved (Art. 41-3).',
    },
  }),
  clientId: ledgerPick({
    source: { ledger: 'clients', label: 'label', filter: { ownership: 'company' } },
    id: keySafeId,
    label: { ja: '使用するパソコン', en: 'Client PC' },
    help: {
      ja: 'クライアント台帳から選びます。個人所有のパソコンにはライセンス取得が必要なアプリケーションの使用を認めません（第48条）。',
      en: 'Pick a client from the client ledger. Personal PCs may not use applications that need a licence (Art. 48).',
    },
  }),
  productId: ledgerPick({
    source: { ledger: 'products', label: 'name', filter: { status: 'managed' } },
    id: keySafeId,
    label: { ja: 'アプリケーション', en: 'Application' },
    help: {
      ja: '情報システム部が管理する、ライセンス取得が必要なアプリケーション（プロダクト台帳）から選びます（第38条第3項・第41条）。',
      en: 'Pick a licensed application that Information Systems manages, from the product ledger (Art. 38-3, 41).',
    },
  }),
  usage: textArea({
    max: 2000,
    label: { ja: '使用内容', en: 'Usage' },
    help: { ja: 'どの業務に、どのように使うか（2000文字以内）。', en: 'What work it is used for, and how (up to 2000 characters).' },
  }),
});

export type ApplicationUseRegistration = z.infer<typeof ApplicationUseRegistrationData>;

/** Held by a change in review, so that a registration has one pending change at a time (S41-3). */
export const registrationChangeClaim = (registrationId: string) => `licence-registrations#change#${registrationId}`;

/** Active registrations of one application on one client (the state index is by client). */
async function activeRegistrations({ ledgers }: Pick<FormContext, 'ledgers'>, clientId: string, productId: string): Promise<LicenceRegistration[]> {
  const found: LicenceRegistration[] = [];
  for await (const item of stateItems(ledgers, 'licence-registrations', `client#${clientId}`)) if (item.productId === productId && item.status === 'active') found.push(item);
  return found;
}

function clientIssues(client: Client | null): FieldIssue[] {
  if (!client) {
    return [issue('clientId', '「使用するパソコン」がクライアント台帳にありません。台帳に登録されたパソコンを選んでください（第14条）。', 'The client is not in the client ledger; pick a registered one (Art. 14).')];
  }
  if (client.ownership === 'personal') {
    return [issue('clientId', '個人所有のパソコンには、ライセンス取得が必要なアプリケーションの使用を認めません（第48条）。会社所有のパソコンを選んでください。', 'A personal PC may not use an application that needs a licence (Art. 48); pick a company-owned PC.')];
  }
  if (client.status === 'retired') {
    return [issue('clientId', 'このパソコンは廃止されています。使用中のパソコンを選んでください（第44条）。', 'This client has been retired; pick one in use (Art. 44).')];
  }
  return [];
}

function productIssues({ product, faults }: ProductStanding): FieldIssue[] {
  if (!product || product.status !== 'managed') {
    return [issue('productId', '情報システム部インフラ担当で管理していないプロダクトは使用登録できません。プロダクト台帳の管理対象から選んでください（第38条第3項）。', 'Only products IT infrastructure manages can be registered; pick a managed product from the product ledger (Art. 38-3).')];
  }
  if (product.target !== 'client' || !product.licenceId) {
    return [issue('productId', 'このプロダクトはライセンス管理の対象となるパソコン用アプリケーションではないため、使用登録は不要です（第41条）。', 'This product is not a licensed PC application, so it needs no use registration (Art. 41).')];
  }
  if (faults.includes('licence-not-in-force')) {
    return [issue('productId', 'このアプリケーションの有効なライセンス契約がライセンス台帳にありません。承認ライセンス数を超えて使用することはできません（第42条第3項）。', 'There is no licence in force for this application in the licence ledger; it cannot be used beyond the licences approved (Art. 42-3).')];
  }
  return [];
}

/** F9 アプリケーション使用登録申請 — システム管理規程 第41条・第48条. */
export const applicationUseRegistration: FormDefinition<ApplicationUseRegistration> = {
  id: 'application-use-registration',
  code: 'F9',
  version: 1,
  category: 'licences',
  title: { ja: 'アプリケーション使用登録申請', en: 'Application use registration' },
  description: {
    ja: 'ライセンス取得が必要なアプリケーションをインストールする前に、ライセンス管理者の承認を受けます。登録内容を変更するときも、この申請で再承認を受けます（変更が承認されるまでは、今の登録がそのまま有効です）。',
    en: 'Get the licence manager\'s approval before installing an application that needs a licence. A change of a registration is approved again with this form (until then the registration in force stays as it is).',
  },
  articles: [
    {
      ref: 'S41',
      text: {
        ja: '情報システム部にて管理しているライセンス取得が必要なアプリケーションを使用するものは、アプリケーションの使用登録申請書をライセンス管理者に提出し、その承認を得た後でなければ、ライセンス取得が必要なアプリケーションをインストールできない。',
        en: 'Whoever uses a licensed application managed by Information Systems submits a use registration to the licence manager and may install it only after approval.',
      },
    },
    {
      ref: 'S41-3',
      text: { ja: '申請内容に変更のあった場合は、速やかにライセンス管理者に届け出て、再承認を受けなければならない。', en: 'When the registered content changes, report it to the licence manager at once and get approval again.' },
    },
    { ref: 'S38-3', text: { ja: '情報システム部インフラ担当で管理していないプロダクトを、インストールしてはいけない。', en: 'No product IT infrastructure does not manage may be installed.' } },
    { ref: 'S42-3', text: { ja: '承認ライセンス数以上のパソコンへのインストール。', en: 'Installing on more PCs than the licences approved is prohibited.' } },
    { ref: 'S48', text: { ja: '個人所有パソコンは、原則としてライセンス取得が必要なアプリケーションの使用を認めない。', en: 'As a rule, personal PCs may not use applications that need a licence.' } },
  ],
  route: [{ role: 'licenseManager', rule: 'any' }],
  schema: ApplicationUseRegistrationData,
  rules: [],
  async check(data, context) {
    const { ledgers } = context;
    const [client, standing] = await Promise.all([lookUp(ledgers, 'clients', data.clientId), productStanding(ledgers, data.productId, 'client')]);
    const { product } = standing;
    const issues = [...clientIssues(client), ...productIssues(standing)];

    const registration = data.registrationId ? await lookUp(ledgers, 'licence-registrations', data.registrationId) : null;
    if (data.registrationId) {
      if (!registration || registration.status !== 'active') {
        issues.push(issue('registrationId', '変更できるのは有効な使用登録だけです。失効・取消された登録を使い続けるには、新規に使用登録を申請してください（第41条第3項・第44条）。', 'Only an active registration can be changed; for a lapsed or revoked one, apply for a new registration (Art. 41-3, 44).'));
        return issues;
      }
      // S47: the registration is its holder's; nobody else changes it.
      if (context.requester && registration.userId !== context.requester.id) {
        issues.push(issue('registrationId', '他の利用者の使用登録は変更できません。登録した本人が変更を申請してください（第41条第3項・第47条）。', "You cannot change another person's registration; its holder applies for the change (Art. 41-3, 47)."));
      }
      if (registration.productId !== data.productId) {
        issues.push(issue('productId', '使用登録の変更ではアプリケーションを変えられません。別のアプリケーションは新規の使用登録を申請してください（第41条第3項）。', 'A change cannot switch the application; apply for a new registration for another application (Art. 41-3).'));
      }
      if (registration.clientId === data.clientId && registration.usage === data.usage) {
        issues.push(issue('usage', '登録内容から変更がありません。変更する内容を入力してください（第41条第3項）。', 'Nothing differs from the registration in force; enter what changes (Art. 41-3).'));
      }
    }
    // One registration of an application per PC; a change of content goes through the change form.
    const moving = !registration || registration.clientId !== data.clientId;
    if (client && product && moving && (await activeRegistrations(context, data.clientId, data.productId)).length > 0) {
      issues.push(issue('clientId', 'このパソコンには同じアプリケーションの有効な使用登録があります。内容を変えるときは、その登録の変更として申請してください（第41条第3項）。', 'This PC already has an active registration of the application; apply for a change of that registration instead (Art. 41-3).'));
    }
    return issues;
  },
  /**
   * A new registration holds a licence seat while in review (S42-3). A change keeps its seat and holds
   * the registration instead, so that one change at a time is in review.
   */
  async reserve(data, _requester, { ledgers }): Promise<Reservation[]> {
    if (data.registrationId) {
      return [
        {
          kind: 'claim',
          key: registrationChangeClaim(data.registrationId),
          field: 'data.registrationId',
          message: { ja: 'この使用登録は変更の承認待ちです（第41条第3項）。', en: 'A change of this registration is already awaiting approval (Art. 41-3).' },
        },
      ];
    }
    return licenceSeat(ledgers, data.productId);
  },
  async onApproved({ requestId, requester, reservations, data, approvedAt }, { ledgers }) {
    const client = await lookUp(ledgers, 'clients', data.clientId);
    // Clients are never removed from the ledger; the requester's place is a fallback only.
    const where = { siteId: client?.siteId ?? requester.siteId, branchId: client?.branchId ?? requester.branchId };

    if (!data.registrationId) {
      // The registration uses the seat it held in review, whatever the product says by now.
      const seat = (reservations ?? []).find((reservation) => reservation.kind === 'seat');
      const product = seat ? null : await lookUp(ledgers, 'products', data.productId);
      const registration: LicenceRegistration = {
        id: requestId.replace(/^R-/, 'LR-'),
        userId: requester.id,
        clientId: data.clientId,
        productId: data.productId,
        licenceId: seat?.licenceId ?? product?.licenceId ?? '',
        usage: data.usage,
        status: 'active',
        revision: 1,
        registeredAt: approvedAt,
        ...where,
        requestId,
      };
      return [
        {
          kind: 'create',
          ledger: 'licence-registrations',
          item: registration,
          summary: { ja: `申請 ${requestId} の承認によりアプリケーションの使用を登録しました`, en: `Application use registered by the approval of request ${requestId}` },
        },
      ];
    }

    // The claim held in review is kept on approval; freed here so that later changes can be filed.
    const ops: LedgerOp[] = [{ kind: 'release', key: registrationChangeClaim(data.registrationId), owner: requestId }];
    // Lapsed or revoked meanwhile (S44): there is nothing in force left to change.
    const found = await versionedIfStill(ledgers, 'licence-registrations', data.registrationId, 'active');
    if (!found) return ops;
    const before = found.item;
    const revision = before.revision + 1;
    const after: LicenceRegistration = { ...before, clientId: data.clientId, usage: data.usage, revision, changedAt: approvedAt, ...where, requestId };
    ops.push({
      kind: 'update',
      ledger: 'licence-registrations',
      before: found,
      after,
      summary: {
        ja: `変更申請 ${requestId} の承認により使用登録を変更しました（第${revision}版）`,
        en: `Registration changed by the approval of request ${requestId} (revision ${revision})`,
      },
    });
    return ops;
  },
};
