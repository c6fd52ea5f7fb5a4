-- Identities of identity pools (cognito-identity), the logins linked to them, and the temporary
-- credentials Cogito minted for them. Identity ids are unique across pools (GetCredentialsForIdentity
-- names an identity alone), hence the primary key on id. Everything cascades from identity_pools.

CREATE TABLE identities (
    id          TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id     TEXT    COLLATE "C" NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    disabled    INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL
);
-- ListIdentities: a range of one pool, all identities or only enabled ones, in id order.
CREATE INDEX identities_pool ON identities (pool_id, id);
CREATE INDEX identities_pool_enabled ON identities (pool_id, disabled, id);

-- A login (provider, subject) is linked to at most one identity of a pool.
CREATE TABLE identity_logins (
    pool_id     TEXT    COLLATE "C" NOT NULL,
    provider    TEXT    COLLATE "C" NOT NULL,
    subject     TEXT    COLLATE "C" NOT NULL,
    identity_id TEXT    COLLATE "C" NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX identity_logins_identity ON identity_logins (identity_id, provider, subject);

CREATE TABLE identity_credentials (
    access_key_id TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id       TEXT    COLLATE "C" NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    identity_id   TEXT    COLLATE "C" NOT NULL,
    role_arn      TEXT    COLLATE "C" NOT NULL,
    secret        BYTEA,
    document      BYTEA,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX identity_credentials_pool ON identity_credentials (pool_id);
CREATE INDEX identity_credentials_expiry ON identity_credentials (expires_at);
