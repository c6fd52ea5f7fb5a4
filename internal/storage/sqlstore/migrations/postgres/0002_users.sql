-- The user directory: users, their aliases and ListUsers search index, user counts, groups and
-- memberships, one-time codes, the message outbox, import jobs and their CSV.
--
-- Beyond the conventions of 0001_init.sql (key and ordering columns TEXT COLLATE "C", ...):
--   * rows that belong to a user (aliases, search entries, memberships, codes) reference
--     users (pool_id, user_key) ON DELETE CASCADE instead of user_pools: DeletePool cascades to
--     users and each user to its rows. Each such table has an index led by (pool_id, user_key),
--     so the cascade is a seek, not a scan;
--   * JSON the store itself reads (user attributes and aliases) is TEXT.

CREATE TABLE users (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    user_key    TEXT    COLLATE "C" NOT NULL,
    username    TEXT    NOT NULL,
    sub         TEXT    COLLATE "C" NOT NULL,
    status      TEXT    NOT NULL,
    enabled     BOOLEAN NOT NULL,
    attributes  TEXT    NOT NULL, -- JSON object, attribute name to value
    aliases     TEXT,             -- JSON array of [kind, value]; NULL when none
    password    BYTEA,
    settings    BYTEA,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, user_key)
);
CREATE UNIQUE INDEX users_sub ON users (pool_id, sub);

-- Claimed aliases: the primary key makes each (kind, value) unique per pool.
CREATE TABLE user_aliases (
    pool_id     TEXT    COLLATE "C" NOT NULL,
    kind        TEXT    COLLATE "C" NOT NULL,
    value       TEXT    COLLATE "C" NOT NULL,
    user_key    TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, kind, value),
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
CREATE INDEX user_aliases_user ON user_aliases (pool_id, user_key);

-- ListUsers filters: one row per user and searchable field, value normalised by the store
-- (lowercased for the case-insensitive fields). Equality and prefix filters are ranges of the
-- primary key, already in the listing's order (value, then user key). username and sub have no
-- rows here: the users primary key and users_sub serve them the same way.
CREATE TABLE user_search (
    pool_id     TEXT    COLLATE "C" NOT NULL,
    field       TEXT    COLLATE "C" NOT NULL,
    value       TEXT    COLLATE "C" NOT NULL,
    user_key    TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, field, value, user_key),
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
CREATE INDEX user_search_user ON user_search (pool_id, user_key);

-- Users per pool, kept by CreateUser and DeleteUser in their transactions; CountUsers sums
-- the pool's shards (PostgreSQL spreads concurrent writers over several; SQLite uses one).
CREATE TABLE user_counts (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    shard       INTEGER NOT NULL,
    n           BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, shard)
);

CREATE TABLE user_groups (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    COLLATE "C" NOT NULL,
    description TEXT,
    role_arn    TEXT,
    precedence  INTEGER,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id     TEXT    COLLATE "C" NOT NULL,
    group_name  TEXT    COLLATE "C" NOT NULL,
    user_key    TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, user_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
CREATE INDEX group_members_user ON group_members (pool_id, user_key, group_name);

-- One code per user and purpose.
CREATE TABLE user_codes (
    pool_id     TEXT    COLLATE "C" NOT NULL,
    user_key    TEXT    COLLATE "C" NOT NULL,
    purpose     TEXT    COLLATE "C" NOT NULL,
    hash        BYTEA,
    attempts    INTEGER NOT NULL,
    data        BYTEA,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, user_key, purpose),
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
CREATE INDEX user_codes_expires ON user_codes (expires_at);

-- The outbox, append-only; seq keeps insertion order among messages of the same millisecond.
CREATE TABLE messages (
    seq             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT    COLLATE "C" NOT NULL UNIQUE,
    pool_id         TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username        TEXT    NOT NULL,
    destination     TEXT    NOT NULL,
    delivery_medium TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    code            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX messages_pool ON messages (pool_id, created_at, seq);
CREATE INDEX messages_destination ON messages (destination, created_at, seq);

CREATE TABLE import_jobs (
    pool_id            TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    job_id             TEXT    COLLATE "C" NOT NULL,
    name               TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    role_arn           TEXT    NOT NULL,
    created_at         BIGINT  NOT NULL,
    started_at         BIGINT,
    completed_at       BIGINT,
    imported           BIGINT  NOT NULL,
    skipped            BIGINT  NOT NULL,
    failed             BIGINT  NOT NULL,
    completion_message TEXT    NOT NULL,
    settings           BYTEA,
    version            BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, job_id)
);
CREATE INDEX import_jobs_created ON import_jobs (pool_id, created_at, job_id);

-- The uploaded CSV (up to ~100 MB), apart so listing jobs never reads it.
CREATE TABLE import_data (
    pool_id     TEXT    COLLATE "C" NOT NULL,
    job_id      TEXT    COLLATE "C" NOT NULL,
    data        BYTEA   NOT NULL,
    PRIMARY KEY (pool_id, job_id),
    FOREIGN KEY (pool_id, job_id) REFERENCES import_jobs (pool_id, job_id) ON DELETE CASCADE
);
