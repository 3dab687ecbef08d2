import type { LogbookDefinition } from '../domain/logbooks';
import { checkbox, formData, optionalTextArea } from '../forms/fields';
import { articleA9 } from './articles';
import { timeOfDay } from './fields';

/** L2 最終退出点検表 (A9): the last person to leave checks the office, once per working day and site. */
export const lastExitCheck: LogbookDefinition = {
  id: 'L2',
  slug: 'last-exit-check',
  title: { ja: '最終退出点検表', en: 'Last exit check' },
  description: {
    ja: '最後に退出する人が、窓・照明・電源・扉を点検して記録します。営業日ごとに拠点で1件以上。',
    en: 'The last person to leave checks windows, lights, power and the door, and records it: at least one per working day and site.',
  },
  articles: ['A9'],
  articleTexts: [
    articleA9,
  ],
  reviewerRole: 'securityManager',
  nomineeAllowed: true,
  fields: formData({
    checkedAt: timeOfDay({ label: { ja: '点検時刻', en: 'Checked at' }, prefill: 'now' }),
    windowsClosed: checkbox({ label: { ja: '窓を閉め施錠した', en: 'Windows closed and locked' } }),
    lightsOff: checkbox({ label: { ja: '照明を消した', en: 'Lights off' } }),
    powerOff: checkbox({ label: { ja: '不要な電源を切った', en: 'Unneeded power off' } }),
    doorLocked: checkbox({ label: { ja: '出入口を施錠した', en: 'Door locked' } }),
    note: optionalTextArea({ label: { ja: '備考', en: 'Note' }, help: { ja: 'できなかった項目があれば、その理由。', en: 'If something could not be done, why.' }, max: 500 }),
  }),
  rules: [],
  laterFields: [],
  timeField: 'checkedAt',
  openItems: [],
  actions: { record: { ja: '点検を記録', en: 'Record the check' } },
  listFields: ['checkedAt', 'windowsClosed', 'lightsOff', 'powerOff', 'doorLocked', 'note'],
};
