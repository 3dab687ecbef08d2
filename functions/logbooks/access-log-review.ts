import type { LogbookDefinition } from '../domain/logbooks';
import { choice, formData, optionalTextArea, requiredText } from '../forms/fields';
import { dateField } from './fields';

const periodFrom = { ja: '確認期間（から）', en: 'Period from' };
const periodTo = { ja: '確認期間（まで）', en: 'Period to' };

/** L5 アクセスログ確認記録 (A14(3)): the system administrator confirms each month that the systems' logs were taken and kept. */
export const accessLogReview: LogbookDefinition = {
  id: 'L5',
  slug: 'access-log-review',
  title: { ja: 'アクセスログ確認記録', en: 'Access log review' },
  description: {
    ja: 'システム管理者が毎月初めに、前月分のサーバ・クラウドシステムの動作履歴と使用記録が取得・保管されていることを確認して記録します。',
    en: 'At the start of every month the system administrator confirms that the previous month’s server and cloud logs were taken and kept, and records it.',
  },
  articles: ['A14(3)'],
  articleTexts: [
    {
      ref: 'A14(3)',
      text: {
        ja: 'システム管理者は、毎月の月初めに前月分のサーバ・クラウドシステムの動作履歴、使用記録が確実に取得され保管されていることを確認し、「アクセスログ確認記録」に確認する。',
        en: 'At the start of every month the system administrator confirms that the previous month’s operation history and usage records of the servers and cloud systems were reliably taken and kept, and records it in the access log review.',
      },
    },
  ],
  reviewerRole: 'sysAdmin',
  nomineeAllowed: false,
  fields: formData({
    system: requiredText({ label: { ja: 'サーバ・システム', en: 'Server or system' }, help: { ja: '確認したサーバまたはシステムの名称。', en: 'The server or system whose logs you checked.' }, max: 100 }),
    periodFrom: dateField({ label: periodFrom, prefill: 'previousMonthStart' }),
    periodTo: dateField({ label: periodTo, prefill: 'previousMonthEnd' }),
    result: choice({
      label: { ja: '確認結果', en: 'Result' },
      labels: { normal: { ja: '異常なし（取得・保管を確認）', en: 'Normal (taken and kept)' }, irregular: { ja: '異常あり', en: 'Irregular' } },
    }),
    note: optionalTextArea({ label: { ja: '内容・対応', en: 'Details and action' }, help: { ja: '異常ありのときは、その内容と対応を必ず記入します。', en: 'Required when irregular: what was found and what was done.' }, max: 1000 }),
  }),
  rules: [
    { kind: 'order', start: 'periodFrom', end: 'periodTo', message: { ja: '「確認期間（まで）」は「確認期間（から）」以降にしてください。', en: 'Period to cannot be before period from.' } },
    {
      kind: 'requiredWhen',
      field: 'note',
      when: { field: 'result', equals: 'irregular' },
      message: { ja: '異常ありのときは「内容・対応」を入力してください。', en: 'Enter the details and action when the result is irregular.' },
    },
  ],
  laterFields: [],
  openItems: [],
  actions: { record: { ja: '確認を記録', en: 'Record the review' } },
  listFields: ['system', 'periodFrom', 'periodTo', 'result', 'note'],
  recorders: ['sysAdmin'],
};
