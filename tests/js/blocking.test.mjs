// js/blocking.js's rules, against the catalogue as the build writes it into the first layer
// (src/prerender.rs), and the host patterns core::config::is_host_pattern accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { blockingRules, hostMatches, ruleFor } from '../../js/blocking.js';

const firstLayer = JSON.parse(readFileSync(new URL('../../target/widget-bindgen/first-layer.json', import.meta.url), 'utf8'));
const entry = (id) => JSON.parse(readFileSync(new URL(`../../catalogue/services/${id}.json`, import.meta.url), 'utf8'));

test('the first layer carries every catalogue entry\'s category and hosts, as written', () => {
  const ids = readdirSync(new URL('../../catalogue/services/', import.meta.url)).map((name) => name.replace(/\.json$/, ''));
  assert.deepEqual(Object.keys(firstLayer.catalogue).sort(), ids.sort());
  for (const id of ids) {
    const { category, hosts, embed } = entry(id);
    assert.deepEqual(firstLayer.catalogue[id].category, category, id);
    assert.deepEqual(firstLayer.catalogue[id].hosts, hosts, id);
    assert.equal(Boolean(firstLayer.catalogue[id].embed), Boolean(embed), id);
  }
});

test('a host pattern is the host, a host under it, and a path it starts with', () => {
  assert.ok(hostMatches('www.youtube.com', 'www.youtube.com'));
  assert.ok(!hostMatches('www.youtube.com', 'youtube.com'));
  assert.ok(!hostMatches('www.youtube.com', 'evilwww.youtube.com'));
  assert.ok(hostMatches('*.ytimg.com', 'i.ytimg.com'));
  assert.ok(hostMatches('*.ytimg.com', 'ytimg.com'));
  assert.ok(!hostMatches('*.ytimg.com', 'notytimg.com'));
  assert.ok(hostMatches('www.google.com/maps', 'www.google.com', '/maps/embed'));
  assert.ok(!hostMatches('www.google.com/maps', 'www.google.com', '/recaptcha/api.js'));
});

test('rules come from the presets and the site\'s own hosts, in the configuration\'s order', () => {
  const config = {
    categories: [
      { id: 'necessary', required: true, services: [{ id: 'cdn', hosts: ['cdn.example.com'] }] },
      { id: 'analytics', services: [{ preset: 'google-analytics' }, { id: 'stats', name: 'Stats', hosts: ['STATS.example.com'] }] },
      { id: 'marketing', services: [{ preset: 'youtube', noCookie: true }, { preset: 'google-tag-manager' }, { preset: 'matomo' }] },
    ],
  };
  const rules = blockingRules(config, firstLayer.catalogue);
  // Nothing of a required category is held; a service without hosts (self-hosted Matomo) neither.
  assert.deepEqual(rules.map((rule) => rule.service), ['google-analytics', 'stats', 'youtube', 'google-tag-manager']);
  assert.deepEqual(rules[1].hosts, ['stats.example.com']);
  assert.equal(rules[2].noCookieHost, 'www.youtube-nocookie.com');
  assert.equal(rules[0].noCookieHost, null);
  const base = 'https://shop.example/';
  // A preset's category is the one it is listed in.
  assert.equal(ruleFor(rules, 'https://www.youtube.com/embed/x', base).category, 'marketing');
  // Two services on one host: the first listed holds it.
  assert.equal(ruleFor(rules, 'https://www.googletagmanager.com/gtm.js?id=GTM-1', base).service, 'google-analytics');
  assert.equal(ruleFor(rules, '//region1.google-analytics.com/g/collect', base).service, 'google-analytics');
  assert.equal(ruleFor(rules, '/own.js', base), null);
  assert.equal(ruleFor(rules, 'https://cdn.example.com/lib.js', base), null);
  assert.equal(ruleFor(rules, 'data:text/javascript,1', base), null);
  assert.equal(ruleFor(rules, 'not a url', 'about:blank'), null);
});
