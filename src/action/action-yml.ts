/**
 * action.yml and verify/action.yml, generated from the schema (src/options.ts) by
 * scripts/gen-action-yml.mjs; test/workflows.test.ts checks the committed files equal this text.
 * Strings are written as JSON (a subset of YAML) so no quoting rule can bite.
 */
import { commandOptions, optionsFor, type Command, type OptionSpec } from '../options.js';

export interface OutputSpec {
  readonly name: string;
  readonly description: string;
}

/** The build action's outputs; src/action/outputs.ts sets only these (`as const`: by name). */
export const BUILD_OUTPUTS = [
  { name: 'image-path', description: 'Absolute path of the ISO image.' },
  { name: 'image-size', description: 'Size of the image in bytes.' },
  { name: 'volume-id', description: 'Volume identifier of the image.' },
  { name: 'sha256', description: 'SHA-256 of the image (hex).' },
  { name: 'sha512', description: 'SHA-512 of the image (hex), when checksums includes sha512.' },
  { name: 'checksums-path', description: 'Checksum files written (SHA256SUMS, SHA512SUMS), one per line.' },
  { name: 'signature-paths', description: 'Signature files written (.asc, .minisig), one per line.' },
  { name: 'manifest-path', description: 'Path of <image>.manifest.json (empty with manifest: false).' },
  { name: 'artifact-id', description: 'ID of the image artifact (uploaded unzipped).' },
  {
    name: 'artifact-url',
    description: 'URL of the image artifact: <server>/<repository>/actions/runs/<run id>/artifacts/<id>.'
  },
  { name: 'artifact-digest', description: 'SHA-256 of the uploaded artifact; equals sha256.' },
  {
    name: 'metadata-artifact-id',
    description: 'ID of the <artifact-name>-metadata artifact (checksums, signatures, manifest).'
  },
  { name: 'attestation-url', description: 'URL of the build-provenance attestation, when attest is true.' }
] as const satisfies readonly OutputSpec[];

export const VERIFY_OUTPUTS = [
  { name: 'result', description: 'pass when every requested check passed, else fail.' },
  { name: 'image-path', description: 'Path of the image verified (downloaded when named by artifact-name).' },
  { name: 'checks', description: 'The checks as JSON: [{name, ok, detail}].' },
  { name: 'metadata-artifact-id', description: 'ID of the artifact holding the serial logs, when uploaded.' }
] as const satisfies readonly OutputSpec[];

export type BuildOutputName = (typeof BUILD_OUTPUTS)[number]['name'];
export type VerifyOutputName = (typeof VERIFY_OUTPUTS)[number]['name'];

const q = (s: string) => JSON.stringify(s);

export function inputDescription(o: OptionSpec): string {
  let d = o.description;
  if (o.defaultText) d += ` Default: ${o.defaultText}.`;
  if (o.choices) d += ` ${o.type === 'list' ? 'One or more of' : 'One of'}: ${o.choices.join(', ')}.`;
  if (o.secret && o.env) d += ` Secret; may also come from the ${o.env} environment variable.`;
  else if (o.env && !d.includes(o.env)) d += ` Falls back to the ${o.env} environment variable.`;
  return d;
}

export function actionYml(command: Command): string {
  const build = command === 'build';
  const lines: string[] = [
    '# Generated from src/options.ts by scripts/gen-action-yml.mjs; do not edit by hand.',
    `name: ${q(build ? 'isoforge' : 'isoforge verify')}`,
    `description: ${q(
      build
        ? 'Build a bootable, hybrid, hashed and signed ISO 9660 image from a directory, upload it, and gate on its size.'
        : 'Verify an ISO image: structure, boot entries, manifest, checksums, signatures, and a QEMU boot test.'
    )}`,
    'author: "isoforge"',
    'branding:',
    `  icon: ${q(build ? 'disc' : 'check-circle')}`,
    '  color: "blue"',
    'inputs:'
  ];
  for (const o of optionsFor(command, 'action')) {
    lines.push(`  ${o.name}:`, `    description: ${q(inputDescription(o))}`);
    lines.push(`    required: ${o.required ? 'true' : 'false'}`);
    if (o.default !== undefined) lines.push(`    default: ${q(o.default)}`);
    else if (o.actionDefault !== undefined) lines.push(`    default: ${q(o.actionDefault)}`);
  }
  lines.push('outputs:');
  for (const o of (build ? BUILD_OUTPUTS : VERIFY_OUTPUTS) as readonly OutputSpec[]) {
    lines.push(`  ${o.name}:`, `    description: ${q(o.description)}`);
  }
  // verify/action.yml runs the bundle at the repository root, as actions/cache's restore/ does
  lines.push(
    'runs:',
    '  using: "node24"',
    `  main: ${q(build ? 'dist/index.js' : '../dist/verify/index.js')}`
  );
  return lines.join('\n') + '\n';
}

/** A table cell: no line break, `|` escaped. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** The default as the README's table shows it: the computed text, else the value in code. */
function defaultCell(o: OptionSpec): string {
  if (o.defaultText) return o.actionDefault ? `${o.defaultText} (\`${o.actionDefault}\`)` : o.defaultText;
  return o.default !== undefined ? `\`${o.default}\`` : '';
}

const WHERE = { both: 'CLI + action', action: 'action', cli: 'CLI' } as const;

/**
 * The README's options table of `command` (every option it takes, in the schema's order),
 * written by scripts/gen-action-yml.mjs between the options markers and compared by a test.
 */
export function optionsTable(command: Command): string {
  const rows = commandOptions(command).map(o => {
    const where = WHERE[o.surface] + (o.env ? `, env \`${o.env}\`` : '');
    return `| \`${o.name}\` | ${cell(defaultCell(o))} | ${where} | ${cell(o.description)} |`;
  });
  return [
    `### ${command}`,
    '',
    '| option / input | default | where | description |',
    '|---|---|---|---|',
    ...rows
  ].join('\n');
}

/** What stands between the README's options markers. */
export function readmeOptions(): string {
  return `${optionsTable('build')}\n\n${optionsTable('verify')}\n\n${optionsTable('extract')}\n`;
}
