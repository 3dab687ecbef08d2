/**
 * The text of the articles behind the recurring duties, so that a duty's page shows what it
 * implements (as a form does). A duty citing an article not listed here shows its reference alone.
 */
import type { Text } from './text';

export const dutyArticleTexts: Readonly<Record<string, Text>> = {
  'A16-5': {
    ja: '利用しなくなったIDが発生した場合、システム管理者は速やかにIDを削除する。何らかの理由で速やかに削除できない場合は、削除予定日をあらかじめ定め、それまでは利用停止IDとしてシステム管理者が管理する。',
    en: 'The system administrator deletes an ID no longer used at once; when that is not possible, a deletion date is set in advance and the ID is kept suspended until then.',
  },
  'A17-2': {
    ja: 'パスワードは、各ユーザが6ヶ月に一度、変更するよう設定する。また当該ユーザ以外に知られた可能性があるときは速やかにパスワードを変更しなくてはならない。',
    en: 'Each user changes their password once every six months, and at once when someone else may have learnt it.',
  },
  S11: {
    ja: 'サーバ現状処理能力の妥当性評価のため、利用状況把握と分析を実施する。サーバの利用状況把握と分析は、日常の監視データを基に情報システム部インフラ担当が実施し、定期的に実施しなければならない。',
    en: 'To judge whether the servers\' capacity is adequate, IT infrastructure analyses their usage from the daily monitoring data, periodically.',
  },
  'S17-6': {
    ja: '情報システム部インフラ担当または各拠点管理者は、定期的に各部署に設置されたクライアントに対して、内部監査を実施する。',
    en: 'IT infrastructure or each site manager periodically audits the clients installed in each department.',
  },
  S21: {
    ja: 'クライアントの適性配置と台数を把握することを目的として、利用状況把握と分析を実施する。情報システム部インフラ担当が中心になって各拠点管理者と連携をとって、定期的に実施しなければならない。',
    en: 'To know that clients are placed well and how many there are, IT infrastructure analyses their usage with the site managers, periodically.',
  },
  S30: {
    ja: 'プロダクトの適切な利用を確保するために、利用状況把握と分析を実施する。サーバプロダクトの利用状況把握と分析は情報システム部インフラ担当が実施し、定期的に実施しなければならない。',
    en: 'To ensure products are used properly, IT infrastructure analyses the usage of server products, periodically.',
  },
  S39: {
    ja: 'プロダクトの適切な利用を確保するために、利用状況把握と分析を実施する。クライアント用プロダクトの利用状況把握と分析は情報システム部インフラ担当と各拠点管理者が実施し、定期的に実施しなければならない。',
    en: 'To ensure products are used properly, IT infrastructure and the site managers analyse the usage of client products, periodically.',
  },
};

/** A duty's articles with their text where known. */
export const dutyArticles = (refs: readonly string[]) => refs.map((ref) => ({ ref, ...(dutyArticleTexts[ref] ? { text: dutyArticleTexts[ref] } : {}) }));
