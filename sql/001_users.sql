-- Users: one row per account; the source of truth for credentials, profile and roles.
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL CHECK (username ~ '^[a-z0-9._-]{3,32}$'),
  display_name  text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
  email         text CHECK (email IS NULL OR char_length(email) <= 254),
  password_hash text NOT NULL,
  roles         text[] NOT NULL DEFAULT '{user}',
  enabled       boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

-- Usernames are unique regardless of case; lookups use lower(username).
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
