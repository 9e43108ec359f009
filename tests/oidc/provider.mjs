// A real OpenID Connect provider for CitySocial's sign-on tests: panva's oidc-provider (an
// OpenID Certified implementation) on 127.0.0.1, with its own sign-in and consent pages.
//
//   OIDC_TEST_CONFIG='{"clients": [...], "accounts": {...}}' node tests/oidc/provider.mjs
//
// clients:  [{"client_id", "client_secret", "redirect_uris": [...]}]
// accounts: {"login": {"password": "...", "claims": {"email": ..., "groups": [...], ...}}}
//
// It listens on a free port and prints one line, {"issuer": "http://127.0.0.1:PORT"}, when ready.
// The authorization code flow requires PKCE; ID tokens are RS256-signed with a key made at start
// and published at the JWKS endpoint; they carry the granted claims, "groups" among them (as
// Entra ID and Okta put groups in the ID token).

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = config.accounts || {};

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256',
};

const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function send(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid, error) {
  return page('Riverton identity service: sign in', `
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
  <label for="password">Password</label> <input id="password" name="password" type="password" required>
  <button type="submit">Sign in</button>
</form>`);
}

function consentPage(uid, clientName, scopes) {
  return page('Riverton identity service: allow access', `
<p>${escape(clientName)} asks for: ${escape(scopes.join(', '))}.</p>
<form method="post" action="/interaction/${escape(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Deny</button></form>`);
}

const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: (config.clients || []).map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: {
      openid: ['sub', 'groups'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Riverton identity service: error', `<p>${escape(out.error)}: ${escape(out.error_description)}</p>`);
    },
  });

  async function interaction(req, res, uid, action) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, page('Wrong interaction', ''));
    const { prompt, params, session } = details;
    if (req.method === 'GET' && !action) {
      if (prompt.name === 'login') return send(res, 200, loginPage(uid));
      const client = await provider.Client.find(params.client_id);
      return send(res, 200, consentPage(uid, client.clientName || client.clientId, String(params.scope).split(' ')));
    }
    if (req.method !== 'POST') return send(res, 405, page('Method not allowed', ''));
    if (action === 'login') {
      const form = await readForm(req);
      const account = accounts[form.get('username')];
      if (!account || account.password !== form.get('password')) {
        return send(res, 401, loginPage(uid, 'Wrong username or password.'));
      }
      return provider.interactionFinished(
        req, res, { login: { accountId: form.get('username') } }, { mergeWithLastSubmission: false },
      );
    }
    if (action === 'confirm') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      return provider.interactionFinished(
        req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true },
      );
    }
    if (action === 'abort') {
      return provider.interactionFinished(
        req, res,
        { error: 'access_denied', error_description: 'The person did not allow access.' },
        { mergeWithLastSubmission: false },
      );
    }
    return send(res, 404, page('Not found', ''));
  }

  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = new URL(req.url, issuer).pathname.match(/^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/);
    if (!match) return callback(req, res);
    return interaction(req, res, match[1], match[2]).catch((error) => {
      send(res, 400, page('Riverton identity service: error', `<p>${escape(error.message)}</p>`));
    });
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
