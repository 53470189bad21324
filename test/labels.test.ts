/**
 * The volume's texts (--volume-id, --system-id, --volume-set-id, --publisher, --preparer,
 * --application-id): real distributions' labels and the longest each field holds, read back by
 * isoinfo, xorriso, pycdlib (primary and Joliet descriptors) and isoforge inspect; verify passes
 * each image; every text that cannot be kept exactly is one line naming the option, and nothing
 * is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { baselinePath } from '../src/action/baseline.js';
import { labelFileName, readInputs, runnerEnv } from '../src/action/inputs.js';
import { LABEL_OPTIONS, type VolumeLabels } from '../src/image/labels.js';
import type { Manifest } from '../src/manifest.js';
import { toBuildConfig } from '../src/config.js';
import { forSurface } from '../src/errors.js';
import { buildWith } from './support/build.js';
import { cli } from './support/cli.js';
import { PYCDLIB, pycdlibWalk } from './support/pycdlib.js';
import { runAction, runnerEnv as actionEnv } from './support/run-action.js';
import { describeWith, sh, tempDir } from './support/tools.js';

/** Every printable ASCII character that is not a letter, digit or space: 32 of them. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
/** `n` printable ASCII characters, all 95 in turn from 0x21, then from the space on. */
const printable = (n: number) =>
  Array.from({ length: n }, (_, i) => String.fromCharCode(0x20 + ((i + 1) % 95))).join('');

/** Each text's option (a mix-up is caught: the text would read back in another field). */
const FLAGS = LABEL_OPTIONS;
const KEYS = Object.keys(FLAGS) as (keyof VolumeLabels)[];

interface Case {
  name: string;
  labels: VolumeLabels;
}

const CASES: Case[] = [
  {
    // Ubuntu's live-server label, with archiso's publisher and preparer
    name: 'ubuntu',
    labels: {
      volumeId: 'Ubuntu-Server 24.04 LTS amd64',
      systemId: 'LINUX',
      volumeSetId: 'Ubuntu 24.04 LTS "Noble Numbat"',
      publisherId: 'Arch Linux <https://archlinux.org>',
      preparerId: 'prepared by mkarchiso',
      applicationId: 'Arch Linux baseline'
    }
  },
  {
    name: 'fedora',
    labels: {
      volumeId: 'Fedora-WS-Live-41-1-4',
      systemId: '',
      volumeSetId: '',
      publisherId: '',
      preparerId: '',
      applicationId: 'ISOFORGE'
    }
  },
  {
    name: 'arch',
    labels: {
      volumeId: 'ARCH_202411',
      systemId: '',
      volumeSetId: '',
      publisherId: '_NOT_A_FILE',
      preparerId: '',
      applicationId: 'ISOFORGE'
    }
  },
  {
    name: 'debian',
    labels: {
      volumeId: 'Debian 12.8.0 amd64 n',
      systemId: '',
      volumeSetId: '',
      publisherId: 'Debian',
      preparerId: '',
      applicationId: 'ISOFORGE'
    }
  },
  {
    // every field full: the punctuation (quotes, backslash, slash) and all of printable ASCII
    name: 'longest',
    labels: {
      volumeId: PUNCTUATION,
      systemId: printable(32),
      volumeSetId: printable(128),
      publisherId: printable(128).split('').reverse().join(''),
      preparerId: 'P'.repeat(127) + 'Q',
      applicationId: printable(127) + '~'
    }
  }
];

/** `Name: value` lines of a report; the value as printed (after the separator's one space). */
function fieldsOf(report: string, sep: RegExp): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of report.split('\n')) {
    const hit = sep.exec(line);
    if (hit) m.set(hit[1].trim(), line.slice(hit[0].length));
  }
  return m;
}

