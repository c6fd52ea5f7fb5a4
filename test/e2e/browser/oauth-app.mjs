// The page of the managed-login browser tests: aws-amplify v6 configured for
// OAuth (Cognito's hosted UI at Cogito's HTTPS listener), bundled by esbuild
// from test/e2e/js/node_modules. The configuration is kept in localStorage,
// so the page configures Amplify again when the hosted pages send the
// browser back with a code, and Amplify's OAuth listener finishes the
// sign-in (token exchange) on load. Auth events are recorded in
// window.authEvents.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut } from 'aws-amplify/auth';
import 'aws-amplify/auth/enable-oauth-listener';
import { Hub } from 'aws-amplify/utils';

window.authEvents = [];
Hub.listen('auth', ({ payload }) => {
  window.authEvents.push({ event: payload.event, message: payload.data?.message ?? payload.message ?? null });
});

function apply(cfg) {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: cfg.userPoolId,
        userPoolClientId: cfg.userPoolClientId,
        userPoolEndpoint: cfg.userPoolEndpoint,
        loginWith: {
          oauth: {
            domain: cfg.domain,
            scopes: cfg.scopes,
            redirectSignIn: [cfg.redirect],
            redirectSignOut: [cfg.redirect],
            responseType: 'code',
          },
        },
      },
    },
  });
}

const saved = localStorage.getItem('cogito-oauth-config');
if (saved) apply(JSON.parse(saved));

window.amplify = {
  configure(cfg) {
    localStorage.setItem('cogito-oauth-config', JSON.stringify(cfg));
    apply(cfg);
  },
  signInWithRedirect,
  signOut,
  getCurrentUser,
  async idTokenClaims() {
    const s = await fetchAuthSession();
    return s.tokens?.idToken?.payload ?? null;
  },
};
window.amplifyReady = true;
