import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../functions/domain/errors';
import type { FormContext } from '../../../functions/domain/form-definition';
import type { LedgerItem, Versioned } from '../../../functions/domain/ledgers';
import type { Person } from '../../../functions/domain/organisation';
import type { Deps } from '../../../functions/domain/ports';
import { applicableStages } from '../../../functions/domain/routing';
import { describeForm } from '../../../functions/forms/catalog';
import { completeConfigurationChange, completionOps } from '../../../functions/forms/configuration-change-completion';
import { changeIdOf, configurationChangeRequest, departmentLabels } from '../../../functions/forms/configuration-change-request';
import type { ConfigurationChangeRequest } from '../../../functions/forms/configuration-change-request';
import { Client } from '../../../functions/ledgers/clients';
import { ConfigurationChange } from '../../../functions/ledgers/configuration-changes';
import { ledgerRegistry } from '../../../functions/ledgers/registry';
import { Server } from '../../../functions/ledgers/servers';
import { demoClients, demoPeople, demoServers, departments } from '../../../infra/local/seed-data';
import { FakeLedgers, formContext, formUnderTest } from './fakes';

const { entry, parse, issuesOf } = formUnderTest('configuration-change-request');

/** Ledgers whose seeded items read as the first link of their chain. */
const ledgersOf = (seed: Record<string, LedgerItem[]>) => new FakeLedgers(seed, { head: { seq: 1, hash: 'seed' } });

const person = (id: string) => demoPeople.find((p) => p.id === id) as Person;

const retiredClient = { ...demoClients[0], id: 'pc-old', status: 'retired' as const };
const context = (): FormContext => formContext({ ledgers: ledgersOf({ servers: demoServers, clients: [...demoClients, retiredClient] }) });

const valid = (overrides: Partial<ConfigurationChangeRequest> = {}): ConfigurationChangeRequest => ({
  target: 'server',
  targetId: 'srv-app',
  summary: 'Tomcat を 10.1 系の最新版へ更新し、JVM ヒープを 8GB に拡張する。',
  newConfiguration: 'CPU 16コア / メモリ 64GB / Tomcat 10.1.33 / JVM ヒープ 8GB',
  testPlan: '開発・研修用DBサーバ環境で受注・出荷の回帰テストを2日間実施する。',
  fallback: '旧 Tomcat 10.1.20 のインストールディレクトリを残し、切替スクリプトで即時に戻せるようにする。',
  trainingNeeded: false,
  affectedDepartments: ['dep-sales'],
  plannedOn: '2026-12-12',
  securityChecked: true,
  ...overrides,
});

describe('configuration change request (F11): parsing', () => {
  it('accepts complete, valid data', () => {
    expect(parse(valid())).toEqual({ ok: true, data: valid() });
    expect(parse(valid({ target: 'client', targetId: 'pc-tokyo-001', trainingNeeded: true, trainingPlan: '12/10 に操作説明会' })).ok).toBe(true);
  });

  it('requires the test plan (S19-3) and the fallback (S8-3)', () => {
    const { testPlan: _t, fallback: _f, ...rest } = valid();
    expect(issuesOf(rest)).toEqual([
      { path: 'data.testPlan', messages: { ja: '「テスト計画」を入力してください。', en: 'Enter Test plan.' } },
      { path: 'data.fallback', messages: { ja: '「切り戻し（変更前構成のバックアップ）」を入力してください。', en: 'Enter Fallback (the previous configuration as backup).' } },
    ]);
  });

  it('refuses the form until the security check of A13(3) is ticked', () => {
    expect(issuesOf(valid({ securityChecked: false as never })).map((issue) => issue.path)).toEqual(['data.securityChecked']);
    const { securityChecked: _s, ...rest } = valid();
    expect(issuesOf(rest).map((issue) => issue.path)).toEqual(['data.securityChecked']);
  });

  it('asks for at least one affected department, of the organisation', () => {
    expect(issuesOf(valid({ affectedDepartments: [] }))).toEqual([
      { path: 'data.affectedDepartments', messages: { ja: '「影響を受ける部署」は1件以上にしてください。', en: 'Affected departments needs at least 1 entries.' } },
    ]);
    expect(issuesOf(valid({ affectedDepartments: ['dep-marketing' as never] })).map((issue) => issue.path)).toEqual(['data.affectedDepartments.0']);
  });

  it('refuses an unknown target kind and a configuration over 4000 characters', () => {
    const issues = issuesOf({ ...valid(), target: 'network', newConfiguration: 'x'.repeat(4001) });
    expect(issues.map((issue) => issue.path)).toEqual(['data.target', 'data.newConfiguration']);
  });
});

