import * as z from 'zod';
import type { FormDefinition } from '../domain/form-definition';
import { issue, lookUp, lookUpVersioned } from './checks';
import { formData, ledgerPick, mustTick, optionalTextArea } from './fields';

/** F15's data: the PC and the five requirements of 安全管理細則 第11条, each confirmed. */
export const ClientPcConnectionRequestData = formData({
  clientId: ledgerPick({
    source: { ledger: 'clients', label: 'label', filter: { ownership: 'company', status: 'active', kind: 'terminal' } },
    label: { ja: '接続するクライアントPC', en: 'Client PC' },
    help: {
      ja: 'クライアント台帳に登録された、稼働中の会社所有のPCから選びます。個人所有のPCはサーバ・クラウドシステムに接続できません。',
      en: 'Pick an active company-owned PC from the client ledger; a personal PC may not connect to the servers or cloud systems.',
    },
  }),
  // The five requirements of A11, each confirmed by the requester.
  loginAndAccessLog: mustTick({
    label: { ja: 'ログイン・ログアウトとアクセス記録', en: 'Login, logout and access log' },
    help: {
      ja: 'ログイン・ログアウトの機能があり、ログインしている個人が特定でき、サーバへのアクセス記録を取れることを確認しました（安全管理細則第11条（1））。',
      en: 'I confirm the PC has login and logout, identifies the person logged in, and can record server access (Security rules Art. 11 (1)).',
    },
  }),
  antivirus: mustTick({
    label: { ja: 'ウィルス対策ソフト（最新パターン）', en: 'Antivirus with the latest patterns' },
    help: {
      ja: 'ウィルス検知・駆除ソフトがインストールされ、最新のウィルスパターンを利用できることを確認しました（安全管理細則第11条（2））。',
      en: 'I confirm antivirus software is installed and uses the latest virus patterns (Security rules Art. 11 (2)).',
    },
  }),
  screenPosition: mustTick({
    label: { ja: '画面が外部から見えない設置位置', en: 'Screen not visible from outside' },
    help: {
      ja: 'ディスプレイを外部から画面が見えない位置に設置したことを確認しました。やむを得ず見える位置で使う場合は覗き見防止の処置を施し、備考に書いてください（安全管理細則第11条（3））。',
      en: 'I confirm the display cannot be seen from outside; where it must be, a privacy filter is fitted (say so in the note) (Security rules Art. 11 (3)).',
    },
  }),
  screensaver: mustTick({
    label: { ja: 'パスワード付きスクリーンセーバー（10分以内）', en: 'Password screensaver within 10 minutes' },
    help: {
      ja: 'パスワード付きのスクリーンセーバーが10分以内に起動するよう設定したことを確認しました（安全管理細則第11条（4））。',
      en: 'I confirm a password-protected screensaver starts within 10 minutes (Security rules Art. 11 (4)).',
    },
  }),
  theftPrevention: mustTick({
    label: { ja: '盗難防止措置（ワイヤーロック等）', en: 'Theft prevention (wire lock, …)' },
    help: {
      ja: '盗難防止措置（ワイヤーロック等）を講じたことを確認しました。ノートPCは総務で施錠された書庫で管理し、持ち出し時は記録をとります（安全管理細則第11条（5））。',
      en: 'I confirm theft prevention (a wire lock, …) is in place; notebook PCs are kept in General Affairs’ locked cabinet and every checkout is recorded (Security rules Art. 11 (5)).',
    },
  }),
  note: optionalTextArea({
    max: 1000,
    label: { ja: '備考', en: 'Note' },
    help: { ja: '覗き見防止の処置など、補足があれば書いてください。', en: 'Anything to add, such as a privacy filter.' },
  }),
});

export type ClientPcConnectionRequest = z.infer<typeof ClientPcConnectionRequestData>;

