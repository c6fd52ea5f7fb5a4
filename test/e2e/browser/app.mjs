// The page the browser tests load: aws-amplify v6 (bundled by esbuild from
// test/e2e/js/node_modules) exposed on window.amplify, so a test drives
// Amplify's own passkey code — navigator.credentials.create()/get() against
// the browser's (virtual) authenticator — with page.evaluate.
import { Amplify } from 'aws-amplify';
import {
  associateWebAuthnCredential,
  confirmSignIn,
  deleteWebAuthnCredential,
  getCurrentUser,
  listWebAuthnCredentials,
  signIn,
  signOut,
} from 'aws-amplify/auth';

window.amplify = {
  configure(userPoolId, userPoolClientId, userPoolEndpoint) {
    Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint } } });
  },
  associateWebAuthnCredential,
  confirmSignIn,
  deleteWebAuthnCredential,
  getCurrentUser,
  listWebAuthnCredentials,
  signIn,
  signOut,
};
