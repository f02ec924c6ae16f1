-- One run sharded over several workers (issue 11): one sweep, only after every shard succeeded.
--
-- A run of N shards (a Kubernetes Indexed Job, a GitHub Actions matrix) shares one run id, one
-- row in job_sync_runs, one lease and one started_at (every shard stamps last_seen with it).
-- Each shard records its own result in job_sync_run_shards. The run's row stays `running`
-- while shards work or may still be retried; it ends in one of two ways:
--   * every shard has succeeded: the shard that finishes last wins job_sync_claim_sweep (a
--     conditional UPDATE of sweep_claimed_at that only one caller can win), applies the
--     mass-deactivation guard to the whole table, sweeps, and closes the run with
--     job_sync_finish_run (counts summed over the shards);
--   * a shard failed and is not retried (or never started): nobody renews the lease, it
--     expires after --lease-seconds, and the next job_sync_begin marks the run failed, its
--     error naming the shards that failed or never finished. Nothing was deactivated.
-- A failed shard that is retried while the run is open re-joins it (job_sync_begin), upserts its
-- queries again and, when it is the last to succeed, claims and performs the sweep.
--
-- Changes to 20250104000000_job_sync_runs.sql's objects (same signatures, so callers of the
-- single-process flow see no difference; a run of one shard behaves exactly as before):
--   job_sync_runs:       + sweep_claimed_at, sweep_shard (who swept, when)
--   job_sync_run_shards: + attempts (begins of this shard: Kubernetes retries show here),
--                        + details (the shard's own refused jobs and failures)
--   job_sync_begin:      a shard of a refused run is refused too (not "finished"); a shard
--                        cannot join once the sweep is claimed; a shard count that differs from
--                        the run's is an error; an expired sharded run's error names its shards.
--   job_sync_finish:     for a run of several shards, records the shard only; a shard that did
--                        not succeed writes "shard I of N failed: ..." into the run's error and
--                        leaves the run running (for a retry, or for its lease to expire).
-- New functions: job_sync_claim_sweep, job_sync_finish_run, job_sync_shard_problems.
--
-- Idempotent (ADD COLUMN IF NOT EXISTS, CREATE OR REPLACE, repeatable GRANT/REVOKE) and safe on
-- a populated project. Apply after 20250104000000_job_sync_runs.sql: `supabase db push`, or
-- `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f <file>`, or paste it into the SQL editor.

ALTER TABLE public.job_sync_runs
    ADD COLUMN IF NOT EXISTS sweep_claimed_at timestamptz,
    ADD COLUMN IF NOT EXISTS sweep_shard integer;
ALTER TABLE public.job_sync_run_shards
    ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 1,
    ADD COLUMN IF NOT EXISTS details jsonb;

-- What keeps a sharded run from its sweep, one line: "shard 2 of 4 failed: <error>; shard 3 of
-- 4 never started". Shards still running are named only with p_include_running (a lease that
-- expired on them means they stopped without finishing). NULL when nothing is wrong.
CREATE OR REPLACE FUNCTION public.job_sync_shard_problems(
    p_run_id          text,
    p_include_running boolean DEFAULT false)
    RETURNS text
    LANGUAGE sql
    STABLE
    SET search_path = ''
AS $$
    SELECT string_agg(
               'shard ' || n.shard || ' of ' || r.shard_count || ' '
               || CASE
                      WHEN s.shard IS NULL THEN 'never started'
                      WHEN s.status = 'running' THEN 'stopped without finishing'
                      ELSE s.status || coalesce(': ' || s.error, '')
                  END,
               '; ' ORDER BY n.shard)
      FROM public.job_sync_runs r
     CROSS JOIN LATERAL generate_series(0, r.shard_count - 1) AS n(shard)
      LEFT JOIN public.job_sync_run_shards s ON s.run_id = r.run_id AND s.shard = n.shard
     WHERE r.run_id = p_run_id
       AND (s.shard IS NULL AND p_include_running
            OR s.status NOT IN ('running', 'succeeded')
            OR s.status = 'running' AND p_include_running)
$$;

CREATE OR REPLACE FUNCTION public.job_sync_begin(
    p_run_id        text,
    p_lease_seconds integer DEFAULT 900,
    p_holder        text DEFAULT NULL,
    p_shard         integer DEFAULT 0,
    p_shard_count   integer DEFAULT 1,
    p_dry_run       boolean DEFAULT false)
    RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = ''
AS $$
DECLARE
    run        public.job_sync_runs;
    holder_run public.job_sync_runs;
    violated   text;
