// The app's server (plain node:http): renders the page for each request from its consent cookie
// (dist/server/render.js) and serves the client's build, under the strict Content-Security-Policy
// consent-server sends (server/src/site/mod.rs). The consent the page was rendered from goes into it
// as JSON data, which the policy allows: it is not a script that runs.
//   node server.mjs --port 8201 [--client dist/client]
// NODE_ENV=development gives React's development build on the server too.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { render } from './dist/server/render.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, client: { type: 'string', default: 'dist/client' } } });
const client = new URL(`${values.client}/`, import.meta.url).pathname;
const manifest = JSON.parse(await readFile(join(client, '.vite/manifest.json'), 'utf8'));
const entry = `/${manifest['src/client.js'].file}`;

const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
  + "style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// In a <script type="application/json">, only "</script" could end the data early.
const asData = (value) => JSON.stringify(value).replaceAll('<', '\\u003c');

function page(headers) {
  const { html, initialConsent } = render(headers);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Shop rendered on the server</title>
  <link rel="icon" href="data:,">
</head>
<body>
  <div id="root">${html}</div>
  <script type="application/json" id="initial-consent">${asData(initialConsent)}</script>
  <script type="module" src="${entry}"></script>
</body>
</html>
`;
}

const server = createServer(async (request, response) => {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-cache');
  // An absolute path, decoded then normalised, never leads above the client's folder.
  let path;
  try {
    path = normalize(decodeURIComponent(new URL(request.url, 'http://localhost').pathname));
  } catch {
    path = null;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
  } else if (path === '/') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(request.headers));
  } else if (path && path.startsWith('/assets/') && TYPES[extname(path)]) {
    try {
      const body = await readFile(join(client, path));
      response.writeHead(200, { 'Content-Type': TYPES[extname(path)] }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  } else {
    response.writeHead(404).end();
  }
});
server.listen(Number(values.port), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${values.port}/`));
