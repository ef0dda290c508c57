-- migrate: no-transaction
-- Delta sync walks users in (updated_at, id) order. Built CONCURRENTLY, so that writes to users
-- (logins, profile changes) go on during the build; that needs a file outside a transaction.
-- A build that was interrupted leaves an INVALID index of that name: it is dropped first, so that
-- this file can simply run again. A database that already has the index (built by 002 before
-- 002 lost it) keeps it.
SELECT 'DROP INDEX CONCURRENTLY users_updated_at_id'
FROM pg_index WHERE indexrelid = to_regclass('users_updated_at_id') AND NOT indisvalid \gexec
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_updated_at_id ON users (updated_at, id);
