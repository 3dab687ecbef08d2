import * as z from 'zod';
import { bilingual, col, defineLedger, id, isoDate, optionalText } from './common';

const seats = z.number().int().min(0).max(1_000_000);

export const Licence = z
  .object({
    id,
    productId: id,
    name: bilingual,
    seatsBought: seats,
    seatsUsed: seats,
    seatsHeld: seats,
    seatsFree: seats,
    contractRef: optionalText(200),
    expiresOn: isoDate.optional(),
    status: z.enum(['active', 'expired']),
  })
  .refine((licence) => licence.seatsUsed + licence.seatsHeld + licence.seatsFree === licence.seatsBought, {
    message: 'seatsUsed + seatsHeld + seatsFree must equal seatsBought',
    path: ['seatsFree'],
  });
export type Licence = z.infer<typeof Licence>;

/**
 * ライセンス台帳 (S29-2, S38-2, S42-3): seats bought, used and held. A seat is held while a request
 * that needs it is in review, so installs never exceed the licences bought.
 */
export const licences = defineLedger<Licence>({
  name: 'licences',
  title: { ja: 'ライセンス台帳', en: 'Licence ledger' },
  description: { ja: 'ライセンスの購入数・使用数・申請中の確保数。契約数を超えるインストールはできません（第29条第2項・第38条第2項）。', en: 'Seats bought, used and held by requests in review; installs never exceed them (Art. 29-2, 38-2).' },
  articles: ['S29-2', 'S38-2', 'S42-3'],
  item: Licence,
  counters: ['seatsUsed', 'seatsHeld', 'seatsFree'],
  columns: [
    col('id', 'ライセンスID', 'Licence ID'),
    col('productId', 'プロダクト', 'Product'),
    col('name.ja', '名称', 'Name (ja)'),
    col('name.en', '名称（英語）', 'Name (en)'),
    col('seatsBought', '購入数', 'Bought', 'number'),
    col('seatsUsed', '使用数', 'Used', 'number'),
    col('seatsHeld', '申請中', 'Held', 'number'),
    col('seatsFree', '空き', 'Free', 'number'),
    col('contractRef', '契約番号', 'Contract'),
    col('expiresOn', '契約期限', 'Expires', 'date'),
    col('status', '状態', 'Status', 'enum', { active: { ja: '有効', en: 'Active' }, expired: { ja: '期限切れ', en: 'Expired' } }),
  ],
});
