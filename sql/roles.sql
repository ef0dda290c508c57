-- Database roles and privileges of the running stack (not a migration: re-applied on every start).
-- Run as a superuser against the app's database, after the migrations.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'login_app') THEN
    CREATE ROLE login_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END
$$;

-- The app reads and writes rows but never deletes users and never changes the schema.
GRANT USAGE ON SCHEMA public TO login_app;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO login_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO login_app;
REVOKE INSERT, UPDATE ON schema_migrations FROM login_app;
-- A new enrolment or a disabled second factor replaces the recovery codes. (The table comes with
-- 004: this file also runs against an older schema, e.g. part way through an upgrade.)
DO $$
BEGIN
  IF to_regclass('public.recovery_codes') IS NOT NULL THEN
    GRANT DELETE ON recovery_codes TO login_app;
  END IF;
END
$$;
