// What the packed npm package holds: exactly the module, its wasm, types, README and licence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../../dist/npm/', import.meta.url);
const tarball = readdirSync(dist).find((name) => /^consent-widget-.*\.tgz$/.test(name));
const entries = () => execFileSync('tar', ['-tzf', new URL(tarball, dist).pathname], { encoding: 'utf8' }).trim().split('\n');

test('the tarball exists and is named after the Cargo.toml version', () => {
  assert.ok(tarball, 'run scripts/build-npm.sh first');
  const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');
  const version = cargo.match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];
  assert.equal(tarball, `consent-widget-${version}.tgz`);
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', new URL(tarball, dist).pathname, 'package/package.json'], { encoding: 'utf8' }));
  assert.equal(manifest.name, 'consent-widget');
  assert.equal(manifest.version, version);
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.types, './index.d.ts');
});

test('it holds exactly the files a site needs, no source maps or tests', () => {
  // Each catalogue entry is a module of its own, and catalogue-files.js imports each on demand.
  const ids = readdirSync(new URL('../../catalogue/services/', import.meta.url))
    .filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
  const catalogue = ['package/catalogue-files.js', ...ids.map((id) => `package/catalogue-${id}.js`)];
  assert.deepEqual(entries().filter((entry) => !catalogue.includes(entry)).sort(), [
    'package/LICENSE', 'package/README.md', 'package/blocking.js', 'package/consent_widget.js', 'package/consent_widget_bg.wasm',
    'package/embeds.js', 'package/first-layer-data.js', 'package/first-layer.js', 'package/index.d.ts', 'package/index.js', 'package/package.json',
    'package/policy-de.json', 'package/policy-en.json', 'package/policy-es.json', 'package/policy-fr.json', 'package/policy-it.json',
    'package/react.d.ts', 'package/react.js', 'package/start-up.js', 'package/stored-consent.js', 'package/subscribe.js',
    'package/svelte.d.ts', 'package/svelte.js', 'package/vue.d.ts', 'package/vue.js',
  ]);
  assert.deepEqual(entries().filter((entry) => catalogue.includes(entry)).sort(), catalogue.sort());
  assert.ok(!entries().some((entry) => /\.map$|test|spec/.test(entry)));
});

test('its size is reported', () => {
  const bytes = statSync(new URL(tarball, dist)).size;
  console.log(`npm package ${tarball}: ${bytes} bytes packed`);
  assert.ok(bytes > 50_000 && bytes < 2_000_000, `${bytes} bytes is implausible`);
});

test('the declarations cover every export of the module', () => {
  const source = execFileSync('tar', ['-xzOf', new URL(tarball, dist).pathname, 'package/index.js'], { encoding: 'utf8' });
  const types = execFileSync('tar', ['-xzOf', new URL(tarball, dist).pathname, 'package/index.d.ts'], { encoding: 'utf8' });
  const exported = [...source.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map((m) => m[1]);
  assert.ok(exported.length >= 15, `only ${exported.length} exports`);
  for (const name of exported) {
    assert.match(types, new RegExp(`export (function ${name}[<(]|declare const ${name}: )`), `${name} has no declaration`);
  }
});

test('the module knows its version before it has loaded', () => {
  const source = execFileSync('tar', ['-xzOf', new URL(tarball, dist).pathname, 'package/index.js'], { encoding: 'utf8' });
  const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');
  const version = cargo.match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];
  assert.match(source, new RegExp(`^export const version = '${version.replaceAll('.', '\\.')}';$`, 'm'));
});

test('both declarations type-check a site that uses them, from one source', () => {
  const folder = mkdtempSync(join(tmpdir(), 'consent-types-'));
  try {
    execFileSync('tar', ['-xzf', new URL(tarball, dist).pathname, '-C', folder]);
    const scriptTag = new URL('../../dist/consent-widget/consent-widget.d.ts', import.meta.url).pathname;
    copyFileSync(scriptTag, join(folder, 'consent-widget.d.ts'));
    writeFileSync(join(folder, 'site.ts'), `
      import type { Config } from './package/index';
      import { init, on, acceptedCategory, version } from './package/index';
      import './consent-widget';
      const config: Config = { company: { name: 'Example SA' }, categories: [{ id: 'necessary', required: true }] };
      const started: Promise<void> = init(config);
      on('change', ({ changed }) => changed.length);
      const granted: boolean = acceptedCategory('analytics');
      const named: string = version;
      const api = window.ConsentWidget;
      if (!Array.isArray(api)) { api.init(config); api.destroy(); const v: string = api.version; }
      export { started, granted, named };
    `);
    const tsc = new URL('../../node_modules/.bin/tsc', import.meta.url).pathname;
    execFileSync(tsc, ['--noEmit', '--strict', '--target', 'es2020', '--module', 'es2020', '--moduleResolution', 'bundler', '--lib', 'es2020,dom', join(folder, 'site.ts')], { encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
