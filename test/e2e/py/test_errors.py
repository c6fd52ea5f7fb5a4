"""Errors as botocore parses them, and botocore's own validation staying out
of the way of the server's."""

import unittest

from botocore.exceptions import ClientError, ParamValidationError

from harness import ACCESS_KEY, SECRET_KEY, Cogito, needs

cogito = None


def setUpModule():
    global cogito
    cogito = Cogito()


def tearDownModule():
    cogito.stop()


class ErrorTests(unittest.TestCase):
    def setUp(self):
        self.idp = cogito.client()
        # Client-side validation off: the request reaches the server as written.
        self.raw = cogito.client(validate=False)

    def assertServerError(self, ctx, code, message_part):
        resp = ctx.exception.response
        self.assertEqual(resp["Error"]["Code"], code, resp["Error"])
        self.assertIn(message_part, resp["Error"]["Message"])
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertTrue(resp["ResponseMetadata"]["RequestId"], "request id")

    def test_server_validation_without_client_validation(self):
        with self.assertRaises(ClientError) as ctx:
            self.raw.create_user_pool()
        self.assertServerError(ctx, "InvalidParameterException",
                               "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: "
                               "Member must not be null")
        with self.assertRaises(ClientError) as ctx:
            self.raw.create_user_pool(PoolName="")
        self.assertServerError(ctx, "InvalidParameterException",
                               "Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1")
        with self.assertRaises(ClientError) as ctx:
            self.raw.list_user_pools(MaxResults=0)
        self.assertServerError(ctx, "InvalidParameterException",
                               "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1")
        with self.assertRaises(self.raw.exceptions.InvalidParameterException):
            self.raw.describe_user_pool(UserPoolId="")

    def test_server_checks_what_botocore_does_not(self):
        # botocore checks required members, types and minimums; patterns and
        # maximums are left to the service.
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_user_pool(PoolName="bad/name!")
        self.assertServerError(ctx, "InvalidParameterException",
                               "Value 'bad/name!' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern")
        with self.assertRaises(ClientError) as ctx:
            self.idp.list_user_pools(MaxResults=61)
        self.assertServerError(ctx, "InvalidParameterException",
                               "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
        with self.assertRaises(ClientError) as ctx:
            self.idp.describe_user_pool(UserPoolId="not a pool id")
        self.assertServerError(ctx, "InvalidParameterException", "at 'userPoolId' failed to satisfy constraint")

    def test_botocore_validation_still_applies(self):
        with self.assertRaises(ParamValidationError):
            self.idp.create_user_pool(PoolName="")
        with self.assertRaises(ParamValidationError):
            self.idp.list_user_pools()

    @unittest.skipIf(*needs("DescribeUserPool"))
    def test_not_found(self):
        with self.assertRaises(ClientError) as ctx:
            self.idp.describe_user_pool(UserPoolId="us-east-1_NoSuchPool2")
        self.assertServerError(ctx, "ResourceNotFoundException", "us-east-1_NoSuchPool2")

    def test_identity_pools_client(self):
        identity = cogito.client("cognito-identity")
        with self.assertRaises(ClientError) as ctx:
            identity.describe_identity_pool(IdentityPoolId="not-an-identity-pool")
        self.assertServerError(ctx, "InvalidParameterException", "at 'identityPoolId' failed to satisfy constraint")
        try:
            identity.list_identity_pools(MaxResults=10)
        except ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "NotImplementedException")
            self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 501)


class SigV4Tests(unittest.TestCase):
    """botocore signs differently from the other SDKs (it signs Content-Length,
    for one); with IAM credentials configured the server must verify it."""

    @classmethod
    def setUpClass(cls):
        cls.server = Cogito(extra_args=["--iam-credentials", f"{ACCESS_KEY}:{SECRET_KEY}"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_signatures(self):
        self.assertIn("UserPools", self.server.client().list_user_pools(MaxResults=5))
        with self.assertRaises(ClientError) as ctx:
            self.server.client(secret_key="not-the-secret").list_user_pools(MaxResults=5)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidSignatureException")
        with self.assertRaises(ClientError) as ctx:
            self.server.client(access_key="AKIDUNKNOWN").list_user_pools(MaxResults=5)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "UnrecognizedClientException")
        # The identity-pool API is checked too.
        with self.assertRaises(ClientError) as ctx:
            self.server.client("cognito-identity", secret_key="not-the-secret").list_identity_pools(MaxResults=5)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidSignatureException")


if __name__ == "__main__":
    unittest.main()