describe('configuration change request (F11): lookups and cross-field checks', () => {
  const check = (data: ConfigurationChangeRequest) => configurationChangeRequest.check!(data, context());

  it('passes a server and a client of their ledgers', async () => {
    expect(await check(valid())).toEqual([]);
    expect(await check(valid({ target: 'client', targetId: 'pc-tokyo-001' }))).toEqual([]);
  });

  it('passes a change planned for today (in Japan)', async () => {
    expect(await check(valid({ plannedOn: '2026-11-25' }))).toEqual([]);
  });

  it('looks the target up in the ledger of its kind', async () => {
    const server = await check(valid({ targetId: 'pc-tokyo-001' }));
    expect(server).toEqual([{ path: 'data.targetId', messages: expect.objectContaining({ ja: expect.stringContaining('サーバ台帳にありません') }) }]);
    const client = await check(valid({ target: 'client', targetId: 'srv-app' }));
    expect(client).toEqual([{ path: 'data.targetId', messages: expect.objectContaining({ ja: expect.stringContaining('クライアント台帳にありません') }) }]);
  });

  it('refuses a retired machine', async () => {
    expect((await check(valid({ target: 'client', targetId: 'pc-old' })))[0].messages.ja).toContain('廃止');
  });

  it('asks for the training plan when users need training (S8-4)', async () => {
    expect(await check(valid({ trainingNeeded: true }))).toEqual([
      { path: 'data.trainingPlan', messages: { ja: '操作教育が必要な場合は「操作教育の計画」を入力してください（第8条第4項）。', en: 'Describe the training plan when users need training (Art. 8-4).' } },
    ]);
    expect(await check(valid({ trainingNeeded: true, trainingPlan: '12/10 に操作説明会' }))).toEqual([]);
  });

  it('refuses a date in the past, since the departments must be told in advance (S8-2)', async () => {
    expect(await check(valid({ plannedOn: '2026-11-24' }))).toEqual([{ path: 'data.plannedOn', messages: expect.objectContaining({ ja: expect.stringContaining('第8条第2項') }) }]);
  });

  it('reports every problem at once', async () => {
    expect((await check(valid({ targetId: 'srv-nowhere', trainingNeeded: true, plannedOn: '2026-01-01' }))).map((issue) => issue.path)).toEqual([
      'data.targetId',
      'data.trainingPlan',
      'data.plannedOn',
    ]);
  });
});

describe('configuration change request (F11): route', () => {
  const roles = async (data: ConfigurationChangeRequest) => (await applicableStages(configurationChangeRequest.route, data, context().ledgers)).map((stage) => stage.role);

  it('goes to the site manager first, then IT infrastructure, for a client (S19)', async () => {
    expect(await roles(valid({ target: 'client', targetId: 'pc-tokyo-001' }))).toEqual(['siteManager', 'itInfra']);
  });

  it('goes to IT infrastructure alone for a server (S8)', async () => {
    expect(await roles(valid())).toEqual(['itInfra']);
  });

  it('shows the condition of the site manager stage', () => {
    expect(describeForm(entry).route[0]).toMatchObject({ role: 'siteManager', when: { field: 'target', equals: 'client', label: { ja: 'クライアントの場合', en: 'for a client' } } });
  });
});

const facts = (data: ConfigurationChangeRequest) => ({ requestId: 'R-20261125-7KQ2MX', requester: { id: 'u-ito', name: person('u-ito').name, siteId: 'site-tokyo', branchId: 'br-east', departmentId: 'dep-it' }, data, approvedAt: '2026-11-26T03:00:00.000Z' });

describe('configuration change request (F11): approval effects', () => {
  it('records the approved change, not done yet, at the target’s site', async () => {
    const ops = await configurationChangeRequest.onApproved!(facts(valid({ affectedDepartments: ['dep-sales', 'dep-production', 'dep-sales'] })), context());
    expect(ops).toHaveLength(1);
    const [op] = ops;
    if (op.kind !== 'create') throw new Error('expected a create');
    expect(op.ledger).toBe('configuration-changes');
    expect(op.item).toMatchObject({
      id: 'CC-20261125-7KQ2MX',
      target: 'server',
      targetId: 'srv-app',
      status: 'approved',
      approvedAt: '2026-11-26T03:00:00.000Z',
      affectedDepartments: ['dep-sales', 'dep-production'],
      siteId: 'site-tokyo',
      branchId: 'br-east',
      requestId: 'R-20261125-7KQ2MX',
    });
    expect(ConfigurationChange.strict().safeParse(op.item).success).toBe(true);
  });
});

