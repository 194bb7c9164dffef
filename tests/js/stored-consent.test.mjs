// The loader's reading of a marked consent cookie (js/stored-consent.js) against the core's
// (core::consent::Consent::standing): Rust writes the vectors (cargo test, in the test command
// before this), valid and forged cookies marked with the configuration's digest, and the loader
// must release what a cookie grants exactly when the core finds it current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { confirmedConsent, parseConfig } from '../../js/stored-consent.js';

const path = new URL('../../target/contract/stored-consent.json', import.meta.url);

test('every cookie the core refuses, the loader refuses; every one it trusts, the loader applies', () => {
  assert.ok(existsSync(path), 'run `cargo test -p consent-widget --lib` first: it writes target/contract/stored-consent.json');
  const vectors = JSON.parse(readFileSync(path, 'utf8'));
  const config = parseConfig(vectors.configText);
  assert.ok(vectors.cases.length >= 15);
  assert.ok(vectors.cases.some((c) => c.current) && vectors.cases.some((c) => !c.current), 'both answers are tested');
  for (const { name, cookie, current } of vectors.cases) {
    const applied = confirmedConsent(vectors.configText, config, `other=1; ${vectors.cookieName}=${cookie}`, vectors.now);
    assert.equal(applied !== null, current, `${name}: the core says ${current ? 'current' : 'not current'}`);
  }
});
