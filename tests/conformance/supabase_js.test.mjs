// The official supabase-js client against the rest-gateway stand-in. Every expectation is what
// hosted Supabase (gateway + PostgREST 12-14) returns, from shared/postgrest-notes.md; the
// section is cited beside each one. A client that passes here should pass against Supabase.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createClient } from '@supabase/supabase-js';

import { startGateway } from './gateway.mjs';

// Node 20 has no global WebSocket, and supabase-js builds its realtime client in createClient();
// these tests never use realtime, so it gets a transport that refuses to be used.
class NoWebSocket {
  constructor() {
    throw new Error('realtime is not used by the conformance tests');
  }
}
const OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: NoWebSocket },
};
const EMPLOYER = 'Conformance Co';

let gateway;
let service;  // legacy service_role JWT: BYPASSRLS
let anon;     // legacy anon JWT

// Each test works on its own job_ids, so tests never see each other's rows.
function row(jobId, extra = {}) {
  return {
    job_id: jobId,
    job_title: `Title ${jobId}`,
    employer_name: EMPLOYER,
    is_active: true,
    last_seen: '2025-06-01T00:00:00Z',
    ...extra,
  };
}

function ids(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
}

async function rowsById(jobIds, columns = 'job_id,job_title,click_count,is_active') {
  const { data, error } = await service.from('jobs').select(columns).in('job_id', jobIds)
    .order('job_id');
  assert.equal(error, null);
  return Object.fromEntries(data.map((r) => [r.job_id, r]));
}

before(async () => {
  gateway = await startGateway();
  service = createClient(gateway.info.url, gateway.info.service_role_key, OPTIONS);
  anon = createClient(gateway.info.url, gateway.info.anon_key, OPTIONS);
});

after(async () => {
  await gateway?.stop();
});

describe('upsert with onConflict job_id', () => {
  it('inserts new rows: 201, an exact count, no body with return=minimal', async () => {
    const jobIds = ids('upsert-new', 3);
    const result = await service.from('jobs')
      .upsert(jobIds.map((id) => row(id)), { onConflict: 'job_id', count: 'exact' });
    assert.equal(result.error, null);
    assert.equal(result.status, 201);  // §1.3: merge-duplicates with >= 1 row inserted
    assert.equal(result.count, 3);     // §1.4: Content-Range */3
    assert.equal(result.data, null);
    assert.deepEqual(Object.keys(await rowsById(jobIds)), jobIds);
  });

  it('updates existing rows: 200, payload columns changed, click_count untouched', async () => {
    const jobIds = ids('upsert-again', 2);
    let result = await service.from('jobs').upsert(jobIds.map((id) => row(id)),
                                                   { onConflict: 'job_id' });
    assert.equal(result.status, 201);
    result = await service.from('jobs').update({ click_count: 7 }).eq('job_id', jobIds[0]);
    assert.equal(result.error, null);

    result = await service.from('jobs').upsert(
      jobIds.map((id) => row(id, { job_title: `Renamed ${id}` })), { onConflict: 'job_id' });
    assert.equal(result.error, null);
    assert.equal(result.status, 200);  // §1.3: merge-duplicates, 0 rows inserted
    const rows = await rowsById(jobIds);
    assert.equal(rows[jobIds[0]].job_title, `Renamed ${jobIds[0]}`);
    assert.equal(rows[jobIds[1]].job_title, `Renamed ${jobIds[1]}`);
    assert.equal(rows[jobIds[0]].click_count, 7);  // §1.2: only payload columns are updated
    assert.equal(rows[jobIds[1]].click_count, 0);
  });

  it('is 201 when at least one row of the batch is new', async () => {
    const [old, fresh] = ids('upsert-mixed', 2);
    await service.from('jobs').upsert([row(old)], { onConflict: 'job_id' });
    const result = await service.from('jobs')
      .upsert([row(old), row(fresh)], { onConflict: 'job_id', count: 'exact' });
    assert.equal(result.error, null);
    assert.equal(result.status, 201);
    assert.equal(result.count, 2);
  });

  it('returns the rows with select(): return=representation', async () => {
    const jobIds = ids('upsert-select', 2);
    const result = await service.from('jobs')
      .upsert(jobIds.map((id) => row(id)), { onConflict: 'job_id' })
      .select('job_id,click_count');
    assert.equal(result.error, null);
    assert.equal(result.status, 201);
    assert.deepEqual(result.data.map((r) => r.job_id).sort(), jobIds);
    assert.deepEqual(result.data.map((r) => r.click_count), [0, 0]);
  });

  it('with ignoreDuplicates skips existing rows and is still 201', async () => {
    const [jobId] = ids('upsert-ignore', 1);
    await service.from('jobs').upsert([row(jobId)], { onConflict: 'job_id' });
    const result = await service.from('jobs').upsert(
      [row(jobId, { job_title: 'Ignored' })], { onConflict: 'job_id', ignoreDuplicates: true });
    assert.equal(result.error, null);
    assert.equal(result.status, 201);  // §1.3: ignore-duplicates is 201 always
    assert.equal((await rowsById([jobId]))[jobId].job_title, `Title ${jobId}`);
  });

  it('fails with 500 and code 21000 when one batch holds a job_id twice', async () => {
    const [jobId] = ids('upsert-twice', 1);
    const result = await service.from('jobs')
      .upsert([row(jobId), row(jobId, { job_title: 'Second' })], { onConflict: 'job_id' });
    assert.equal(result.status, 500);  // §1.6: 21000 is 500 on PostgREST >= 12.0.3
    assert.equal(result.error?.code, '21000');
    assert.equal((await rowsById([jobId]))[jobId], undefined);  // atomic: nothing written
  });

  it('rejects an unknown column with 400 PGRST204', async () => {
    const result = await service.from('jobs')
      .upsert([row('upsert-unknown-1', { helicopter: 1 })], { onConflict: 'job_id' });
    assert.equal(result.status, 400);  // §1.5
    assert.equal(result.error?.code, 'PGRST204');
  });
});

