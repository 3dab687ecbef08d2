import type { LogbookDefinition } from '../domain/logbooks';
import { checkbox, formData, requiredText } from '../forms/fields';
import { articleA9 } from './articles';
import { laterTime, notBefore, optionalPerson, timeOfDay } from './fields';

const entryAt = { ja: '入館時刻', en: 'Entered at' };
const exitAt = { ja: '退館時刻', en: 'Left at' };

/** L3 入退受付票 (A8, A9): each visitor who enters beyond the reception room, their guest card and escort. */
export const visitorReception: LogbookDefinition = {
  id: 'L3',
  slug: 'visitor-reception',
  title: { ja: '入退受付票', en: 'Visitor reception log' },
  description: {
    ja: '来客室より先に入る訪問者を受け付け、ゲストカードの番号と同行する社員を記録します。退館時にカードの返却を記録します。',
    en: 'Record each visitor going beyond the reception room, their guest card number and the escorting employee; record the card’s return when they leave.',
  },
  articles: ['A8', 'A9'],
  articleTexts: [
    {
      ref: 'A8',
      text: {
        ja: '訪問者が来客室以外の執務室などに入室する際は、「ゲストカード」を交付し、それを見やすい位置に着用していただく。２ 原則として、訪問者が入室する場合は、社員が同行しなければならない。ただし、当社の代表者から特に指名されたものを除く。',
        en: 'A visitor entering offices beyond the reception room receives a guest card and wears it visibly. (2) As a rule an employee accompanies the visitor, except for people specially named by the company’s representative.',
      },
    },
    articleA9,
  ],
  reviewerRole: 'securityManager',
  nomineeAllowed: true,
  fields: formData({
    visitorName: requiredText({ label: { ja: '訪問者氏名', en: 'Visitor name' }, max: 100 }),
    company: requiredText({ label: { ja: '会社名', en: 'Company' }, max: 100 }),
    purpose: requiredText({ label: { ja: '用件', en: 'Purpose' }, max: 200 }),
    guestCard: requiredText({ label: { ja: 'ゲストカード番号', en: 'Guest card no.' }, max: 20 }),
    escortId: optionalPerson({ label: { ja: '同行する社員', en: 'Escorting employee' }, help: { ja: '原則として社員が同行します（A8-2）。', en: 'As a rule an employee accompanies the visitor (A8-2).' }, prefill: 'me' }),
    entryAt: timeOfDay({ label: entryAt, prefill: 'now' }),
    exitAt: laterTime({ label: exitAt, help: { ja: '退館したときに記録します。', en: 'Recorded when the visitor leaves.' } }),
    cardReturned: checkbox({ label: { ja: 'ゲストカード返却済み', en: 'Guest card returned' } }),
  }),
  rules: [{ kind: 'order', start: 'entryAt', end: 'exitAt', message: notBefore(exitAt, entryAt) }],
  laterFields: ['escortId', 'exitAt', 'cardReturned'],
  timeField: 'entryAt',
  openItems: [
    { field: 'escortId', label: { ja: '同行者未記入', en: 'No escort' } },
    { field: 'exitAt', label: { ja: '未退館', en: 'Not left' } },
    { field: 'cardReturned', label: { ja: 'カード未返却', en: 'Card not returned' } },
  ],
  actions: { record: { ja: '受付', en: 'Check in' }, finish: { label: { ja: '退館・カード返却', en: 'Check out, card returned' }, sets: { exitAt: 'now', cardReturned: true } } },
  listFields: ['visitorName', 'company', 'guestCard', 'escortId', 'entryAt', 'exitAt', 'cardReturned'],
};
