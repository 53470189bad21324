/**
 * The table of options (a data table): every option's name, type, default, description and where
 * it exists. src/options.ts resolves values from it; the CLI flags, their --help and the inputs of
 * action.yml and verify/action.yml are derived from it.
 */
export type OptionType = 'string' | 'path' | 'boolean' | 'integer' | 'list' | 'size' | 'enum';
export type Command = 'build' | 'verify' | 'extract';
/** Where an option exists: both the CLI and the action, the action only, or the CLI only (extract). */
export type Surface = 'both' | 'action' | 'cli';

/** The shape of a schema entry; `OptionSpec` is the same with the name typed. */
export interface SpecShape {
  readonly name: string;
  readonly type: OptionType;
  readonly description: string;
  /** The default as the user would write it; undefined = no default (or computed, see defaultText). */
  readonly default?: string;
  /** How a computed default is described in help and action.yml. */
  readonly defaultText?: string;
  readonly commands: readonly Command[];
  readonly surface: Surface;
  readonly required?: boolean;
  /** Masked in logs; may also come from `env`. */
  readonly secret?: boolean;
  /** Environment variable read when the option is not given. */
  readonly env?: string;
  readonly choices?: readonly string[];
  /** A default only action.yml gives (an expression the runner evaluates, e.g. `${{ github.token }}`). */
  readonly actionDefault?: string;
}

const B: Command[] = ['build'];
const V: Command[] = ['verify'];
const X: Command[] = ['extract'];

