import type { Absence, Person, PersonRef } from '../domain/organisation';
import type { RoleId } from '../domain/roles';
import { coveringAll, covering, DynamoDirectory } from './dynamo-directory';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentScope, directoryChangesHere } from './request-scope';

/** Past this many entries of one kind the cache starts again: a directory far larger than a company's. */
const MAX_ENTRIES = 5_000;

/**
 * The directory as one process keeps it between requests. Profiles, role holders and absences are
 * read once and used again for as long as the directory's version (raised in the same transaction as
 * every change of people, places, roles and absences) has not moved. Within a request scope one
 * version holds for every read: a strongly consistent read of it made at most `versionMaxAgeMs` ago
 * (default 1 s) by this process, and never one made before this process last changed the directory.
 * A request thus sees the directory as it stood at most a second before it began — the order of the
 * eventually consistent reads and index queries the directory is read with anyway. Outside a scope
 * nothing is kept.
 *
 * Every entry was read after the version it is filed under was read, so an entry is never older than
 * its version; a scope that read an older version may use newer entries, never the reverse. A read
 * that was under way while the entries were dropped is not kept (`generation`).
 */
export interface CachedDirectoryOptions {
  /** How long a read of the version serves the requests that follow; 0: every request reads it. Default 1,000 ms. */
  versionMaxAgeMs?: number;
  /** Milliseconds now (tests move it on). */
  now?: () => number;
}

export class CachedDirectory extends DynamoDirectory {
  private readonly versionMaxAgeMs: number;
  private readonly now: () => number;
  /** The last read of the version: when it began, and how many changes this process had made then. */
  private recent?: { at: number; changes: number; version: Promise<number> };
  private cachedVersion = -1;
  /** Raised whenever the entries are dropped. */
  private generation = 0;
  private readonly profiles = new Map<string, Promise<Person | null>>();
  private readonly holdersByScope = new Map<string, Promise<PersonRef[]>>();
  private readonly absences = new Map<string, Absence | null>();

  constructor(db: DynamoDBDocumentClient, table: string, options: CachedDirectoryOptions = {}) {
    super(db, table);
    this.versionMaxAgeMs = options.versionMaxAgeMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The version this scope works at; entries older than it are dropped first. */
  private scopeVersion(): Promise<number> | null {
    const scope = currentScope();
    if (!scope) return null;
    scope.directoryVersion ??= this.recentVersion();
    return scope.directoryVersion;
  }

  private recentVersion(): Promise<number> {
    const at = this.now();
    const changes = directoryChangesHere();
    const recent = this.recent;
    if (recent && at - recent.at < this.versionMaxAgeMs && recent.changes === changes) return recent.version;
    const reading = { at, changes, version: this.version() };
    this.recent = reading;
    reading.version.catch(() => this.recent === reading && (this.recent = undefined));
    return reading.version;
  }

  private async current(): Promise<boolean> {
    const pending = this.scopeVersion();
    if (!pending) return false;
    const version = await pending;
    if (version > this.cachedVersion) {
      this.profiles.clear();
      this.holdersByScope.clear();
      this.absences.clear();
      this.cachedVersion = version;
      this.generation++;
    }
    return true;
  }

  private remember<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    const known = map.get(key);
    if (known) return known;
    if (map.size >= MAX_ENTRIES) map.clear();
    const reading = read();
    map.set(key, reading);
    // A failed read is not kept: the next request reads again.
    reading.catch(() => map.get(key) === reading && map.delete(key));
    return reading;
  }

  override async person(id: string): Promise<Person | null> {
    const pending = this.scopeVersion();
    if (!pending) return super.person(id);
    // Nothing kept for this person yet: the profile is read beside the version, not after it. It is
    // kept only if the entries already stood at a version read before this read began.
    if (!this.profiles.has(id)) {
      const generation = this.generation;
      const [, person] = await Promise.all([this.current(), super.person(id)]);
      if (person && generation === this.generation && !this.profiles.has(id)) this.profiles.set(id, Promise.resolve(person));
      return person;
    }
    await this.current();
    return this.remember(this.profiles, id, () => super.person(id));
  }

  override async holders(role: RoleId, scopeId: string): Promise<PersonRef[]> {
    if (!(await this.current())) return super.holders(role, scopeId);
    return this.remember(this.holdersByScope, `${role}#${scopeId}`, () => super.holders(role, scopeId));
  }

  override async absence(personId: string): Promise<Absence | null> {
    if (!(await this.current())) return super.absence(personId);
    if (this.absences.has(personId)) return this.absences.get(personId) ?? null;
    const generation = this.generation;
    const absence = await super.absence(personId);
    if (generation === this.generation) this.absences.set(personId, absence);
    return absence;
  }

  override async absenceOn(personId: string, date: string): Promise<Absence | null> {
    return covering(await this.absence(personId), date);
  }

  override async absencesOn(personIds: readonly string[], date: string): Promise<ReadonlyMap<string, Absence>> {
    if (!(await this.current())) return super.absencesOn(personIds, date);
    const known = new Map<string, Absence | null>(personIds.flatMap((id) => (this.absences.has(id) ? [[id, this.absences.get(id) ?? null] as const] : [])));
    const unknown = personIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const generation = this.generation;
      const stored = await this.storedAbsences(unknown);
      const keep = generation === this.generation;
      if (keep && this.absences.size + unknown.length > MAX_ENTRIES) this.absences.clear();
      for (const id of unknown) {
        known.set(id, stored.get(id) ?? null);
        if (keep) this.absences.set(id, stored.get(id) ?? null);
      }
    }
    return coveringAll(new Map([...known].flatMap(([id, absence]) => (absence ? [[id, absence] as const] : []))), date);
  }
}
