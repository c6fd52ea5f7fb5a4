"""Identity pools as boto3 sees them: the admin operations (pool management,
roles, principal tags, tags, identities, developer identities) and the codes
and messages botocore reads, plus a user pool ID token exchanged for
credentials."""

import base64
import datetime
import json
import re
import unittest
import urllib.request

from botocore.exceptions import ClientError

from harness import Cogito, uniq

cogito = None

AUTH_ROLE = "arn:aws:iam::000000000000:role/CognitoAuth"
UNAUTH_ROLE = "arn:aws:iam::000000000000:role/CognitoUnauth"
DEV = "login.example.dev"
IDENTITY_ID = re.compile(r"^us-east-1:[0-9a-f-]{36}$")


def setUpModule():
    global cogito
    cogito = Cogito()


def tearDownModule():
    cogito.stop()


def claims(jwt):
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class IdentityTests(unittest.TestCase):
    def setUp(self):
        self.idp = cogito.client()
        self.ci = cogito.client("cognito-identity")

    def assertError(self, ctx, code, message=None):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        if message is not None:
            self.assertEqual(err["Message"], message)

    def minted(self, access_key_id):
        with urllib.request.urlopen(f"{cogito.url}/_cogito/credentials/{access_key_id}", timeout=10) as r:
            return json.load(r)

    def user_pool(self):
        pool = self.idp.create_user_pool(PoolName=uniq("py-ids"))["UserPool"]
        client = self.idp.create_user_pool_client(
            UserPoolId=pool["Id"], ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        username = uniq("u")
        self.idp.admin_create_user(UserPoolId=pool["Id"], Username=username, MessageAction="SUPPRESS", TemporaryPassword="Temp0rary!")
        self.idp.admin_set_user_password(UserPoolId=pool["Id"], Username=username, Password="Passw0rd!", Permanent=True)
        auth = self.idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": username, "PASSWORD": "Passw0rd!"})
        return pool["Id"], client["ClientId"], auth["AuthenticationResult"]["IdToken"]

    def identity_pool(self, provider, client_id, **kw):
        pool = self.ci.create_identity_pool(
            IdentityPoolName=uniq("py"), AllowUnauthenticatedIdentities=True, DeveloperProviderName=DEV,
            CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client_id, "ServerSideTokenCheck": False}], **kw,
        )
        self.ci.set_identity_pool_roles(IdentityPoolId=pool["IdentityPoolId"],
                                        Roles={"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE})
        return pool["IdentityPoolId"]

    def test_admin_operations(self):
        user_pool, client_id, id_token = self.user_pool()
        provider = f"cognito-idp.us-east-1.amazonaws.com/{user_pool}"
        pool_id = self.identity_pool(provider, client_id, IdentityPoolTags={"env": "test"})

        described = self.ci.describe_identity_pool(IdentityPoolId=pool_id)
        self.assertEqual(described["DeveloperProviderName"], DEV)
        self.assertEqual(described["IdentityPoolTags"], {"env": "test"})
        self.assertIn(pool_id, [p["IdentityPoolId"] for p in self.ci.list_identity_pools(MaxResults=60)["IdentityPools"]])
        roles = self.ci.get_identity_pool_roles(IdentityPoolId=pool_id)
        self.assertEqual(roles["Roles"], {"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE})
        self.ci.set_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider,
                                                UseDefaults=False, PrincipalTags={"user": "sub"})
        self.assertEqual(self.ci.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider)["PrincipalTags"],
                         {"user": "sub"})
        arn = f"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{pool_id}"
        self.ci.tag_resource(ResourceArn=arn, Tags={"team": "py"})
        self.assertEqual(self.ci.list_tags_for_resource(ResourceArn=arn)["Tags"], {"env": "test", "team": "py"})
        self.ci.untag_resource(ResourceArn=arn, TagKeys=["env"])

        # A user pool login: credentials for the identity, with the mapped tag.
        logins = {provider: id_token}
        identity_id = self.ci.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
        self.assertRegex(identity_id, IDENTITY_ID)
        out = self.ci.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
        creds = out["Credentials"]
        self.assertEqual(out["IdentityId"], identity_id)
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertIsInstance(creds["Expiration"], datetime.datetime)
        rec = self.minted(creds["AccessKeyId"])
        self.assertEqual(rec["RoleArn"], AUTH_ROLE)
        self.assertEqual(rec["PrincipalTags"], {"user": claims(id_token)["sub"]})
        desc = self.ci.describe_identity(IdentityId=identity_id)
        self.assertEqual(desc["Logins"], [provider])
        self.assertIsInstance(desc["CreationDate"], datetime.datetime)

        # Developer identities.
        dev = self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={DEV: "py-dev-1"}, TokenDuration=300)
        tok = claims(dev["Token"])
        self.assertEqual((tok["sub"], tok["aud"], tok["exp"] - tok["iat"]), (dev["IdentityId"], pool_id, 300))
        dev2 = self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={DEV: "py-dev-2"})
        self.assertEqual(self.ci.lookup_developer_identity(IdentityPoolId=pool_id, DeveloperUserIdentifier="py-dev-2")["IdentityId"],
                         dev2["IdentityId"])
        merged = self.ci.merge_developer_identities(IdentityPoolId=pool_id, DeveloperProviderName=DEV,
                                                    SourceUserIdentifier="py-dev-2", DestinationUserIdentifier="py-dev-1")
        self.assertEqual(merged["IdentityId"], dev["IdentityId"])
        ids = self.ci.lookup_developer_identity(IdentityPoolId=pool_id, IdentityId=dev["IdentityId"], MaxResults=10)
        self.assertEqual(sorted(ids["DeveloperUserIdentifierList"]), ["py-dev-1", "py-dev-2"])
        self.ci.unlink_developer_identity(IdentityId=dev["IdentityId"], IdentityPoolId=pool_id, DeveloperProviderName=DEV,
                                          DeveloperUserIdentifier="py-dev-2")
        with self.assertRaises(ClientError) as ctx:
            self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, IdentityId=identity_id, Logins={DEV: "py-dev-1"})
        self.assertError(ctx, "DeveloperUserAlreadyRegisteredException")

        # Listing, HideDisabled, deletion.
        listed = self.ci.list_identities(IdentityPoolId=pool_id, MaxResults=60)
        self.assertEqual(listed["IdentityPoolId"], pool_id)
        all_ids = {i["IdentityId"] for i in listed["Identities"]}
        self.assertTrue({identity_id, dev["IdentityId"], dev2["IdentityId"]} <= all_ids)
        visible = {i["IdentityId"] for i in self.ci.list_identities(IdentityPoolId=pool_id, MaxResults=60, HideDisabled=True)["Identities"]}
        self.assertNotIn(dev2["IdentityId"], visible)
        page = self.ci.list_identities(IdentityPoolId=pool_id, MaxResults=1)
        self.assertEqual(len(page["Identities"]), 1)
        self.assertIn("NextToken", page)
        self.assertEqual(self.ci.delete_identities(IdentityIdsToDelete=[dev2["IdentityId"]])["UnprocessedIdentityIds"], [])
        with self.assertRaises(ClientError) as ctx:
            self.ci.describe_identity(IdentityId=dev2["IdentityId"])
        self.assertError(ctx, "ResourceNotFoundException", f"Identity '{dev2['IdentityId']}' not found.")

        # UnlinkIdentity, unsigned, with the identity's own login.
        self.ci.unlink_identity(IdentityId=identity_id, Logins=logins, LoginsToRemove=[provider])
        with self.assertRaises(ClientError) as ctx:
            self.ci.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
        self.assertError(ctx, "NotAuthorizedException", f"Access to Identity '{identity_id}' is forbidden.")

        self.ci.delete_identity_pool(IdentityPoolId=pool_id)
        with self.assertRaises(ClientError) as ctx:
            self.ci.list_identities(IdentityPoolId=pool_id, MaxResults=10)
        self.assertError(ctx, "ResourceNotFoundException", f"IdentityPool '{pool_id}' not found.")

    def test_errors_botocore_reads(self):
        user_pool, client_id, id_token = self.user_pool()
        provider = f"cognito-idp.us-east-1.amazonaws.com/{user_pool}"
        pool_id = self.identity_pool(provider, client_id, AllowClassicFlow=False)
        guest = self.ci.get_id(IdentityPoolId=pool_id)["IdentityId"]
        rec = self.minted(self.ci.get_credentials_for_identity(IdentityId=guest)["Credentials"]["AccessKeyId"])
        self.assertEqual((rec["RoleArn"], rec["Authenticated"]), (UNAUTH_ROLE, False))
        with self.assertRaises(ClientError) as ctx:
            self.ci.get_open_id_token(IdentityId=guest)
        self.assertError(ctx, "InvalidParameterException", "Basic (classic) flow is not enabled, please use enhanced flow.")
        with self.assertRaises(ClientError) as ctx:
            self.ci.get_id(IdentityPoolId=pool_id, Logins={provider: "garbage"})
        self.assertError(ctx, "NotAuthorizedException", "Invalid login token. Not a valid OpenId Connect identity token.")
        with self.assertRaises(ClientError) as ctx:
            self.ci.get_id(IdentityPoolId=pool_id, Logins={"cognito-idp.us-east-1.amazonaws.com/us-east-1_Other": id_token})
        self.assertError(ctx, "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
        with self.assertRaises(ClientError) as ctx:
            self.ci.lookup_developer_identity(IdentityPoolId=pool_id)
        self.assertError(ctx, "InvalidParameterException")
        self.ci.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={})
        with self.assertRaises(ClientError) as ctx:
            self.ci.get_credentials_for_identity(IdentityId=guest)
        self.assertError(ctx, "InvalidIdentityPoolConfigurationException",
                         "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
        # Server-side validation botocore leaves to the service.
        strict = cogito.client("cognito-identity", validate=False)
        with self.assertRaises(ClientError) as ctx:
            strict.list_identities(IdentityPoolId=pool_id, MaxResults=0)
        self.assertError(ctx, "InvalidParameterException")


if __name__ == "__main__":
    unittest.main()
