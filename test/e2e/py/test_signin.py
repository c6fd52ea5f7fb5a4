"""Sign-in with boto3: ADMIN_USER_PASSWORD_AUTH and USER_PASSWORD_AUTH (with
and without SECRET_HASH), refresh, NEW_PASSWORD_REQUIRED, the
token-authorized account calls, sign-out, and the error codes and messages
botocore reads from the response."""

import base64
import hashlib
import hmac
import json
import unittest

from botocore.exceptions import ClientError

from harness import Cogito, needs, uniq

cogito = None


def setUpModule():
    global cogito
    cogito = Cogito()


def tearDownModule():
    cogito.stop()


FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def claims(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def secret_hash(client_id, secret, username):
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


class SignInTests(unittest.TestCase):
    # One pool for the class (each pool costs its signing keys); every test
    # makes its own users.
    @classmethod
    def setUpClass(cls):
        cls.idp = cogito.client()
        cls.pool = cls.idp.create_user_pool(PoolName=uniq("py-signin"))["UserPool"]["Id"]
        cls.client_id = cls.idp.create_user_pool_client(
            UserPoolId=cls.pool, ClientName="app", ExplicitAuthFlows=FLOWS)["UserPoolClient"]["ClientId"]

    def confirmed_user(self, password="Passw0rd!"):
        username = uniq("u")
        self.idp.admin_create_user(UserPoolId=self.pool, Username=username, MessageAction="SUPPRESS",
                                   TemporaryPassword="Temp-Passw0rd",
                                   UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"},
                                                   {"Name": "email_verified", "Value": "true"}])
        self.idp.admin_set_user_password(UserPoolId=self.pool, Username=username, Password=password, Permanent=True)
        return username

    def password_auth(self, username, password, **params):
        return self.idp.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": username, "PASSWORD": password, **params})

    def assertError(self, ctx, code, message=None):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def assertTokens(self, out):
        r = out["AuthenticationResult"]
        self.assertEqual(r["TokenType"], "Bearer")
        self.assertEqual(r["ExpiresIn"], 3600)
        self.assertNotIn("ChallengeName", out)
        return r

    @unittest.skipIf(*needs("AdminInitiateAuth", "InitiateAuth", "GetUser"))
    def test_admin_and_password_flows(self):
        username = self.confirmed_user()
        r = self.assertTokens(self.idp.admin_initiate_auth(
            UserPoolId=self.pool, ClientId=self.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": "Passw0rd!"}))
        idc = claims(r["IdToken"])
        self.assertEqual(idc["cognito:username"], username)
        self.assertEqual(idc["iss"], f"{cogito.url}/{self.pool}")
        self.assertEqual(idc["aud"], self.client_id)
        self.assertIs(idc["email_verified"], True)
        r = self.assertTokens(self.password_auth(username, "Passw0rd!"))
        self.assertEqual(claims(r["AccessToken"])["client_id"], self.client_id)
        user = self.idp.get_user(AccessToken=r["AccessToken"])
        self.assertEqual(user["Username"], username)
        attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
        self.assertEqual(attrs["email"], f"{username}@example.com")
        self.assertEqual(attrs["sub"], idc["sub"])

        # Refresh: new access and ID tokens, no new refresh token.
        again = self.assertTokens(self.idp.initiate_auth(
            ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": r["RefreshToken"]}))
        self.assertNotIn("RefreshToken", again)
        self.assertEqual(claims(again["AccessToken"])["origin_jti"], claims(r["AccessToken"])["origin_jti"])
        got = self.assertTokens(self.idp.get_tokens_from_refresh_token(ClientId=self.client_id, RefreshToken=r["RefreshToken"]))
        self.assertEqual(claims(got["IdToken"])["sub"], idc["sub"])

    @unittest.skipIf(*needs("InitiateAuth", "AdminInitiateAuth", "SignUp"))
    def test_error_codes(self):
        username = self.confirmed_user()
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.password_auth(username, "Wr0ng-Passw0rd!")
        self.assertError(ctx, "NotAuthorizedException", "Incorrect username or password.")
        with self.assertRaises(self.idp.exceptions.UserNotFoundException) as ctx:
            self.password_auth(uniq("nobody"), "Passw0rd!")
        self.assertError(ctx, "UserNotFoundException", "User does not exist.")
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.admin_initiate_auth(UserPoolId=self.pool, ClientId=self.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                         AuthParameters={"USERNAME": username, "PASSWORD": "Wr0ng-Passw0rd!"})
        self.assertError(ctx, "NotAuthorizedException", "Incorrect username or password.")

        pending = uniq("pending")
        self.idp.sign_up(ClientId=self.client_id, Username=pending, Password="Passw0rd!")
        with self.assertRaises(self.idp.exceptions.UserNotConfirmedException) as ctx:
            self.password_auth(pending, "Passw0rd!")
        self.assertError(ctx, "UserNotConfirmedException", "User is not confirmed.")

        other = self.confirmed_user()
        self.idp.admin_disable_user(UserPoolId=self.pool, Username=other)
        with self.assertRaises(ClientError) as ctx:
            self.password_auth(other, "Passw0rd!")
        self.assertError(ctx, "NotAuthorizedException", "User is disabled.")

        srp_only = self.idp.create_user_pool_client(UserPoolId=self.pool, ClientName="srp",
                                                    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
        with self.assertRaises(self.idp.exceptions.InvalidParameterException) as ctx:
            self.idp.initiate_auth(ClientId=srp_only["UserPoolClient"]["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": "Passw0rd!"})
        self.assertError(ctx, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": "garbage"})
        self.assertError(ctx, "NotAuthorizedException")

    @unittest.skipIf(*needs("InitiateAuth"))
    def test_secret_hash(self):
        client = self.idp.create_user_pool_client(UserPoolId=self.pool, ClientName="secret", GenerateSecret=True,
                                                  ExplicitAuthFlows=FLOWS)["UserPoolClient"]
        cid, secret = client["ClientId"], client["ClientSecret"]
        username = self.confirmed_user()
        auth = {"USERNAME": username, "PASSWORD": "Passw0rd!"}
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=auth)
        self.assertError(ctx, "NotAuthorizedException", f"Client {cid} is configured for secret but secret was not received")
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={**auth, "SECRET_HASH": secret_hash(cid, secret, "someone-else")})
        self.assertError(ctx, "NotAuthorizedException", f"Unable to verify secret hash for client {cid}")
        r = self.assertTokens(self.idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                                     AuthParameters={**auth, "SECRET_HASH": secret_hash(cid, secret, username)}))
        self.assertEqual(claims(r["IdToken"])["aud"], cid)

    @unittest.skipIf(*needs("AdminInitiateAuth", "AdminRespondToAuthChallenge"))
    def test_new_password_required(self):
        username = uniq("invited")
        self.idp.admin_create_user(UserPoolId=self.pool, Username=username, MessageAction="SUPPRESS",
                                   TemporaryPassword="Temp-Passw0rd")
        out = self.idp.admin_initiate_auth(UserPoolId=self.pool, ClientId=self.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                           AuthParameters={"USERNAME": username, "PASSWORD": "Temp-Passw0rd"})
        self.assertEqual(out["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.assertTrue(out["Session"])
        self.assertIsInstance(json.loads(out["ChallengeParameters"]["requiredAttributes"]), list)
        self.assertIsInstance(json.loads(out["ChallengeParameters"]["userAttributes"]), dict)
        done = self.idp.admin_respond_to_auth_challenge(
            UserPoolId=self.pool, ClientId=self.client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=out["Session"],
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": "Chosen-Passw0rd!"})
        self.assertTokens(done)
        self.assertEqual(self.idp.admin_get_user(UserPoolId=self.pool, Username=username)["UserStatus"], "CONFIRMED")

    @unittest.skipIf(*needs("InitiateAuth", "GetUser", "UpdateUserAttributes", "ChangePassword", "GlobalSignOut", "RevokeToken"))
    def test_account_calls_and_sign_out(self):
        username = self.confirmed_user()
        r = self.assertTokens(self.password_auth(username, "Passw0rd!"))
        self.idp.update_user_attributes(AccessToken=r["AccessToken"], UserAttributes=[{"Name": "name", "Value": "Py Person"}])
        attrs = {a["Name"]: a["Value"] for a in self.idp.get_user(AccessToken=r["AccessToken"])["UserAttributes"]}
        self.assertEqual(attrs["name"], "Py Person")
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.change_password(AccessToken=r["AccessToken"], PreviousPassword="Wr0ng-Passw0rd!", ProposedPassword="N3w-Passw0rd!")
        self.assertError(ctx, "NotAuthorizedException", "Incorrect username or password.")
        self.idp.change_password(AccessToken=r["AccessToken"], PreviousPassword="Passw0rd!", ProposedPassword="N3w-Passw0rd!")

        # RevokeToken ends that sign-in.
        s = self.assertTokens(self.password_auth(username, "N3w-Passw0rd!"))
        self.idp.revoke_token(ClientId=self.client_id, Token=s["RefreshToken"])
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.get_user(AccessToken=s["AccessToken"])
        self.assertError(ctx, "NotAuthorizedException", "Access Token has been revoked")

        # GlobalSignOut ends the rest.
        self.idp.global_sign_out(AccessToken=r["AccessToken"])
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException) as ctx:
            self.idp.get_user(AccessToken=r["AccessToken"])
        self.assertError(ctx, "NotAuthorizedException", "Access Token has been revoked")
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException):
            self.idp.initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": r["RefreshToken"]})
        with self.assertRaises(self.idp.exceptions.NotAuthorizedException):
            self.idp.get_user(AccessToken="not-a-token")


if __name__ == "__main__":
    unittest.main()