/** F15 クライアントPC接続承認申請 — 安全管理細則 第11条. */
export const clientPcConnectionRequest: FormDefinition<ClientPcConnectionRequest> = {
  id: 'client-pc-connection-request',
  code: 'F15',
  version: 1,
  category: 'client',
  title: { ja: 'クライアントPC接続承認申請', en: 'Client PC connection approval request' },
  description: {
    ja: 'クライアントPCからサーバ・クラウドシステムにアクセスするには、システム管理者の承認が必要です。PCが安全管理細則第11条の仕様をすべて満たすことを確認して申請します。拠点管理者の確認の上、システム管理者が承認すると、クライアント台帳で接続承認済となります。',
    en: 'A client PC may access the servers and cloud systems only once the system administrator approves it. Confirm that the PC meets every requirement of Security rules Art. 11; after the site manager and the system administrator approve, the client ledger marks it approved for server access.',
  },
  articles: [
    {
      ref: 'A11',
      text: {
        ja: 'サーバ・クラウドシステムにアクセスできるクライアントPCは、システム管理者が承認したものとし、以下の仕様を満たさなければならない。',
        en: 'A client PC that may access the servers and cloud systems is one the system administrator approved, and it must meet the following.',
      },
    },
    {
      ref: 'A11(1)',
      text: {
        ja: 'ログイン･ログアウトの機能を有し、ログインしている個人が特定でき、サーバへのアクセス記録を取る事ができること。',
        en: 'It has login and logout, identifies the person logged in, and can record access to the servers.',
      },
    },
    { ref: 'A11(2)', text: { ja: 'ウィルス検知･駆除ソフトがインストールされており、最新のウィルスパターンを利用可能なもの。', en: 'Antivirus software is installed and can use the latest virus patterns.' } },
    {
      ref: 'A11(3)',
      text: {
        ja: 'PCのディスプレイは、外部から画面が見える位置に設置してはならない。但しどうしても外部から見える位置にて使用する必要がある場合は、覗き見防止の処置を施し、十分に注意して取り扱うこと。',
        en: 'The display is not placed where it can be seen from outside; where that cannot be avoided, a privacy filter is fitted and care taken.',
      },
    },
    { ref: 'A11(4)', text: { ja: 'パスワードつきのスクリーンセーバーが10分以内で起動するよう設定する。', en: 'A password-protected screensaver starts within 10 minutes.' } },
    {
      ref: 'A11(5)',
      text: {
        ja: '移動可能な機器は盗難防止措置を講じる。ノートPCやUSBメモリ等の可搬媒体は、総務で施錠された書庫にて管理し、持ち出し時には「ノートPC、可搬媒体持ち出し記録」により記録をとる。',
        en: 'Portable equipment is protected against theft; notebook PCs and portable media are kept in General Affairs’ locked cabinet, and every checkout is recorded.',
      },
    },
  ],
  route: [
    { role: 'siteManager', rule: 'any' },
    { role: 'sysAdmin', rule: 'any' },
  ],
  schema: ClientPcConnectionRequestData,
  rules: [],
  async check(data, { ledgers }) {
    const client = await lookUp(ledgers, 'clients', data.clientId);
    if (!client) {
      return [issue('clientId', '「接続するクライアントPC」がクライアント台帳にありません。台帳に登録されたPCを選んでください（システム管理規程第14条第2項）。', 'The PC is not in the client ledger; pick a registered PC (Art. 14-2).')];
    }
    if (client.ownership === 'personal') {
      return [issue('clientId', '個人所有のPCはサーバ・クラウドシステムへの接続を承認できません。会社所有のPCを選んでください（安全管理細則第11条・システム管理規程第35条第5項）。', 'A personally owned PC cannot be approved to access the servers or cloud systems; pick a company-owned PC (Security rules Art. 11; Art. 35-5).')];
    }
    if (client.kind !== 'terminal') {
      return [issue('clientId', '「接続するクライアントPC」はPC（入力用端末）ではありません（安全管理細則第11条）。', 'The client is not a PC (terminal) (Security rules Art. 11).')];
    }
    if (client.status !== 'active') {
      return [issue('clientId', '「接続するクライアントPC」は稼働中ではありません（安全管理細則第11条）。', 'The PC is not active (Security rules Art. 11).')];
    }
    if (client.serverAccessApproved) {
      return [issue('clientId', '「接続するクライアントPC」は既にサーバ接続が承認されています（安全管理細則第11条）。', 'The PC is already approved for server access (Security rules Art. 11).')];
    }
    return [];
  },
  async onApproved({ requestId, data, approvedAt }, { ledgers }) {
    const found = await lookUpVersioned(ledgers, 'clients', data.clientId);
    if (!found) return [];
    return [
      {
        kind: 'update',
        ledger: 'clients',
        before: found,
        after: { ...found.item, serverAccessApproved: true, serverAccessApprovedAt: approvedAt },
        summary: {
          ja: `申請 ${requestId} の承認によりサーバ・クラウドシステムへの接続を承認しました（安全管理細則第11条）`,
          en: `Approved for server access by the approval of request ${requestId} (Security rules Art. 11)`,
        },
      },
    ];
  },
};
