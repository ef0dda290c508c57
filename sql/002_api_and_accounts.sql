-- Client applications of the REST API, their tokens, and what the account lifecycle needs.

-- One row per client application; scopes say what its tokens may do.
CREATE TABLE api_clients (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9._-]{1,64}$'),
  scopes     text[] NOT NULL CHECK (scopes <@ ARRAY['users:read', 'users:write']),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A client may hold several tokens at once, so it can rotate without downtime. Only the
-- SHA-256 of a token is stored; the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id    bigint NOT NULL REFERENCES api_clients (id),
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_client_id ON api_tokens (client_id);

-- Bumped to end every session of a user at once (password change, disable): O(1), no scan.
ALTER TABLE users ADD COLUMN session_generation integer NOT NULL DEFAULT 0;

-- The (updated_at, id) index of delta sync is built by 003, CONCURRENTLY: a plain CREATE INDEX
-- here blocked every write to users for the whole build (minutes at 10 million rows).
