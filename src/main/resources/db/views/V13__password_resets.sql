-- "Forgot password" requests: the link in the mail names one (with an HMAC of its id), and a
-- user.password_reset that uses it marks it used, so each link works once.
CREATE TABLE password_reset_requests (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL,
    requested_at timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX password_reset_requests_user ON password_reset_requests (user_id);

-- When the account's current e-mail address was confirmed by its mailed link (null: not yet, or
-- changed since). Only consulted when C18N_EMAIL_VERIFICATION is on.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
