/**
 * All text of the interface, in Japanese (the default) and English. Components call `t(key)`;
 * text that comes from the server is already bilingual (`{ja, en}`) and goes through `loc()`.
 * The chosen language is remembered in localStorage and mirrored on `<html lang>`.
 */
import { useEffect, useState } from 'preact/hooks';

export type Lang = 'ja' | 'en';
export type Bilingual = { ja: string; en: string };

const ja = {
  'app.name': '規程ワークフロー',
  'app.tagline': 'IT管理規程に基づく申請・承認',
  'app.skip': '本文へ移動',
  'app.loading': '読み込み中…',
  'app.sending': '送信中…',
  'app.retry': '再試行',
  'app.refresh': '最新の情報に更新',
  'app.cancel': 'キャンセル',
  'app.notFound': 'ページが見つかりません',
  'app.notFoundText': 'URL をご確認ください。',
  'app.toHome': '申請メニューへ',
  'app.networkError': 'サーバーに接続できませんでした。通信状況を確認して、もう一度お試しください。',
  'app.configError': '設定を読み込めませんでした。しばらくしてから再読み込みしてください。',
  'app.unknownError': 'エラーが発生しました。',
  'app.updatedAt': '{time} 時点の情報',
  'app.autoRefresh': '審査中のため、数秒ごとに自動で更新しています。',

  'lang.label': '表示言語',

  'nav.label': 'メインメニュー',
  'nav.catalogue': '申請する',
  'nav.mine': '自分の申請',
  'nav.inbox': '承認待ち',
  'nav.inboxCount': '（{n} 件）',
  'nav.ledgers': '台帳',
  'nav.signOut': 'サインアウト',
  'nav.breadcrumb': 'パンくずリスト',
  'nav.signedInAs': 'サインイン中',

  'signin.title': 'サインイン',
  'signin.localTitle': 'デモユーザーでサインイン',
  'signin.localLead': 'ローカル環境です。操作するユーザーを選んでください。',
  'signin.cognitoLead': '会社のアカウントでサインインしてください。',
  'signin.cognitoButton': 'サインイン',
  'signin.returnNote': 'サインイン後、開こうとしていたページに戻ります。',
  'signin.noUsers': 'デモユーザーが登録されていません。',
  'signin.failed': 'サインインできませんでした。もう一度お試しください。',
  'signin.roles': '役割',
  'signin.callbackError': 'サインインを完了できませんでした（{reason}）。もう一度サインインしてください。',

  'role.employee': '利用者',
  'role.deptHead': '部門責任者',
  'role.siteManager': '拠点管理者',
  'role.siteResponsible': '拠点責任者',
  'role.itInfra': '情報システム部インフラ担当',
  'role.ringiApprover': '管理者（社内稟議）',
  'role.licenseManager': 'ライセンス管理者',
  'role.dba': 'データベース管理者',
  'role.securityManager': '安全管理責任者',
  'role.sysAdmin': 'システム管理者',
  'role.networkAdmin': 'ネットワーク管理者',
  'role.privacyManager': '個人情報保護管理者',
  'role.generalAffairs': '総務部門の責任者',

  'catalogue.title': '申請する',
  'catalogue.lead': '申請する書類を選んでください。各申請の根拠となる規程の条項を併せて表示しています。',
  'catalogue.empty': '利用できる申請書式がありません。',
  'catalogue.articles': '根拠条項',

  'category.server': 'サーバ',
  'category.client': 'クライアント',
  'category.products': 'プロダクト',
  'category.licences': 'ライセンス',
  'category.ids': 'ID',
  'category.configuration': '構成変更',
  'category.other': 'その他',

  'form.route': 'この申請の承認経路',
  'form.articles': 'この申請の根拠となる規程',
  'form.required': '必須',
  'form.optional': '任意',
  'form.next': '入力内容を確認',
  'form.select': '選択してください',
  'form.counter': '{n} / {max} 文字',
  'form.counterOver': '{n} / {max} 文字（{over} 文字超過）',
  'form.errorSummary': '入力内容を確認してください（{n} 件）',
  'form.confirmTitle': '入力内容の確認',
  'form.confirmLead': 'この内容で申請しますか？',
  'form.confirmResubmitLead': 'この内容で再申請しますか？',
  'form.submit': 'この内容で申請する',
  'form.resubmit': 'この内容で再申請する',
  'form.edit': '修正する',
  'form.empty': '（未入力）',
  'form.notFound': '申請書式が見つかりません。',
  'form.loadingOptions': '選択肢を読み込み中…',
  'form.optionsError': '選択肢を読み込めませんでした。',
  'form.requiredNote': 'の項目は入力が必要です。',
  'form.errorPrefix': 'エラー',

  'validation.required': '{label}を入力してください。',
  'validation.requiredSelect': '{label}を選択してください。',
  'validation.maxLength': '{label}は{max}文字以内で入力してください。',
  'validation.minLength': '{label}は{min}文字以上で入力してください。',
  'validation.pattern': '{label}の形式が正しくありません。',
  'validation.date': '{label}は日付（年/月/日）で入力してください。',
  'validation.number': '{label}は数値で入力してください。',
  'validation.minimum': '{label}は{min}以上で入力してください。',
  'validation.maximum': '{label}は{max}以下で入力してください。',
  'validation.enum': '{label}の選択肢から選んでください。',

  'mine.title': '自分の申請',
  'mine.empty': 'まだ申請はありません。',
  'mine.emptyLink': '申請メニューから申請する',
  'mine.form': '申請',
  'mine.id': '申請番号',
  'mine.submittedAt': '申請日時',
  'mine.status': '状況',
  'mine.more': 'さらに表示',

  'status.in_review': '審査中',
  'status.approved': '承認済',
  'status.rejected': '却下',
  'status.sent_back': '差し戻し',
  'status.withdrawn': '取下げ',

  'stage.pending': '未着手',
  'stage.open': '承認待ち',
  'stage.approved': '承認',
  'stage.rejected': '却下',
  'stage.sent_back': '差し戻し',
  'stage.cancelled': '取消',

  'task.pending': '未処理',
  'task.approved': '承認済み',
  'task.rejected': '却下済み',
  'task.sent_back': '差し戻し済み',
  'task.superseded': '他の承認者が処理済み',
  'task.cancelled': '取下げにより取消',

  'decision.approve': '承認',
  'decision.reject': '却下',
  'decision.send_back': '差し戻し',

  'stamp.approve': '承認',
  'stamp.reject': '却下',
  'stamp.send_back': '差戻',

  'request.title': '申請内容',
  'request.id': '申請番号',
  'request.requester': '申請者',
  'request.submittedAt': '申請日時',
  'request.round': '第{n}回',
  'request.data': '申請内容',
  'request.route': '承認経路',
  'request.history': '履歴',
  'request.noHistory': '履歴はありません。',
  'request.approvers': '承認者',
  'request.noApprover': '（未定）',
  'request.comment': 'コメント',
  'request.anyRule': 'いずれか1名',
  'request.allRule': '全員',
  'request.sentBackTitle': 'この申請は差し戻されました',
  'request.sentBackLead': 'コメントを確認し、内容を修正して再申請してください。',
  'request.approvedLead': 'すべての承認が完了しました。',
  'request.rejectedLead': 'この申請は却下されました。',
  'request.withdrawnLead': 'この申請は取り下げられました。',
  'request.withdraw': '引戻し（取下げ）',
  'request.withdrawTitle': '申請を引き戻しますか？',
  'request.withdrawText': 'この申請を取り下げます。承認待ちの承認者への依頼は取り消され、元に戻すことはできません。',
  'request.withdrawComment': '取下げの理由（任意）',
  'request.withdrawConfirm': '引き戻す',
  'request.resubmit': '再申請する',
  'request.resubmitTitle': '再申請',
  'request.resubmitLead': '差し戻された内容を修正してください。再申請すると承認経路の最初から審査されます。',
  'request.resubmitted': '再申請しました。',
  'request.submitted': '申請しました。承認経路に従って審査されます。',
  'request.forbidden': 'この申請を表示する権限がありません。',
  'request.notFound': '申請が見つかりません。',
  'request.actions': '申請者の操作',
  'request.viewRequest': '申請の詳細を見る',

  'inbox.title': '承認待ち',
  'inbox.lead': 'あなたの承認を待っている申請です。古いものから表示しています。',
  'inbox.empty': '承認待ちの申請はありません',
  'inbox.form': '申請',
  'inbox.requester': '申請者',
  'inbox.submittedAt': '申請日時',
  'inbox.stage': '承認段階',

  'decide.title': '承認の判断',
  'decide.lead': '内容を確認し、承認・却下・差し戻しのいずれかを選んでください。',
  'decide.comment': 'コメント',
  'decide.commentHelp': '承認の場合は任意です。却下・差し戻しの場合は理由を入力してください（1000文字以内）。',
  'decide.commentRequired': '却下・差し戻しの場合はコメント（理由）を入力してください。',
  'decide.commentTooLong': 'コメントは1000文字以内で入力してください。',
  'decide.approve': '承認',
  'decide.reject': '却下',
  'decide.send_back': '差し戻し',
  'decide.confirmTitle.approve': 'この申請を承認しますか？',
  'decide.confirmTitle.reject': 'この申請を却下しますか？',
  'decide.confirmTitle.send_back': 'この申請を差し戻しますか？',
  'decide.confirmText.approve': '承認すると取り消せません。次の承認者がいる場合は次の段階へ回付され、最終段階の場合は申請が承認済となります。',
  'decide.confirmText.reject': '却下すると取り消せません。申請はここで終了し、申請者にコメントとともに通知されます。',
  'decide.confirmText.send_back': '差し戻すと取り消せません。申請者に修正を依頼し、再申請されると承認経路の最初から審査されます。',
  'decide.confirmComment': 'コメント：',
  'decide.noComment': '（コメントなし）',
  'decide.confirm.approve': '承認する',
  'decide.confirm.reject': '却下する',
  'decide.confirm.send_back': '差し戻す',
  'decide.done.approve': '承認しました。',
  'decide.done.reject': '却下しました。',
  'decide.done.send_back': '差し戻しました。',
  'decide.doneStatus': '申請の現在の状況：',
  'decide.toInbox': '承認待ち一覧へ戻る',
  'decide.alreadyDecided': 'この承認依頼は処理済みです（{status}）。',
  'decide.notInReview': 'この申請は審査中ではないため、判断できません。',
  'decide.conflict': 'この申請はすでに処理されています。最新の状況を表示しました。',
  'decide.taskTitle': '承認依頼',
  'decide.linkTitle': 'メールからの承認',
  'decide.linkExpires': 'このリンクの有効期限：{time}',

  'link.notFound': 'リンクが見つかりません',
  'link.notFoundText': 'URL が正しいか、メールのリンクをそのまま開いているかを確認してください。',
  'link.gone': 'このリンクは使用済みか期限切れです',
  'link.goneText': 'この承認依頼はすでに判断されたか、リンクの有効期限が切れています。承認待ちの申請は「承認待ち」一覧から確認できます。',
  'link.forbidden': 'このリンクは別の承認者宛てです',
  'link.forbiddenText': 'このリンクは、現在サインインしているユーザーとは別の承認者に送られたものです。宛先の承認者としてサインインし直してください。',
  'link.switchUser': '別のユーザーでサインイン',
  'link.toInbox': '承認待ち一覧を見る',

  'ledger.servers': 'サーバ台帳',
  'ledger.server-access-grants': 'サーバ接続許可台帳',
  'ledger.filter': '絞り込み',
  'ledger.filterPlaceholder': 'キーワードで絞り込み',
  'ledger.count': '{shown} 件を表示（読み込み済み {loaded} 件）',
  'ledger.more': 'さらに読み込む',
  'ledger.empty': '登録されている項目はありません。',
  'ledger.noMatch': '条件に一致する項目はありません。',
  'ledger.tabs': '台帳の種類',
  'ledger.value.active': '有効',
  'ledger.value.expired': '失効',
  'ledger.value.revoked': '取消',

  'time.jst': '（日本時間）',
  'punct.colon': '：',
  'punct.list': '、',
  'punct.paren': '（{text}）',
} as const;

