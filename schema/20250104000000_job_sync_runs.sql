-- Run history, the one-run-at-a-time lease, a monotonic last_seen, and runs sharded over
-- several workers, for job-sync.
--
-- 1. jobs_keep_last_seen_monotonic: an UPDATE (the upsert's ON CONFLICT DO UPDATE included)
--    never moves last_seen backwards, so a run that started earlier cannot re-stamp a job
--    with its older start time after a later run stamped it; the later run's sweep
--    (last_seen < its start) then never deactivates a job it has just seen.
-- 2. public.job_sync_runs (one row per run, written through PostgREST with the service key)
--    and public.job_sync_run_shards (one row per worker of a run; a single process is shard 0
--    of 1). A unique partial index allows at most one live lease: one running, non-dry row.
-- 3. RPC functions job_sync_begin / job_sync_heartbeat / job_sync_finish (POST
--    /rest/v1/rpc/<name>): they take, extend and release the lease on the database's clock.
--    A lease whose holder died expires after p_lease_seconds (default 900 s); the next
--    job_sync_begin marks that run failed and takes the lease.
-- 4. One run sharded over several workers (a Kubernetes Indexed Job, a GitHub Actions matrix):
--    its shards share one run id, one row in job_sync_runs, one lease and one started_at (every
--    shard stamps last_seen with it); each shard records its own result in
--    job_sync_run_shards. The run's row stays `running` while shards work or may still be
--    retried; it ends in one of two ways:
--      * every shard has succeeded: the shard that finishes last wins job_sync_claim_sweep (a
--        conditional UPDATE of sweep_claimed_at that only one caller can win), applies the
--        mass-deactivation guard to the whole table, sweeps, and closes the run with
--        job_sync_finish_run (counts summed over the shards);
--      * a shard failed and is not retried (or never started): nobody renews the lease, it
--        expires after --lease-seconds, and the next job_sync_begin marks the run failed, its
--        error naming the shards that failed or never finished. Nothing was deactivated.
--    A failed shard that is retried while the run is open re-joins it (job_sync_begin), upserts
--    its queries again and, when it is the last to succeed, claims and performs the sweep. A
--    run of one shard (the single-process flow) is finished by job_sync_finish alone.
--
-- No backfill of last_seen: rows that predate the caching migration keep NULL, and the
-- sweep's filter or=(last_seen.is.null,last_seen.lt.<run start>) reaches them.
--
-- Not readable by the public API roles: RLS on, no policy for anon/authenticated, and every
-- privilege revoked from them and from PUBLIC; service_role (BYPASSRLS) gets what the sync
-- needs. The grants are guarded by role existence, as in the RLS migration.
--
-- Safe on a populated project: it only adds objects (the trigger changes no existing row).
-- Idempotent: CREATE TABLE / INDEX IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, CREATE OR REPLACE
-- for functions and the trigger, GRANT/REVOKE and ENABLE ROW LEVEL SECURITY repeat as no-ops;
-- re-running it changes nothing.
--
-- History: this file once came in two parts, this one (run history and lease) and
-- 20250105000000_job_sync_shards.sql (sharding), which added the sharding columns and replaced
-- job_sync_begin and job_sync_finish. They were folded into this one file before any release.
-- A database that applied either the earlier version of this file or both parts converges by
-- applying this file: the sharding columns are added with ADD COLUMN IF NOT EXISTS (not in
-- CREATE TABLE, which an existing table skips) and every function is CREATE OR REPLACEd with
-- the same signature. The row of 20250105000000 in supabase_migrations.schema_migrations, if
-- any, can stay; `supabase db push` then only warns that the file is missing locally (or
-- remove it: `supabase migration repair --status reverted 20250105000000`).
--
-- Apply: `supabase db push`, or `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f <file>` after the
-- earlier files, or paste it into the Supabase SQL editor.
--
-- Clearing a stuck lease by hand (the holder is gone and you do not want to wait for it to
-- expire):
--   UPDATE public.job_sync_runs SET status = 'failed', finished_at = now(),
--          lease_expires_at = NULL, error = 'lease cleared by an admin'
--    WHERE status = 'running' AND NOT dry_run;

-- 1. Monotonic last_seen ------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.jobs_keep_last_seen_monotonic()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ''
AS $$
BEGIN
    IF OLD.last_seen IS NOT NULL
       AND (NEW.last_seen IS NULL OR NEW.last_seen < OLD.last_seen) THEN
        NEW.last_seen := OLD.last_seen;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER jobs_keep_last_seen_monotonic
    BEFORE UPDATE ON public.jobs
    FOR EACH ROW EXECUTE FUNCTION public.jobs_keep_last_seen_monotonic();

-- 2. Run history -------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.job_sync_runs (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    -- Chosen by the client (random, or derived from the schedule); every shard carries it.
    run_id           text NOT NULL UNIQUE,
    status           text NOT NULL CHECK (status IN
                         ('running', 'succeeded', 'failed', 'guarded', 'cancelled', 'refused')),
    dry_run          boolean NOT NULL DEFAULT false,
    -- The database's clock: every row the run stamps gets last_seen = started_at.
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    lease_expires_at timestamptz,
    holder           text,  -- "host:pid" of the process that holds (or held) the lease
    shard_count      integer NOT NULL DEFAULT 1,
    queries          integer,
    requests         integer,
    billed_requests  integer,
    jobs_fetched     integer,
    jobs_skipped     integer,
    jobs_refused     integer,
    rows_upserted    integer,
    deactivated      integer,
    retries          integer,
    error            text,  -- never secrets
    details          jsonb  -- e.g. {"refused_jobs": [{"job_id", "code", "message"}]}
);

-- At most one live lease. A second INSERT of a running row waits for the first to commit and
-- then fails, so two simultaneous job_sync_begin calls are decided here, not by timing.
CREATE UNIQUE INDEX IF NOT EXISTS job_sync_runs_one_running
    ON public.job_sync_runs ((true)) WHERE status = 'running' AND NOT dry_run;
-- "When did the last good sync run?": newest first.
CREATE INDEX IF NOT EXISTS job_sync_runs_started_at_idx
    ON public.job_sync_runs (started_at DESC);

CREATE TABLE IF NOT EXISTS public.job_sync_run_shards (
    run_id          text NOT NULL REFERENCES public.job_sync_runs (run_id) ON DELETE CASCADE,
    shard           integer NOT NULL,
    status          text NOT NULL CHECK (status IN
                        ('running', 'succeeded', 'failed', 'guarded', 'cancelled', 'refused')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    holder          text,
    queries         integer,
    requests        integer,
    billed_requests integer,
    jobs_fetched    integer,
    jobs_skipped    integer,
    jobs_refused    integer,
    rows_upserted   integer,
    retries         integer,
    error           text,
    PRIMARY KEY (run_id, shard)
);

-- Added by the sharding part (see History above); ADD COLUMN, so that a table created by an
-- earlier version of this file gets them too.
ALTER TABLE public.job_sync_runs
    ADD COLUMN IF NOT EXISTS sweep_claimed_at timestamptz,  -- when the sweep was claimed
    ADD COLUMN IF NOT EXISTS sweep_shard integer;           -- by which shard
ALTER TABLE public.job_sync_run_shards
    -- begins of this shard: Kubernetes retries show here
    ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 1,
    -- the shard's own refused jobs and failures
    ADD COLUMN IF NOT EXISTS details jsonb;

ALTER TABLE public.job_sync_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.job_sync_run_shards ENABLE ROW LEVEL SECURITY;

-- 3. Lease and history functions -----------------------------------------------------------

-- "2025-01-04T10:00:00Z" for messages, whatever the session's time zone.
CREATE OR REPLACE FUNCTION public.job_sync_format_time(p_time timestamptz)
    RETURNS text
    LANGUAGE sql
    STABLE
    SET search_path = ''
AS $$
    SELECT to_char(p_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

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

    -- A few rounds: a concurrent begin may insert this run_id, or the holder may finish, between
    -- our look and our insert; each round starts from what is committed now.
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
        -- Otherwise the run_id was inserted concurrently (join it) or the holder finished.
    END LOOP;
    RAISE EXCEPTION 'job_sync_begin: could not settle the lease for run % (too much contention)',
        p_run_id USING ERRCODE = '40001';
END
$$;

CREATE OR REPLACE FUNCTION public.job_sync_heartbeat(
    p_run_id        text,
    p_lease_seconds integer DEFAULT 900)
    RETURNS jsonb
    LANGUAGE plpgsql
    SECURITY INVOKER
    SET search_path = ''
AS $$
DECLARE
    run public.job_sync_runs;
BEGIN
    IF p_lease_seconds IS NULL OR p_lease_seconds <= 0 THEN
        RAISE EXCEPTION 'job_sync_heartbeat: p_lease_seconds must be positive, got %',
            p_lease_seconds USING ERRCODE = '22023';
    END IF;
    UPDATE public.job_sync_runs
       SET lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds)
     WHERE run_id = p_run_id AND status = 'running'
    RETURNING * INTO run;
    IF FOUND THEN
        RETURN jsonb_build_object('held', true, 'lease_expires_at', run.lease_expires_at);
    END IF;
    SELECT * INTO run FROM public.job_sync_runs WHERE run_id = p_run_id;
    RETURN jsonb_build_object('held', false, 'status', run.status);
END
$$;

-- 4. Finishing: a shard's result, a run's one sweep (several shards) and its close ---------

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

-- 5. Privileges --------------------------------------------------------------------------

REVOKE ALL ON public.job_sync_runs, public.job_sync_run_shards FROM PUBLIC;

DO $$
DECLARE
    id_sequence text := pg_get_serial_sequence('public.job_sync_runs', 'id');
    -- Every function of this file, by signature: one list for the REVOKEs and the GRANT.
    functions   text := 'public.job_sync_begin(text, integer, text, integer, integer, boolean), '
                        || 'public.job_sync_heartbeat(text, integer), '
                        || 'public.job_sync_finish(text, text, jsonb, text, integer, jsonb), '
                        || 'public.job_sync_claim_sweep(text, integer), '
                        || 'public.job_sync_finish_run(text, text, integer, text, jsonb), '
                        || 'public.job_sync_shard_problems(text, boolean), '
                        || 'public.job_sync_format_time(timestamptz)';
BEGIN
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', functions);

    -- Supabase's default privileges grant ALL on new tables, sequences and functions to the API
    -- roles; take everything back from the public ones.
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON public.job_sync_runs, public.job_sync_run_shards
            FROM anon, authenticated;
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM anon, authenticated', id_sequence);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM anon, authenticated', functions);
    END IF;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
        -- History is kept: the sync reads, adds and updates rows, never deletes them.
        REVOKE ALL ON public.job_sync_runs, public.job_sync_run_shards FROM service_role;
        GRANT SELECT, INSERT, UPDATE ON public.job_sync_runs, public.job_sync_run_shards
            TO service_role;
        EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO service_role', id_sequence);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', functions);
    END IF;
END
$$;

-- PostgREST caches the schema: make it see the new functions and tables now (hosted Supabase
-- also reloads on DDL by itself; with no PostgREST listening this does nothing).
NOTIFY pgrst, 'reload schema';
