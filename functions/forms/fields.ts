/**
 * Builders for the field shapes the forms share. A form's zod schema is also its contract with the
 * page and the OpenAPI document: z.toJSONSchema carries each field's `.meta()` (label, help, widget,
 * order, where a select takes its choices) into the JSON Schema, and the messages of
 * parseFormData name a field by its `x-label`. Each builder writes that metadata the one way every
 * form writes it, so a field differs from another only in what the form says, never in how.
 */
import { z } from 'zod';
import type { Text } from '../domain/text';

/** What the page shows of a field: its label (Japanese also as the JSON Schema title), its help and its place. */
export interface Field {
  label: Text;
  help?: Text;
  /** Position on the page (`x-order`); the JSON Schema's own key order is not something a page can rely on. */
  order: number;
}

/** How the page draws a field (`x-widget`). */
export type Widget = 'text' | 'textarea' | 'number' | 'date' | 'select' | 'multiselect' | 'checkbox';

/**
 * The metadata of a field: title, `x-label`, `x-help` (only when there is help), `x-widget`, then
 * whatever the widget needs (`x-source`, `x-enum-labels`), then `x-order`. For the few fields whose
 * zod type no builder below covers.
 */
export function fieldMeta(widget: Widget, { label, help, order }: Field, extra: Record<string, unknown> = {}) {
  return { title: label.ja, 'x-label': label, ...(help ? { 'x-help': help } : {}), 'x-widget': widget, ...extra, 'x-order': order };
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

/** Choices of a select, each labelled in both languages (`x-enum-labels`). */
interface Choices<T extends readonly string[]> extends Field {
  values: T;
  labels: Record<string, Text>;
}

/** One of a fixed list of values, picked from a select. */
export const choice = <const T extends readonly [string, ...string[]]>({ values, labels, ...field }: Choices<T>) =>
  z.enum(values).meta(fieldMeta('select', field, { 'x-enum-labels': labels }));

/** One of a fixed list of values, or nothing. */
export const optionalChoice = <const T extends readonly [string, ...string[]]>({ values, labels, ...field }: Choices<T>) =>
  z.enum(values).optional().meta(fieldMeta('select', field, { 'x-enum-labels': labels }));

/** The id of a ledger item: trimmed, 1 to 128 characters. */
export const ledgerId = z.string().trim().min(1).max(128);

/**
 * An id that goes into claim and index keys (`licence-registrations#change#<id>`): no spaces and no
 * `#`, which separates the parts of those keys.
 */
export const keySafeId = ledgerId.regex(/^[^\s#]+$/);

/** Where a select takes its choices: a ledger's items, by id, labelled by one of their fields, optionally filtered. */
interface LedgerPick extends Field {
  ledger: string;
  /** The item's field the choices show (`name`, `label`, or `id` where items have no name). */
  labelField: string;
  /** Only the items that may be chosen (`{ status: 'active' }`); the form's check still refuses the others. */
  filter?: Record<string, string>;
  /** The id's own rules, when they are not {@link ledgerId}'s. */
  id?: z.ZodString;
}

function pickMeta({ ledger, labelField, filter, id: _id, ...field }: LedgerPick) {
  return fieldMeta('select', field, { 'x-source': { ledger, value: 'id', label: labelField, ...(filter ? { filter } : {}) } });
}

/** A required pick of a ledger item (`x-source`): the page offers the ledger's items, the form checks the one picked. */
export const ledgerPick = (pick: LedgerPick) => (pick.id ?? ledgerId).meta(pickMeta(pick));

/** A pick of a ledger item that may be left empty. */
export const optionalLedgerPick = (pick: LedgerPick) => (pick.id ?? ledgerId).optional().meta(pickMeta(pick));
