import type { LogbookDefinition } from '../domain/logbooks';
import { formData, requiredText } from '../forms/fields';
import { laterTime, notBefore, timeOfDay } from './fields';

const openedAt = { ja: '開錠時刻', en: 'Opened at' };
const lockedAt = { ja: '施錠時刻', en: 'Locked at' };

/** L1 キャビネット開施錠記録簿 (A4(3)): every opening of a cabinet that holds personal or confidential information, and its locking. */
export const cabinetLocking: LogbookDefinition = {
  id: 'L1',
  slug: 'cabinet-locking',
  title: { ja: 'キャビネット開施錠記録簿', en: 'Cabinet locking log' },
  description: {
    ja: '個人情報・機密情報を保管するキャビネットを開けたときに記録し、施錠したら施錠時刻を記録します。',
    en: 'Record each opening of a cabinet that holds personal or confidential information, then the time it was locked again.',
  },
  articles: ['A4(3)'],
  articleTexts: [
    {
      ref: 'A4(3)',
      text: {
        ja: '個人情報及び機密情報を保管するキャビネットは施錠管理する。キャビネットの開錠施錠は「キャビネット開施錠記録簿」に記録し、安全管理責任者、又は安全管理責任者が指名したものが、毎月初めに先月分について異常が無いか確認を行う。',
        en: 'Cabinets holding personal or confidential information are kept locked. Each opening and locking is recorded in the cabinet locking log, and the security manager, or someone they name, checks the previous month for anything irregular at the start of every month.',
      },
    },
  ],
  reviewerRole: 'securityManager',
  nomineeAllowed: true,
  fields: formData({
    cabinet: requiredText({ label: { ja: 'キャビネット', en: 'Cabinet' }, help: { ja: 'キャビネットの名称または番号（例：総務部 書庫A）。', en: 'The cabinet’s name or number (e.g. General Affairs store A).' }, max: 100 }),
    purpose: requiredText({ label: { ja: '用途', en: 'Purpose' }, help: { ja: '何のために開けたか（例：契約書の取り出し）。', en: 'Why it was opened (e.g. taking out a contract).' }, max: 200 }),
    openedAt: timeOfDay({ label: openedAt, prefill: 'now' }),
    lockedAt: laterTime({ label: lockedAt, help: { ja: '施錠したときに記録します。', en: 'Recorded when it is locked again.' } }),
  }),
  rules: [{ kind: 'order', start: 'openedAt', end: 'lockedAt', message: notBefore(lockedAt, openedAt) }],
  laterFields: ['lockedAt'],
  timeField: 'openedAt',
  openItems: [{ field: 'lockedAt', label: { ja: '未施錠', en: 'Not locked' } }],
  actions: { record: { ja: '開錠', en: 'Unlock' }, finish: { label: { ja: '施錠', en: 'Lock' }, sets: { lockedAt: 'now' } } },
  listFields: ['cabinet', 'purpose', 'openedAt', 'lockedAt'],
};
