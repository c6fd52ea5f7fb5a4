-- Initial schema: user pools, app clients, signing keys, tags, meta.
--
-- Conventions for every later migration (see the sqlstore package doc):
--   * key and ordering columns are TEXT COLLATE "C", so ordering (and thus paging) is by bytes,
--     as in SQLite and Go;
--   * times are BIGINT unix milliseconds (UTC), NULL where optional;
--   * opaque documents and sealed secrets are BYTEA;
--   * booleans are BOOLEAN;
--   * every pool-scoped table has pool_id REFERENCES user_pools(id) ON DELETE CASCADE,
--     so DeletePool removes its rows without code changes;
--   * mutable aggregates carry a version column for compare-and-swap updates.

CREATE TABLE user_pools (
    id          TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    settings    BYTEA,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL
);

-- Client ids are unique across pools (GetClientByID), hence the primary key on id alone.
CREATE TABLE clients (
    id          TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    settings    BYTEA,
    secrets     BYTEA,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL
);
CREATE INDEX clients_pool_id ON clients (pool_id, id);

CREATE TABLE signing_keys (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    key_id      TEXT    COLLATE "C" NOT NULL,
    algorithm   TEXT    NOT NULL,
    key_use     TEXT    NOT NULL,
    private_key BYTEA,
    public_key  BYTEA,
    active      BOOLEAN NOT NULL,
    created_at  BIGINT  NOT NULL,
    retired_at  BIGINT,
    PRIMARY KEY (pool_id, key_id)
);
-- At most one active key per pool and use.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (pool_id, key_use) WHERE active;

-- Tags are keyed by resource ARN, not by pool: the service deletes them.
CREATE TABLE tags (
    resource_arn TEXT COLLATE "C" NOT NULL,
    tag_key      TEXT COLLATE "C" NOT NULL,
    tag_value    TEXT NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
);

CREATE TABLE meta (
    key   TEXT  COLLATE "C" NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL
);