export type MessageKey = keyof typeof ja;

const en: Record<MessageKey, string> = {
  'app.name': 'Regulation Workflow',
  'app.tagline': 'Requests and approvals under the IT regulations',
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.sending': 'Sending…',
  'app.retry': 'Try again',
  'app.refresh': 'Refresh',
  'app.cancel': 'Cancel',
  'app.notFound': 'Page not found',
  'app.notFoundText': 'Please check the URL.',
  'app.toHome': 'Go to forms',
  'app.networkError': 'Could not reach the server. Check your connection and try again.',
  'app.configError': 'Could not load the configuration. Please reload the page in a moment.',
  'app.unknownError': 'Something went wrong.',
  'app.updatedAt': 'As of {time}',
  'app.autoRefresh': 'In review: this page refreshes itself every few seconds.',

  'lang.label': 'Language',

  'nav.label': 'Main menu',
  'nav.catalogue': 'New request',
  'nav.mine': 'My requests',
  'nav.inbox': 'Approvals',
  'nav.inboxCount': ' ({n} waiting)',
  'nav.ledgers': 'Ledgers',
  'nav.signOut': 'Sign out',
  'nav.breadcrumb': 'Breadcrumb',
  'nav.signedInAs': 'Signed in',

  'signin.title': 'Sign in',
  'signin.localTitle': 'Sign in as a demo user',
  'signin.localLead': 'This is the local environment. Choose the user to act as.',
  'signin.cognitoLead': 'Sign in with your company account.',
  'signin.cognitoButton': 'Sign in',
  'signin.returnNote': 'After signing in you will return to the page you were opening.',
  'signin.noUsers': 'No demo users are registered.',
  'signin.failed': 'Could not sign in. Please try again.',
  'signin.roles': 'Roles',
  'signin.callbackError': 'Could not complete the sign-in ({reason}). Please sign in again.',

  'role.employee': 'Employee',
  'role.deptHead': 'Department head',
  'role.siteManager': 'Site manager',
  'role.siteResponsible': 'Branch responsible',
  'role.itInfra': 'IT infrastructure',
  'role.ringiApprover': 'Ringi approver',
  'role.licenseManager': 'Licence manager',
  'role.dba': 'Database administrator',
  'role.securityManager': 'Security manager',
  'role.sysAdmin': 'System administrator',
  'role.networkAdmin': 'Network administrator',
  'role.privacyManager': 'Privacy manager',
  'role.generalAffairs': 'General affairs',

  'catalogue.title': 'New request',
  'catalogue.lead': 'Choose the form to file. Each form shows the articles of the regulations it implements.',
  'catalogue.empty': 'No forms are available.',
  'catalogue.articles': 'Articles',

  'category.server': 'Servers',
  'category.client': 'Clients',
  'category.products': 'Products',
  'category.licences': 'Licences',
  'category.ids': 'IDs',
  'category.configuration': 'Configuration changes',
  'category.other': 'Other',

  'form.route': 'Approval route for this request',
  'form.articles': 'Regulations this form implements',
  'form.required': 'Required',
  'form.optional': 'Optional',
  'form.next': 'Review',
  'form.select': 'Select…',
  'form.counter': '{n} / {max} characters',
  'form.counterOver': '{n} / {max} characters ({over} too many)',
  'form.errorSummary': 'Please check your entries ({n})',
  'form.confirmTitle': 'Review your request',
  'form.confirmLead': 'Submit this request?',
  'form.confirmResubmitLead': 'Resubmit this request?',
  'form.submit': 'Submit request',
  'form.resubmit': 'Resubmit request',
  'form.edit': 'Edit',
  'form.empty': '(not entered)',
  'form.notFound': 'Form not found.',
  'form.loadingOptions': 'Loading options…',
  'form.optionsError': 'Could not load the options.',
  'form.requiredNote': 'fields must be filled in.',
  'form.errorPrefix': 'Error',

  'validation.required': '{label} is required.',
  'validation.requiredSelect': 'Choose a {label}.',
  'validation.maxLength': '{label} must be at most {max} characters.',
  'validation.minLength': '{label} must be at least {min} characters.',
  'validation.pattern': '{label} is not in the expected format.',
  'validation.date': 'Enter {label} as a date.',
  'validation.number': 'Enter {label} as a number.',
  'validation.minimum': '{label} must be at least {min}.',
  'validation.maximum': '{label} must be at most {max}.',
  'validation.enum': 'Choose {label} from the list.',

  'mine.title': 'My requests',
  'mine.empty': 'You have not filed any requests yet.',
  'mine.emptyLink': 'File a request',
  'mine.form': 'Form',
  'mine.id': 'Request no.',
  'mine.submittedAt': 'Submitted',
  'mine.status': 'Status',
  'mine.more': 'Show more',

  'status.in_review': 'In review',
  'status.approved': 'Approved',
  'status.rejected': 'Rejected',
  'status.sent_back': 'Sent back',
  'status.withdrawn': 'Withdrawn',

  'stage.pending': 'Not reached',
  'stage.open': 'Waiting',
  'stage.approved': 'Approved',
  'stage.rejected': 'Rejected',
  'stage.sent_back': 'Sent back',
  'stage.cancelled': 'Cancelled',

  'task.pending': 'Pending',
  'task.approved': 'Approved',
  'task.rejected': 'Rejected',
  'task.sent_back': 'Sent back',
  'task.superseded': 'Decided by another approver',
  'task.cancelled': 'Cancelled (withdrawn)',

  'decision.approve': 'Approved',
  'decision.reject': 'Rejected',
  'decision.send_back': 'Sent back',

  'stamp.approve': 'OK',
  'stamp.reject': 'NO',
  'stamp.send_back': 'BACK',

  'request.title': 'Request',
  'request.id': 'Request no.',
  'request.requester': 'Requester',
  'request.submittedAt': 'Submitted',
  'request.round': 'Round {n}',
  'request.data': 'Details',
  'request.route': 'Approval route',
  'request.history': 'History',
  'request.noHistory': 'No history.',
  'request.approvers': 'Approvers',
  'request.noApprover': '(not assigned yet)',
  'request.comment': 'Comment',
  'request.anyRule': 'any one',
  'request.allRule': 'all',
  'request.sentBackTitle': 'This request was sent back',
  'request.sentBackLead': 'Read the comment, correct the request and resubmit it.',
  'request.approvedLead': 'All approvals are complete.',
  'request.rejectedLead': 'This request was rejected.',
  'request.withdrawnLead': 'This request was withdrawn.',
  'request.withdraw': 'Withdraw',
  'request.withdrawTitle': 'Withdraw this request?',
  'request.withdrawText': 'The request will be withdrawn and the pending approvals cancelled. This cannot be undone.',
  'request.withdrawComment': 'Reason (optional)',
  'request.withdrawConfirm': 'Withdraw',
  'request.resubmit': 'Resubmit',
  'request.resubmitTitle': 'Resubmit',
  'request.resubmitLead': 'Correct the request. When you resubmit it, the approval route starts again from the first stage.',
  'request.resubmitted': 'The request was resubmitted.',
  'request.submitted': 'Your request was submitted and will be reviewed along its approval route.',
  'request.forbidden': 'You may not view this request.',
  'request.notFound': 'Request not found.',
  'request.actions': 'Your actions',
  'request.viewRequest': 'View the request',

  'inbox.title': 'Waiting for your approval',
  'inbox.lead': 'Requests waiting for your decision, oldest first.',
  'inbox.empty': 'Nothing is waiting for your approval',
  'inbox.form': 'Form',
  'inbox.requester': 'Requester',
  'inbox.submittedAt': 'Submitted',
  'inbox.stage': 'Stage',

  'decide.title': 'Your decision',
  'decide.lead': 'Review the request, then approve, reject or send it back.',
  'decide.comment': 'Comment',
  'decide.commentHelp': 'Optional when approving. Required when rejecting or sending back (up to 1000 characters).',
  'decide.commentRequired': 'Enter a comment (the reason) to reject or send back.',
  'decide.commentTooLong': 'The comment must be at most 1000 characters.',
  'decide.approve': 'Approve',
  'decide.reject': 'Reject',
  'decide.send_back': 'Send back',
  'decide.confirmTitle.approve': 'Approve this request?',
  'decide.confirmTitle.reject': 'Reject this request?',
  'decide.confirmTitle.send_back': 'Send this request back?',
  'decide.confirmText.approve': 'This cannot be undone. The request moves on to the next approver, or becomes approved if this is the last stage.',
  'decide.confirmText.reject': 'This cannot be undone. The request ends here and the requester is told, with your comment.',
  'decide.confirmText.send_back': 'This cannot be undone. The requester is asked to correct the request; a resubmission starts the route again.',
  'decide.confirmComment': 'Comment:',
  'decide.noComment': '(no comment)',
  'decide.confirm.approve': 'Approve',
  'decide.confirm.reject': 'Reject',
  'decide.confirm.send_back': 'Send back',
  'decide.done.approve': 'You approved the request.',
  'decide.done.reject': 'You rejected the request.',
  'decide.done.send_back': 'You sent the request back.',
  'decide.doneStatus': 'Request status now: ',
  'decide.toInbox': 'Back to approvals',
  'decide.alreadyDecided': 'This approval task is closed ({status}).',
  'decide.notInReview': 'This request is not in review, so it cannot be decided.',
  'decide.conflict': 'This request has already been decided. The latest state is shown.',
  'decide.taskTitle': 'Approval task',
  'decide.linkTitle': 'Approval from e-mail',
  'decide.linkExpires': 'This link expires at {time}',

  'link.notFound': 'Link not found',
  'link.notFoundText': 'Check that the URL is complete and that you opened the link exactly as it appears in the e-mail.',
  'link.gone': 'This link has been used or has expired',
  'link.goneText': 'This approval has already been decided, or the link has expired. Requests waiting for you are listed under Approvals.',
  'link.forbidden': 'This link is addressed to another approver',
  'link.forbiddenText': 'This link was sent to a different approver than the user signed in now. Sign in as the approver it was sent to.',
  'link.switchUser': 'Sign in as someone else',
  'link.toInbox': 'See your approvals',

  'ledger.servers': 'Servers',
  'ledger.server-access-grants': 'Server access grants',
  'ledger.filter': 'Filter',
  'ledger.filterPlaceholder': 'Filter by keyword',
  'ledger.count': 'Showing {shown} ({loaded} loaded)',
  'ledger.more': 'Load more',
  'ledger.empty': 'The ledger is empty.',
  'ledger.noMatch': 'No entries match.',
  'ledger.tabs': 'Ledgers',
  'ledger.value.active': 'Active',
  'ledger.value.expired': 'Expired',
  'ledger.value.revoked': 'Revoked',

  'time.jst': '(Japan time)',
  'punct.colon': ': ',
  'punct.list': ', ',
  'punct.paren': ' ({text})',
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = 'kf.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    /* storage unavailable: fall back to Japanese */
  }
  return 'ja';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  applyDocumentLang();
  for (const listener of listeners) listener(lang);
}

