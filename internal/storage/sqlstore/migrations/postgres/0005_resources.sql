-- Small pool-scoped records kept as documents (storage.Resource): configuration objects of the
-- OAuth, managed-login and security families, and per-user objects such as remembered devices
-- and passkeys. owner is NULL for pool-level records; otherwise it names a user and the row
-- is deleted with the user (the foreign key is not enforced while owner is NULL).

CREATE TABLE resources (
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    kind        TEXT    COLLATE "C" NOT NULL,
    id          TEXT    COLLATE "C" NOT NULL,
    owner       TEXT    COLLATE "C",
    lookup_key  TEXT    COLLATE "C",
    settings    BYTEA,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, kind, id),
    FOREIGN KEY (pool_id, owner) REFERENCES users (pool_id, user_key) ON DELETE CASCADE
);
CREATE UNIQUE INDEX resources_lookup ON resources (kind, lookup_key) WHERE lookup_key IS NOT NULL;
CREATE INDEX resources_owner ON resources (pool_id, owner, kind, id) WHERE owner IS NOT NULL;
