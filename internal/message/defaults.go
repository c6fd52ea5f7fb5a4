package message

import "time"

// This file gathers the facts about Cognito's messages that the package
// imitates, each with where it comes from. "(unverified)" means it rests on
// third-party reports, console behaviour or reasoning, not on AWS
// documentation or a recorded response of the live service; correct it here
// when better evidence turns up.

// Placeholders Cognito fills in templates.
const (
	// CodePlaceholder stands for the code (or, in an invitation, the
	// temporary password). Documented.
	CodePlaceholder = "{####}"
	// UsernamePlaceholder stands for the username; Cognito fills it in
	// invitations only ("{username} can't be used in verification emails",
	// developer guide, message templates), elsewhere it stays as typed.
	UsernamePlaceholder = "{username}"
	// Link placeholders are "{##Link text##}"; documented for
	// CONFIRM_WITH_LINK templates, the text between the marks is free.
)

// Default texts: what a pool without a template of its own sends.
const (
	// DefaultVerificationEmailSubject, DefaultVerificationEmailMessage and
	// DefaultVerificationSMSMessage are what DescribeUserPool showed for a
	// pool created without templates (AWS CLI describe-user-pool example);
	// note the trailing space.
	DefaultVerificationEmailSubject = "Your verification code"
	DefaultVerificationEmailMessage = "Your verification code is {####}. "
	DefaultVerificationSMSMessage   = "Your verification code is {####}. "

	// DefaultLinkEmailSubject and DefaultLinkEmailMessage are the console's
	// defaults for CONFIRM_WITH_LINK, as exported into many Terraform
	// configurations (unverified as what the API uses when the pool has no
	// EmailMessageByLink).
	DefaultLinkEmailSubject = "Your verification link"
	DefaultLinkEmailMessage = "Please click the link below to verify your email address. {##Verify Email##} "

	// DefaultForgotPasswordEmailSubject and DefaultForgotPasswordEmailMessage
	// are observed in a real email of a pool without a verification message
	// ("Subject: Your verification code / Your password reset code is
	// 039126", a public issue report, 2022). A pool's own verification
	// template replaces them ("it sends the same exact email whether the
	// user created a new account or forgot a password", Cognito team in
	// amazon-cognito-identity-js #62).
	DefaultForgotPasswordEmailSubject = "Your verification code"
	DefaultForgotPasswordEmailMessage = "Your password reset code is {####}"
	// DefaultForgotPasswordSMSMessage mirrors the email (unverified).
	DefaultForgotPasswordSMSMessage = "Your password reset code is {####}"

	// DefaultInviteEmailSubject, DefaultInviteEmailMessage and
	// DefaultInviteSMSMessage are what DescribeUserPool showed in
	// AdminCreateUserConfig.InviteMessageTemplate of a pool created without
	// one (AWS CLI describe-user-pool example).
	DefaultInviteEmailSubject = "Your temporary password"
	DefaultInviteEmailMessage = "Your username is {username} and temporary password is {####}. "
	DefaultInviteSMSMessage   = "Your username is {username} and temporary password is {####}. "

	// DefaultAuthenticationSMSMessage is the pool's SmsAuthenticationMessage
	// when none was set (AWS CLI describe-user-pool example).
	DefaultAuthenticationSMSMessage = "Your authentication code is {####}. "
	// DefaultAuthenticationEmailSubject and DefaultAuthenticationEmailMessage
	// are used for email MFA / email OTP sign-in when EmailMfaConfiguration
	// has none; the API reference only says "the default format"
	// (unverified: modelled on the SMS text).
	DefaultAuthenticationEmailSubject = "Your authentication code"
	DefaultAuthenticationEmailMessage = "Your authentication code is {####}. "

	// DefaultFrom is the sender of a pool using Cognito's own email account
	// (EmailSendingAccount COGNITO_DEFAULT): observed as the From of real
	// Cognito emails. Used when neither the configuration nor the pool
	// names a sender.
	DefaultFrom = "no-reply@verificationemail.com"
)

// Behaviour choices that rest on reports rather than documentation.
const (
	// attributeCodesNeverLink: codes for attribute verification
	// (GetUserAttributeVerificationCode, UpdateUserAttributes) and forgot
	// password are always codes, even in a CONFIRM_WITH_LINK pool; only
	// sign-up confirmation sends a link (unverified; the Cognito team said
	// in 2018 that forgot-password links are not supported).
	attributeCodesNeverLink = true
	// subjectsAreLiteral: placeholders are not filled in subjects (a public
	// report: "{####} in the subject ... it's not replacing the code").
	subjectsAreLiteral = true
)

// Code lifetimes (reference facts §5.3).
const (
	// SignUpCodeTTL: a sign-up confirmation code is valid for 24 hours.
	SignUpCodeTTL = 24 * time.Hour
	// AttributeCodeTTL: an attribute verification code is valid for 24 hours.
	AttributeCodeTTL = 24 * time.Hour
	// ForgotPasswordCodeTTL: a forgot-password code is valid for 1 hour.
	ForgotPasswordCodeTTL = time.Hour
	// AuthenticationCodeTTL: an SMS/email MFA or OTP sign-in code lives as
	// long as the sign-in session, 3 minutes by default (unverified).
	AuthenticationCodeTTL = 3 * time.Minute
)

// CodeLength is the number of digits of a code (observed: 6).
const CodeLength = 6
