// What the packed npm package holds: exactly the module, its wasm, types, README and licence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';

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
  assert.deepEqual(entries().sort(), [
    'package/LICENSE', 'package/README.md', 'package/consent_widget.js', 'package/consent_widget_bg.wasm',
    'package/first-layer-data.js', 'package/first-layer.js', 'package/index.d.ts', 'package/index.js', 'package/package.json',
    'package/policy-de.json', 'package/policy-en.json', 'package/policy-es.json', 'package/policy-fr.json', 'package/policy-it.json',
  ]);
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
    assert.match(types, new RegExp(`export function ${name}[<(]`), `${name} has no declaration`);
  }
});
