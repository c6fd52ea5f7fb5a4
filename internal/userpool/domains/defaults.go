package domains

// This file gathers the facts about Cognito that the package imitates: limits,
// formats and the client-visible messages. Each one says where it comes from.
// "(unverified)" means it rests on third-party reports, emulators or
// reasoning, not on AWS documentation or a recorded response of the live
// service; correct it here when better evidence turns up.
//
// Behaviour chosen from documentation or reports, with no switch:
//   - A pool has at most one prefix domain and one custom domain at a time
//     (DescribeUserPool shows them as Domain and CustomDomain). A domain name
//     is unique across every pool: a prefix or custom domain of another pool
//     answers "Domain already associated with another user pool." (observed,
//     InvalidParameterException, in many CloudFormation/CDK reports).
//   - A request with CustomDomainConfig creates a custom domain (the Domain is
//     then a fully-qualified name); without it, a prefix domain (API
//     reference, CreateUserPoolDomain).
//   - A prefix domain may not contain the reserved words aws, amazon or cognito
//     ("Domain cannot contain reserved word: aws", observed).
//   - DeleteUserPool is refused while the pool has a domain: "User pool cannot
//     be deleted. It has a domain configured that should be deleted first."
//     (observed, InvalidParameterException; Terraform and aws-nuke reports).
//   - DescribeUserPoolDomain of a domain no pool has answers
//     {"DomainDescription": {}} (the AWS CLI and SDKs rely on it to test for
//     availability; the Terraform provider reads an empty description as
//     "gone").
//   - Every domain is ACTIVE at once: Cogito has no CloudFront distribution
//     to wait for.
//
// Chosen without confirmation (unverified), with no switch:
//   - CloudFrontDomain / CloudFrontDistribution: Cognito answers the name of a
//     CloudFront distribution ("d111111abcdef8.cloudfront.net"). Cogito makes
//     a stable fake one from the domain name: "d" + 13 lowercase base-32
//     characters of its SHA-256 + ".cloudfront.net". Nothing is served there;
//     point a test's DNS (or /etc/hosts) at Cogito for the custom domain itself.
//   - DescribeUserPoolDomain shows S3Bucket and Version for every domain (the
//     AWS CLI example shows "aws-cognito-prod-pdx-assets" and "20190128175402"
//     for a us-west-2 custom domain): S3Bucket from the region's airport code,
//     Version the domain's creation time as yyyyMMddHHmmss.
//   - ManagedLoginVersion defaults to 1 (hosted UI classic) when
//     CreateUserPoolDomain omits it; UpdateUserPoolDomain without it keeps
//     the domain's version. Version 2 needs a pool tier other than LITE (API
//     reference) and answers FeatureUnavailableInTierException otherwise.
//   - A custom domain's certificate must be an ACM certificate ARN in
//     us-east-1; Cogito checks only its shape (there is no ACM to ask). It
//     does not resolve the parent domain either (Cognito requires an A record
//     for it).
//   - The documented quota of four custom domains per account is not applied
//     (Cogito has one account and tests create many pools).
//   - Routing (failover of a replicated pool's custom domain to a secondary
//     Region on a Route 53 health check) and CustomDomainConfig's
//     SecurityPolicy (the CloudFront TLS policy: TLS_V1, TLS_V1_2_2021,
//     TLS_V1_3_2025) are checked, stored and returned; Cogito serves every
//     Region itself, so neither changes how it answers. Routing needs a
//     custom domain (documented), a secondary Region other than the pool's
//     and one where the pool has a replica (unverified). A domain created
//     without SecurityPolicy shows none (unverified); an update without
//     Routing, or whose CustomDomainConfig has no SecurityPolicy, keeps it.
//   - Update and Delete of a domain that the pool does not have answer
//     InvalidParameterException "No such domain or user pool exists."
//     (reported wording).

// Limits and formats.
const (
	// maxPrefixLen is DomainType's documented length (1–63).
	maxPrefixLen = 63
	// maxCustomDomainLen is the longest fully-qualified name the service
	// accepts for a custom domain (DNS: 253) (unverified). Over the wire the
	// generated validator still applies DomainType's length of 63 first.
	maxCustomDomainLen = 253
	// DefaultManagedLoginVersion is the version of a domain created without
	// one (unverified).
	DefaultManagedLoginVersion = 1
	// certificateRegion is where Cognito requires custom-domain certificates
	// (API reference: "The certificate must be an ACM ARN in us-east-1").
	certificateRegion = "us-east-1"
)

