import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findConfig, loadConfig, parseConfig } from './config.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('the shipped config lists the public rule repositories as git sources', () => {
  const config = loadConfig(join(repoRoot, 'ruleatlas.config.json'));
  const names = config.sources.map((s) => s.name);
  assert.deepEqual(names, ['sentinel', 'elastic', 'sigma', 'splunk', 'chronicle', 'panther', 'bert-janp', 'falconfriday', 'attack']);
  for (const s of config.sources) {
    assert.equal(s.kind, 'git');
    if (s.kind === 'git') assert.match(s.git, /^https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  }
  const sentinel = config.sources[0];
  assert.ok(sentinel?.kind === 'git' && sentinel.paths.includes('Hunting Queries'));
});

test('JSON and YAML configs read the same; folders are taken from the config file', () => {
  const json = parseConfig(
    JSON.stringify({
      sources: [
        { name: 'up', git: 'file:///x.git', paths: ['rules'] },
        { name: 'local', dir: 'rules' },
      ],
      attack: 'attack.json',
    }),
    '/etc/ra/ruleatlas.config.json',
  );
  const yamlText = `sources:\n  - name: up\n    git: file:///x.git\n    paths: [rules]\n  - name: local\n    dir: rules\nattack: attack.json\n`;
  const yaml = parseConfig(yamlText, '/etc/ra/ruleatlas.config.yaml');
  assert.deepEqual(yaml, json);
  assert.deepEqual(json.sources[0], { kind: 'git', name: 'up', git: 'file:///x.git', ref: 'main', paths: ['rules'], platform: undefined });
  assert.deepEqual(json.sources[1], { kind: 'dir', name: 'local', dir: '/etc/ra/rules', platform: undefined });
  assert.equal(json.attack, '/etc/ra/attack.json');
});

test('bad configs are refused with the reason', () => {
  assert.throws(() => parseConfig('{}', 'c.json'), /"sources" list/);
  assert.throws(() => parseConfig('{"sources":[{"name":"../x","dir":"a"}]}', 'c.json'), /needs a "name"/);
  assert.throws(() => parseConfig('{"sources":[{"name":"a","dir":"a"},{"name":"a","dir":"b"}]}', 'c.json'), /used twice/);
  assert.throws(() => parseConfig('{"sources":[{"name":"a"}]}', 'c.json'), /needs "git"/);
  assert.throws(() => parseConfig('{"sources":[{"name":"a","git":"u","paths":["--x"]}]}', 'c.json'), /"paths"/);
});

test('the config is found in the working folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-config-'));
  try {
    assert.throws(() => findConfig(undefined, dir), /give --config FILE/);
    writeFileSync(join(dir, 'ruleatlas.config.yaml'), 'sources: []\n');
    assert.equal(findConfig(undefined, dir), join(dir, 'ruleatlas.config.yaml'));
    assert.equal(findConfig('other.json', dir), 'other.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"my log sources" in the config: logSources, a list of provider ids and log source entries', () => {
  const yamlText =
    'sources:\n  - name: a\n    dir: rules\nlogSources:\n  - okta\n  - " table:SigninLogs "\n  - sourcetype:aws:cloudtrail\n';
  assert.deepEqual(parseConfig(yamlText, '/etc/ra/ruleatlas.config.yaml').logSources, [
    'okta',
    'table:SigninLogs',
    'sourcetype:aws:cloudtrail',
  ]);
  assert.equal(parseConfig('{"sources":[]}', 'c.json').logSources, undefined);
  assert.throws(() => parseConfig('{"sources":[],"logSources":"okta"}', 'c.json'), /"logSources" must be a list/);
  assert.throws(() => parseConfig('{"sources":[],"logSources":["okta",""]}', 'c.json'), /"logSources" must be a list/);
});
