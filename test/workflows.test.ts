/**
 * action.yml, verify/action.yml and every workflow parse cleanly with GitHub's own parser
 * (@actions/workflow-parser; it imports its JSON schema without an import attribute, which jest's
 * ESM mode loads and plain Node does not), and the action inputs are exactly the schema's.
 */
import { readFileSync, readdirSync } from 'node:fs';
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

test('there are workflows: ci and e2e', () => {
  expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'e2e.yml']));
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