const ISOINFO: Record<keyof VolumeLabels, string> = {
  volumeId: 'Volume id',
  systemId: 'System id',
  volumeSetId: 'Volume set id',
  publisherId: 'Publisher id',
  preparerId: 'Data preparer id',
  applicationId: 'Application id'
};
const XORRISO: Record<keyof VolumeLabels, string> = {
  volumeId: 'Volume Id',
  systemId: 'System Id',
  volumeSetId: 'Volume Set Id',
  publisherId: 'Publisher Id',
  preparerId: 'Preparer Id',
  applicationId: 'App Id'
};
const PYCDLIB_NAMES: Record<keyof VolumeLabels, string> = {
  volumeId: 'volume_identifier',
  systemId: 'system_identifier',
  volumeSetId: 'volume_set_identifier',
  publisherId: 'publisher_identifier',
  preparerId: 'preparer_identifier',
  applicationId: 'application_identifier'
};
/** Bytes of each field (ECMA-119 8.4); a Joliet field holds half as many UCS-2 characters. */
const BYTES: Record<keyof VolumeLabels, number> = {
  volumeId: 32,
  systemId: 32,
  volumeSetId: 128,
  publisherId: 128,
  preparerId: 128,
  applicationId: 128
};

const argsOf = (l: VolumeLabels) => KEYS.flatMap(k => (l[k] ? [`--${FLAGS[k]}`, l[k]] : []));

