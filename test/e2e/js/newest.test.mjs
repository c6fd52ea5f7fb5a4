// The newest members of existing shapes with the AWS SDK for JavaScript v3,
// whose declarations have every one of them: pools (KeyConfiguration,
// IssuerConfiguration, AcrConfiguration, DcrConfiguration,
// SmsConfiguration.EumsSms), domains (Routing, SecurityPolicy), resource
// servers (ManagedBy), RevokeToken (RevokeAssociatedSessions), passkey MFA
// (WebAuthnMfaSettings, FactorConfiguration) and the members other families
// serve (ClientType, PasswordHashingAlgorithm, AcrMapping).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand,
  CreateResourceServerCommand,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  CreateUserPoolReplicaCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeIdentityProviderCommand,
  DescribeResourceServerCommand,
  DescribeUserImportJobCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  FeatureUnavailableInTierException,
  GetUserCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  ListResourceServersCommand,
  ListUserPoolClientsCommand,
  NotAuthorizedException,
  RevokeTokenCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { startCogito, uniq } from './harness.mjs';

const KMS_KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';
const DEFAULT_ACR = {
  Level1: { AcrValue: 'urn:cognito:loa:1' },
  Level2: { AcrValue: 'urn:cognito:loa:2' },
  Level3: { AcrValue: 'urn:cognito:loa:3' },
  Level4: { AcrValue: 'urn:cognito:loa:4' },
};

