-- Initial schema: user pools, app clients, signing keys, tags, meta.
--
-- Conventions for every later migration (see the sqlstore package doc):
--   * times are INTEGER unix milliseconds (UTC), NULL where optional;
--   * opaque documents and sealed secrets are BLOB;
--   * booleans are INTEGER 0/1;
--   * every pool-scoped table has pool_id REFERENCES user_pools(id) ON DELETE CASCADE,
--     so DeletePool removes its rows without code changes;
--   * mutable aggregates carry a version column for compare-and-swap updates.

CREATE TABLE user_pools (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    settings    BLOB,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);

-- Client ids are unique across pools (GetClientByID), hence the primary key on id alone.
CREATE TABLE clients (
    id          TEXT    NOT NULL PRIMARY KEY,
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    settings    BLOB,
    secrets     BLOB,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);
CREATE INDEX clients_pool_id ON clients (pool_id, id);

CREATE TABLE signing_keys (
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    key_id      TEXT    NOT NULL,
    algorithm   TEXT    NOT NULL,
    key_use     TEXT    NOT NULL,
    private_key BLOB,
    public_key  BLOB,
    active      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER,
    PRIMARY KEY (pool_id, key_id)
);
-- At most one active key per pool and use.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (pool_id, key_use) WHERE active <> 0;

-- Tags are keyed by resource ARN, not by pool: the service deletes them.
CREATE TABLE tags (
    resource_arn TEXT NOT NULL,
    tag_key      TEXT NOT NULL,
    tag_value    TEXT NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
);

CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
);
