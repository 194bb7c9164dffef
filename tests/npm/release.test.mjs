// The release as a user downloads it (scripts/release.sh, dist/release/): the checksums, the
// script-tag archives, the npm tarball as `npm publish` takes it, and that tarball installed into
// a fresh folder outside the repository, as a site's `npm install` would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const release = join(root, 'dist/release');
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = cargo.match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];
const names = {
  scriptTag: `consent-widget-${version}.tar.gz`,
  cdn: `consent-widget-cdn-${version}.tar.gz`,
  npm: `consent-widget-${version}.tgz`,
};

/** The path of a release file; fails (never skips) when scripts/release.sh has not written it. */
function released(name) {
  const path = join(release, name);
  assert.ok(existsSync(path), `dist/release/${name} is missing: run bash scripts/release.sh`);
  return path;
}
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file under `dir`, by its path relative to `dir`, sorted. */
function filesOf(dir) {
  const walk = (at) => readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
    const path = join(at, entry.name);
    return entry.isDirectory() ? walk(path) : [relative(dir, path).split(sep).join('/')];
  });
  return walk(dir).sort();
}

/** A fresh folder outside the repository, removed after `use(folder)`. */
function scratch(prefix, use) {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  assert.ok(relative(realpathSync(root), folder).startsWith('..'), `${folder} is inside the repository`);
  try {
    return use(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// npm with nothing of this machine's: an empty cache and user configuration, no update check, and
// one retry, not npm's minute of them, when the registry cannot be reached.
function npm(args, cwd, home) {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
    env: {
      ...process.env,
      npm_config_cache: join(home, 'npm-cache'),
      npm_config_userconfig: join(home, 'npmrc'),
      npm_config_update_notifier: 'false',
      npm_config_fetch_retries: '1',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });
}

test('SHA256SUMS gives the right sha256 of every file the release offers for download, and lists them all', () => {
  const lines = readFileSync(released('SHA256SUMS'), 'utf8').trimEnd().split('\n');
  const listed = lines.map((line) => {
    const match = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line);
    assert.ok(match, `not a sha256sum line: ${line}`);
    assert.equal(sha256(released(match[2])), match[1], `${match[2]} does not match its sum`);
    return match[2];
  });
  const downloads = readdirSync(release).filter((name) => name !== 'SHA256SUMS' && statSync(join(release, name)).isFile());
  assert.deepEqual([...listed].sort(), downloads.sort(), 'SHA256SUMS lists exactly the files of dist/release/');
  assert.deepEqual([...listed].sort(), Object.values(names).sort());
});

test('the release\'s npm tarball is byte for byte the one scripts/build-npm.sh packed, which the workflow publishes', () => {
  const packed = join(root, 'dist/npm', names.npm);
  assert.ok(existsSync(packed), `dist/npm/${names.npm} is missing: run bash scripts/release.sh`);
  assert.equal(sha256(released(names.npm)), sha256(packed));
});

/**
 * Checks that `archive` holds `folder` alone, each file byte-equal to the one in `dir`, packed as
 * scripts/release.sh packs: gzip -n, names sorted, one time and owner 0 for every entry.
 */
function assertArchiveHolds(archive, folder, dir) {
  const bytes = readFileSync(archive);
  // gzip -n: no name and no time in the header (flags byte without FNAME, MTIME zero).
  assert.equal(bytes[3] & 0x08, 0, 'the gzip header names a file');
  assert.equal(bytes.readUInt32LE(4), 0, 'the gzip header carries a time');
  const listing = execFileSync('tar', ['-tvzf', archive, '--numeric-owner'], { encoding: 'utf8' }).trimEnd().split('\n');
  const entries = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trimEnd().split('\n');
  assert.deepEqual(entries, [...entries].sort(), 'entries are not in name order');
  assert.ok(entries.every((entry) => entry === `${folder}/` || entry.startsWith(`${folder}/`)), `an entry outside ${folder}/`);
  assert.ok(listing.every((line) => line.split(/\s+/)[1] === '0/0'), 'an entry is not owned by 0/0');
  assert.equal(new Set(listing.map((line) => line.split(/\s+/).slice(3, 5).join(' '))).size, 1, 'entries carry different times');
  scratch('consent-release-', (folderOut) => {
    execFileSync('tar', ['-xzf', archive, '-C', folderOut]);
    assert.deepEqual(readdirSync(folderOut), [folder]);
    const unpacked = join(folderOut, folder);
    const expected = filesOf(dir);
    assert.ok(expected.length > 10, `${dir} holds only ${expected.length} files`);
    assert.deepEqual(filesOf(unpacked), expected);
    for (const name of expected) {
      assert.ok(readFileSync(join(unpacked, name)).equals(readFileSync(join(dir, name))), `${folder}/${name} differs from ${dir}/${name}`);
    }
  });
}

test('the script-tag archive holds exactly the files of dist/consent-widget/, byte-equal, under consent-widget/, packed reproducibly', () => {
  assertArchiveHolds(released(names.scriptTag), 'consent-widget', join(root, 'dist/consent-widget'));
  const entries = execFileSync('tar', ['-tzf', released(names.scriptTag)], { encoding: 'utf8' });
  for (const name of ['consent-widget.js', 'consent-widget.wasm', 'consent-widget-bindings.js', 'consent-mode.js', 'policy-en.json']) {
    assert.ok(entries.split('\n').includes(`consent-widget/${name}`), `consent-widget/${name} is missing`);
  }
});

test('the CDN archive holds exactly the versioned folder, byte-equal, under consent-widget-<version>/, packed reproducibly', () => {
  const folder = `consent-widget-${version}`;
  assertArchiveHolds(released(names.cdn), folder, released(folder));
  const manifest = JSON.parse(readFileSync(join(released(folder), 'manifest.json'), 'utf8'));
  assert.equal(manifest.version, version);
  assert.ok(manifest.files[`consent-widget-${version}.js`].integrity.startsWith('sha384-'));
});

test('npm publish --dry-run accepts the tarball, without a login, and would publish exactly its files', () => {
  const tarball = released(names.npm);
  scratch('consent-publish-', (folder) => {
    // --force: without it npm also asks the registry which versions it has, goes on when it gets no
    // answer, and refuses a version already published, which would fail this test on main from the
    // release on. Whether the tag's version is new is the release workflow's check. So the dry run
    // needs no network (checked with an unreachable registry); a failure makes npm exit non-zero
    // and this test fail.
    const output = npm(['publish', '--dry-run', '--force', '--json', '--access', 'public', tarball], folder, folder);
    const published = JSON.parse(output)['consent-widget'] ?? JSON.parse(output);
    assert.equal(published.name, 'consent-widget');
    assert.equal(published.version, version);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    assert.equal(published.integrity, integrity, 'npm would publish other bytes than the release\'s tarball');
    const inTarball = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trimEnd().split('\n')
      .map((entry) => entry.replace(/^package\//, '')).sort();
    assert.deepEqual(published.files.map((file) => file.path).sort(), inTarball);
    for (const name of ['package.json', 'index.js', 'index.d.ts', 'consent_widget.js', 'consent_widget_bg.wasm',
      'react.js', 'vue.js', 'svelte.js', 'policy-en.json', 'README.md', 'LICENSE']) {
      assert.ok(inTarball.includes(name), `${name} would not be published`);
    }
  });
});

test('installed from the tarball into a fresh folder, consent-widget imports, resolves /react, /vue and /svelte, and readConsent answers null', () => {
  const tarball = released(names.npm);
  scratch('consent-install-', (folder) => {
    const site = join(folder, 'site');
    mkdirSync(site);
    npm(['init', '-y'], site, folder);
    // npm asks the registry about the optional peers (react, vue, svelte) and, when it cannot reach
    // it, installs without asking (checked with an unreachable registry): no network is needed.
    npm(['install', tarball], site, folder);
    const installed = JSON.parse(readFileSync(join(site, 'package.json'), 'utf8'));
    assert.ok(installed.dependencies['consent-widget'], 'npm install did not record the dependency');
    writeFileSync(join(site, 'check.mjs'), `
      import { fileURLToPath } from 'node:url';
      import * as widget from 'consent-widget';
      const config = { revision: 1, company: { name: 'Example SA' }, categories: [{ id: 'necessary', required: true }, { id: 'analytics' }] };
      // Resolved only: React, Vue and Svelte are not installed.
      const resolved = Object.fromEntries(['consent-widget', 'consent-widget/react', 'consent-widget/vue', 'consent-widget/svelte']
        .map((specifier) => [specifier, fileURLToPath(import.meta.resolve(specifier))]));
      console.log(JSON.stringify({ consent: widget.readConsent('', config), version: widget.version, init: typeof widget.init, resolved }));
    `);
    const result = JSON.parse(execFileSync('node', ['check.mjs'], { cwd: site, encoding: 'utf8', timeout: 60_000 }));
    assert.equal(result.consent, null);
    assert.equal(result.version, version);
    assert.equal(result.init, 'function');
    const packageDir = join(site, 'node_modules', 'consent-widget');
    assert.deepEqual(result.resolved, {
      'consent-widget': join(packageDir, 'index.js'),
      'consent-widget/react': join(packageDir, 'react.js'),
      'consent-widget/vue': join(packageDir, 'vue.js'),
      'consent-widget/svelte': join(packageDir, 'svelte.js'),
    });
    // Every target of the exports map, the declarations included, is a file of the installed package.
    const { exports } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const targets = Object.values(exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
    assert.ok(targets.length >= 9, `only ${targets.length} targets in the exports map`);
    assert.deepEqual(targets.filter((target) => !existsSync(join(packageDir, target))), [], 'targets of the exports map missing');
  });
});
