import { describe, expect, it, vi } from 'vitest';
import type { ReadAhead } from '../../../functions/domain/read-ahead';
import { recordingReader, servedFrom } from '../../../functions/domain/read-ahead';
import { readAheadForSubmission, submitRequest } from '../../../functions/domain/requests';
import { inMemoryDeps, person, validServerConnection } from './in-memory-deps';

const f1 = (data: Record<string, unknown> = validServerConnection()) => ({ formId: 'server-connection-request', data });

describe('reading a submission ahead', () => {
  it('reads the server that the form checks before the caller is known', async () => {
    const t = inMemoryDeps();
    const get = vi.spyOn(t.ledgers, 'get');
    const ahead = await readAheadForSubmission(t.deps, f1());
    expect(get).toHaveBeenCalledWith('servers', 'srv-core-db');
    expect([...ahead.keys()]).toContain('servers#srv-core-db');
  });

  it('lets the submission use that read instead of reading the server again', async () => {
    const t = inMemoryDeps();
    const ahead = await readAheadForSubmission(t.deps, f1());
    const get = vi.spyOn(t.ledgers, 'get');
    const view = await submitRequest(t.deps, person('u-tanaka'), f1(), ahead);
    expect(view.status).toBe('in_review');
    expect(get.mock.calls.filter(([ledger, id]) => ledger === 'servers' && id === 'srv-core-db')).toHaveLength(0);
  });

  it('still refuses a server that is not in the ledger, with the field error', async () => {
    const t = inMemoryDeps();
    const input = f1({ ...validServerConnection(), serverId: 'srv-nowhere' });
    const ahead = await readAheadForSubmission(t.deps, input);
    await expect(submitRequest(t.deps, person('u-tanaka'), input, ahead)).rejects.toMatchObject({ status: 400, issues: [expect.objectContaining({ path: 'data.serverId' })] });
    expect(t.store.requests.size).toBe(0);
  });

  it('reads nothing for a form that does not exist or data that does not parse', async () => {
    const t = inMemoryDeps();
    const get = vi.spyOn(t.ledgers, 'get');
    expect((await readAheadForSubmission(t.deps, { formId: 'no-such-form', data: {} })).size).toBe(0);
    expect((await readAheadForSubmission(t.deps, f1({ serverId: 42 }))).size).toBe(0);
    expect(get).not.toHaveBeenCalled();
  });
});

describe('an item read ahead', () => {
  it('answers the first read of it only: the next one reads the ledger as it is then', async () => {
    const t = inMemoryDeps();
    const ahead: ReadAhead = new Map();
    await recordingReader(t.ledgers, ahead).get('servers', 'srv-core-db');
    const get = vi.spyOn(t.ledgers, 'get');
    const reader = servedFrom(t.ledgers, ahead);
    expect(await reader.get('servers', 'srv-core-db')).toMatchObject({ id: 'srv-core-db' });
    expect(get).not.toHaveBeenCalled();
    await reader.get('servers', 'srv-core-db');
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('is read again when the read ahead failed, so that the error comes where it would have', async () => {
    const t = inMemoryDeps();
    const ahead: ReadAhead = new Map([['servers#srv-core-db', Promise.reject(new Error('timed out'))]]);
    const reader = servedFrom(t.ledgers, ahead);
    expect(await reader.get('servers', 'srv-core-db')).toMatchObject({ id: 'srv-core-db' });
  });
});