describe('plain insert', () => {
  it('of an existing job_id fails with 409 and code 23505', async () => {
    const [jobId] = ids('insert-duplicate', 1);
    let result = await service.from('jobs').insert(row(jobId));
    assert.equal(result.error, null);
    assert.equal(result.status, 201);
    result = await service.from('jobs').insert(row(jobId));
    assert.equal(result.status, 409);  // §1.6
    assert.equal(result.error?.code, '23505');
    assert.match(result.error.message, /duplicate key value violates unique constraint/);
  });
});

describe('update with filters', () => {
  it('eq and lt select the rows; 204 with count exact gives how many changed', async () => {
    const jobIds = ids('update-filters', 3);
    const employer = 'Update Filters Co';
    await service.from('jobs').upsert([
      row(jobIds[0], { employer_name: employer, last_seen: '2025-06-01T00:00:00Z' }),
      row(jobIds[1], { employer_name: employer, last_seen: '2025-06-02T00:00:00Z' }),
      row(jobIds[2], { employer_name: employer, last_seen: '2025-07-01T00:00:00Z' }),
    ], { onConflict: 'job_id' });

    // The '+' of the offset must reach PostgreSQL as '+', not as a space (§3).
    const result = await service.from('jobs').update({ is_active: false }, { count: 'exact' })
      .eq('employer_name', employer).lt('last_seen', '2025-06-15T00:00:00+00:00');
    assert.equal(result.error, null);
    assert.equal(result.status, 204);  // §2: return=minimal
    assert.equal(result.count, 2);     // §2: Content-Range 0-1/2
    assert.equal(result.data, null);
    const rows = await rowsById(jobIds);
    assert.deepEqual(jobIds.map((id) => rows[id].is_active), [false, false, true]);
  });

  it('that matches nothing is 204 with count 0, not an error', async () => {
    const result = await service.from('jobs').update({ is_active: false }, { count: 'exact' })
      .eq('job_id', 'update-no-such-job');
    assert.equal(result.error, null);
    assert.equal(result.status, 204);
    assert.equal(result.count, 0);  // §2: Content-Range */0
  });

  it('returns the changed rows with select(): 200', async () => {
    const [jobId] = ids('update-select', 1);
    await service.from('jobs').upsert([row(jobId)], { onConflict: 'job_id' });
    const result = await service.from('jobs').update({ job_title: 'Changed' })
      .eq('job_id', jobId).select('job_id,job_title');
    assert.equal(result.error, null);
    assert.equal(result.status, 200);
    assert.deepEqual(result.data, [{ job_id: jobId, job_title: 'Changed' }]);
  });

  it('without any filter is refused like Supabase does: 400 code 21000', async () => {
    const result = await service.from('jobs').update({ lane: 'everyone' });
    assert.equal(result.status, 400);  // §2: pg-safeupdate
    assert.equal(result.error?.code, '21000');
    assert.equal(result.error?.message, 'UPDATE requires a WHERE clause');
  });
});