// reservedWords may not appear in a prefix domain (observed message
// "Domain cannot contain reserved word: aws"; amazon and cognito are the
// other words the console refuses).
var reservedWords = []string{"aws", "amazon", "cognito"}

// s3Airports maps regions to the airport codes in Cognito's asset bucket
// names ("aws-cognito-prod-pdx-assets" for us-west-2) (unverified beyond
// pdx; regions not listed use the region name).
var s3Airports = map[string]string{
	"us-east-1": "iad", "us-east-2": "cmh", "us-west-1": "sfo", "us-west-2": "pdx",
	"eu-west-1": "dub", "eu-west-2": "lhr", "eu-west-3": "cdg", "eu-central-1": "fra",
	"eu-north-1": "arn", "ap-northeast-1": "nrt", "ap-northeast-2": "icn", "ap-south-1": "bom",
	"ap-southeast-1": "sin", "ap-southeast-2": "syd", "ca-central-1": "yul", "sa-east-1": "gru",
}

// Client-visible messages.
const (
	// msgDomainTaken answers a domain name another pool has (observed).
	msgDomainTaken = "Domain already associated with another user pool."
	// msgPoolHasDomain answers a second prefix (or custom) domain for a pool
	// (reported wording, unverified).
	msgPoolHasDomain = "User pool already has a domain configured."
	// msgReservedWord: the reserved word (observed).
	msgReservedWord = "Domain cannot contain reserved word: %s"
	// msgInvalidPrefix answers a prefix domain with characters outside the
	// documented pattern (observed).
	msgInvalidPrefix = "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$"
	// msgInvalidCustomDomain answers a custom domain that is not a
	// fully-qualified host name (unverified).
	msgInvalidCustomDomain = "The custom domain name is not a valid fully-qualified domain name."
	// msgBadCertificate answers a certificate that is not an ACM certificate in
	// us-east-1 (reported wording).
	msgBadCertificate = "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain."
	// msgBadManagedLoginVersion: the version (unverified).
	msgBadManagedLoginVersion = "Invalid ManagedLoginVersion %d. Valid values are 1 and 2."
	// msgManagedLoginTier answers version 2 on a LITE pool (unverified wording;
	// the rule is documented).
	msgManagedLoginTier = "Managed login (ManagedLoginVersion 2) is not available for user pools on the Lite feature plan."
	// msgNoSuchDomain answers Update/Delete of a domain the pool does not have
	// (reported wording, unverified).
	msgNoSuchDomain = "No such domain or user pool exists."
	// msgNotCustom answers a CustomDomainConfig for a prefix domain in
	// UpdateUserPoolDomain (unverified).
	msgNotCustom = "CustomDomainConfig can only be updated for a custom domain."
	// msgPoolHasDomains refuses DeleteUserPool while a domain exists (observed).
	msgPoolHasDomains = "User pool cannot be deleted. It has a domain configured that should be deleted first."
	// msgRoutingNotCustom answers Routing for a prefix domain (unverified
	// wording; documented: "The routing configuration is currently only
	// supported for custom domains").
	msgRoutingNotCustom = "Routing configuration is only supported for custom domains."
	// msgFailoverSameRegion answers a failover to the pool's own Region
	// (unverified).
	msgFailoverSameRegion = "The failover SecondaryRegion %s must differ from the user pool's Region."
	// msgFailoverNoReplica answers a failover to a Region where the pool has
	// no replica (unverified): the pool, the Region.
	msgFailoverNoReplica = "User pool %s has no replica in the failover SecondaryRegion %s."
)

// maxHealthCheckIDLen is FailoverType.PrimaryRoute53HealthCheckId's
// documented maximum length.
const maxHealthCheckIDLen = 64

// Resource kind the domains are stored under (storage.ResourceStore). The ID
// is the domain's kind within its pool (one of each), the LookupKey its name.
const resourceKind = "domain"
