package hostedui

import "time"

// Page titles and the sentences people read. Cognito's own error messages
// (NotAuthorizedException "Incorrect username or password.", ...) are shown
// as the operations answer them; these are the pages' own words.
const (
	titleLogin       = "Sign in"
	titleMFA         = "Verify it's you"
	titleSetup       = "Set up a second sign-in step"
	titleNewPassword = "Change your password"
	titleSignUp      = "Sign up"
	titleConfirm     = "Confirm your account"
	titleForgot      = "Forgot your password?"
	titleReset       = "Reset your password"
	titleError       = "Something went wrong"

	msgNoSite               = "There is no sign-in page at this address. Check the link you followed."
	msgServerError          = "Something went wrong on our side. Try again in a moment."
	msgMethod               = "This page cannot be used that way."
	msgCSRF                 = "This form has expired or was sent from another site. Go back, reload the page and try again."
	msgNoCognito            = "This app signs in only through the providers shown."
	msgMissingCredentials   = "Type your username and your password."
	msgResetRequired        = "Your password must be reset before you can sign in. We sent you a code to do it."
	msgSessionLost          = "Your sign-in has expired. Sign in again."
	msgSessionExpired       = "Your sign-in has expired. Sign in again."
	msgUnsupportedChallenge = "Your account needs a sign-in step these pages cannot do. Contact the app's support."
	msgCannotSetUp          = "Your account needs a second sign-in step, but none can be set up here. Contact the app's support."
	msgTOTPDescription      = "Type the 6-digit code from your authenticator app."
	msgSMSDescription       = "We sent a code by text message to %s. Type it below."
	msgEmailDescription     = "We sent a code by email to %s. Type it below."
	msgSelectDescription    = "How do you want to receive your sign-in code?"
	msgSetupDescription     = "Choose your second sign-in step."
	msgNoSignUp             = "Sign-up is not open for this app. Ask its administrator for an account."
	msgConfirmDescription   = "We sent you a verification code. Type it below to confirm your account."
	msgCodeSent             = "We sent a code to %s. Type it below."
	msgConfirmed            = "Your account is confirmed. Sign in to continue."
	msgResetDescription     = "Type the code we sent you and choose a new password."
	msgPasswordChanged      = "Your password has been changed. Sign in with your new password."
)

// pendingLifetime: how long a sign-up in this browser may be confirmed and
// signed in at once.
const pendingLifetime = 30 * time.Minute
