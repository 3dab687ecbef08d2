import { describe, expect, it } from 'vitest';
import type { Requester } from '../../../functions/domain/approval';
import type { Person } from '../../../functions/domain/organisation';
import { hasRole, refOf, scopeIdFor } from '../../../functions/domain/organisation';
import { isRoleId, roleIds, roles } from '../../../functions/domain/roles';
import { UnresolvableStageError, resolveRoute, resolveStage } from '../../../functions/domain/routing';
import { serverConnectionRequest } from '../../../functions/forms/server-connection-request';
import { demoPeople } from '../../../infra/local/seed-data';
import { InMemoryDirectory, person } from './in-memory-deps';

const requesterOf = (p: Person): Requester => ({ id: p.id, name: p.name, siteId: p.siteId, branchId: p.branchId, departmentId: p.departmentId });
const directory = new InMemoryDirectory();
const ids = (refs: { id: string }[]) => refs.map((r) => r.id);

describe('scopeIdFor', () => {
  const tanaka = person('u-tanaka');

  it('looks a site role up at the requester site, a branch role at the branch, a department role at the department', () => {
    expect(scopeIdFor('siteManager', tanaka)).toBe('site-tokyo');
    expect(scopeIdFor('siteResponsible', tanaka)).toBe('br-east');
    expect(scopeIdFor('deptHead', tanaka)).toBe('dep-sales');
  });

  it('looks a company role up company-wide', () => {
    expect(scopeIdFor('itInfra', tanaka)).toBe('*');
    expect(scopeIdFor('licenseManager', tanaka)).toBe('*');
  });
});

describe('roles', () => {
  it('have a label in both languages and a scope', () => {
    for (const id of roleIds) {
      expect(roles[id].label.ja).not.toBe('');
      expect(roles[id].label.en).not.toBe('');
      expect(['site', 'branch', 'department', 'company']).toContain(roles[id].scope);
    }
  });

  it('are recognised by id only', () => {
    expect(isRoleId('itInfra')).toBe(true);
    expect(isRoleId('toString')).toBe(false);
    expect(isRoleId('admin')).toBe(false);
  });

  it('can be asked of a person', () => {
    expect(hasRole(person('u-yamada'), 'itInfra')).toBe(true);
    expect(hasRole(person('u-tanaka'), 'itInfra')).toBe(false);
  });

  it('refer to a person by id and name only', () => {
    expect(refOf(person('u-sato'))).toEqual({ id: 'u-sato', name: { ja: '佐藤 花子', en: 'Hanako Sato' } });
  });
});

