-- Identity pools (cognito-identity). Not scoped to a user pool: a later table
-- of identities declares identity_pool_id ... REFERENCES identity_pools (id)
-- ON DELETE CASCADE, so DeleteIdentityPool removes them. Tags live in the
-- tags table by the pool's ARN; the service deletes them.

CREATE TABLE identity_pools (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    settings    BLOB,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);