describe('configuration change request (F11): advance notices (S8-2)', () => {
  it('tells the head of every affected department what changes, when, the fallback and the training', async () => {
    const notices = await configurationChangeRequest.notices!(
      facts(valid({ affectedDepartments: ['dep-sales', 'dep-production'], trainingNeeded: true, trainingPlan: '12/10 に営業部向け操作説明会' })),
      context(),
    );
    expect(notices.map((notice) => notice.to.map((p) => p.id))).toEqual([['u-watanabe'], ['u-ogawa']]);
    const [sales] = notices;
    expect(sales.subject.ja).toBe('構成変更の事前通知：アプリケーションサーバ（srv-app）（2026-12-12実施予定）');
    for (const text of ['営業部の部門責任者', 'CC-20261125-7KQ2MX', '2026-12-12', valid().summary, valid().newConfiguration, valid().fallback, '12/10 に営業部向け操作説明会', '第8条第2項']) {
      expect(sales.body.ja).toContain(text);
    }
    expect(sales.body.en).toContain('Planned on: 2026-12-12');
    expect(notices[1].body.ja).toContain('製造部の部門責任者');
  });

  it('says that no training follows when none is needed', async () => {
    const [notice] = await configurationChangeRequest.notices!(facts(valid()), context());
    expect(notice.body.ja).toContain('操作教育: なし');
  });

  it('tells IT infrastructure instead, never nobody, when a department has no head', async () => {
    const notices = await configurationChangeRequest.notices!(facts(valid({ affectedDepartments: ['dep-accounting', 'dep-general', 'dep-sales'] })), context());
    expect(notices.map((notice) => notice.to.map((p) => p.id).sort())).toEqual([['u-ito', 'u-yamada'], ['u-ito', 'u-yamada'], ['u-watanabe']]);
    expect(notices[0].body.ja).toContain('経理部には部門責任者が登録されていないため');
    expect(notices[1].body.ja).toContain('総務部には部門責任者が登録されていないため');
  });

  it('names a client by its label', async () => {
    const [notice] = await configurationChangeRequest.notices!(facts(valid({ target: 'client', targetId: 'pc-tokyo-001' })), context());
    expect(notice.subject.ja).toContain('営業部 端末1（pc-tokyo-001）');
  });
});

describe('configuration change request (F11): catalogue entry', () => {
  const schema = entry.jsonSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };

  it('is F11 of the configuration category, naming S8, S19 and A13(3)', () => {
    expect(configurationChangeRequest).toMatchObject({ id: 'configuration-change-request', code: 'F11', version: 1, category: 'configuration' });
    const refs = configurationChangeRequest.articles.map((a) => a.ref);
    for (const ref of ['S8-2', 'S8-3', 'S8-4', 'S19-3', 'S19-4', 'A13(3)']) expect(refs).toContain(ref);
  });

  it('offers the departments of the organisation, by name', () => {
    expect(Object.entries(departmentLabels)).toEqual(departments.map((d) => [d.id, d.name]));
    expect(schema.properties.affectedDepartments['x-widget']).toBe('multiselect');
    expect(schema.properties.affectedDepartments['x-enum-labels']).toEqual(departmentLabels);
  });

  it('requires the test plan, the fallback and the security check, and leaves the training plan optional', () => {
    expect(schema.required).toEqual(['target', 'targetId', 'summary', 'newConfiguration', 'testPlan', 'fallback', 'trainingNeeded', 'affectedDepartments', 'plannedOn', 'securityChecked']);
  });
});

