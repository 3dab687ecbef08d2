/** Article texts that more than one logbook implements, written once. */

/** A9: the monthly review of the last exit checks and of visitor reception (both logbooks cite it). */
export const articleA9 = {
  ref: 'A9',
  text: {
    ja: '別途「安全管理細則（ユーザ用）」で定める「最終退出点検表」及び「入退受付票」の記録は、安全管理責任者、又は安全管理責任者が指名したものが、毎月、前月分について異常ないか確認し、異常が発見された場合その原因を速やかに追求する。',
    en: 'The records of the last exit check and of visitor reception are checked every month, for the previous month, by the security manager or someone they name; when something irregular is found, its cause is pursued promptly.',
  },
};
