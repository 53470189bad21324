/** --help text, generated from the option schema. */
import { optionsFor, type Command, type OptionSpec } from '../options.js';
import { VERSION } from '../version.js';

const COMMANDS: Record<string, string> = {
  build: 'build an ISO image from a directory',
  verify: 'check an image: structure, boot entries, manifest, checksums, signatures, QEMU boot',
  inspect: 'print what an image holds (volume, boot entries, partitions, tree); --json for the manifest',
  extract: 'write the files of an image (or of some paths in it) into a folder, never outside it'
};

export function mainHelp(): string {
  const lines = [
    `isoforge ${VERSION}: bootable, hybrid, reproducible ISO 9660 images in pure TypeScript`,
    '',
    'Usage: isoforge <command> [options]',
    '',
    'Commands:'
  ];
  for (const [c, d] of Object.entries(COMMANDS)) lines.push(`  ${c.padEnd(9)}${d}`);
  lines.push('', 'Options of build:', ...optionLines(optionsFor('build', 'cli')));
  lines.push(
    '',
    'Run `isoforge <command> --help` for the options of a command.',
    'Global: --debug (stack traces; time of each build phase), --quiet, --help, --version'
  );
  return lines.join('\n');
}

export function commandHelp(command: Command | 'inspect'): string {
  if (command === 'inspect') {
    return [
      'Usage: isoforge inspect IMAGE [--json | --as-options [--output DIR]]',
      '',
      COMMANDS.inspect,
      '--as-options prints the build flags that reproduce the image over its extracted tree (isoforge extract),',
      'one a line; the MBR code and appended partitions are named as byte ranges of IMAGE, or with',
      '--output DIR written there (mbr-code.bin, partition-N.img) and named by their paths.'
    ].join('\n');
  }
  const usage = {
    build: 'Usage: isoforge build --source DIR --output FILE [options]',
    verify: 'Usage: isoforge verify --image IMAGE [checks]',
    extract: 'Usage: isoforge extract --image IMAGE --output DIR [--path PATH …] [--overwrite true]'
  }[command];
  return [usage, '', COMMANDS[command], '', 'Options:', ...optionLines(optionsFor(command, 'cli'))].join(
    '\n'
  );
}

function optionLines(specs: OptionSpec[]): string[] {
  return specs.map(s => {
    const value =
      s.type === 'boolean'
        ? ' true|false'
        : s.type === 'enum'
          ? ` ${s.choices?.join('|')}`
          : s.type === 'list'
            ? ' A[,B]'
            : ` ${s.type.toUpperCase()}`;
    const def =
      s.default !== undefined
        ? ` (default: ${s.default})`
        : s.defaultText
          ? ` (default: ${s.defaultText})`
          : s.required
            ? ' (required)'
            : '';
    const env = s.env ? ` [env ${s.env}]` : '';
    return `  --${s.name}${value}\n      ${s.description}${def}${env}`;
  });
}
