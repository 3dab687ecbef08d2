/** Text shown to people, in Japanese (the default) and English. */
export interface Text {
  ja: string;
  en: string;
}

export type Lang = keyof Text;

/** Picks the caller's language from an Accept-Language header: Japanese unless English comes first. */
export function languageOf(acceptLanguage: string | undefined): Lang {
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ja';
}

export const text = (ja: string, en: string): Text => ({ ja, en });