// `as const`: the names are literal types, so a misspelt option name anywhere is a compile error
const SCHEMA = [
  // ---- Foundation: the image -------------------------------------------------------------------
  {
    name: 'source',
    type: 'path',
    commands: B,
    surface: 'both',
    defaultText: 'required unless source-image is given',
    description:
      "Directory whose contents become the root of the image; with source-image, laid over that image's tree (a file replaces the file at its path, folders merge)."
  },
  // ---- Remaster: an existing image as the base -----------------------------------------------------
  {
    name: 'source-image',
    type: 'path',
    commands: B,
    surface: 'both',
    description:
      'An ISO image whose tree (Rock Ridge, else Joliet, else ISO 9660 names) is the base of the build, its volume id kept unless volume-id is given; the image is only read. In the action, artifact:NAME downloads that artifact of the current run.'
  },
  {
    name: 'remove',
    type: 'list',
    commands: B,
    surface: 'both',
    description:
      "Path(s) of files or whole folders taken out of source-image's tree before source is laid over it; a path not there is an error."
  },
  {
    name: 'replay-boot',
    type: 'enum',
    commands: B,
    surface: 'both',
    default: 'true',
    choices: ['true', 'false', 'without-apm'],
    description:
      "With source-image and no boot options: boot as source-image does (its El Torito entries in order as boot entries, emulated or inside an appended partition too; its appended partitions, read from it; its MBR boot code and hybrid layout); what cannot be replayed (an Apple partition map) is an error naming it. without-apm: replay the rest, dropping the Apple partition map and HFS+ file system (grub-mkrescue's) with a warning. Boot options given, or false, replace the replay (the log says what is dropped)."
  },
  {
    name: 'output',
    type: 'path',
    commands: B,
    surface: 'both',
    defaultText:
      'CLI: required; action: <runner temp>/<volume-id>.iso, lowercased, a space as -, any other character outside a-z 0-9 . _ - as _',
    description:
      'Path of the ISO image to write (written atomically: a temporary file beside it, renamed at the end).'
  },
  {
    name: 'volume-id',
    type: 'string',
    commands: B,
    surface: 'both',
    defaultText: "ISOFORGE; with source-image, that image's",
    description:
      "Volume identifier (the label that live systems find their medium by, e.g. 'Ubuntu-Server 24.04 LTS amd64'): 1-32 printable ASCII characters (0x20-0x7E; ECMA-119's d-characters are not enforced, as with xorriso), kept exactly, no trailing space. The Joliet volume label is its first 16 characters."
  },
  {
    name: 'system-id',
    type: 'string',
    commands: B,
    surface: 'both',
    description:
      'System identifier (ECMA-119 8.4.5): up to 32 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 16.'
  },
  {
    name: 'volume-set-id',
    type: 'string',
    commands: B,
    surface: 'both',
    description:
      'Volume set identifier (ECMA-119 8.4.14): up to 128 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 64.'
  },
  {
    name: 'publisher',
    type: 'string',
    commands: B,
    surface: 'both',
    description:
      'Publisher identifier (ECMA-119 8.4.20): up to 128 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 64. A leading _ is written as text (ECMA-119 reads it as naming a root file; isoforge checks none).'
  },
  {
    name: 'preparer',
    type: 'string',
    commands: B,
    surface: 'both',
    description:
      'Data preparer identifier (ECMA-119 8.4.21): up to 128 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 64. A leading _ is written as text.'
  },
  {
    name: 'application-id',
    type: 'string',
    commands: B,
    surface: 'both',
    defaultText: "ISOFORGE; with source-image, that image's",
    description:
      'Application identifier (ECMA-119 8.4.22): up to 128 printable ASCII characters, no trailing space. Joliet: the first 64. A leading _ is written as text.'
  },
  {
    name: 'joliet',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'true',
    description:
      'Write a Joliet tree (UCS-2 names up to 103 characters, astral characters as surrogate pairs).'
  },
  {
    name: 'rock-ridge',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'true',
    description: 'Write Rock Ridge (RRIP 1.12): exact names, POSIX modes, symbolic links, deep trees.'
  },
  {
    name: 'source-date-epoch',
    type: 'integer',
    commands: B,
    surface: 'both',
    env: 'SOURCE_DATE_EPOCH',
    defaultText: 'the SOURCE_DATE_EPOCH environment variable, else the current time',
    description:
      "Seconds since 1970: every date in the image (volumes, records, Rock Ridge TF) is set to it, so two builds of the same content are byte-identical whatever the files' mtimes."
  },
  // ---- Boot: --------------------------------------------------------------------------------------
  {
    name: 'bios-boot',
    type: 'list',
    commands: B,
    surface: 'both',
    description:
      'Path(s) inside the source of no-emulation BIOS boot images (isolinux.bin, eltorito.img, limine-bios-cd.bin).'
  },
  {
    name: 'bios-boot-load-size',
    type: 'integer',
    commands: B,
    surface: 'both',
    default: '4',
    description: 'Sectors (512 bytes) the BIOS loads from each BIOS boot image.'
  },
  {
    name: 'boot-info-table',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'true',
    description: 'Patch a boot info table into the image copy of each BIOS boot image (bytes 8-63).'
  },
  {
    name: 'grub2-boot-info',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'false',
    description: "Patch GRUB's boot image address at bytes 2548-2555 of each BIOS boot image."
  },
  {
    name: 'uefi-boot',
    type: 'list',
    commands: B,
    surface: 'both',
    description:
      "Path(s) inside the source of a FAT image, or of a folder (e.g. EFI) from which the FAT image is built. With --hybrid the first is also the appended EFI system partition (GPT entry 2, or the first --append-partition leaves free) that its entry boots: a folder's FAT image is stored only there; a FAT image file of the tree is that partition, stored once (as --boot 'platform=uefi image=PATH partition=N')."
  },
  {
    name: 'uefi-boot-size',
    type: 'size',
    commands: B,
    surface: 'both',
    defaultText: 'content plus slack',
    description: 'Size of a FAT image built from a folder (e.g. 16MiB).'
  },
  {
    name: 'boot',
    type: 'list',
    commands: B,
    surface: 'both',
    description:
      'An El Torito entry (repeatable; one a line): space-separated key=value: platform=bios|uefi; image=PATH (in the source) or partition=N (appended partition N, all of it), or for uefi both (the FAT image file PATH of the tree is appended partition N, 2-4, type ESP, stored once; needs --hybrid); optional emulation=none|floppy|hard-disk (floppy: a 1.2/1.44/2.88 MB image; hard-disk: an image whose MBR has one partition), load-size=N (512-byte sectors; default: --bios-boot-load-size for BIOS, the whole image for UEFI, 1 for emulated images), info-table=true|false and grub2-boot-info=true|false (no-emulation images only; BIOS default: --boot-info-table, --grub2-boot-info). Entries follow those of --bios-boot and --uefi-boot in the catalog, in the order given; the first entry is the default.'
  },
  {
    name: 'append-partition',
    type: 'list',
    commands: B,
    surface: 'both',
    description:
      "A partition appended after the ISO 9660 volume (repeatable; one a line): 'N TYPE FILE'. N is its GPT entry, 2-4 (1 is the ISO 9660 partition); TYPE an MBR type byte (0xef: EFI system partition, else basic data) or a GPT type GUID; FILE a file anywhere on disk, copied whole. Needs --hybrid. --boot 'platform=uefi partition=N' boots it, so the EFI image is stored once."
  },
  {
    name: 'boot-catalog',
    type: 'string',
    commands: B,
    surface: 'both',
    default: 'boot.catalog',
    description:
      'Path of the El Torito boot catalog inside the image. A file already at that path in the source (a tree extracted from an image) is replaced, with a warning.'
  },
  {
    name: 'boot-catalog-hide',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'false',
    description: 'Keep the boot catalog out of the directory trees.'
  },
  {
    name: 'hybrid',
    type: 'boolean',
    commands: B,
    surface: 'both',
    defaultText: 'true when there is a boot entry',
    description: 'Write an MBR and a GPT so the same file boots from a USB disk.'
  },
  {
    name: 'mbr-template',
    type: 'path',
    commands: B,
    surface: 'both',
    description:
      'File of MBR boot code (syslinux isohdpfx.bin or GRUB boot_hybrid.img); without it the disk boots through UEFI only.'
  },
  {
    name: 'mbr-kind',
    type: 'enum',
    commands: B,
    surface: 'both',
    default: 'auto',
    choices: ['auto', 'isohybrid', 'grub2'],
    description:
      "How the MBR boot code finds the first BIOS boot image (bytes 432-439): isohybrid (isohdpfx.bin: the image's 512-byte sector, xorriso -isohybrid-mbr) or grub2 (boot_hybrid.img and memtest86+'s MBR: that sector + 4, xorriso --grub2-mbr); auto: grub2 when that entry has GRUB2 boot info."
  },
  // ---- Integrity: ---------------------------------------------------------------------------------
  {
    name: 'checksums',
    type: 'list',
    commands: B,
    surface: 'both',
    default: 'sha256',
    choices: ['sha256', 'sha512', 'none'],
    description:
      'Checksum files to write beside the image (SHA256SUMS, SHA512SUMS); none for no checksum file.'
  },
  {
    name: 'checksum-format',
    type: 'enum',
    commands: B,
    surface: 'both',
    default: 'gnu',
    choices: ['gnu', 'bsd'],
    description: 'gnu: "<hex>  <name>"; bsd: "SHA256 (<name>) = <hex>" (signify -C, FreeBSD).'
  },
  {
    name: 'manifest',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'true',
    description: 'Write <image>.manifest.json beside the image (false also skips hashing every file for it).'
  },
  {
    name: 'implant-md5',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'false',
    description: 'Implant the MD5 that checkisomd5 verifies (costs a second read of the image).'
  },
  {
    name: 'direct-io',
    type: 'boolean',
    commands: B,
    surface: 'both',
    default: 'true',
    description:
      'Write the image around the page cache (Linux O_DIRECT; elsewhere, or where refused, through it). false: through the cache, which can be faster when the disk is much slower than memory and the image is read again at once.'
  },
  {
    name: 'gpg-private-key',
    type: 'string',
    commands: B,
    surface: 'both',
    secret: true,
    env: 'ISOFORGE_GPG_PRIVATE_KEY',
    description: 'ASCII-armored OpenPGP secret key; signs the image (<image>.asc) and checksum files.'
  },
  {
    name: 'gpg-passphrase',
    type: 'string',
    commands: B,
    surface: 'both',
    secret: true,
    env: 'ISOFORGE_GPG_PASSPHRASE',
    description: 'Passphrase of gpg-private-key.'
  },
  {
    name: 'minisign-private-key',
    type: 'string',
    commands: B,
    surface: 'both',
    secret: true,
    env: 'ISOFORGE_MINISIGN_PRIVATE_KEY',
    description: 'Content of a minisign secret key file; writes <image>.minisig and checksum-file signatures.'
  },
  {
    name: 'minisign-password',
    type: 'string',
    commands: B,
    surface: 'both',
    secret: true,
    env: 'ISOFORGE_MINISIGN_PASSWORD',
    description: 'Password of minisign-private-key (omit for a key made with minisign -W).'
  },
  {
    name: 'attest',
    type: 'boolean',
    commands: B,
    surface: 'action',
    default: 'false',
    description:
      'Create a GitHub build-provenance attestation of the image (needs id-token: write, attestations: write).'
  },
  // ---- Action: ------------------------------------------------------------------------------------
  {
    name: 'github-token',
    type: 'string',
    commands: B,
    surface: 'action',
    secret: true,
    env: 'GITHUB_TOKEN',
    actionDefault: '${{ github.token }}',
    defaultText: 'the workflow token',
    description: 'Token that stores the attestation (attest: true) with the repository.'
  },
  {
    name: 'upload',
    type: 'boolean',
    commands: B,
    surface: 'action',
    default: 'true',
    description: 'Upload the image (unzipped) and its metadata as workflow artifacts.'
  },
  {
    name: 'artifact-name',
    type: 'string',
    commands: [...B, ...V],
    surface: 'action',
    defaultText: 'build: the image file name; verify: none',
    description: 'Name of the artifact (build: to upload; verify: to download the image from this run).'
  },
  {
    name: 'retention-days',
    type: 'integer',
    commands: B,
    surface: 'action',
    defaultText: 'the repository setting',
    description:
      "Days to keep the artifacts; 0 for the repository's setting. More than the repository allows is lowered to its maximum, with a warning."
  },
  {
    name: 'overwrite',
    type: 'boolean',
    commands: B,
    surface: 'action',
    default: 'false',
    description: 'Replace artifacts of the same name uploaded earlier in this run.'
  },
  {
    name: 'summary',
    type: 'boolean',
    commands: [...B, ...V],
    surface: 'action',
    default: 'true',
    description: 'Write the job summary.'
  },
  {
    name: 'baseline',
    type: 'boolean',
    commands: B,
    surface: 'action',
    default: 'true',
    description:
      'Compare with the manifest of the latest default-branch run (from the cache) and save it there.'
  },
  {
    name: 'baseline-branch',
    type: 'string',
    commands: B,
    surface: 'action',
    defaultText: "the repository's default branch, else main",
    description: 'Branch whose runs save the baseline.'
  },
  {
    name: 'max-size',
    type: 'size',
    commands: [...B, ...V],
    surface: 'both',
    description: 'Fail when the image is larger (bytes, or e.g. 700MiB, 4.7GB).'
  },
  {
    name: 'max-growth',
    type: 'string',
    commands: B,
    surface: 'action',
    description: 'Fail when the image grew more than this over the baseline (e.g. 5% or 50MiB).'
  },
  // ---- Verify: ------------------------------------------------------------------------------------
  { name: 'image', type: 'path', commands: V, surface: 'both', description: 'The ISO image to verify.' },
  {
    name: 'expect-boot',
    type: 'list',
    commands: V,
    surface: 'both',
    // PLATFORM or PLATFORM:KIND, matched in src/read/expect-boot.ts
    choices: [
      'bios',
      'uefi',
      ...['none', 'floppy', 'hard-disk', 'partition'].flatMap(k => [`bios:${k}`, `uefi:${k}`])
    ],
    description:
      'El Torito entries that must be present: a platform (bios, uefi), or a platform and what its image is: an emulation (bios:none, bios:floppy, bios:hard-disk) or an appended partition (uefi:partition). Each needs an entry of its own kind.'
  },
  {
    name: 'manifest-file',
    type: 'path',
    commands: V,
    surface: 'both',
    defaultText: '<image>.manifest.json when --manifest is true',
    description: 'Manifest to compare the tree and file hashes with.'
  },
  {
    name: 'checksums-file',
    type: 'path',
    commands: V,
    surface: 'both',
    description: 'SHA256SUMS or SHA512SUMS file that must list the image with the right digest.'
  },
  {
    name: 'gpg-public-key',
    type: 'string',
    commands: V,
    surface: 'both',
    description: 'ASCII-armored OpenPGP public key (or a path to one) that must have made `signature`.'
  },
  {
    name: 'minisign-public-key',
    type: 'string',
    commands: V,
    surface: 'both',
    description: 'minisign public key (or a path to a .pub file) that must have made `signature`.'
  },
  {
    name: 'signature',
    type: 'path',
    commands: V,
    surface: 'both',
    defaultText: '<image>.asc or <image>.minisig',
    description: 'Detached signature of the image.'
  },
  {
    name: 'boot-test',
    type: 'list',
    commands: V,
    surface: 'both',
    choices: ['bios', 'uefi'],
    description:
      'Boot the image in QEMU with SeaBIOS (bios) and/or OVMF (uefi), under KVM when a quick probe shows it works, TCG otherwise.'
  },
  {
    name: 'boot-media',
    type: 'list',
    commands: V,
    surface: 'both',
    default: 'cd,disk',
    choices: ['cd', 'disk'],
    description: 'Boot as a CD, as a disk, or both.'
  },
  {
    name: 'boot-marker',
    type: 'string',
    commands: V,
    surface: 'both',
    description: 'Text that must appear on the serial console or the screen for a boot test to pass.'
  },
  {
    name: 'boot-timeout',
    type: 'integer',
    commands: V,
    surface: 'both',
    default: '120',
    description: 'Seconds to wait for the boot marker.'
  },
  {
    name: 'boot-memory',
    type: 'integer',
    commands: V,
    surface: 'both',
    default: '1024',
    description:
      'MiB of memory for the guest of each boot test (GRUB under OVMF cannot load a Debian kernel in 256).'
  },
  // ---- Extract (CLI only): names shared with build and verify, meanings of its own ---------------
  {
    name: 'image',
    type: 'path',
    commands: X,
    surface: 'cli',
    required: true,
    description: 'The ISO image to extract from.'
  },
  {
    name: 'output',
    type: 'path',
    commands: X,
    surface: 'cli',
    required: true,
    description: 'Folder to extract into (made when missing); nothing is ever written outside it.'
  },
  {
    name: 'path',
    type: 'list',
    commands: X,
    surface: 'cli',
    description:
      'Path(s) inside the image to extract (a file or a whole folder), kept below the output folder; default: all.'
  },
  {
    name: 'overwrite',
    type: 'boolean',
    commands: X,
    surface: 'cli',
    default: 'false',
    description:
      'Replace existing files and symbolic links in the output folder (removed first, never written through); a folder is never replaced.'
  }
] as const satisfies readonly SpecShape[];

/** The name of an option of the schema: `'volume-id'`, `'boot-test'`… */
export type OptionName = (typeof SCHEMA)[number]['name'];

export interface OptionSpec extends SpecShape {
  readonly name: OptionName;
}

export const OPTIONS: readonly OptionSpec[] = SCHEMA;

/** Options of `build` that verify reuses with another meaning get their own entries above; these are shared as-is. */
export const VERIFY_SHARED: readonly OptionSpec[] = [
  {
    name: 'manifest',
    type: 'boolean',
    commands: V,
    surface: 'both',
    default: 'false',
    description: 'Compare the tree and file hashes with manifest-file.'
  }
];
