// A real OpenID Connect provider on loopback for the single sign-on tests.
//
//   node tests/sso/provider.mjs REDIRECT_URI [CLIENT_SECRET]
//
// It listens on a free port of 127.0.0.1 and prints one JSON line,
// {"issuer": "http://127.0.0.1:PORT"}, once it answers.
//
// Clients (all with the same secret and redirect URI, PKCE required):
//   peerprog                  an honest client
//   peerprog-wrong-audience   its ID token names another audience
//   peerprog-wrong-issuer     its ID token names another issuer
//   peerprog-wrong-nonce      its ID token carries another sign-in's nonce
//   peerprog-expired          its ID token expired ten minutes ago
// The three faulty ID tokens are re-signed with the provider's own key, so
// only the one claim is wrong.
//
// Instead of a sign-in form, GET /interaction/UID?email=...&email_verified=
// true|false&name=... signs in an account with those claims; ?cancel=true
// answers as if the person had cancelled.

import http from 'node:http';
import { randomUUID } from 'node:crypto';

import Provider from 'oidc-provider';
import * as jose from 'jose';

const redirectUri = process.argv[2] || process.env.SSO_REDIRECT_URI;
const clientSecret = process.argv[3] || process.env.SSO_CLIENT_SECRET || 'a-test-client-secret';
if (!redirectUri) {
  console.error('usage: node provider.mjs REDIRECT_URI [CLIENT_SECRET]');
  process.exit(2);
}

const FAULTS = {
  'peerprog-wrong-audience': (claims) => ({ ...claims, aud: 'another-application' }),
  'peerprog-wrong-issuer': (claims) => ({ ...claims, iss: 'http://127.0.0.1:9/impostor' }),
  'peerprog-wrong-nonce': (claims) => ({ ...claims, nonce: 'a-nonce-from-another-sign-in' }),
  'peerprog-expired': (claims) => ({
    ...claims,
    iat: claims.iat - 1200,
    exp: Math.floor(Date.now() / 1000) - 600,
  }),
};

const accounts = new Map();
const kid = 'test-key';
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const privateJwk = { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: ['peerprog', ...Object.keys(FAULTS)].map((clientId) => ({
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  jwks: { keys: [privateJwk] },
  cookies: { keys: ['a-test-cookie-key'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  // Staff applications are first-party: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  await next();
  const fault = FAULTS[ctx.oidc?.client?.clientId];
  if (ctx.oidc?.route === 'token' && fault && ctx.body?.id_token) {
    const claims = fault(jose.decodeJwt(ctx.body.id_token));
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(privateKey),
    };
  }
});

const handle = provider.callback();
server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  if (!url.pathname.startsWith('/interaction/')) {
    handle(req, res);
    return;
  }
  try {
    await provider.interactionDetails(req, res);
    if (url.searchParams.get('cancel') === 'true') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'The person cancelled.',
      }, { mergeWithLastSubmission: false });
      return;
    }
    const accountId = randomUUID();
    accounts.set(accountId, {
      email: url.searchParams.get('email'),
      email_verified: url.searchParams.get('email_verified') === 'true',
      name: url.searchParams.get('name') || 'A member of staff',
    });
    await provider.interactionFinished(req, res, { login: { accountId } }, {
      mergeWithLastSubmission: false,
    });
  } catch (error) {
    res.statusCode = 400;
    res.end(String(error));
  }
});

console.log(JSON.stringify({ issuer }));
