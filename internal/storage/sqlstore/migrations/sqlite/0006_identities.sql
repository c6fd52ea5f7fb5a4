-- Identities of identity pools (cognito-identity), the logins linked to them, and the temporary
-- credentials Cogito minted for them. Identity ids are unique across pools (GetCredentialsForIdentity
-- names an identity alone), hence the primary key on id. Everything cascades from identity_pools.

CREATE TABLE identities (
    id          TEXT    NOT NULL PRIMARY KEY,
    pool_id     TEXT    NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    disabled    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);
-- ListIdentities: a range of one pool, all identities or only enabled ones, in id order.
CREATE INDEX identities_pool ON identities (pool_id, id);
CREATE INDEX identities_pool_enabled ON identities (pool_id, disabled, id);

-- A login (provider, subject) is linked to at most one identity of a pool.
CREATE TABLE identity_logins (
    pool_id     TEXT    NOT NULL,
    provider    TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    identity_id TEXT    NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX identity_logins_identity ON identity_logins (identity_id, provider, subject);

CREATE TABLE identity_credentials (
    access_key_id TEXT    NOT NULL PRIMARY KEY,
    pool_id       TEXT    NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    identity_id   TEXT    NOT NULL,
    role_arn      TEXT    NOT NULL,
    secret        BLOB,
    document      BLOB,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX identity_credentials_pool ON identity_credentials (pool_id);
CREATE INDEX identity_credentials_expiry ON identity_credentials (expires_at);
