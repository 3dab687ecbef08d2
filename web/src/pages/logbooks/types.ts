/** The shapes of the logbook routes of docs/api.md, as far as the pages read them. */
import type { Bilingual } from '../../i18n';
import type { Article, FieldSchema, PersonRef } from '../../types';

export interface Place {
  id: string;
  name: Bilingual;
}

export interface OpenItem {
  field: string;
  label: Bilingual;
}

export type LogbookRule =
  | { kind: 'order'; start: string; end: string; message: Bilingual }
  | { kind: 'requiredWhen'; field: string; when: { field: string; equals: string | boolean }; message: Bilingual };

/** A logbook field's JSON Schema with the logbook keywords (`x-prefill`, widgets `time` and `person`). */
export type LogbookFieldSchema = FieldSchema & { 'x-prefill'?: string; 'x-order'?: number };

export interface Logbook {
  id: string;
  slug: string;
  title: Bilingual;
  description: Bilingual;
  articles: Article[];
  reviewer: { role: string; label: Bilingual; nomineeAllowed: boolean };
  schema: { properties?: Record<string, LogbookFieldSchema>; required?: string[] };
  rules: LogbookRule[];
  laterFields: string[];
  timeField: string | null;
  openItems: OpenItem[];
  actions: { record: Bilingual; finish?: { label: Bilingual; sets: Record<string, 'now' | true> } };
  listFields: string[];
  recorders: string[] | null;
}

export interface LogbookEntry {
  id: string;
  logbook: string;
  siteId: string;
  month: string;
  date: string;
  fields: Record<string, unknown>;
  recordedBy: PersonRef;
  recordedAt: string;
  updatedBy: PersonRef | null;
  updatedAt: string | null;
  version: number;
  open: OpenItem[];
  mayCorrect?: boolean;
}

/** `GET /api/logbooks` */
export interface LogbookIndex {
  today: string;
  month: string;
  now: string;
  site: Place | null;
  sites: Place[];
  logbooks: (Logbook & { mayRecord: boolean; sites: string[]; thisMonth: { entries: number; open: number; today: number } })[];
}

/** `GET /api/logbooks/{logbook}/{siteId}/{month}` */
export interface LogbookMonth {
  logbook: Logbook;
  site: Place;
  month: string;
  today: string;
  closed: boolean;
  mayRecord: boolean;
  entries: LogbookEntry[];
  people?: PersonRef[];
}

export interface EntryHistoryEvent {
  seq: number;
  at: string;
  actor: PersonRef | null;
  action: string;
  summary: Bilingual;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** `GET /api/logbooks/{logbook}/{siteId}/{month}/{entryId}` */
export interface LogbookEntryDetail {
  logbook: Logbook;
  site: Place;
  closed: boolean;
  mayRecord: boolean;
  entry: LogbookEntry;
  history: EntryHistoryEvent[];
  people?: PersonRef[];
}
