-- Accounts (issue #17): verified email addresses, TOTP second factor and its recovery codes,
-- and the language mails are written in. Every new users column is nullable without a default,
-- so adding it changes the catalogue only (no table rewrite, a lock held for milliseconds).

-- Set when the user opened the verification link sent to the current address; a changed
-- address takes effect only through that link, which sets both columns at once.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- "en" or "pt-BR": the language of the user's last login or registration, for mails that no
-- request of theirs triggers (an admin's reset of their second factor).
ALTER TABLE users ADD COLUMN lang text CHECK (lang IN ('en', 'pt-BR'));
-- The TOTP secret (RFC 6238, base32) once enrolment is confirmed; totp_last_step is the last
-- 30-second step whose code was accepted, so that a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_secret text CHECK (totp_secret ~ '^[A-Z2-7]{16,64}$');
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint;

-- Ten single-use recovery codes per enrolment; only their SHA-256 is stored (each code carries
-- 60 random bits, so a plain hash is as strong as a slow one against guessing).
CREATE TABLE recovery_codes (
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_sha256 text NOT NULL CHECK (code_sha256 ~ '^[0-9a-f]{64}$'),
  used_at     timestamptz,
  PRIMARY KEY (user_id, code_sha256)
);
