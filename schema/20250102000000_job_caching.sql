-- Job caching: every column job-sync writes (jobs::kSyncColumns in
-- service/jobs/job_row.hpp), the upsert key, an updated_at trigger, and the indexes the board
-- and the sweep query.
--
-- Safe on a table that already holds rows: columns are only added (never altered or
-- dropped); existing rows get is_active = true and NULL in the JSearch columns, and keep every
-- engagement value. The unique key on job_id is created only when no usable one exists; that
-- step fails loudly if the table holds duplicate job_ids (the sync cannot upsert into it then).
--
-- Idempotent: ADD COLUMN / CREATE INDEX IF NOT EXISTS, CREATE OR REPLACE for the trigger, and a
-- guarded DO block for the unique key; re-running it is a no-op.
--
-- Apply: `supabase db push`, or `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f <file>` after the
-- earlier files, or paste it into the Supabase SQL editor.

ALTER TABLE public.jobs
    ADD COLUMN IF NOT EXISTS job_id                     text,
    ADD COLUMN IF NOT EXISTS job_title                  text,
    ADD COLUMN IF NOT EXISTS employer_name              text,
    ADD COLUMN IF NOT EXISTS employer_logo              text,
    ADD COLUMN IF NOT EXISTS employer_website           text,
    ADD COLUMN IF NOT EXISTS job_publisher              text,
    ADD COLUMN IF NOT EXISTS job_employment_type        text,
    ADD COLUMN IF NOT EXISTS job_employment_types       jsonb,
    ADD COLUMN IF NOT EXISTS job_apply_link             text,
    ADD COLUMN IF NOT EXISTS job_apply_is_direct        boolean,
    ADD COLUMN IF NOT EXISTS apply_options              jsonb,
    ADD COLUMN IF NOT EXISTS job_description            text,
    ADD COLUMN IF NOT EXISTS job_is_remote              boolean,
    ADD COLUMN IF NOT EXISTS job_location               text,
    ADD COLUMN IF NOT EXISTS job_city                   text,
    ADD COLUMN IF NOT EXISTS job_state                  text,
    ADD COLUMN IF NOT EXISTS job_country                text,
    ADD COLUMN IF NOT EXISTS job_latitude               double precision,
    ADD COLUMN IF NOT EXISTS job_longitude              double precision,
    ADD COLUMN IF NOT EXISTS job_posted_at_datetime_utc timestamptz,
    ADD COLUMN IF NOT EXISTS job_min_salary             numeric,
    ADD COLUMN IF NOT EXISTS job_max_salary             numeric,
    ADD COLUMN IF NOT EXISTS job_salary_currency        text,
    ADD COLUMN IF NOT EXISTS job_salary_period          text,
    ADD COLUMN IF NOT EXISTS job_highlights             jsonb,
    ADD COLUMN IF NOT EXISTS job_benefits               jsonb,
    ADD COLUMN IF NOT EXISTS job_google_link            text,
    -- The sweep marks jobs that vanished from the feed inactive; it never deletes them, so
    -- engagement data outlives a job's absence.
    ADD COLUMN IF NOT EXISTS is_active                  boolean NOT NULL DEFAULT true,
    ADD COLUMN IF NOT EXISTS last_seen                  timestamptz,
    ADD COLUMN IF NOT EXISTS updated_at                 timestamptz DEFAULT now();

-- The upsert (PostgREST ?on_conflict=job_id, i.e. ON CONFLICT (job_id)) needs a unique,
-- non-partial, non-deferrable index on exactly job_id. The engagement table has one
-- (jobs_job_id_key); an older table may not.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = 'public.jobs'::regclass
          AND i.indisunique AND i.indisvalid AND i.indimmediate
          AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
          AND a.attname = 'job_id'
    ) THEN
        ALTER TABLE public.jobs ADD CONSTRAINT jobs_job_id_key UNIQUE (job_id);
    END IF;
END
$$;

-- The sweep: UPDATE ... WHERE is_active AND last_seen < <start of this run>.
CREATE INDEX IF NOT EXISTS jobs_is_active_last_seen_idx ON public.jobs (is_active, last_seen);
-- The board: active jobs, newest posting first.
CREATE INDEX IF NOT EXISTS jobs_active_posted_at_idx
    ON public.jobs (job_posted_at_datetime_utc DESC) WHERE is_active;

CREATE OR REPLACE FUNCTION public.jobs_set_updated_at()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ''
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER jobs_set_updated_at
    BEFORE UPDATE ON public.jobs
    FOR EACH ROW EXECUTE FUNCTION public.jobs_set_updated_at();