describe('configuration change completion (S7-3, S19-4)', () => {
  const approvedChange = (overrides: Partial<ConfigurationChange> = {}): ConfigurationChange => ({
    id: 'CC-20261125-7KQ2MX',
    target: 'server',
    targetId: 'srv-app',
    summary: 'Tomcat 更新',
    newConfiguration: 'CPU 16コア / メモリ 64GB / Tomcat 10.1.33',
    testPlan: '回帰テスト',
    fallback: '旧版を残す',
    trainingNeeded: false,
    affectedDepartments: ['dep-sales'],
    plannedOn: '2026-12-12',
    status: 'approved',
    approvedAt: '2026-11-26T03:00:00.000Z',
    siteId: 'site-tokyo',
    branchId: 'br-east',
    requestId: 'R-20261125-7KQ2MX',
    ...overrides,
  });
  const at = '2026-12-12T09:00:00.000Z';
  const yamada = person('u-yamada');
  const versioned = (item: LedgerItem): Versioned => ({ item, head: { seq: 1, hash: 'seed' } });

  it('marks the change done and gives the target the approved configuration', () => {
    const server = demoServers.find((s) => s.id === 'srv-app')!;
    const ops = completionOps(versioned(approvedChange()), versioned(server), { id: yamada.id, name: yamada.name }, at, 'メンテナンス時間内に完了');
    expect(ops).toHaveLength(2);
    const [change, target] = ops;
    if (change.kind !== 'update' || target.kind !== 'update') throw new Error('expected updates');
    expect(change.after).toEqual({ ...approvedChange(), status: 'done', completedAt: at, completedBy: 'u-yamada' });
    expect(ConfigurationChange.safeParse(change.after).success).toBe(true);
    expect(target.ledger).toBe('servers');
    expect(target.after).toEqual({ ...server, configuration: 'CPU 16コア / メモリ 64GB / Tomcat 10.1.33', configurationRevisedAt: at });
    expect(Server.safeParse(target.after).success).toBe(true);
    expect(change.summary.ja).toContain('メンテナンス時間内に完了');
  });

  it('revises a client in the client ledger', () => {
    const client = demoClients[0];
    const [, target] = completionOps(versioned(approvedChange({ target: 'client', targetId: client.id })), versioned(client), { id: yamada.id, name: yamada.name }, at);
    expect(target.kind === 'update' && target.ledger).toBe('clients');
    expect(target.kind === 'update' && Client.safeParse(target.after).success).toBe(true);
  });

  it('refuses a change that is done already (409)', () => {
    const done = versioned(approvedChange({ status: 'done', completedAt: at, completedBy: 'u-ito' }));
    expect(() => completionOps(done, versioned(demoServers[2]), { id: yamada.id, name: yamada.name }, at)).toThrow(expect.objectContaining({ status: 409 }));
  });

  const depsWith = (ledgers: FakeLedgers) =>
    ({ ledgers, ledgerDefinitions: ledgerRegistry, clock: { now: () => new Date(at) } }) as unknown as Deps;

  it('writes both in one commit, each with its event naming the request', async () => {
    const ledgers = ledgersOf({ servers: demoServers, 'configuration-changes': [approvedChange()] });
    const result = await completeConfigurationChange(depsWith(ledgers), yamada, 'CC-20261125-7KQ2MX', { note: '完了' });
    expect(ledgers.commits).toBe(1);
    expect(result.change.item).toMatchObject({ status: 'done', completedBy: 'u-yamada', completedAt: at });
    expect(result.target).toMatchObject({ ledger: 'servers', item: { id: 'srv-app', configuration: 'CPU 16コア / メモリ 64GB / Tomcat 10.1.33', configurationRevisedAt: at } });
    const [event] = ledgers.events.get('servers#srv-app')!;
    expect(event).toMatchObject({ action: 'updated', actor: { id: 'u-yamada' }, after: { configuration: 'CPU 16コア / メモリ 64GB / Tomcat 10.1.33', requestId: 'R-20261125-7KQ2MX' } });
    expect(event.before).toEqual({ configuration: 'CPU 16コア / メモリ 64GB / Tomcat 10', configurationRevisedAt: null });
  });

  it('lets only IT infrastructure complete a change (403)', async () => {
    const ledgers = ledgersOf({ servers: demoServers, 'configuration-changes': [approvedChange()] });
    const refusal = await completeConfigurationChange(depsWith(ledgers), person('u-watanabe'), 'CC-20261125-7KQ2MX', {}).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).status).toBe(403);
    expect(ledgers.commits).toBe(0);
  });

  it('answers 404 for an unknown change and 409 for a second completion', async () => {
    const ledgers = ledgersOf({ servers: demoServers, 'configuration-changes': [approvedChange()] });
    await expect(completeConfigurationChange(depsWith(ledgers), yamada, 'CC-nothing', {})).rejects.toMatchObject({ status: 404 });
    await completeConfigurationChange(depsWith(ledgers), yamada, 'CC-20261125-7KQ2MX', {});
    await expect(completeConfigurationChange(depsWith(ledgers), yamada, 'CC-20261125-7KQ2MX', {})).rejects.toMatchObject({ status: 409 });
    expect(ledgers.commits).toBe(1);
  });

  it('reads again when the target changed under it, and completes on the fresh read', async () => {
    const ledgers = ledgersOf({ servers: demoServers, 'configuration-changes': [approvedChange()] });
    const read = ledgers.getVersioned.bind(ledgers);
    let meddled = false;
    ledgers.getVersioned = async (ledger: string, id: string) => {
      const found = await read(ledger, id);
      if (ledger === 'servers' && !meddled) {
        meddled = true;
        // Someone edits the server between our read and our write.
        ledgers.items.set(`servers#${id}`, { item: { ...found!.item, os: 'RHEL 9.5' }, head: { seq: 2, hash: 'edit' } });
      }
      return found;
    };
    const result = await completeConfigurationChange(depsWith(ledgers), yamada, 'CC-20261125-7KQ2MX', {});
    expect(result.target.item).toMatchObject({ os: 'RHEL 9.5', configuration: 'CPU 16コア / メモリ 64GB / Tomcat 10.1.33' });
  });

  it('derives the change id from the request id', () => {
    expect(changeIdOf('R-20261125-7KQ2MX')).toBe('CC-20261125-7KQ2MX');
  });
});