BEGIN
    IF p_run_id IS NULL OR btrim(p_run_id) = '' THEN
        RAISE EXCEPTION 'job_sync_begin: p_run_id must not be empty' USING ERRCODE = '22023';
    END IF;
    IF p_lease_seconds IS NULL OR p_lease_seconds <= 0 THEN
        RAISE EXCEPTION 'job_sync_begin: p_lease_seconds must be positive, got %', p_lease_seconds
            USING ERRCODE = '22023';
    END IF;
    IF p_shard_count IS NULL OR p_shard_count < 1 OR p_shard IS NULL OR p_shard < 0
       OR p_shard >= p_shard_count THEN
        RAISE EXCEPTION 'job_sync_begin: shard % of % is out of range', p_shard, p_shard_count
            USING ERRCODE = '22023';
    END IF;

    -- A holder that died (SIGKILL, OOM, node lost) never finishes: its lease runs out. For a run
    -- of several shards the error says which shards kept it from its sweep.
    WITH expired AS (
        UPDATE public.job_sync_runs r
           SET status = 'failed', finished_at = now(),
               error = 'lease expired at ' || public.job_sync_format_time(r.lease_expires_at)
                       || CASE
                              WHEN r.shard_count > 1 THEN
                                  ', no sweep: ' || coalesce(
                                      public.job_sync_shard_problems(r.run_id, true),
                                      'every shard succeeded but none swept')
                              ELSE ': the run stopped without finishing (killed, OOM or node '
                                   'lost)'
                          END
         WHERE r.status = 'running' AND r.lease_expires_at < now()
        RETURNING r.run_id, r.error)
    UPDATE public.job_sync_run_shards s
       SET status = 'failed', finished_at = now(), error = expired.error
      FROM expired
     WHERE s.run_id = expired.run_id AND s.status = 'running';

    FOR attempt IN 1..3 LOOP
        SELECT * INTO run FROM public.job_sync_runs WHERE run_id = p_run_id FOR UPDATE;
        IF FOUND THEN
            IF run.status = 'refused' THEN
                -- A shard of a run that was refused: refused too (its sibling already stopped,
                -- so this shard alone could never complete the run).
                SELECT * INTO holder_run FROM public.job_sync_runs
                 WHERE status = 'running' AND NOT dry_run;
                RETURN jsonb_build_object('status', 'refused', 'run_id', run.run_id,
                                          'holder_run_id', holder_run.run_id,
                                          'holder', holder_run.holder,
                                          'holder_started_at', holder_run.started_at,
                                          'lease_expires_at', holder_run.lease_expires_at,
                                          'error', run.error);
            END IF;
            IF run.status <> 'running' OR run.sweep_claimed_at IS NOT NULL THEN
                RETURN jsonb_build_object('status', 'finished', 'run_id', run.run_id,
                                          'run_status', run.status)
                       || CASE WHEN run.sweep_claimed_at IS NOT NULL
                               THEN jsonb_build_object('sweep_claimed', true)
                               ELSE '{}' END;
            END IF;
            IF run.shard_count <> p_shard_count THEN
                RAISE EXCEPTION 'job_sync_begin: run % has % shard(s), this worker says %',
                    p_run_id, run.shard_count, p_shard_count USING ERRCODE = '22023';
            END IF;
            -- Another shard of the same run (or this shard again, retried): share the lease.
            UPDATE public.job_sync_runs
               SET lease_expires_at = greatest(lease_expires_at,
                                               now() + make_interval(secs => p_lease_seconds))
             WHERE id = run.id
            RETURNING * INTO run;
            INSERT INTO public.job_sync_run_shards AS s (run_id, shard, status, started_at, holder)
            VALUES (run.run_id, p_shard, 'running', now(), p_holder)
            ON CONFLICT (run_id, shard) DO UPDATE
               SET status = 'running', started_at = EXCLUDED.started_at, finished_at = NULL,
                   holder = EXCLUDED.holder, error = NULL, details = NULL,
                   attempts = s.attempts + 1;
            IF run.shard_count > 1 THEN
                -- A retried shard is no longer failed: the run's error names the others only.
                UPDATE public.job_sync_runs
                   SET error = public.job_sync_shard_problems(run.run_id, false)
                 WHERE id = run.id;
            END IF;
            RETURN jsonb_build_object('status', 'running', 'run_id', run.run_id,
                                      'started_at', run.started_at,
                                      'lease_expires_at', run.lease_expires_at,
                                      'dry_run', run.dry_run, 'shard', p_shard,
                                      'shard_count', run.shard_count, 'joined', true);
        END IF;

        violated := NULL;
        BEGIN
            INSERT INTO public.job_sync_runs (run_id, status, dry_run, started_at,
                                              lease_expires_at, holder, shard_count)
            VALUES (p_run_id, 'running', p_dry_run, now(),
                    now() + make_interval(secs => p_lease_seconds), p_holder, p_shard_count)
            RETURNING * INTO run;
            INSERT INTO public.job_sync_run_shards (run_id, shard, status, started_at, holder)
            VALUES (p_run_id, p_shard, 'running', now(), p_holder);
            RETURN jsonb_build_object('status', 'running', 'run_id', run.run_id,
                                      'started_at', run.started_at,
                                      'lease_expires_at', run.lease_expires_at,
                                      'dry_run', run.dry_run, 'shard', p_shard,
                                      'shard_count', run.shard_count, 'joined', false);
        EXCEPTION WHEN unique_violation THEN
            GET STACKED DIAGNOSTICS violated = CONSTRAINT_NAME;
        END;

        IF violated = 'job_sync_runs_one_running' THEN
            SELECT * INTO holder_run FROM public.job_sync_runs
             WHERE status = 'running' AND NOT dry_run;
            IF FOUND THEN
                BEGIN
                    INSERT INTO public.job_sync_runs (run_id, status, dry_run, started_at,
                                                      finished_at, holder, shard_count, error)
                    VALUES (p_run_id, 'refused', false, now(), now(), p_holder, p_shard_count,
                            'another run holds the lease: ' || holder_run.run_id
                            || ' (holder ' || coalesce(holder_run.holder, 'unknown') || ') since '
                            || public.job_sync_format_time(holder_run.started_at)
                            || ', lease until '
                            || public.job_sync_format_time(holder_run.lease_expires_at));
                    RETURN jsonb_build_object('status', 'refused', 'run_id', p_run_id,
                                              'holder_run_id', holder_run.run_id,
                                              'holder', holder_run.holder,
                                              'holder_started_at', holder_run.started_at,
                                              'lease_expires_at', holder_run.lease_expires_at);
                EXCEPTION WHEN unique_violation THEN
                    NULL;  -- this run_id appeared meanwhile: the next round reports it
                END;
            END IF;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'job_sync_begin: could not settle the lease for run % (too much contention)',
        p_run_id USING ERRCODE = '40001';
