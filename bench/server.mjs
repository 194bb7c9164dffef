// A static server that compresses like a real deployment: every file is compressed once, up
// front (brotli -q 11 and gzip -9, so no request waits on a compressor), and each response
// carries brotli when the request allows it, else gzip.
import http from 'node:http';
import { extname } from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

function compressed(raw) {
  return {
    raw,
    gzip: zlib.gzipSync(raw, { level: 9 }),
    br: zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  };
}

// "gzip, deflate, br;q=0" -> Set of codings the client accepts.
function acceptedCodings(header = '') {
  const accepted = new Set();
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (coding && !(q && Number(q.slice(2)) === 0)) accepted.add(coding.toLowerCase());
  }
  return accepted;
}

// entries: Map of URL path -> { raw: Buffer, html?: true }. Pages are revalidated on every
// visit; everything else is cacheable, so a repeat visit runs from the HTTP cache.
// Every request is logged ({ path, acceptEncoding, encoding }) so the run can say what was served.
export async function startServer(entries) {
  const routes = new Map();
  for (const [path, entry] of entries) {
    routes.set(path, {
      ...compressed(entry.raw),
      type: entry.html ? TYPES['.html'] : TYPES[extname(path)] || 'application/octet-stream',
      cacheControl: entry.html ? 'no-cache' : 'public, max-age=3600',
    });
  }
  const log = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const accepted = acceptedCodings(req.headers['accept-encoding']);
    const encoding = accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : 'identity';
    const body = encoding === 'identity' ? route.raw : route[encoding];
    log.push({ path, acceptEncoding: req.headers['accept-encoding'] || '', encoding });
    res.writeHead(200, {
      'Content-Type': route.type,
      'Content-Length': body.length,
      'Cache-Control': route.cacheControl,
      Vary: 'Accept-Encoding',
      ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    routes,
    log,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
