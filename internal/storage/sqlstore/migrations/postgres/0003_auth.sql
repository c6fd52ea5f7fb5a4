-- Sign-in state: refresh tokens and revoked token families, expiring counters, auth events.
--
-- Conventions as in 0001_init.sql and 0002_users.sql. Rows of a user (refresh tokens, auth
-- events) reference users (pool_id, user_key) ON DELETE CASCADE; a revoked family's record
-- references only the pool, so it outlives the user it was revoked for (deleting a user first
-- revokes their families, whose access tokens must stay rejected until they expire).

-- One row per refresh token (and per never-issued record anchoring a family without one).
-- scopes is a JSON array of strings, NULL when none.
CREATE TABLE refresh_tokens (
    id          TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id     TEXT    COLLATE "C" NOT NULL,
    client_id   TEXT    COLLATE "C" NOT NULL,
    user_key    TEXT    COLLATE "C" NOT NULL,
    origin_jti  TEXT    COLLATE "C" NOT NULL,
    device_key  TEXT    NOT NULL,
    scopes      TEXT,
    auth_time   BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    revoked_at  BIGINT,
    rotated_at  BIGINT,
    version     BIGINT  NOT NULL,
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
-- RevokeUserTokens, and the cascade from users.
CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, user_key);
-- RevokeFamily.
CREATE INDEX refresh_tokens_family ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);

-- Revoked families: FamilyRevoked is one primary-key lookup. revoked_at is the first
-- revocation; expires_at is when the record may go (the family's last access token expired).
CREATE TABLE revoked_families (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    origin_jti  TEXT    COLLATE "C" NOT NULL,
    revoked_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, origin_jti)
);
CREATE INDEX revoked_families_expires ON revoked_families (expires_at);

-- Named, expiring counters (attempt limits, lockout), not tied to a user row.
CREATE TABLE counters (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    COLLATE "C" NOT NULL,
    value       BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, name)
);
CREATE INDEX counters_expires ON counters (expires_at);

-- Auth events, keyed by (pool_id, user_key, event_id); seq orders events of the same
-- millisecond by insertion, so a user's listing is newest first by (created_at, seq).
CREATE TABLE auth_events (
    seq               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_id           TEXT    COLLATE "C" NOT NULL,
    user_key          TEXT    COLLATE "C" NOT NULL,
    event_id          TEXT    COLLATE "C" NOT NULL,
    event_type        TEXT    NOT NULL,
    event_response    TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL,
    data              BYTEA,
    feedback_value    TEXT    NOT NULL,
    feedback_provider TEXT    NOT NULL,
    feedback_at       BIGINT,
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
CREATE UNIQUE INDEX auth_events_id ON auth_events (pool_id, user_key, event_id);
-- ListAuthEvents, and the cascade from users.
CREATE INDEX auth_events_created ON auth_events (pool_id, user_key, created_at, seq);
