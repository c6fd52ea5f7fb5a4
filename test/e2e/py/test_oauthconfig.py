"""The managed-login and OAuth configuration surface as boto3 sees it:
domains, resource servers, identity providers and provider links, UI
customization and managed login branding."""

import json
import unittest
import urllib.request

from botocore.exceptions import ClientError

from harness import Cogito, needs, uniq

cogito = None

# A 1x1 PNG.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082"
)


def setUpModule():
    global cogito
    cogito = Cogito()


def tearDownModule():
    cogito.stop()


class OAuthConfigTests(unittest.TestCase):
    def setUp(self):
        self.idp = cogito.client()

    def pool(self):
        return self.idp.create_user_pool(PoolName=uniq("py-oauth"))["UserPool"]["Id"]

    def assertError(self, ctx, code, fragment=""):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        self.assertIn(fragment, err["Message"])
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    @unittest.skipIf(*needs("CreateUserPoolDomain", "DescribeUserPoolDomain", "UpdateUserPoolDomain", "DeleteUserPoolDomain"))
    def test_domains(self):
        pool_id = self.pool()
        prefix = uniq("py-login")
        out = self.idp.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
        self.assertEqual(out["ManagedLoginVersion"], 1)
        self.assertNotIn("CloudFrontDomain", out)
        desc = self.idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
        self.assertEqual(desc["UserPoolId"], pool_id)
        self.assertEqual(desc["Status"], "ACTIVE")
        self.assertTrue(desc["CloudFrontDistribution"].endswith(".cloudfront.net"))
        self.assertEqual(self.idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"], prefix)
        # A free name describes as empty: how tools test availability.
        self.assertEqual(self.idp.describe_user_pool_domain(Domain=uniq("py-free"))["DomainDescription"], {})

        other = self.pool()
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_user_pool_domain(UserPoolId=other, Domain=prefix)
        self.assertError(ctx, "InvalidParameterException", "Domain already associated with another user pool.")
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_user_pool_domain(UserPoolId=other, Domain=uniq("amazon-py"))
        self.assertError(ctx, "InvalidParameterException", "Domain cannot contain reserved word: amazon")

        out = self.idp.update_user_pool_domain(UserPoolId=pool_id, Domain=prefix, ManagedLoginVersion=2)
        self.assertEqual(out["ManagedLoginVersion"], 2)
        with self.assertRaises(ClientError) as ctx:
            self.idp.delete_user_pool(UserPoolId=pool_id)
        self.assertError(ctx, "InvalidParameterException", "It has a domain configured that should be deleted first.")
        self.idp.delete_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
        self.idp.delete_user_pool(UserPoolId=pool_id)
        self.idp.delete_user_pool(UserPoolId=other)

    @unittest.skipIf(*needs("CreateUserPoolDomain", "DescribeUserPoolDomain", "DeleteUserPoolDomain"))
    def test_custom_domain(self):
        pool_id = self.pool()
        name = uniq("auth") + ".example.org"
        cert = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
        out = self.idp.create_user_pool_domain(UserPoolId=pool_id, Domain=name, CustomDomainConfig={"CertificateArn": cert})
        self.assertTrue(out["CloudFrontDomain"].endswith(".cloudfront.net"))
        desc = self.idp.describe_user_pool_domain(Domain=name)["DomainDescription"]
        self.assertEqual(desc["CustomDomainConfig"]["CertificateArn"], cert)
        self.assertEqual(desc["CloudFrontDistribution"], out["CloudFrontDomain"])
        self.assertEqual(self.idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["CustomDomain"], name)
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_user_pool_domain(UserPoolId=self.pool(), Domain=uniq("auth") + ".example.org",
                                             CustomDomainConfig={"CertificateArn": cert.replace("us-east-1", "eu-west-1")})
        self.assertError(ctx, "InvalidParameterException", "isn't in us-east-1 region")
        self.idp.delete_user_pool_domain(UserPoolId=pool_id, Domain=name)
        self.idp.delete_user_pool(UserPoolId=pool_id)

    @unittest.skipIf(*needs("CreateResourceServer", "ListResourceServers", "UpdateResourceServer", "DeleteResourceServer"))
    def test_resource_servers_and_client_scopes(self):
        pool_id = self.pool()
        rs = self.idp.create_resource_server(
            UserPoolId=pool_id, Identifier="inventory", Name="Inventory",
            Scopes=[{"ScopeName": "read", "ScopeDescription": "Read stock"}],
        )["ResourceServer"]
        self.assertEqual(rs["Scopes"], [{"ScopeName": "read", "ScopeDescription": "Read stock"}])
        cl = self.idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["inventory/read"],
        )["UserPoolClient"]
        self.assertEqual(cl["AllowedOAuthScopes"], ["inventory/read"])
        with self.assertRaises(ClientError) as ctx:
            self.idp.update_user_pool_client(
                UserPoolId=pool_id, ClientId=cl["ClientId"], AllowedOAuthFlowsUserPoolClient=True,
                AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["inventory/write"],
            )
        self.assertError(ctx, "ScopeDoesNotExistException", "Invalid scope requested: inventory/write")
        self.idp.update_resource_server(UserPoolId=pool_id, Identifier="inventory", Name="Stock")
        listed = self.idp.list_resource_servers(UserPoolId=pool_id, MaxResults=10)["ResourceServers"]
        self.assertEqual([(r["Identifier"], r["Name"], r["Scopes"]) for r in listed], [("inventory", "Stock", [])])
        self.idp.delete_resource_server(UserPoolId=pool_id, Identifier="inventory")
        with self.assertRaises(ClientError) as ctx:
            self.idp.describe_resource_server(UserPoolId=pool_id, Identifier="inventory")
        self.assertError(ctx, "ResourceNotFoundException")

    @unittest.skipIf(*needs("CreateIdentityProvider", "AdminLinkProviderForUser", "AdminDisableProviderForUser"))
    def test_identity_providers_and_links(self):
        pool_id = self.pool()
        saml_metadata = (
            '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.org">'
            '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            '<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.org/sso"/>'
            "</IDPSSODescriptor></EntityDescriptor>"
        )
        p = self.idp.create_identity_provider(
            UserPoolId=pool_id, ProviderName="Corp", ProviderType="SAML",
            ProviderDetails={"MetadataFile": saml_metadata}, AttributeMapping={"email": "mail"}, IdpIdentifiers=["corp.example.org"],
        )["IdentityProvider"]
        self.assertEqual(p["ProviderDetails"]["SSORedirectBindingURI"], "https://idp.example.org/sso")
        got = self.idp.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="corp.example.org")["IdentityProvider"]
        self.assertEqual(got["ProviderName"], "Corp")
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_identity_provider(
                UserPoolId=pool_id, ProviderName="Corp", ProviderType="SAML", ProviderDetails={"MetadataFile": saml_metadata})
        self.assertError(ctx, "DuplicateProviderException", f"Corp already exists in user pool {pool_id}")

        self.idp.admin_create_user(UserPoolId=pool_id, Username="rita", MessageAction="SUPPRESS",
                                   UserAttributes=[{"Name": "email", "Value": "rita@example.org"}])
        self.idp.admin_link_provider_for_user(
            UserPoolId=pool_id,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "rita"},
            SourceUser={"ProviderName": "Corp", "ProviderAttributeName": "email", "ProviderAttributeValue": "rita@corp.example.org"},
        )
        attrs = {a["Name"]: a["Value"] for a in self.idp.admin_get_user(UserPoolId=pool_id, Username="rita")["UserAttributes"]}
        identities = json.loads(attrs["identities"])
        self.assertEqual(identities[0]["providerName"], "Corp")
        self.assertEqual(identities[0]["providerType"], "SAML")
        self.assertEqual(identities[0]["userId"], "rita@corp.example.org")
        with self.assertRaises(ClientError) as ctx:
            self.idp.admin_link_provider_for_user(
                UserPoolId=pool_id,
                DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "rita"},
                SourceUser={"ProviderName": "Corp", "ProviderAttributeName": "phone_number", "ProviderAttributeValue": "+15555550123"},
            )
        self.assertError(ctx, "InvalidParameterException", "phone_number")
        self.idp.admin_disable_provider_for_user(
            UserPoolId=pool_id, User={"ProviderName": "Corp", "ProviderAttributeName": "email", "ProviderAttributeValue": "rita@corp.example.org"})
        attrs = {a["Name"]: a["Value"] for a in self.idp.admin_get_user(UserPoolId=pool_id, Username="rita")["UserAttributes"]}
        self.assertNotIn("identities", attrs)
        self.idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
        self.assertEqual(self.idp.list_identity_providers(UserPoolId=pool_id)["Providers"], [])

    @unittest.skipIf(*needs("SetUICustomization", "GetUICustomization", "CreateManagedLoginBranding"))
    def test_ui_customization_and_branding(self):
        pool_id = self.pool()
        self.idp.create_user_pool_domain(UserPoolId=pool_id, Domain=uniq("py-ui"))
        client_id = self.idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]
        css = ".background-customizable { background-color: #eeeeee; }"
        ui = self.idp.set_ui_customization(UserPoolId=pool_id, ClientId=client_id, CSS=css, ImageFile=TINY_PNG)["UICustomization"]
        self.assertEqual(ui["ClientId"], client_id)
        self.assertEqual(ui["CSS"], css)
        got = self.idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)["UICustomization"]
        self.assertEqual(got["ImageUrl"], ui["ImageUrl"])
        path = ui["ImageUrl"][ui["ImageUrl"].index("/_cogito/"):]
        with urllib.request.urlopen(cogito.url + path) as resp:
            self.assertEqual(resp.headers["Content-Type"], "image/png")
            self.assertEqual(resp.read(), TINY_PNG)
        self.assertEqual(self.idp.get_ui_customization(UserPoolId=pool_id)["UICustomization"], {})
        with self.assertRaises(ClientError) as ctx:
            self.idp.set_ui_customization(UserPoolId=pool_id, CSS="body { color: red; }")
        self.assertError(ctx, "InvalidParameterException", "body")

        style = self.idp.create_managed_login_branding(
            UserPoolId=pool_id, ClientId=client_id, Settings={"components": {"form": {"borderRadius": 12}}},
        )["ManagedLoginBranding"]
        self.assertEqual(style["Settings"], {"components": {"form": {"borderRadius": 12}}})
        self.assertFalse(style["UseCognitoProvidedValues"])
        by_client = self.idp.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)["ManagedLoginBranding"]
        self.assertEqual(by_client["ManagedLoginBrandingId"], style["ManagedLoginBrandingId"])
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True)
        self.assertError(ctx, "ManagedLoginBrandingExistsException")
        out = self.idp.update_managed_login_branding(
            UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBrandingId"], UseCognitoProvidedValues=True)
        self.assertTrue(out["ManagedLoginBranding"]["UseCognitoProvidedValues"])
        self.assertNotIn("Settings", out["ManagedLoginBranding"])
        self.idp.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBrandingId"])


if __name__ == "__main__":
    unittest.main()