describe('select with count exact', () => {
  const employer = 'Select Count Co';
  const jobIds = ids('select-count', 5);

  before(async () => {
    const { error } = await service.from('jobs').upsert(
      jobIds.map((id) => row(id, { employer_name: employer })), { onConflict: 'job_id' });
    assert.equal(error, null);
  });

  it('with head gives the count and no rows: 200', async () => {
    const result = await service.from('jobs').select('*', { count: 'exact', head: true })
      .eq('employer_name', employer);
    assert.equal(result.error, null);
    assert.equal(result.status, 200);
    assert.equal(result.count, 5);
    assert.equal(result.data, null);
  });

  it('with range gives the slice and the total: 206 Partial Content', async () => {
    const result = await service.from('jobs').select('job_id', { count: 'exact' })
      .eq('employer_name', employer).order('job_id').range(1, 2);
    assert.equal(result.error, null);
    // PostgREST docs, "Exact Count": a partial range with a known total is 206.
    assert.equal(result.status, 206);
    assert.equal(result.count, 5);
    assert.deepEqual(result.data, [{ job_id: jobIds[1] }, { job_id: jobIds[2] }]);
  });
});

describe('row-level security and keys', () => {
  const employer = 'Security Co';
  const [active, inactive] = ids('rls', 2);

  before(async () => {
    const { error } = await service.from('jobs').upsert([
      row(active, { employer_name: employer }),
      row(inactive, { employer_name: employer, is_active: false }),
    ], { onConflict: 'job_id' });
    assert.equal(error, null);
  });

  it('the anon key reads only active jobs', async () => {
    const result = await anon.from('jobs').select('job_id').eq('employer_name', employer);
    assert.equal(result.error, null);
    assert.deepEqual(result.data, [{ job_id: active }]);
  });

  it('the anon key cannot insert: 401 with code 42501', async () => {
    const result = await anon.from('jobs').insert(row('rls-anon-insert'));
    assert.equal(result.status, 401);  // §4.2: 42501 without an authenticated role is 401
    assert.equal(result.error?.code, '42501');
    assert.equal((await rowsById(['rls-anon-insert']))['rls-anon-insert'], undefined);
  });

  it('the anon key cannot upsert or update either', async () => {
    const upsert = await anon.from('jobs')
      .upsert([row(active, { job_title: 'Defaced' })], { onConflict: 'job_id' });
    assert.equal(upsert.error?.code, '42501');
    const update = await anon.from('jobs').update({ click_count: 999 }).eq('job_id', active);
    assert.equal(update.error?.code, '42501');
    const rows = await rowsById([active]);
    assert.equal(rows[active].job_title, `Title ${active}`);
    assert.equal(rows[active].click_count, 0);
  });

  it('the publishable key acts as anon', async () => {
    const publishable = createClient(gateway.info.url, gateway.info.publishable_key, OPTIONS);
    const read = await publishable.from('jobs').select('job_id').eq('employer_name', employer);
    assert.deepEqual(read.data, [{ job_id: active }]);
    const write = await publishable.from('jobs').insert(row('rls-publishable-insert'));
    assert.equal(write.error?.code, '42501');
  });

  it('the sb_secret_ key works with no Authorization header at all', async () => {
    const sent = [];
    // supabase-js adds `Authorization: Bearer <key>`; strip it, as the notes advise (§5.2).
    const apikeyOnly = (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.delete('Authorization');
      sent.push(headers);
      return fetch(input, { ...init, headers });
    };
    const secret = createClient(gateway.info.url, gateway.info.secret_key,
                                { ...OPTIONS, global: { fetch: apikeyOnly } });
    const [jobId] = ids('secret-key', 1);
    const write = await secret.from('jobs').upsert([row(jobId, { is_active: false })],
                                                   { onConflict: 'job_id' });
    assert.equal(write.error, null);
    assert.equal(write.status, 201);
    const read = await secret.from('jobs').select('job_id,is_active').eq('job_id', jobId);
    assert.deepEqual(read.data, [{ job_id: jobId, is_active: false }]);  // BYPASSRLS
    assert.ok(sent.length >= 2);
    assert.ok(sent.every((h) => !h.has('authorization') && h.has('apikey')));
  });

  it('a request without an apikey gets the gateway 401', async () => {
    const response = await fetch(`${gateway.info.url}/rest/v1/jobs?select=job_id`);
    assert.equal(response.status, 401);  // §5.2
    const body = await response.json();
    assert.equal(body.message, 'No API key found in request');
  });

  it('an unknown apikey gets the gateway 401', async () => {
    const response = await fetch(`${gateway.info.url}/rest/v1/jobs?select=job_id`,
                                 { headers: { apikey: 'not-a-key' } });
    assert.equal(response.status, 401);
    const body = await response.json();
    assert.equal(body.message, 'Invalid API key');
  });
});

