import type { LogbookDefinition } from '../domain/logbooks';
import { formData, optionalText, requiredText } from '../forms/fields';
import { laterTime, notBefore, timeOfDay } from './fields';

const enteredAt = { ja: '入室時刻', en: 'Entered at' };
const exitedAt = { ja: '退室時刻', en: 'Left at' };

/** L4 サーバルーム入退記録簿 (A13(1)): every entry into the locked server room, and the exit. */
export const serverRoomAccess: LogbookDefinition = {
  id: 'L4',
  slug: 'server-room-access',
  title: { ja: 'サーバルーム入退記録簿', en: 'Server room access log' },
  description: {
    ja: 'サーバルームに入るときに入室を、出るときに退室を記録します。',
    en: 'Record when you enter the server room, and when you leave it.',
  },
  articles: ['A13(1)'],
  articleTexts: [
    {
      ref: 'A13(1)',
      text: {
        ja: 'サーバは、地震、火災、盗難、破壊、漏水等の発生可能性を考慮して、可能な限り安全が保たれる場所に設置する、具体的には執務室の一画にて、施錠管理し、その入退室を「サーバルーム入退記録簿」に記録する。「サーバルーム入退記録簿」は、安全管理責任者が、毎月の月初めに前月分を確認する。',
        en: 'Servers stand where they are as safe as possible from earthquake, fire, theft, damage and leaks: a locked corner of the office, whose entries and exits are recorded in the server room access log. The security manager checks the previous month’s log at the start of every month.',
      },
    },
  ],
  reviewerRole: 'securityManager',
  nomineeAllowed: false,
  fields: formData({
    purpose: requiredText({ label: { ja: '作業内容', en: 'Work' }, help: { ja: '例：バックアップ媒体の交換。', en: 'E.g. changing the backup media.' }, max: 200 }),
    companions: optionalText({ label: { ja: '同行者', en: 'Companions' }, help: { ja: '一緒に入室した人（いれば）。', en: 'Who entered with you, if anyone.' }, max: 200 }),
    enteredAt: timeOfDay({ label: enteredAt, prefill: 'now' }),
    exitedAt: laterTime({ label: exitedAt, help: { ja: '退室したときに記録します。', en: 'Recorded when you leave.' } }),
  }),
  rules: [{ kind: 'order', start: 'enteredAt', end: 'exitedAt', message: notBefore(exitedAt, enteredAt) }],
  laterFields: ['exitedAt'],
  timeField: 'enteredAt',
  openItems: [{ field: 'exitedAt', label: { ja: '未退室', en: 'Not left' } }],
  actions: { record: { ja: '入室', en: 'Enter' }, finish: { label: { ja: '退室', en: 'Leave' }, sets: { exitedAt: 'now' } } },
  listFields: ['purpose', 'companions', 'enteredAt', 'exitedAt'],
};