describe('the newest members', () => {
  let cogito;
  let idp;
  const pools = [];
  const domains = [];

  before(async () => {
    cogito = await startCogito(['--replica-regions', 'eu-west-1']);
    idp = cogito.idp();
  });
  after(async () => {
    for (const [UserPoolId, Domain] of domains) {
      await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId, Domain })).catch(() => {});
    }
    for (const id of pools) {
      await idp.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    }
    await cogito?.stop();
  });

  async function createPool(prefix, input = {}) {
    const out = await idp.send(new CreateUserPoolCommand({ PoolName: uniq(prefix), ...input }));
    pools.push(out.UserPool.Id);
    return out.UserPool;
  }

  async function userWithPassword(poolId, username, attrs = {}) {
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Passw0rd!', Permanent: true }));
  }

  it('stores and returns the pool members, and an update without them resets ACR and DCR but keeps the key', async () => {
    const eums = { CallerArn: 'arn:aws:iam::000000000000:role/eums', OriginationIdentity: '+12065550100', ConfigurationSetName: 'set', Region: 'us-east-1' };
    const created = await createPool('js-newest', {
      UserPoolTier: 'ESSENTIALS',
      KeyConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: KMS_KEY },
      IssuerConfiguration: { Type: 'UPDATED' },
      AcrConfiguration: { Level2: { AcrValue: 'https://example.com/acr/mfa' } },
      DcrConfiguration: { OpenDcrEnabled: true, OpenDcrGrantTypes: ['code'], AuthenticatedGrantTypes: ['code', 'client_credentials'], AllowedScopes: ['api/read'] },
      SmsConfiguration: { EumsSms: eums },
    });
    for (const pool of [created, (await idp.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }))).UserPool]) {
      assert.deepEqual(pool.KeyConfiguration, { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: KMS_KEY });
      assert.deepEqual(pool.IssuerConfiguration, { Type: 'UPDATED' });
      assert.deepEqual(pool.AcrConfiguration, { ...DEFAULT_ACR, Level2: { AcrValue: 'https://example.com/acr/mfa' } });
      assert.deepEqual(pool.DcrConfiguration, {
        EnableStatus: 'Enabled', OpenDcrEnabled: true, OpenDcrGrantTypes: ['code'],
        AuthenticatedGrantTypes: ['code', 'client_credentials'], AllowedScopes: ['api/read'],
      });
      assert.deepEqual(pool.SmsConfiguration.EumsSms, eums);
    }

    await idp.send(new UpdateUserPoolCommand({ UserPoolId: created.Id, UserPoolTier: 'ESSENTIALS' }));
    let pool = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }))).UserPool;
    assert.deepEqual(pool.AcrConfiguration, DEFAULT_ACR);
    assert.equal(pool.DcrConfiguration, undefined);
    assert.deepEqual(pool.KeyConfiguration, { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: KMS_KEY });

    await idp.send(new UpdateUserPoolCommand({
      UserPoolId: created.Id, UserPoolTier: 'PLUS',
      AcrConfiguration: { Level4: { AcrValue: 'urn:example:phr' } }, DcrConfiguration: { EnableStatus: 'Disabled' },
    }));
    pool = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }))).UserPool;
    assert.equal(pool.AcrConfiguration.Level4.AcrValue, 'urn:example:phr');
    assert.deepEqual(pool.DcrConfiguration, { EnableStatus: 'Disabled' });

    // A new pool shows the default ACR names and nothing else new.
    const plain = await createPool('js-plain');
    assert.deepEqual(plain.AcrConfiguration, DEFAULT_ACR);
    assert.equal(plain.KeyConfiguration, undefined);
    assert.equal(plain.DcrConfiguration, undefined);
  });

  it('refuses what Cognito refuses, with its exception classes', async () => {
    await assert.rejects(createPool('js-kms', { KeyConfiguration: { KmsKeyArn: KMS_KEY.replace('us-east-1', 'eu-west-1') } }),
      (e) => e instanceof InvalidParameterException && /Region us-east-1/.test(e.message));
    await assert.rejects(createPool('js-acr', { UserPoolTier: 'LITE', AcrConfiguration: { Level1: { AcrValue: 'basic' } } }),
      (e) => e instanceof FeatureUnavailableInTierException && /AcrConfiguration/.test(e.message));
    await assert.rejects(createPool('js-acr2', { AcrConfiguration: { Level1: { AcrValue: 'urn:cognito:loa:3' } } }),
      (e) => e instanceof InvalidParameterException && /unique/.test(e.message));
    await assert.rejects(createPool('js-dcr', { UserPoolTier: 'LITE', DcrConfiguration: {} }),
      (e) => e instanceof FeatureUnavailableInTierException && /DcrConfiguration/.test(e.message));
    await assert.rejects(createPool('js-eums', {
      SmsConfiguration: { EumsSms: { CallerArn: 'arn:aws:iam::000000000000:role/eums', Region: 'eu-west-1' } },
    }), (e) => e instanceof InvalidParameterException && /EumsSms Region eu-west-1/.test(e.message));
  });

  it('keeps a custom domain\'s SecurityPolicy and failover Routing to a replica Region', async () => {
    const pool = await createPool('js-domain', { UserPoolTier: 'ESSENTIALS' });
    await idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id, RegionName: 'eu-west-1' }));
    const Domain = `${uniq('auth')}.example.com`;
    const Routing = { Failover: { SecondaryRegion: 'eu-west-1', PrimaryRoute53HealthCheckId: 'abcdef11-2222-3333-4444-555555555555' } };
    await assert.rejects(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: uniq('prefix'), Routing })),
      (e) => e instanceof InvalidParameterException && /custom domains/.test(e.message));
    const created = await idp.send(new CreateUserPoolDomainCommand({
      UserPoolId: pool.Id, Domain, CustomDomainConfig: { CertificateArn: CERT, SecurityPolicy: 'TLS_V1_2_2021' }, Routing,
    }));
    domains.push([pool.Id, Domain]);
    assert.deepEqual(created.Routing, Routing);
    let d = (await idp.send(new DescribeUserPoolDomainCommand({ Domain }))).DomainDescription;
    assert.deepEqual(d.CustomDomainConfig, { CertificateArn: CERT, SecurityPolicy: 'TLS_V1_2_2021' });
    assert.deepEqual(d.Routing, Routing);

    const updated = await idp.send(new UpdateUserPoolDomainCommand({
      UserPoolId: pool.Id, Domain, CustomDomainConfig: { CertificateArn: CERT, SecurityPolicy: 'TLS_V1_3_2025' },
    }));
    assert.deepEqual(updated.Routing, Routing);
    d = (await idp.send(new DescribeUserPoolDomainCommand({ Domain }))).DomainDescription;
    assert.equal(d.CustomDomainConfig.SecurityPolicy, 'TLS_V1_3_2025');
    await assert.rejects(idp.send(new UpdateUserPoolDomainCommand({
      UserPoolId: pool.Id, Domain, Routing: { Failover: { SecondaryRegion: 'us-east-1', PrimaryRoute53HealthCheckId: 'hc' } },
    })), (e) => e instanceof InvalidParameterException && /must differ/.test(e.message));
  });

  it('shows no ManagedBy on resource servers made through the API', async () => {
    const pool = await createPool('js-rs');
    const rs = await idp.send(new CreateResourceServerCommand({ UserPoolId: pool.Id, Identifier: 'orders', Name: 'Orders', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }));
    assert.equal(rs.ResourceServer.ManagedBy, undefined);
    const d = await idp.send(new DescribeResourceServerCommand({ UserPoolId: pool.Id, Identifier: 'orders' }));
    assert.equal(d.ResourceServer.ManagedBy, undefined);
    const list = await idp.send(new ListResourceServersCommand({ UserPoolId: pool.Id, MaxResults: 10 }));
    assert.equal(list.ResourceServers.length, 1);
    assert.equal(list.ResourceServers[0].ManagedBy, undefined);
  });

  it('revokes a token with RevokeAssociatedSessions', async () => {
    const pool = await createPool('js-revoke');
    const client = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    await userWithPassword(pool.Id, 'rev');
    for (const RevokeAssociatedSessions of ['LINKED', 'NONE']) {
      const { AuthenticationResult: r } = await idp.send(new InitiateAuthCommand({
        ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rev', PASSWORD: 'Passw0rd!' },
      }));
      await idp.send(new RevokeTokenCommand({ Token: r.RefreshToken, ClientId: client.ClientId, RevokeAssociatedSessions }));
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: r.AccessToken })), NotAuthorizedException);
    }
    await assert.rejects(idp.send(new RevokeTokenCommand({ Token: 'x', ClientId: client.ClientId, RevokeAssociatedSessions: 'ALL' })),
      (e) => e instanceof InvalidParameterException && /revokeAssociatedSessions/.test(e.message));
  });

  it('sets passkey MFA only where passkeys are a second factor, beside another factor, and never lists it', async () => {
    const pool = await createPool('js-pkmfa', { UserPoolTier: 'ESSENTIALS', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
    await userWithPassword(pool.Id, 'pk', { phone_number: '+12065550123' });
    const passkeyMFA = (extra = {}) => idp.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.Id, Username: 'pk', WebAuthnMfaSettings: { Enabled: true }, ...extra,
    }));
    await assert.rejects(passkeyMFA({ SMSMfaSettings: { Enabled: true } }),
      (e) => e instanceof InvalidParameterException && /MULTI_FACTOR_WITH_USER_VERIFICATION/.test(e.message));
    const cfg = await idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.Id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' },
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
    }));
    assert.equal(cfg.WebAuthnConfiguration.FactorConfiguration, 'MULTI_FACTOR_WITH_USER_VERIFICATION');
    await assert.rejects(passkeyMFA(), (e) => e instanceof InvalidParameterException && /at least one other MFA method/.test(e.message));
    await passkeyMFA({ SMSMfaSettings: { Enabled: true } });
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'pk' }));
    assert.deepEqual(u.UserMFASettingList, ['SMS_MFA']);
    assert.equal(u.PreferredMfaSetting, undefined);
    // SMS cannot go while passkey MFA stays.
    await assert.rejects(idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.Id, Username: 'pk', SMSMfaSettings: { Enabled: false } })),
      InvalidParameterException);
  });

  it('issues tokens under the updated issuer for IssuerConfiguration UPDATED when Cogito mimics AWS\'s issuer URLs', async () => {
    const aws = await startCogito(['--issuer-base-url', 'aws']);
    try {
      const c = aws.idp();
      const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
      for (const [Type, host] of [['UPDATED', 'issuer-cognito-idp'], ['ORIGINAL', 'cognito-idp']]) {
        const pool = (await c.send(new CreateUserPoolCommand({ PoolName: uniq('js-issuer'), IssuerConfiguration: { Type } }))).UserPool;
        assert.deepEqual(pool.IssuerConfiguration, { Type });
        const client = (await c.send(new CreateUserPoolClientCommand({
          UserPoolId: pool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }))).UserPoolClient;
        await c.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: 'iss', MessageAction: 'SUPPRESS' }));
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: 'iss', Password: 'Passw0rd!', Permanent: true }));
        const { AuthenticationResult: r } = await c.send(new InitiateAuthCommand({
          ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'iss', PASSWORD: 'Passw0rd!' },
        }));
        const want = `https://${host}.us-east-1.amazonaws.com/${pool.Id}`;
        assert.equal(claims(r.IdToken).iss, want);
        assert.equal(claims(r.AccessToken).iss, want);
      }
    } finally {
      await aws.stop();
    }
  });

  it('returns the members other families serve: ClientType, PasswordHashingAlgorithm, AcrMapping', async () => {
    const pool = await createPool('js-elsewhere', { UserPoolTier: 'ESSENTIALS' });
    const client = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'app' }))).UserPoolClient;
    const described = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId }));
    assert.equal(described.UserPoolClient.ClientType, 'REGULAR');
    const dcrClients = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 10, ClientType: 'DCR' }));
    assert.deepEqual(dcrClients.UserPoolClients, []);

    const job = (await idp.send(new CreateUserImportJobCommand({
      UserPoolId: pool.Id, JobName: 'hashes', CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/CognitoImport', PasswordHashingAlgorithm: 'SCRYPT',
    }))).UserImportJob;
    assert.equal(job.PasswordHashingAlgorithm, 'SCRYPT');
    const again = await idp.send(new DescribeUserImportJobCommand({ UserPoolId: pool.Id, JobId: job.JobId }));
    assert.equal(again.UserImportJob.PasswordHashingAlgorithm, 'SCRYPT');

    const details = {
      client_id: 'cid', client_secret: 'secret', authorize_scopes: 'openid', attributes_request_method: 'GET', oidc_issuer: 'https://idp.example.com',
      authorize_url: 'https://idp.example.com/authorize', token_url: 'https://idp.example.com/token',
      attributes_url: 'https://idp.example.com/userinfo', jwks_uri: 'https://idp.example.com/jwks',
    };
    const created = await idp.send(new CreateIdentityProviderCommand({
      UserPoolId: pool.Id, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: details, AcrMapping: { Level2: 'urn:corp:mfa' },
    }));
    assert.deepEqual(created.IdentityProvider.AcrMapping, { Level2: 'urn:corp:mfa' });
    const idpDesc = await idp.send(new DescribeIdentityProviderCommand({ UserPoolId: pool.Id, ProviderName: 'Corp' }));
    assert.deepEqual(idpDesc.IdentityProvider.AcrMapping, { Level2: 'urn:corp:mfa' });
  });
});
