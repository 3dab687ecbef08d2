/**
 * Field builders of the logbooks, beside those the forms share (functions/forms/fields.ts, whose
 * texts and checkboxes the logbooks use as they are): a time of day, a prefilled date, a person of
 * the site. Each writes the metadata the phone page draws from: `x-widget` (`time`, `person`) and
 * `x-prefill` (`now`, `today`, `me`, `previousMonthStart`, `previousMonthEnd`), so that an entry is
 * mostly filled before it is touched.
 */
import * as z from 'zod';
import type { Text } from '../domain/text';
import type { Field } from '../forms/fields';
import { fieldMeta } from '../forms/fields';

/** What the page fills in before the person touches the field. */
export type Prefill = 'now' | 'today' | 'me' | 'previousMonthStart' | 'previousMonthEnd';

interface LogbookField extends Field {
  prefill?: Prefill;
}

const extra = (widget: string, prefill?: Prefill) => ({ 'x-widget': widget, ...(prefill ? { 'x-prefill': prefill } : {}) });

/** `HH:mm`, 00:00 to 23:59: a time on the entry's date, in Japan. */
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time of day the entry must have (開錠時刻, 入室時刻). */
export const timeOfDay = ({ prefill, ...field }: LogbookField) => z.string().regex(HH_MM).meta(fieldMeta('text', field, extra('time', prefill)));

/** A time recorded later (施錠時刻, 退室時刻): absent until then. */
export const laterTime = ({ prefill, ...field }: LogbookField) => z.string().regex(HH_MM).optional().meta(fieldMeta('text', field, extra('time', prefill)));

/** A calendar date (YYYY-MM-DD) other than the entry's own. */
export const dateField = ({ prefill, ...field }: LogbookField) => z.iso.date().meta(fieldMeta('date', field, prefill ? { 'x-prefill': prefill } : {}));

/** A person of the directory by id (the escorting employee); the page offers the site's people. */
export const optionalPerson = ({ prefill, ...field }: LogbookField) =>
  z.string().trim().min(1).max(128).optional().meta(fieldMeta('select', field, extra('person', prefill)));

/** A time-order rule's message: the later time may not come before the earlier. */
export const notBefore = (later: Text, earlier: Text): Text => ({
  ja: `「${later.ja}」は「${earlier.ja}」より後にしてください。`,
  en: `${later.en} cannot be before ${earlier.en}.`,
});
