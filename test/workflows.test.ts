/**
 * action.yml, verify/action.yml and every workflow parse cleanly with GitHub's own parser
 * (@actions/workflow-parser; it imports its JSON schema without an import attribute, which jest's
 * ESM mode loads and plain Node does not), and the action inputs are exactly the schema's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import {
  convertActionTemplate,
  parseAction,
  type ActionRunsNode
} from '@actions/workflow-parser/actions/index';
import { BUILD_OUTPUTS, VERIFY_OUTPUTS, actionYml } from '../src/action/action-yml.js';
import { optionsFor, type Command } from '../src/options.js';

function errorsOf(ctx: { errors: { getErrors(): { message: string }[] } }): string[] {
  return ctx.errors.getErrors().map(e => e.message);
}

const ACTIONS: [string, Command][] = [
  ['action.yml', 'build'],
  ['verify/action.yml', 'verify']
];

describe.each(ACTIONS)('%s', (file, command) => {
  const content = readFileSync(file, 'utf8');

  test('is what scripts/gen-action-yml.mjs writes from the schema', () => {
    expect(content).toBe(actionYml(command));
  });

  test('parses without errors; inputs, defaults and outputs match the schema', () => {
    const parsed = parseAction({ name: file, content }, new NoOperationTraceWriter());
    expect(errorsOf(parsed.context)).toEqual([]);
    expect(parsed.value).toBeDefined();
    const action = convertActionTemplate(parsed.context, parsed.value!);
    expect(errorsOf(parsed.context)).toEqual([]);
    const specs = optionsFor(command, 'action');
    expect((action.inputs ?? []).map(i => i.id).sort()).toEqual(specs.map(s => s.name).sort());
    for (const spec of specs) {
      const input = action.inputs!.find(i => i.id === spec.name)!;
      expect(input.description?.startsWith(spec.description)).toBe(true);
      expect(input.required ?? false).toBe(spec.required ?? false);
      expect(input.default?.toString()).toBe(spec.default ?? spec.actionDefault);
      if (spec.defaultText) expect(input.description).toContain(spec.defaultText);
    }
    const outputs = command === 'build' ? BUILD_OUTPUTS : VERIFY_OUTPUTS;
    expect((action.outputs ?? []).map(o => o.id)).toEqual(outputs.map(o => o.name));
    const runs = action.runs as ActionRunsNode;
    expect(runs.using).toBe('node24');
    // the bundle it runs is the one scripts/bundle.mjs writes
    expect(path.normalize(path.join(path.dirname(file), runs.main))).toBe(
      command === 'build' ? path.normalize('dist/index.js') : path.normalize('dist/verify/index.js')
    );
  });
});

const workflows = readdirSync('.github/workflows').filter(f => /\.ya?ml$/.test(f));

test('there are workflows: ci, e2e and release', () => {
  expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'e2e.yml', 'release.yml']));
});

test.each(workflows)('.github/workflows/%s parses and converts without errors', async name => {
  const file = {
    name: `.github/workflows/${name}`,
    content: readFileSync(`.github/workflows/${name}`, 'utf8')
  };
  const parsed = parseWorkflow(file, new NoOperationTraceWriter());
  expect(errorsOf(parsed.context)).toEqual([]);
  expect(parsed.value).toBeDefined();
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  expect((template.errors ?? []).map(e => e.Message)).toEqual([]);
  expect(template.jobs.length).toBeGreaterThan(0);
});

test('ci runs lint, the tests with the tools installed, and check-dist; e2e uses ./ on three systems', () => {
  const ci = readFileSync('.github/workflows/ci.yml', 'utf8');
  expect(ci).toContain('bash scripts/install-test-tools.sh');
  expect(ci).toMatch(/ISOFORGE_REQUIRE_TOOLS: '1'/);
  expect(ci).toContain('npm run bundle');
  expect(ci).toContain('git diff --exit-code --stat dist/');
  const e2e = readFileSync('.github/workflows/e2e.yml', 'utf8');
  expect(e2e).toContain('uses: ./\n');
  expect(e2e).toContain('[ubuntu-latest, windows-latest, macos-latest]');
});

describe('release.yml', () => {
  async function release() {
    const content = readFileSync('.github/workflows/release.yml', 'utf8');
    const parsed = parseWorkflow({ name: 'release.yml', content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    const job = template.jobs[0];
    if (job?.type !== 'job') throw new Error('release.yml: its first job runs no steps');
    return { content, template, steps: job.steps };
  }
  /** the `run:` text of the step named `name` */
  async function step(name: string): Promise<string> {
    const { steps } = await release();
    const s = steps.find(x => 'name' in x && String(x.name) === name);
    if (!s || !('run' in s)) throw new Error(`no run step "${name}" in release.yml`);
    return String(s.run);
  }
  const bash = (script: string, cwd: string, env: Record<string, string>) =>
    spawnSync('bash', ['-e', '-c', script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });

  test('runs on vX.Y.Z tags only: npm ci, the tag is the version, dist/ matches a rebuild, then vX moves', async () => {
    const { content, template, steps } = await release();
    expect(template.events).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(content).toMatch(/permissions:\n {2}contents: write\n/);
    const runs = steps.map(s => ('run' in s ? String(s.run).split('\n')[0] : 'uses'));
    expect(runs.slice(2, 4)).toEqual(['npm ci', expect.stringContaining('package.json')]);
    const bundle = runs.indexOf('npm run bundle');
    const diff = runs.indexOf('git diff --exit-code --stat dist/');
    expect([bundle > 2, diff > bundle, runs.length - 1 > diff]).toEqual([true, true, true]);
  });

  test("the version step passes on package.json's version and fails on another", async () => {
    const script = await step("The tag is package.json's version");
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    expect(bash(script, process.cwd(), { GITHUB_REF_NAME: `v${version}` }).status).toBe(0);
    const other = bash(script, process.cwd(), { GITHUB_REF_NAME: 'v99.0.0' });
    expect([other.status, other.stdout]).toEqual([
      1,
      expect.stringContaining('::error::tag v99.0.0 does not match')
    ]);
  });

  test('the tag step moves vX to the release commit in the remote; a pre-release leaves it', async () => {
    const script = await step('Move the major tag');
    const dir = mkdtempSync(path.join(tmpdir(), 'isoforge-release-'));
    try {
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
          cwd,
          encoding: 'utf8'
        }).trim();
      const origin = path.join(dir, 'origin.git');
      const work = path.join(dir, 'work');
      git(dir, 'init', '-q', '--bare', origin);
      git(dir, 'clone', '-q', origin, work);
      const commit = (n: string) => {
        writeFileSync(path.join(work, 'f'), n);
        git(work, 'add', 'f');
        git(work, 'commit', '-qm', n);
        return git(work, 'rev-parse', 'HEAD');
      };
      const first = commit('1');
      git(work, 'tag', 'v1', first);
      git(work, 'push', '-q', origin, 'HEAD:main', 'v1');
      const second = commit('2');
      git(work, 'push', '-q', origin, 'HEAD:main');
      const summary = path.join(dir, 'summary.md');
      const env = (tag: string) => ({
        GITHUB_REF_NAME: tag,
        GITHUB_SHA: second,
        GITHUB_STEP_SUMMARY: summary
      });
      const remoteV1 = () => git(origin, 'rev-parse', 'refs/tags/v1');

      expect(bash(script, work, env('v1.3.0-rc.1')).status).toBe(0);
      expect(remoteV1()).toBe(first);
      expect(bash(script, work, env('v1.3.0')).status).toBe(0);
      expect(remoteV1()).toBe(second);
      expect(readFileSync(summary, 'utf8')).toBe(`v1 -> ${second} (v1.3.0)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the parser does catch mistakes (so a clean result means something)', () => {
  const bad = parseWorkflow(
    {
      name: 'bad.yml',
      content: 'on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n    steps:\n      - run: echo\n'
    },
    new NoOperationTraceWriter()
  );
  expect(errorsOf(bad.context).join('\n')).toMatch(/runs-onn/);
  const badAction = parseAction(
    { name: 'action.yml', content: 'name: x\ndescription: y\nruns:\n  using: node99\n  main: a.js\n' },
    new NoOperationTraceWriter()
  );
  expect(errorsOf(badAction.context).length).toBeGreaterThan(0);
});
