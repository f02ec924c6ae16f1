-- Row-level security for public.jobs as a Supabase project needs it: the public API roles
-- (anon, authenticated) may read active jobs and write nothing; job-sync writes with the
-- service-role key, whose role (service_role) has BYPASSRLS.
--
-- Roles: every Supabase project has anon, authenticated and service_role; the test cluster
-- creates them first (tests/support/supabase_bootstrap.sql). The grants and the policy are
-- guarded by role existence so that the file also applies on a plain PostgreSQL (with RLS on
-- and no policy, nobody but the owner reads the table there); re-running it after the roles
-- appear completes the setup.
--
-- Idempotent: ENABLE ROW LEVEL SECURITY, GRANT and REVOKE are no-ops when repeated; the policy
-- is dropped and re-created inside one DO block (atomic, so no client ever sees the table
-- without it).
--
-- Apply: `supabase db push`, or `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f <file>` after the
-- earlier files, or paste it into the Supabase SQL editor.

ALTER TABLE public.jobs ENABLE ROW LEVEL SECURITY;

DO $$
DECLARE
    id_sequence text := pg_get_serial_sequence('public.jobs', 'id');
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        DROP POLICY IF EXISTS jobs_public_read_active ON public.jobs;
        CREATE POLICY jobs_public_read_active ON public.jobs
            FOR SELECT TO anon, authenticated
            USING (is_active);
        -- Supabase's default privileges grant ALL on new tables; take the writes back so a
        -- write fails with "permission denied" (42501) rather than relying on RLS alone.
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
            ON public.jobs FROM anon, authenticated;
        GRANT SELECT ON public.jobs TO anon, authenticated;
        IF id_sequence IS NOT NULL THEN
            EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM anon, authenticated', id_sequence);
        END IF;
    END IF;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
        GRANT ALL ON public.jobs TO service_role;
        IF id_sequence IS NOT NULL THEN
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO service_role', id_sequence);
        END IF;
    END IF;
END
$$;
