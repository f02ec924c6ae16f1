-- What a fresh Supabase project already has before any migration runs, for the throwaway
-- test cluster. NOT a migration: never apply this to a real Supabase project (it has all of
-- this already). Modelled on Supabase's initial schema: three NOLOGIN API roles, the
-- `authenticator` login role PostgREST connects as, and default privileges that grant ALL on
-- new tables to the API roles, relying on row-level security to restrict them.
-- Idempotent: roles are created only when missing; grants and settings are re-applied.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
        CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
    END IF;
    -- Password-less: the test cluster trusts loopback connections.
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN
        CREATE ROLE authenticator LOGIN NOINHERIT;
    END IF;
END
$$;

-- PostgREST switches to the JWT's role with SET LOCAL ROLE, which needs membership.
GRANT anon, authenticated, service_role TO authenticator;

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;

-- Supabase grants everything by default on what the migrations (run as postgres) create.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;

-- Per-role statement timeouts as on hosted Supabase (PostgREST applies the impersonated
-- role's settings per request); service_role falls back to the authenticator's 8 s.
ALTER ROLE anon SET statement_timeout = '3s';
ALTER ROLE authenticated SET statement_timeout = '8s';
ALTER ROLE authenticator SET statement_timeout = '8s';
