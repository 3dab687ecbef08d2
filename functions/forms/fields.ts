/**
 * Builders for the field shapes the forms share. A form's zod schema is also its contract with the
 * page and the OpenAPI document: z.toJSONSchema carries each field's `.meta()` (label, help, widget,
 * where a select takes its choices, place on the page) into the JSON Schema, and the messages of
 * parseFormData name a field by its `x-label`. Each builder writes that metadata the one way every
 * form writes it, so that fields differ only in what the form says, never in how it is said.
 */
import * as z from 'zod';
import type { Text } from '../domain/text';
import type { LedgerName } from './checks';

/** What the page shows of a field: its label (Japanese also as the JSON Schema title) and its help. */
export interface Field {
  label: Text;
  help?: Text;
}

/** How the page draws a field (`x-widget`). */
export type Widget = 'text' | 'textarea' | 'number' | 'date' | 'select' | 'multiselect' | 'checkbox';

/**
 * A form's data: a strict object, so that a key the form does not have is refused by name. Its
 * fields are numbered for the page (`x-order`, which the page sorts by: a JSON object's key order is
 * not something to rely on) in the order they are declared here, so that the order is stated once.
 */
export function formData<Shape extends Record<string, z.ZodType>>(fields: Shape) {
  const numbered = Object.fromEntries(Object.entries(fields).map(([key, field], index) => [key, field.meta({ ...field.meta(), 'x-order': index + 1 })]));
  return z.strictObject(numbered as Shape);
}

/**
 * The metadata of a field: title, `x-label`, `x-help` (only when there is help), `x-widget`, then
 * whatever the widget needs (`x-source`, `x-enum-labels`); {@link formData} adds `x-order`. For the
 * few fields whose zod type no builder below covers.
 */
export function fieldMeta(widget: Widget, { label, help }: Field, extra: Record<string, unknown> = {}) {
  return { title: label.ja, 'x-label': label, ...(help ? { 'x-help': help } : {}), 'x-widget': widget, ...extra };
}

/** Text the requester must fill in: trimmed, so that only spaces count as missing, and at most `max` characters. */
export const requiredText = ({ max, ...field }: Field & { max: number }) => z.string().trim().min(1).max(max).meta(fieldMeta('text', field));

/** Text the requester may leave out. */
export const optionalText = ({ max, ...field }: Field & { max: number }) => z.string().trim().max(max).optional().meta(fieldMeta('text', field));

/** A required free text of several lines (a purpose, a reason, a plan). */
export const textArea = ({ max, ...field }: Field & { max: number }) => z.string().trim().min(1).max(max).meta(fieldMeta('textarea', field));

/** A free text of several lines the requester may leave out (a note). */
export const optionalTextArea = ({ max, ...field }: Field & { max: number }) => z.string().trim().max(max).optional().meta(fieldMeta('textarea', field));

/** A required calendar date, YYYY-MM-DD; an impossible date such as 2026-02-30 is refused. */
export const isoDate = (field: Field) => z.iso.date().meta(fieldMeta('date', field));

/**
 * A box the requester must tick to file at all (a checklist item, a confirmation): only `true` is
 * accepted, so an unticked or missing box is refused on that item.
 */
export const mustTick = (field: Field) => z.literal(true).meta(fieldMeta('checkbox', field));

/** A box that is either ticked or not: unticked (`false`) is an answer too, which the form's rules or a review read. */
export const checkbox = (field: Field) => z.boolean().meta(fieldMeta('checkbox', field));

/** The choices of a select: each value with its label in both languages (`x-enum-labels`). */
interface Choices<L extends Record<string, Text>> extends Field {
  labels: L;
}

/** The values of a choice are the keys of its labels, in their order: so every value has its labels. */
const valuesOf = <L extends Record<string, Text>>(labels: L) => Object.keys(labels) as [keyof L & string, ...(keyof L & string)[]];

/** One of a fixed list of values, picked from a select. */
export const choice = <L extends Record<string, Text>>({ labels, ...field }: Choices<L>) => z.enum(valuesOf(labels)).meta(fieldMeta('select', field, { 'x-enum-labels': labels }));

/** One of a fixed list of values, or nothing. */
export const optionalChoice = <L extends Record<string, Text>>({ labels, ...field }: Choices<L>) =>
  z.enum(valuesOf(labels)).optional().meta(fieldMeta('select', field, { 'x-enum-labels': labels }));

/** The id of a ledger item: trimmed, 1 to 128 characters. */
const ledgerId = z.string().trim().min(1).max(128);

/**
 * An id that goes into claim and index keys (`licence-registrations#change#<id>`): no spaces and no
 * `#`, which separates the parts of those keys.
 */
export const keySafeId = ledgerId.regex(/^[^\s#]+$/);

/**
 * Where a select takes its choices (`x-source`, less `value: 'id'`, which every pick has): a ledger's
 * items, shown by one of their fields (`name`, `label`, or `id` where items have no name), and only
 * those the filter lets through; the form's check still refuses the others.
 */
export interface LedgerSource {
  ledger: LedgerName;
  label: string;
  filter?: Record<string, string>;
}

interface LedgerPick extends Field {
  source: LedgerSource;
  /** The id's own rules, when they are not {@link ledgerId}'s. */
  id?: z.ZodString;
}

function pickMeta({ source: { ledger, label, filter }, id: _id, ...field }: LedgerPick) {
  return fieldMeta('select', field, { 'x-source': { ledger, value: 'id', label, ...(filter ? { filter } : {}) } });
}

/** A required pick of a ledger item (`x-source`): the page offers the ledger's items, the form checks the one picked. */
export const ledgerPick = (pick: LedgerPick) => (pick.id ?? ledgerId).meta(pickMeta(pick));

/** A pick of a ledger item that may be left empty. */
export const optionalLedgerPick = (pick: LedgerPick) => (pick.id ?? ledgerId).optional().meta(pickMeta(pick));