describeWith(['isoinfo', 'xorriso', PYCDLIB], 'volume texts read back', () => {
  const t = tempDir();
  const src = path.join(t.dir, 'src');
  const iso = (c: Case) => path.join(t.dir, `${c.name}.iso`);

  beforeAll(async () => {
    mkdirSync(src);
    writeFileSync(path.join(src, 'README.txt'), 'labels\n');
    for (const c of CASES) {
      const r = await cli(['build', '--source', src, '--output', iso(c), ...argsOf(c.labels)]);
      if (r.code !== 0) throw new Error(r.err);
    }
  });
  afterAll(() => t.cleanup());

  describe.each(CASES)('$name', c => {
    test('isoinfo -d reads every text exactly', () => {
      const f = fieldsOf(sh('isoinfo', ['-d', '-i', iso(c)]), /^([A-Za-z ]+): /);
      // isoinfo prints the field less its trailing padding; a case-insensitive reader of a-chars
      // (it does not change case)
      for (const k of KEYS) expect([k, f.get(ISOINFO[k])]).toEqual([k, c.labels[k]]);
    });

    test('xorriso -pvd_info reads every text exactly', () => {
      const out = sh('xorriso', ['-indev', iso(c), '-pvd_info'], { env: { ...process.env, LC_ALL: 'C' } });
      const f = fieldsOf(out, /^([A-Za-z ]+?)\s*: /);
      for (const k of KEYS) expect([k, f.get(XORRISO[k])]).toEqual([k, c.labels[k]]);
    });

    test('pycdlib reads the primary texts padded with spaces, the Joliet ones as their first characters', () => {
      const { labels } = pycdlibWalk(iso(c));
      for (const k of KEYS) {
        const pvd = labels.pvd[PYCDLIB_NAMES[k]];
        expect([k, pvd.trimEnd(), pvd.length]).toEqual([k, c.labels[k], BYTES[k]]);
        const joliet = labels.joliet?.[PYCDLIB_NAMES[k]] ?? '';
        expect([k, joliet.trimEnd(), joliet.length]).toEqual([
          k,
          c.labels[k].slice(0, BYTES[k] / 2).trimEnd(),
          BYTES[k] / 2
        ]);
      }
    });

    test('isoforge inspect --json gives the texts; inspect quotes them; verify passes with the manifest', async () => {
      const json = await cli(['inspect', iso(c), '--json']);
      expect(json.code).toBe(0);
      const m = JSON.parse(json.out) as Manifest;
      const { volumeId, ...ids } = c.labels;
      expect(m.volumeId).toBe(volumeId);
      expect(m.ids).toEqual(ids);
      const text = await cli(['inspect', iso(c)]);
      const quoted = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      expect(text.out).toContain(`volume      ${quoted(volumeId)}, `);
      expect(text.out).toContain(`Joliet id   ${quoted(volumeId.slice(0, 16).trimEnd())}\n`);
      if (ids.publisherId) expect(text.out).toContain(`publisher   ${quoted(ids.publisherId)}\n`);
      const v = await cli(['verify', iso(c), '--manifest', 'true']);
      expect([v.code, v.out]).toEqual([0, expect.stringContaining(`volume ${quoted(volumeId)}`)]);
      expect(v.out).toMatch(/^manifest +pass /m);
    });
  });

  test('the action (the bundle, as the runner starts it): each text an input, the image named by the label', async () => {
    const ws = path.join(t.dir, 'ws');
    const temp = path.join(t.dir, 'runner-temp');
    mkdirSync(path.join(ws, 'tree'), { recursive: true });
    mkdirSync(temp);
    writeFileSync(path.join(ws, 'tree', 'README.txt'), 'action\n');
    const env = actionEnv({
      runId: '1',
      ref: 'refs/heads/main',
      workspace: ws,
      runnerTemp: temp,
      eventPath: path.join(t.dir, 'none.json'),
      service: {}
    });
    const { labels } = CASES[0];
    const inputs = Object.fromEntries(KEYS.map(k => [FLAGS[k], labels[k]]));
    const r = await runAction('dist/index.js', { source: 'tree', ...inputs }, env, ws);
    expect(r.commands.filter(c => c.command === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs['image-path']).toBe(path.join(temp, 'ubuntu-server-24.04-lts-amd64.iso'));
    expect(r.outputs['volume-id']).toBe(labels.volumeId);
    const f = fieldsOf(sh('isoinfo', ['-d', '-i', r.outputs['image-path']]), /^([A-Za-z ]+): /);
    for (const k of KEYS) expect([k, f.get(ISOINFO[k])]).toEqual([k, labels[k]]);
    expect(r.summary).toContain('Ubuntu-Server 24.04 LTS amd64');

    const bad = await runAction('dist/index.js', { source: 'tree', publisher: 'Caf\u00e9' }, env, ws);
    expect(bad.code).not.toBe(0);
    expect(bad.commands.filter(c => c.command === 'error').map(c => c.message)).toEqual([
      'isoforge: input publisher: "Café" has characters outside printable ASCII (0x20-0x7E): U+00E9'
    ]);
    expect(readdirSync(temp).sort()).toEqual([
      'SHA256SUMS',
      'ubuntu-server-24.04-lts-amd64.iso',
      'ubuntu-server-24.04-lts-amd64.iso.manifest.json'
    ]);
  });

  test('verify fails on a manifest whose publisher differs from the image', async () => {
    const c = CASES[0];
    const file = path.join(t.dir, 'changed.manifest.json');
    const m = JSON.parse(readFileSync(`${iso(c)}.manifest.json`, 'utf8')) as Manifest;
    writeFileSync(file, JSON.stringify({ ...m, ids: { ...m.ids, publisherId: 'Someone else' } }));
    const v = await cli(['verify', iso(c), '--manifest-file', file]);
    expect(v.code).not.toBe(0);
    expect(v.out + v.err).toContain(
      'publisherId "Arch Linux <https://archlinux.org>", the manifest says "Someone else"'
    );
  });
});

describe('texts that cannot be kept are refused', () => {
  const t = tempDir();
  const src = path.join(t.dir, 'src');
  const out = path.join(t.dir, 'out.iso');
  beforeAll(() => {
    mkdirSync(src);
    writeFileSync(path.join(src, 'a.txt'), 'a\n');
  });
  afterAll(() => t.cleanup());

  const bad = KEYS.flatMap(k => [
    [FLAGS[k], 'A'.repeat(BYTES[k] + 1), new RegExp(`is ${BYTES[k] + 1} bytes; at most ${BYTES[k]} fit$`)],
    [FLAGS[k], 'TAB\tHERE', /"TAB\\tHERE" has characters outside printable ASCII \(0x20-0x7E\): U\+0009$/],
    [FLAGS[k], 'Café', /"Café" has characters outside printable ASCII \(0x20-0x7E\): U\+00E9$/],
    [FLAGS[k], 'LINE\nBREAK', /"LINE\\nBREAK" has characters .*: U\+000A$/],
    [FLAGS[k], 'ENDS ', /"ENDS " ends with a space, which no reader can tell from the field's padding$/]
  ]);

  test.each(bad)('--%s %j: one line naming the option, nothing written', async (flag, value, message) => {
    const r = await cli(['build', '--source', src, '--output', out, `--${flag}`, value as string]);
    expect(r.code).not.toBe(0);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^isoforge: --${flag}: `));
    expect(lines[0]).toMatch(message as RegExp);
    expect(readdirSync(t.dir)).toEqual(['src']);
  });

  test('the action names the input', async () => {
    const e = await buildWith({ source: src, output: out, publisher: 'Café' }).catch((x: unknown) => x);
    expect(forSurface(e, 'action')).toBe(
      'input publisher: "Café" has characters outside printable ASCII (0x20-0x7E): U+00E9'
    );
    expect(readdirSync(t.dir)).toEqual(['src']);
  });

  test('an empty volume-id input is the default (ISOFORGE), as every empty input is', () => {
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
      process.env['INPUT_SOURCE'] = 'src';
      process.env['INPUT_VOLUME-ID'] = '';
      const inputs = readInputs('build', { ...runnerEnv({}), workspace: t.dir, temp: t.dir });
      // no schema default: a remaster keeps its source image's id when none is given
      expect(inputs.values['volume-id']).toBeUndefined();
      expect(toBuildConfig(inputs.values).volumeId).toBe('ISOFORGE');
      expect(inputs.values['output']).toBe(path.join(t.dir, 'isoforge.iso'));
    } finally {
      process.env = saved;
    }
    expect(existsSync(path.join(t.dir, 'isoforge.iso'))).toBe(false);
  });
});

test('the action default output and the baseline file: one safe file name per volume id', () => {
  const cases: [string, string][] = [
    ['Ubuntu-Server 24.04 LTS amd64', 'ubuntu-server-24.04-lts-amd64'],
    ['Fedora-WS-Live-41-1-4', 'fedora-ws-live-41-1-4'],
    ['ARCH_202411', 'arch_202411'],
    ['Debian 12.8.0 amd64 n', 'debian-12.8.0-amd64-n'],
    ['../../etc/passwd', '_._.._etc_passwd'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a_b_c_d_e_f_g_h_i_j'],
    ['-rf', '_rf'],
    ['.hidden', '_hidden'],
    [PUNCTUATION, '____________-.__________________']
  ];
  for (const [id, name] of cases) {
    expect([id, labelFileName(id)]).toEqual([id, name]);
    expect(labelFileName(id)).toMatch(/^[a-z0-9_][a-z0-9._-]*$/);
  }
  const temp = path.join(path.sep, 'runner', 'temp');
  const renv = { ...runnerEnv({}), temp };
  for (const [id, name] of cases) {
    // one file in the baseline folder, whatever the id holds
    expect(baselinePath(id, renv)).toBe(path.join(temp, 'isoforge-baseline', `${name}.manifest.json`));
  }
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
    process.env['INPUT_SOURCE'] = 'src';
    process.env['INPUT_VOLUME-ID'] = '../Ubuntu 24.04/x';
    const inputs = readInputs('build', { ...renv, workspace: temp });
    expect(inputs.values['output']).toBe(path.join(temp, '_._ubuntu-24.04_x.iso'));
  } finally {
    process.env = saved;
  }
});