describe('or() filters, as the sweep sends them', () => {
  const employer = 'Or Filter Co';
  const jobIds = ids('or-filter', 3);

  before(async () => {
    const { error } = await service.from('jobs').upsert([
      row(jobIds[0], { employer_name: employer, last_seen: null }),
      row(jobIds[1], { employer_name: employer, last_seen: '2025-06-01T00:00:00Z' }),
      row(jobIds[2], { employer_name: employer, last_seen: '2025-07-01T00:00:00Z' }),
    ], { onConflict: 'job_id' });
    assert.equal(error, null);
  });

  it('reaches never-stamped and stale rows; a quoted timestamp keeps its colons', async () => {
    const result = await service.from('jobs').update({ is_active: false }, { count: 'exact' })
      .eq('employer_name', employer).eq('is_active', true)
      .or('last_seen.is.null,last_seen.lt."2025-06-15T00:00:00.000Z"');
    assert.equal(result.error, null);
    assert.equal(result.status, 204);  // §2
    assert.equal(result.count, 2);
    const rows = await rowsById(jobIds);
    assert.deepEqual(jobIds.map((id) => rows[id].is_active), [false, false, true]);
  });

  it('a malformed tree is 400 PGRST100', async () => {
    const result = await service.from('jobs').select('job_id').or('last_seen.is.null,');
    assert.equal(result.status, 400);
    assert.equal(result.error?.code, 'PGRST100');
  });
});

describe('rpc()', () => {
  it('takes the lease, refuses a second run and finishes: jsonb comes back as an object', async () => {
    const begun = await service.rpc('job_sync_begin', { p_run_id: 'conf-1', p_holder: 'node:1' });
    assert.equal(begun.error, null);
    assert.equal(begun.status, 200);
    assert.equal(begun.data.status, 'running');
    assert.equal(begun.data.joined, false);

    const refused = await service.rpc('job_sync_begin', { p_run_id: 'conf-2' });
    assert.equal(refused.data.status, 'refused');
    assert.equal(refused.data.holder_run_id, 'conf-1');
    assert.equal(refused.data.holder, 'node:1');

    const finished = await service.rpc('job_sync_finish', {
      p_run_id: 'conf-1', p_status: 'succeeded', p_counts: { queries: 1, rows_upserted: 3 },
    });
    assert.equal(finished.error, null);
    assert.deepEqual(finished.data, { run_id: 'conf-1', status: 'succeeded' });

    const history = await service.from('job_sync_runs').select('run_id,status,rows_upserted')
      .in('run_id', ['conf-1', 'conf-2']).order('id');
    assert.deepEqual(history.data, [
      { run_id: 'conf-1', status: 'succeeded', rows_upserted: 3 },
      { run_id: 'conf-2', status: 'refused', rows_upserted: null },
    ]);
  });

  it('the anon key may not call the lease functions nor read the history: 401 42501', async () => {
    const called = await anon.rpc('job_sync_begin', { p_run_id: 'conf-anon' });
    assert.equal(called.status, 401);
    assert.equal(called.error?.code, '42501');
    const read = await anon.from('job_sync_runs').select('run_id');
    assert.equal(read.error?.code, '42501');
  });

  it('an unknown function or argument is 404 PGRST202', async () => {
    const unknown = await service.rpc('job_sync_nope', { p_run_id: 'x' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.error?.code, 'PGRST202');
    const argument = await service.rpc('job_sync_heartbeat', { p_run: 'x' });
    assert.equal(argument.error?.message,
                 'Could not find the function public.job_sync_heartbeat(p_run) in the schema cache');
  });
});
