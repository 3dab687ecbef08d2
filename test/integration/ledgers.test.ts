import { describe, expect, it } from 'vitest';
import { runtime, signIn } from './support';

const suffix = () => Math.random().toString(36).slice(2, 8);

async function csvOf(token: string, name: string) {
  const response = await fetch(`${runtime.url}/api/ledgers/${name}.csv`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('ledgers through the HTTP API', () => {
  it('lists every ledger the regulations require, with columns and articles', async () => {
    const tanaka = await signIn('u-tanaka');
    const { body } = await tanaka.call('GET', '/api/ledgers');
    expect(body.items.map((l: { name: string }) => l.name)).toEqual(
      expect.arrayContaining(['servers', 'clients', 'products', 'licences', 'server-products', 'client-products', 'licence-registrations', 'server-access-grants', 'user-ids', 'privileged-ids', 'configuration-changes']),
    );
    const licences = body.items.find((l: { name: string }) => l.name === 'licences');
    expect(licences.counters).toEqual(['seatsUsed', 'seatsHeld', 'seatsFree']);
    expect(licences.articles).toContain('S29-2');
  });

  it('filters by site and by branch through indexes, and finds words in any field', async () => {
    const yamada = await signIn('u-yamada');
    const osaka = (await yamada.call('GET', '/api/ledgers/clients?siteId=site-osaka')).body.items;
    expect(osaka.length).toBeGreaterThan(0);
    expect(osaka.every((c: { siteId: string }) => c.siteId === 'site-osaka')).toBe(true);
    const west = (await yamada.call('GET', '/api/ledgers/clients?branchId=br-west')).body.items;
    expect(west.every((c: { branchId: string }) => c.branchId === 'br-west')).toBe(true);
    const found = (await yamada.call('GET', `/api/ledgers/servers?q=${encodeURIComponent('バックアップ')}&limit=100`)).body.items;
    expect(found.map((s: { id: string }) => s.id)).toEqual(['srv-core-db-backup']);
  });

  it('lets only IT infrastructure edit an item, audits the edit, and refuses an edit over a newer version', async () => {
    const yamada = await signIn('u-yamada');
    const tanaka = await signIn('u-tanaka');
    const id = `srv-test-${suffix()}`;
    const item = { id, name: { ja: '検証サーバ', en: 'Test server' }, kind: 'other', hostname: 'test01', os: 'Linux', siteId: 'site-tokyo', branchId: 'br-east', owner: 'u-yamada', status: 'active' };

    expect((await tanaka.call('POST', '/api/ledgers/servers', { item })).status).toBe(403);
    const created = await yamada.call('POST', '/api/ledgers/servers', { item, reason: '検証用に登録' });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    expect((await yamada.call('POST', '/api/ledgers/servers', { item })).status).toBe(409);

    const edited = await yamada.call('PUT', `/api/ledgers/servers/${id}`, { item: { ...item, os: 'Oracle Linux 9' }, version: 1, reason: 'OS更新' });
    expect(edited.status).toBe(200);
    expect(edited.body.item.os).toBe('Oracle Linux 9');
    const last = edited.body.history.at(-1);
    expect(last).toMatchObject({ action: 'updated', actor: { id: 'u-yamada' } });
    expect(last.summary.ja).toContain('OS更新');
    expect(edited.body.history[1].prevHash).toBe(edited.body.history[0].hash);

    const stale = await yamada.call('PUT', `/api/ledgers/servers/${id}`, { item: { ...item, os: 'other' }, version: 1 });
    expect(stale.status).toBe(409);
    const invalid = await yamada.call('PUT', `/api/ledgers/servers/${id}`, { item: { ...item, kind: 'mainframe' }, version: 2 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues[0].path).toBe('item.kind');
    expect((await tanaka.call('GET', `/api/ledgers/servers/${id}`)).body.item.os).toBe('Oracle Linux 9');
  });

  it('keeps seat counters out of direct edits, and moves free seats when more are bought', async () => {
    const yamada = await signIn('u-yamada');
    const id = `lic-test-${suffix()}`;
    const licence = { id, productId: 'prd-excel', name: { ja: '検証ライセンス', en: 'Test licence' }, seatsBought: 3, seatsUsed: 1, seatsHeld: 0, seatsFree: 2, status: 'active' };
    expect((await yamada.call('POST', '/api/ledgers/licences', { item: licence })).status).toBe(201);
    // An edit that claims other counters leaves them as stored.
    const edited = await yamada.call('PUT', `/api/ledgers/licences/${id}`, { item: { ...licence, seatsUsed: 0, seatsFree: 3, contractRef: 'C-1' }, version: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body.item).toMatchObject({ seatsBought: 3, seatsUsed: 1, seatsFree: 2, contractRef: 'C-1' });
    const more = await yamada.call('PUT', `/api/ledgers/licences/${id}`, { item: { ...edited.body.item, seatsBought: 5 }, version: 2, reason: '2席追加購入' });
    expect(more.body.item).toMatchObject({ seatsBought: 5, seatsUsed: 1, seatsFree: 4 });
    const fewer = await yamada.call('PUT', `/api/ledgers/licences/${id}`, { item: { ...more.body.item, seatsBought: 0 }, version: 3 });
    expect(fewer.status).toBe(400);
    expect(fewer.body.error.issues[0].path).toBe('item.seatsBought');
  });

  it('exports CSV that Excel opens (UTF-8 with BOM, Japanese header) and imports it back unchanged', async () => {
    const yamada = await signIn('u-yamada');
    const { status, type, bytes } = await csvOf(yamada.token, 'servers');
    expect(status).toBe(200);
    expect(type).toContain('text/csv');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toContain('サーバID,名称,名称（英語）,種別');
    // A dry run: other tests' workflows may still be changing servers while this one reads them.
    const report = await yamada.call('POST', '/api/ledgers/servers/import', { csv: text, dryRun: true });
    expect(report.status).toBe(200);
    expect(report.body.rejected).toBe(0);
    expect(report.body.applied).toBe(false);
    expect(report.body.rows.find((row: { id: string }) => row.id === 'srv-core-db-backup').outcome).toBe('unchanged');
    expect(report.body.rows.filter((row: { outcome: string }) => row.outcome === 'unchanged').length).toBeGreaterThanOrEqual(4);
  });

  it('round-trips Japanese text, commas, quotes and line breaks through CSV import and export', async () => {
    const yamada = await signIn('u-yamada');
    const id = `srv-csv-${suffix()}`;
    const header = (await yamada.call('GET', '/api/ledgers')).body.items.find((l: { name: string }) => l.name === 'servers').columns.map((c: { label: { ja: string } }) => c.label.ja);
    const configuration = '構成: "CPU 8コア", メモリ 32GB\n第2行、カンマ,あり';
    const row = [id, '検証,サーバ "A"', 'Test, "A"', 'other', 'csv01', 'Linux', 'site-osaka', 'br-west', 'u-yamada', 'active', configuration, '', '', ''];
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    const csv = `\uFEFF${header.map(quote).join(',')}\r\n${row.map(quote).join(',')}\r\n`;
    const imported = await yamada.call('POST', '/api/ledgers/servers/import', { csv });
    expect(imported.body).toMatchObject({ imported: 1, rejected: 0, applied: true });
    const item = (await yamada.call('GET', `/api/ledgers/servers/${id}`)).body.item;
    expect(item).toMatchObject({ name: { ja: '検証,サーバ "A"', en: 'Test, "A"' }, configuration, siteId: 'site-osaka' });

    const exported = new TextDecoder().decode((await csvOf(yamada.token, 'servers')).bytes);
    expect(exported).toContain(row.map(quote).join(','));
    const again = await yamada.call('POST', '/api/ledgers/servers/import', { csv: exported, dryRun: true });
    expect(again.body.rows.find((r: { id: string }) => r.id === id).outcome).toBe('unchanged');
  });

  it('imports nothing from a file with a bad row unless asked for the valid rows, and reports each row', async () => {
    const yamada = await signIn('u-yamada');
    const header = (await yamada.call('GET', '/api/ledgers')).body.items.find((l: { name: string }) => l.name === 'servers').columns.map((c: { label: { ja: string } }) => c.label.ja);
    const good = `srv-good-${suffix()}`;
    const bad = `srv-bad-${suffix()}`;
    const csv = [header.join(','), `${good},良いサーバ,Good,app,g01,Linux,site-tokyo,br-east,u-ito,active,,,,`, `${bad},悪いサーバ,Bad,mainframe,b01,Linux,site-tokyo,br-east,u-ito,active,,,,`].join('\r\n');

    const strict = await yamada.call('POST', '/api/ledgers/servers/import', { csv });
    expect(strict.body).toMatchObject({ applied: false, imported: 0, rejected: 1 });
    expect(strict.body.rows).toEqual([
      expect.objectContaining({ row: 2, id: good, outcome: 'created' }),
      expect.objectContaining({ row: 3, id: bad, outcome: 'rejected', issues: [expect.objectContaining({ path: 'kind' })] }),
    ]);
    expect((await yamada.call('GET', `/api/ledgers/servers/${good}`)).status).toBe(404);

    const lenient = await yamada.call('POST', '/api/ledgers/servers/import', { csv, validRowsOnly: true });
    expect(lenient.body).toMatchObject({ applied: true, imported: 1, rejected: 1 });
    expect((await yamada.call('GET', `/api/ledgers/servers/${good}`)).status).toBe(200);
    expect((await yamada.call('GET', `/api/ledgers/servers/${bad}`)).status).toBe(404);

    const wrongHeader = await yamada.call('POST', '/api/ledgers/servers/import', { csv: 'a,b,c\r\n1,2,3' });
    expect(wrongHeader.status).toBe(400);
    expect((await (await signIn('u-sato')).call('POST', '/api/ledgers/servers/import', { csv })).status).toBe(403);
  });
});