export function applyDocumentLang(): void {
  document.documentElement.lang = current;
}

/** Re-renders the caller when the language changes. */
export function useLang(): Lang {
  const [lang, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    set(current);
    return () => {
      listeners.delete(set);
    };
  }, []);
  return lang;
}

/** UI text for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[current][key] ?? ja[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Server-supplied bilingual text in the chosen language (plain strings pass through). */
export function loc(text: Partial<Bilingual> | string | null | undefined): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return text[current] ?? text.ja ?? text.en ?? '';
}

export function hasKey(key: string): key is MessageKey {
  return key in ja;
}

/**
 * A person's roles as people name them: the server's label, else the dictionary's (by role id).
 * 利用者 (employee) is everyone's, so it is shown only when the person has no other role.
 */
export function roleLabels(roles: { role: string; label?: Partial<Bilingual> }[]): string[] {
  const named = roles.map((role) => {
    const key = `role.${role.role}`;
    return { role: role.role, text: loc(role.label) || (hasKey(key) ? t(key) : role.role) };
  });
  const special = named.filter((role) => role.role !== 'employee');
  const chosen = special.length > 0 ? special : named;
  const texts = chosen.map((role) => role.text);
  return texts.length > 0 ? [...new Set(texts)] : [t('role.employee')];
}
