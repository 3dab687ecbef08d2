import * as z from 'zod';
import type { LedgerColumn, LedgerDefinition, LedgerItem } from '../domain/ledgers';
import type { Text } from '../domain/text';

export const bilingual = z.object({ ja: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });
export const optionalText = (max: number) => z.string().trim().max(max).optional();
export const id = z.string().trim().min(1).max(128).regex(/^[^\s#]+$/, 'no spaces or #');

export const col = (key: string, ja: string, en: string, type: LedgerColumn['type'] = 'text', enumLabels?: Record<string, Text>): LedgerColumn => ({
  key,
  label: { ja, en },
  type,
  ...(enumLabels ? { enumLabels } : {}),
});

/** The place columns every site-bound ledger shows. */
export const placeColumns = [col('siteId', '設置拠点', 'Site'), col('branchId', '支社', 'Branch')];

export const lifecycle = {
  planned: { ja: '導入予定', en: 'Planned' },
  active: { ja: '稼働中', en: 'Active' },
  retired: { ja: '廃止', en: 'Retired' },
};

export function defineLedger<T extends LedgerItem>(definition: LedgerDefinition<T>): LedgerDefinition<T> {
  return definition;
}
