import { describe, expect, it } from 'vitest';
import type { Requester } from '../../../functions/domain/approval';
import type { StageTemplate } from '../../../functions/domain/form-definition';
import type { Absence, Directory, PersonRef } from '../../../functions/domain/organisation';
import { resolveRoute } from '../../../functions/domain/routing';

const ref = (id: string): PersonRef => ({ id, name: { ja: id, en: id } });
const requester: Requester = { ...ref('u-req'), siteId: 'site-a', branchId: 'br-a', departmentId: 'dep-a' };
const route: StageTemplate[] = [
  { role: 'siteManager', rule: 'any' },
  { role: 'siteResponsible', rule: 'any' },
  { role: 'itInfra', rule: 'any' },
] as StageTemplate[];
const holders: Record<string, PersonRef[]> = {
  'siteManager/site-a': [ref('u-sm1'), ref('u-sm2')],
  'siteResponsible/br-a': [ref('u-br')],
  'itInfra/*': [ref('u-it1'), ref('u-it2')],
};
const today = '2026-11-25';
const away: Absence = { personId: 'u-sm1', from: '2026-11-24', to: '2026-11-27', delegate: ref('u-dep') };

/** A directory that counts its reads; with `batch`, it offers the one-read absence lookup. */
function countingDirectory(batch: boolean) {
  const reads = { holders: 0, absenceOn: 0, absencesOn: [] as string[][] };
  const directory: Directory = {
    person: async () => null,
    holders: async (role, scopeId) => (reads.holders++, holders[`${role}/${scopeId}`] ?? []),
    absenceOn: async (personId) => (reads.absenceOn++, personId === away.personId ? away : null),
    ...(batch
      ? { absencesOn: async (ids: readonly string[]) => (reads.absencesOn.push([...ids]), new Map(ids.includes(away.personId) ? [[away.personId, away]] : [])) }
      : {}),
  };
  return { directory, reads };
}

describe('resolveRoute reads absences once for the whole route', () => {
  it('asks for the absence of everyone the stages name in one read, after one holders read per stage', async () => {
    const { directory, reads } = countingDirectory(true);
    await resolveRoute(route, requester, directory, today);
    expect(reads.holders).toBe(3);
    expect(reads.absencesOn).toEqual([['u-sm1', 'u-sm2', 'u-br', 'u-it1', 'u-it2']]);
    expect(reads.absenceOn).toBe(0);
  });

  it('resolves the same approvers and delegates with the one read as with a read per person', async () => {
    const batch = countingDirectory(true);
    const single = countingDirectory(false);
    const withBatch = await resolveRoute(route, requester, batch.directory, today);
    const perPerson = await resolveRoute(route, requester, single.directory, today);
    expect(withBatch).toEqual(perPerson);
    expect(withBatch[0].approvers).toEqual([{ ...ref('u-dep'), onBehalfOf: ref('u-sm1') }, ref('u-sm2')]);
    expect(single.reads.absenceOn).toBe(5);
  });

  it('reads no absence at all without a date to judge it by', async () => {
    const { directory, reads } = countingDirectory(true);
    await resolveRoute(route, requester, directory);
    expect(reads.absencesOn).toEqual([]);
  });
});
