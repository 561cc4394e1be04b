/**
 * The web console. It holds no secrets and no server-side state: the user signs in with a
 * project's API key and secret key, the page obtains an IAM-style token from /v3/auth/tokens
 * and then calls the same public API any client uses. Kept as one self-contained page so the
 * console deploys as one tiny Lambda and needs no build step.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Iris console</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
  body { margin: 0; }
  header { background: #1d2330; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 20px; margin: 0; }
  header span { opacity: .7; font-size: 13px; }
  main { max-width: 980px; margin: 24px auto; padding: 0 16px; display: grid; gap: 16px; }
  section { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  h2 { font-size: 16px; margin: 0 0 12px; }
  label { display: block; font-size: 13px; margin: 8px 0 4px; }
  input, select { width: 100%; padding: 6px 8px; box-sizing: border-box; border: 1px solid #c8ccd4; border-radius: 4px; }
  button { margin-top: 12px; padding: 6px 14px; border: 0; border-radius: 4px; background: #2f6fed; color: #fff; cursor: pointer; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
  .ok { color: #137333; } .bad { color: #b3261e; } .muted { color: #6b7280; font-size: 13px; }
  .row { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 12px; }
  code { background: #eef1f6; padding: 1px 4px; border-radius: 3px; }
</style>
</head>
<body>
<header><h1>Iris</h1><span>self-hosted vision APIs</span> <nav><a href="docs" id="api-docs">API reference</a> · <a href="openapi.json">openapi.json</a></nav></header>
<main>
  <section id="health-section">
    <h2>Services</h2>
    <table id="health"><tbody><tr><td class="muted">checking…</td></tr></tbody></table>
  </section>
  <section id="signin-section">
    <h2>Sign in to a project</h2>
    <p class="muted">Use the API key and secret key printed by <code>npm start</code> (or created with <code>npm run create-project</code>).</p>
    <form id="signin">
      <div class="row">
        <div><label for="apiKey">API key</label><input id="apiKey" autocomplete="username" required></div>
        <div><label for="secretKey">Secret key</label><input id="secretKey" type="password" autocomplete="current-password" required></div>
        <div><label for="projectId">Project id (optional)</label><input id="projectId"></div>
      </div>
      <button type="submit">Sign in</button>
      <p id="signin-status" class="muted"></p>
    </form>
  </section>
  <section id="project-section" hidden>
    <h2>Project <code id="project-name"></code></h2>
    <p class="muted">Project id <code id="project-id"></code></p>
    <label for="ingest-status">S3 ingest records</label>
    <select id="ingest-status"><option>failed</option><option>done</option><option>retry</option><option>processing</option></select>
    <table id="ingest"><thead><tr><th>Object</th><th>Importer</th><th>Updated</th><th>Detail</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  const text = (s) => document.createTextNode(String(s));
  let session = null;

  function row(cells, cls) {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement('td'); td.appendChild(text(c)); if (cls) td.className = cls; tr.appendChild(td); }
    return tr;
  }

  async function health() {
    const body = $('health').tBodies[0];
    try {
      const r = await fetch('health');
      const h = await r.json();
      body.replaceChildren(...Object.entries(h.services).map(([name, s]) => {
        const tr = row([name, s.ok ? 'up' : 'down (' + (s.error || 'error') + ')', s.ms + ' ms']);
        tr.children[1].className = s.ok ? 'ok' : 'bad';
        tr.dataset.service = name;
        return tr;
      }));
    } catch (e) {
      body.replaceChildren(row(['API unreachable'], 'bad'));
    }
  }

  async function signIn(ev) {
    ev.preventDefault();
    $('signin-status').textContent = 'signing in…';
    const scope = $('projectId').value.trim();
    const payload = { auth: { identity: { methods: ['password'], password: { user: { name: $('apiKey').value.trim(), password: $('secretKey').value } } } } };
    if (scope) payload.auth.scope = { project: { id: scope } };
    const r = await fetch('v3/auth/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const body = await r.json().catch(() => ({}));
    if (r.status !== 201) {
      $('signin-status').textContent = (body.error && body.error.message) || 'sign-in failed';
      $('signin-status').className = 'bad';
      return;
    }
    session = { token: r.headers.get('x-subject-token'), project: body.token.project };
    $('signin-status').textContent = 'signed in';
    $('signin-status').className = 'ok';
    $('project-name').textContent = session.project.name;
    $('project-id').textContent = session.project.id;
    $('project-section').hidden = false;
    await ingest();
  }

  async function ingest() {
    if (!session) return;
    const status = $('ingest-status').value;
    const r = await fetch('v1/' + encodeURIComponent(session.project.id) + '/ingest/records?status=' + encodeURIComponent(status), { headers: { 'x-auth-token': session.token } });
    const body = await r.json();
    const rows = (body.records || []).map((x) => row([x.key, x.importer, x.updated_at, x.error ? x.error.message : JSON.stringify(x.result || {})]));
    $('ingest').tBodies[0].replaceChildren(...(rows.length ? rows : [row(['nothing ' + status])] ));
  }

  $('signin').addEventListener('submit', (e) => { signIn(e).catch(() => { $('signin-status').textContent = 'sign-in failed'; }); });
  $('ingest-status').addEventListener('change', () => { ingest(); });
  health();
})();
</script>
</body>
</html>
`;