describe('resolveStage', () => {
  it('goes to the site manager of the requester site', async () => {
    const tokyo = await resolveStage({ role: 'siteManager', rule: 'any' }, requesterOf(person('u-tanaka')), directory);
    expect(tokyo).toEqual({ approvers: [refOf(person('u-sato'))], note: null });
    const sendai = await resolveStage({ role: 'siteManager', rule: 'any' }, requesterOf(person('u-takahashi')), directory);
    expect(ids(sendai.approvers)).toEqual(['u-abe']);
  });

  it('goes to the branch responsible of the requester branch', async () => {
    const east = await resolveStage({ role: 'siteResponsible', rule: 'any' }, requesterOf(person('u-takahashi')), directory);
    expect(ids(east.approvers)).toEqual(['u-kobayashi']);
    const west = await resolveStage({ role: 'siteResponsible', rule: 'any' }, requesterOf(person('u-saito')), directory);
    expect(ids(west.approvers)).toEqual(['u-mori']);
  });

  it('goes to the head of the requester department', async () => {
    const production = await resolveStage({ role: 'deptHead', rule: 'any' }, requesterOf(person('u-saito')), directory);
    expect(ids(production.approvers)).toEqual(['u-ogawa']);
  });

  it('goes to every holder of a company-wide role', async () => {
    const it = await resolveStage({ role: 'itInfra', rule: 'all' }, requesterOf(person('u-tanaka')), directory);
    expect(ids(it.approvers).sort()).toEqual(['u-ito', 'u-yamada']);
    expect(it.note).toBeNull();
  });

  it('never puts the requester among the approvers', async () => {
    const yamada = await resolveStage({ role: 'itInfra', rule: 'any' }, requesterOf(person('u-yamada')), directory);
    expect(ids(yamada.approvers)).toEqual(['u-ito']);
    expect(yamada.note).toBeNull();
  });

  it('never puts the requester among the approvers of any stage of any demo person', async () => {
    for (const p of demoPeople) {
      const route = await resolveRoute(serverConnectionRequest.route, requesterOf(p), directory);
      for (const stage of route) {
        expect(stage.approvers.length).toBeGreaterThan(0);
        expect(ids(stage.approvers)).not.toContain(p.id);
      }
    }
  });

  it('falls back to IT infrastructure with a bilingual note when nobody holds the role in scope', async () => {
    // dep-sales has a head (u-watanabe), dep-accounting has none.
    const resolved = await resolveStage({ role: 'deptHead', rule: 'any' }, requesterOf(person('u-nakamura')), directory);
    expect(ids(resolved.approvers).sort()).toEqual(['u-ito', 'u-yamada']);
    expect(resolved.note).toEqual({
      ja: '申請者の所属に部門責任者が見つからないため、情報システム部インフラ担当に回付しました。',
      en: 'No Department head was found for the requester, so the stage went to IT infrastructure.',
    });
  });

  it('falls back to IT infrastructure when the only holder in scope is the requester', async () => {
    const resolved = await resolveStage({ role: 'siteManager', rule: 'any' }, requesterOf(person('u-sato')), directory);
    expect(ids(resolved.approvers).sort()).toEqual(['u-ito', 'u-yamada']);
    expect(resolved.note?.ja).toContain('拠点管理者');
    expect(resolved.note?.en).toContain('Site manager');
  });

  it('leaves the requester out of the fallback too', async () => {
    const yamada = { ...requesterOf(person('u-yamada')), departmentId: 'dep-nowhere' };
    const resolved = await resolveStage({ role: 'deptHead', rule: 'any' }, yamada, directory);
    expect(ids(resolved.approvers)).toEqual(['u-ito']);
    expect(resolved.note).not.toBeNull();
  });

  it('fails loudly as Route.Unresolvable when nobody at all may decide', async () => {
    const lonely = new InMemoryDirectory(demoPeople.filter((p) => !hasRole(p, 'itInfra') && !hasRole(p, 'licenseManager')));
    const error = await resolveStage({ role: 'licenseManager', rule: 'any' }, requesterOf(person('u-tanaka')), lonely).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnresolvableStageError);
    expect(error).toMatchObject({ name: 'Route.Unresolvable', role: 'licenseManager', scopeId: '*' });
  });

  it('fails loudly when the IT infrastructure stage has only the requester', async () => {
    const onlyYamada = new InMemoryDirectory(demoPeople.filter((p) => p.id !== 'u-ito'));
    await expect(resolveStage({ role: 'itInfra', rule: 'any' }, requesterOf(person('u-yamada')), onlyYamada)).rejects.toMatchObject({
      name: 'Route.Unresolvable',
      role: 'itInfra',
    });
  });

  it('does not fall back for an IT infrastructure stage that has someone', async () => {
    const resolved = await resolveStage({ role: 'itInfra', rule: 'any' }, requesterOf(person('u-ito')), directory);
    expect(resolved).toEqual({ approvers: [refOf(person('u-yamada'))], note: null });
  });
});

describe('resolveRoute', () => {
  it('resolves the server connection route of a Tokyo employee to site manager, branch responsible, IT infrastructure', async () => {
    const route = await resolveRoute(serverConnectionRequest.route, requesterOf(person('u-tanaka')), directory);
    expect(route.map((stage) => ids(stage.approvers))).toEqual([['u-sato'], ['u-kobayashi'], ['u-ito', 'u-yamada']]);
    expect(route.map((stage) => stage.note)).toEqual([null, null, null]);
  });

  it('resolves an Osaka employee to the Osaka site manager and the West Japan branch responsible', async () => {
    const route = await resolveRoute(serverConnectionRequest.route, requesterOf(person('u-saito')), directory);
    expect(route.map((stage) => ids(stage.approvers))).toEqual([['u-shimizu'], ['u-mori'], ['u-ito', 'u-yamada']]);
  });

  it('keeps the stages in the order of the route', async () => {
    const route = await resolveRoute(
      [
        { role: 'itInfra', rule: 'any' },
        { role: 'siteManager', rule: 'any' },
      ],
      requesterOf(person('u-saito')),
      directory,
    );
    expect(ids(route[1].approvers)).toEqual(['u-shimizu']);
  });
});
