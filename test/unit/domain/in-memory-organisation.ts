/**
 * The organisation directory's write side in memory (functions/domain/organisation-admin.ts
 * `OrganisationStore`), over the people of an InMemoryDirectory and the audit table of
 * InMemoryLedgers: a batch is one transaction with the adapter's conditions (a creation needs the
 * record absent, a change needs it at the version read; seeded records read as version 0).
 */
import type { AuditEvent } from '../../../functions/domain/audit';
import { emptyChain } from '../../../functions/domain/audit';
import type { Absence, Directory, Person } from '../../../functions/domain/organisation';
import type { OrganisationStore, OrganisationWrite, PersonRecord, PlaceKind, PlaceRecord } from '../../../functions/domain/organisation-admin';
import type { VersionedRecord } from '../../../functions/domain/versioned';
import { branches, departments, sites } from '../../../infra/local/seed-data';
import type { InMemoryDirectory, InMemoryLedgers, Step, TestDeps } from './in-memory-deps';
import { transact } from './in-memory-deps';

const copy = <T>(value: T): T => structuredClone(value);
const unversioned = (): VersionedRecord => ({ version: 0, audit: emptyChain() });

export class InMemoryOrganisation implements OrganisationStore {
  /** Places by `kind#id`. */
  readonly places = new Map<string, PlaceRecord>();
  /** Version and chain head of each person by id (seeded people have none: version 0). */
  readonly heads = new Map<string, VersionedRecord>();
  readonly absences = new Map<string, Absence>();
  /** Batches written, in order (a preview or a refusal writes none). */
  readonly commits: OrganisationWrite[][] = [];

  constructor(
    readonly directory: InMemoryDirectory,
    readonly ledgers: InMemoryLedgers,
  ) {
    for (const place of branches) this.places.set(`branch#${place.id}`, { kind: 'branch', ...copy(place), ...unversioned() });
    for (const place of sites) this.places.set(`site#${place.id}`, { kind: 'site', ...copy(place), ...unversioned() });
    for (const place of departments) this.places.set(`department#${place.id}`, { kind: 'department', ...copy(place), ...unversioned() });
    // The domain reads absences through the Directory port too (routing's delegation).
    (directory as Directory).absenceOn = async (personId, date) => {
      const absence = this.absences.get(personId);
      return absence && absence.from <= date && date <= absence.to ? copy(absence) : null;
    };
  }

  async personRecord(id: string): Promise<PersonRecord | null> {
    const person = this.directory.people.get(id);
    return person ? copy({ ...person, ...(this.heads.get(id) ?? unversioned()) }) : null;
  }

  async personRecords(): Promise<PersonRecord[]> {
    return [...this.directory.people.keys()].map((id) => ({ ...copy(this.directory.people.get(id)!), ...(this.heads.get(id) ?? unversioned()) }));
  }

  async placeRecord(kind: PlaceKind, id: string): Promise<PlaceRecord | null> {
    const place = this.places.get(`${kind}#${id}`);
    return place ? copy(place) : null;
  }

  async placeRecords(kind: PlaceKind): Promise<PlaceRecord[]> {
    return [...this.places.values()].filter((p) => p.kind === kind).map(copy);
  }

  async absence(personId: string): Promise<Absence | null> {
    return copy(this.absences.get(personId) ?? null);
  }

  async directoryHistory(record: string): Promise<AuditEvent[]> {
    return copy(this.ledgers.audit.get(record) ?? []);
  }

  async commitOrganisation(writes: readonly OrganisationWrite[]): Promise<void> {
    const steps: Step[] = writes.flatMap((write): Step[] => {
      const { change } = write;
      if (write.kind === 'person') {
        const id = write.change.next.id;
        const current = () => (this.directory.people.has(id) ? (this.heads.get(id)?.version ?? 0) : null);
        return [
          {
            key: `records:PERSON#${id}`,
            target: 'stale',
            holds: () => current() === change.expectedVersion,
            apply: () => {
              const { version, audit, ...person } = copy(write.change.next);
              this.directory.people.set(id, person as Person);
              this.heads.set(id, { version, audit });
            },
          },
          ...change.events.map((event) => this.ledgers.auditStep(event)),
        ];
      }
      const next = write.change.next;
      const key = `${next.kind}#${next.id}`;
      return [
        {
          key: `records:${key}`,
          target: 'stale',
          holds: () => (this.places.has(key) ? (this.places.get(key)!.version ?? 0) : null) === change.expectedVersion,
          apply: () => this.places.set(key, copy(next)),
        },
        ...change.events.map((event) => this.ledgers.auditStep(event)),
      ];
    });
    transact(steps);
    this.commits.push(copy([...writes]));
  }
}

/** The organisation store over a test's directory and audit table. */
export const inMemoryOrganisation = (t: TestDeps) => new InMemoryOrganisation(t.directory, t.ledgers);