END
$$;

CREATE OR REPLACE FUNCTION public.job_sync_finish(
    p_run_id  text,
    p_status  text,
    p_counts  jsonb DEFAULT '{}',
    p_error   text DEFAULT NULL,
    p_shard   integer DEFAULT 0,
    p_details jsonb DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = ''
AS $$
DECLARE
    run    public.job_sync_runs;
    counts jsonb := coalesce(p_counts, '{}');
BEGIN
    IF p_status IS NULL
       OR p_status NOT IN ('succeeded', 'failed', 'guarded', 'cancelled', 'refused') THEN
        RAISE EXCEPTION 'job_sync_finish: status must be succeeded, failed, guarded, cancelled '
                        'or refused, got %', coalesce(p_status, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(counts) <> 'object' THEN
        RAISE EXCEPTION 'job_sync_finish: p_counts must be a JSON object' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO run FROM public.job_sync_runs WHERE run_id = p_run_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job_sync_finish: no run %', p_run_id USING ERRCODE = '22023';
    END IF;

    INSERT INTO public.job_sync_run_shards AS s
        (run_id, shard, status, finished_at, queries, requests, billed_requests, jobs_fetched,
         jobs_skipped, jobs_refused, rows_upserted, retries, error, details)
    VALUES (p_run_id, coalesce(p_shard, 0), p_status, now(),
            (counts ->> 'queries')::integer, (counts ->> 'requests')::integer,
            (counts ->> 'billed_requests')::integer, (counts ->> 'jobs_fetched')::integer,
            (counts ->> 'jobs_skipped')::integer, (counts ->> 'jobs_refused')::integer,
            (counts ->> 'rows_upserted')::integer, (counts ->> 'retries')::integer, p_error,
            CASE WHEN run.shard_count > 1 THEN p_details END)
    ON CONFLICT (run_id, shard) DO UPDATE
       SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,
           queries = EXCLUDED.queries, requests = EXCLUDED.requests,
           billed_requests = EXCLUDED.billed_requests, jobs_fetched = EXCLUDED.jobs_fetched,
           jobs_skipped = EXCLUDED.jobs_skipped, jobs_refused = EXCLUDED.jobs_refused,
           rows_upserted = EXCLUDED.rows_upserted, retries = EXCLUDED.retries,
           error = EXCLUDED.error, details = EXCLUDED.details;

    IF run.status <> 'running' THEN
        -- Too late: e.g. the lease expired and a later begin marked the run failed.
        RETURN jsonb_build_object('run_id', run.run_id, 'status', run.status, 'late', true);
    END IF;
    IF run.shard_count = 1 THEN
        UPDATE public.job_sync_runs
           SET status = p_status, finished_at = now(), lease_expires_at = NULL,
               queries = (counts ->> 'queries')::integer,
               requests = (counts ->> 'requests')::integer,
               billed_requests = (counts ->> 'billed_requests')::integer,
               jobs_fetched = (counts ->> 'jobs_fetched')::integer,
               jobs_skipped = (counts ->> 'jobs_skipped')::integer,
               jobs_refused = (counts ->> 'jobs_refused')::integer,
               rows_upserted = (counts ->> 'rows_upserted')::integer,
               deactivated = (counts ->> 'deactivated')::integer,
               retries = (counts ->> 'retries')::integer,
               error = p_error, details = p_details
         WHERE id = run.id
        RETURNING * INTO run;
        RETURN jsonb_build_object('run_id', run.run_id, 'status', run.status);
    END IF;
    -- Several shards: the run stays open (a failed shard may be retried; the last shard to
    -- succeed sweeps). Its error says which shards failed, and is cleared once none has.
    UPDATE public.job_sync_runs
       SET error = public.job_sync_shard_problems(run.run_id, false)
     WHERE id = run.id
    RETURNING * INTO run;
    RETURN jsonb_build_object('run_id', run.run_id, 'status', run.status, 'shard', p_shard,
                              'shard_count', run.shard_count);
END
$$;

-- Called by a shard after its own job_sync_finish(..., 'succeeded', ...). Wins (claimed: true)
-- for exactly one caller, once every shard of the run has succeeded; that caller sweeps and then
-- calls job_sync_finish_run. Otherwise says why not: shards still running, failed (with their
-- errors) or never started; the sweep already claimed; or the run no longer running.
CREATE OR REPLACE FUNCTION public.job_sync_claim_sweep(
    p_run_id text,
    p_shard  integer DEFAULT 0)
    RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = ''
AS $$
DECLARE
    run       public.job_sync_runs;
    succeeded integer;
    running   jsonb;
    failed    jsonb;
    missing   jsonb;
BEGIN
    -- The row lock orders concurrent claims: the later one sees every shard row committed
    -- before it (each shard's finish commits before its claim starts).
    SELECT * INTO run FROM public.job_sync_runs WHERE run_id = p_run_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job_sync_claim_sweep: no run %', p_run_id USING ERRCODE = '22023';
    END IF;
    IF run.status <> 'running' THEN
        RETURN jsonb_build_object('claimed', false, 'reason', 'not_running',
                                  'run_id', run.run_id, 'run_status', run.status);
    END IF;
    IF run.sweep_claimed_at IS NOT NULL AND run.sweep_shard IS DISTINCT FROM p_shard THEN
        RETURN jsonb_build_object('claimed', false, 'reason', 'claimed', 'run_id', run.run_id,
                                  'sweep_shard', run.sweep_shard);
    END IF;
    -- Claimed already by this shard: the client's retry of a claim whose answer was lost.
    IF run.sweep_claimed_at IS NULL THEN
        SELECT count(*) FILTER (WHERE s.status = 'succeeded'),
               coalesce(jsonb_agg(n.shard ORDER BY n.shard) FILTER (WHERE s.status = 'running'),
                        '[]'),
               coalesce(jsonb_agg(jsonb_build_object('shard', n.shard, 'status', s.status,
                                                     'error', s.error) ORDER BY n.shard)
                            FILTER (WHERE s.status NOT IN ('running', 'succeeded')), '[]'),
               coalesce(jsonb_agg(n.shard ORDER BY n.shard) FILTER (WHERE s.shard IS NULL), '[]')
          INTO succeeded, running, failed, missing
          FROM generate_series(0, run.shard_count - 1) AS n(shard)
          LEFT JOIN public.job_sync_run_shards s ON s.run_id = run.run_id AND s.shard = n.shard;

        IF succeeded < run.shard_count THEN
            RETURN jsonb_build_object('claimed', false, 'reason', 'shards_pending',
                                      'run_id', run.run_id, 'shard_count', run.shard_count,
                                      'succeeded', succeeded, 'running', running, 'failed', failed,
                                      'missing', missing);
        END IF;

        UPDATE public.job_sync_runs
           SET sweep_claimed_at = now(), sweep_shard = p_shard
         WHERE id = run.id AND sweep_claimed_at IS NULL
        RETURNING * INTO run;
        IF NOT FOUND THEN
            RETURN jsonb_build_object('claimed', false, 'reason', 'claimed', 'run_id', p_run_id);
        END IF;
    END IF;
    RETURN (
        SELECT jsonb_build_object('claimed', true, 'run_id', run.run_id,
                                  'started_at', run.started_at, 'shard_count', run.shard_count,
                                  'jobs_fetched', coalesce(sum(s.jobs_fetched), 0),
                                  'rows_upserted', coalesce(sum(s.rows_upserted), 0),
                                  'billed_requests', coalesce(sum(s.billed_requests), 0))
          FROM public.job_sync_run_shards s
         WHERE s.run_id = run.run_id);
END
$$;

-- Closes a run of several shards after the sweep (or after deciding not to sweep): the status,
-- the sweep's figures and error, and every count summed over the shards. Only the caller that
-- won job_sync_claim_sweep calls it.
CREATE OR REPLACE FUNCTION public.job_sync_finish_run(
    p_run_id      text,
    p_status      text,
    p_deactivated integer DEFAULT 0,
    p_error       text DEFAULT NULL,
    p_details     jsonb DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = ''
AS $$
DECLARE
    run public.job_sync_runs;
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('succeeded', 'failed', 'guarded', 'cancelled') THEN
        RAISE EXCEPTION 'job_sync_finish_run: status must be succeeded, failed, guarded or '
                        'cancelled, got %', coalesce(p_status, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    SELECT * INTO run FROM public.job_sync_runs WHERE run_id = p_run_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job_sync_finish_run: no run %', p_run_id USING ERRCODE = '22023';
    END IF;
    IF run.status <> 'running' THEN
        RETURN jsonb_build_object('run_id', run.run_id, 'status', run.status, 'late', true);
    END IF;
    IF run.sweep_claimed_at IS NULL THEN
        RAISE EXCEPTION 'job_sync_finish_run: run % has not claimed its sweep', p_run_id
            USING ERRCODE = '22023';
    END IF;
    UPDATE public.job_sync_runs r
       SET status = p_status, finished_at = now(), lease_expires_at = NULL,
           queries = t.queries, requests = t.requests, billed_requests = t.billed_requests,
           jobs_fetched = t.jobs_fetched, jobs_skipped = t.jobs_skipped,
           jobs_refused = t.jobs_refused, rows_upserted = t.rows_upserted,
           retries = t.retries, deactivated = p_deactivated, error = p_error,
           details = coalesce(p_details, '{}') || jsonb_build_object('shards', t.shards)
      FROM (SELECT sum(queries) AS queries, sum(requests) AS requests,
                   sum(billed_requests) AS billed_requests, sum(jobs_fetched) AS jobs_fetched,
                   sum(jobs_skipped) AS jobs_skipped, sum(jobs_refused) AS jobs_refused,
                   sum(rows_upserted) AS rows_upserted, sum(retries) AS retries,
                   jsonb_agg(jsonb_build_object('shard', shard, 'attempts', attempts,
                                                'holder', holder, 'queries', queries,
                                                'billed_requests', billed_requests,
                                                'details', details) ORDER BY shard) AS shards
              FROM public.job_sync_run_shards WHERE run_id = p_run_id) t
     WHERE r.id = run.id
    RETURNING r.* INTO run;
    RETURN jsonb_build_object('run_id', run.run_id, 'status', run.status);
END
$$;

-- Privileges, as for the other run functions ------------------------------------------------

REVOKE ALL ON FUNCTION public.job_sync_claim_sweep(text, integer),
    public.job_sync_finish_run(text, text, integer, text, jsonb),
    public.job_sync_shard_problems(text, boolean)
    FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON FUNCTION public.job_sync_claim_sweep(text, integer),
            public.job_sync_finish_run(text, text, integer, text, jsonb),
            public.job_sync_shard_problems(text, boolean)
            FROM anon, authenticated;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
        GRANT EXECUTE ON FUNCTION public.job_sync_claim_sweep(text, integer),
            public.job_sync_finish_run(text, text, integer, text, jsonb),
            public.job_sync_shard_problems(text, boolean)
            TO service_role;
    END IF;
END
$$;

NOTIFY pgrst, 'reload schema';
