#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(517);
/** Entry of the bundled CLI (dist/cli/index.js). */

const controller = new AbortController();
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
        if (interrupted)
            process.exit(130);
        interrupted = true;
        controller.abort();
    });
}
const code = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .main */ .iW)(process.argv.slice(2), {
    stdout: s => process.stdout.write(s),
    stderr: s => process.stderr.write(s),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    signal: controller.signal
});
process.exitCode = code;

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 517:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  iW: () => (/* binding */ main)
});

// UNUSED EXPORTS: formatBytes, stderrLogger

;// CONCATENATED MODULE: ./src/errors.ts
/**
 * The one error class of isoforge. Every failure a user can meet is an IsoforgeError that names
 * the path or option at fault in `subject`; the CLI prints `message` on one line, the action passes
 * it to core.setFailed. Anything else that escapes is a bug and is shown with its stack under --debug.
 */
class errors_IsoforgeError extends Error {
    /** The path or option at fault, e.g. `--volume-id` or `/src/a/b.bin`. */
    subject;
    code;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'IsoforgeError';
        this.subject = options.subject;
        this.code = options.code ?? 'EISOFORGE';
    }
}
/** Make any thrown value into a one-line message; IsoforgeErrors keep their text. */
function oneLine(err) {
    if (err instanceof errors_IsoforgeError)
        return err.message.replace(/\s*\n\s*/g, ' ');
    if (err instanceof Error) {
        const e = err;
        const base = e.code && e.path ? `${e.code}: ${e.path}: ${e.message}` : e.message;
        return base.replace(/\s*\n\s*/g, ' ');
    }
    return String(err);
}
/** Wrap a Node fs error so that it names the path the user gave. */
function fsError(err, path, what) {
    if (err instanceof errors_IsoforgeError)
        return err;
    const e = err;
    const reason = e?.code === 'ENOENT'
        ? 'does not exist'
        : e?.code === 'EACCES' || e?.code === 'EPERM'
            ? 'permission denied'
            : e?.code === 'ENOSPC'
                ? 'no space left on device'
                : e?.code === 'ENOTDIR'
                    ? 'a parent is not a directory'
                    : (e?.message ?? String(err));
    return new errors_IsoforgeError(`${what} ${path}: ${reason}`, { subject: path, code: e?.code, cause: err });
}

;// CONCATENATED MODULE: ./src/config.ts
/**
 * Typed configuration of `build`, made from the resolved option values of src/options.ts.
 * The CLI and the action both come through here, so they mean the same thing by every name.
 */

const str = (v) => (typeof v === 'string' && v !== '' ? v : undefined);
const bool = (v, d) => (typeof v === 'boolean' ? v : d);
const num = (v) => (typeof v === 'number' ? v : undefined);
const list = (v) => (Array.isArray(v) ? v : []);
function toBuildConfig(v) {
    const source = str(v['source']);
    if (!source)
        throw new errors_IsoforgeError('--source: required (the directory to make an image of)', {
            subject: '--source'
        });
    const output = str(v['output']);
    if (!output)
        throw new errors_IsoforgeError('--output: required (the ISO file to write)', { subject: '--output' });
    const epoch = num(v['source-date-epoch']);
    if (epoch !== undefined && epoch > 253402300799) {
        throw new errors_IsoforgeError(`--source-date-epoch: ${epoch} is after the year 9999`, {
            subject: '--source-date-epoch'
        });
    }
    const loadSize = num(v['bios-boot-load-size']) ?? 4;
    if (loadSize < 1 || loadSize > 65535) {
        throw new errors_IsoforgeError(`--bios-boot-load-size: ${loadSize} is not between 1 and 65535`, {
            subject: '--bios-boot-load-size'
        });
    }
    return {
        source,
        output,
        volumeId: str(v['volume-id']) ?? 'ISOFORGE',
        joliet: bool(v['joliet'], true),
        rockRidge: bool(v['rock-ridge'], true),
        epoch,
        biosBoot: list(v['bios-boot']),
        biosBootLoadSize: loadSize,
        bootInfoTable: bool(v['boot-info-table'], true),
        grub2BootInfo: bool(v['grub2-boot-info'], false),
        uefiBoot: list(v['uefi-boot']),
        uefiBootSize: num(v['uefi-boot-size']),
        bootCatalog: str(v['boot-catalog']) ?? 'boot.catalog',
        bootCatalogHide: bool(v['boot-catalog-hide'], false),
        hybrid: typeof v['hybrid'] === 'boolean' ? v['hybrid'] : undefined,
        mbrTemplate: str(v['mbr-template']),
        checksums: list(v['checksums']),
        checksumFormat: (str(v['checksum-format']) ?? 'gnu'),
        manifest: bool(v['manifest'], true),
        implantMd5: bool(v['implant-md5'], false),
        gpgPrivateKey: str(v['gpg-private-key']),
        gpgPassphrase: str(v['gpg-passphrase']),
        minisignPrivateKey: str(v['minisign-private-key']),
        minisignPassword: str(v['minisign-password']),
        attest: bool(v['attest'], false),
        maxSize: num(v['max-size'])
    };
}

;// CONCATENATED MODULE: ./src/options.ts
/**
 * The one schema of options. The CLI flags, their --help, the inputs of action.yml and
 * verify/action.yml are all derived from (or checked against) this table, so they cannot drift.
 * A flag `--volume-id` is the action input `volume-id`.
 */

const B = ['build'];
const V = ['verify'];
const OPTIONS = [
    // ---- Foundation: the image -------------------------------------------------------------------
    {
        name: 'source',
        type: 'path',
        commands: B,
        surface: 'both',
        required: true,
        description: 'Directory whose contents become the root of the image.'
    },
    {
        name: 'output',
        type: 'path',
        commands: B,
        surface: 'both',
        defaultText: 'CLI: required; action: <runner temp>/<volume-id lowercased>.iso',
        description: 'Path of the ISO image to write (written atomically: a temporary file beside it, renamed at the end).'
    },
    {
        name: 'volume-id',
        type: 'string',
        commands: B,
        surface: 'both',
        default: 'ISOFORGE',
        description: 'Volume identifier: up to 32 d-characters (A-Z, 0-9, _). Also the Joliet volume label.'
    },
    {
        name: 'joliet',
        type: 'boolean',
        commands: B,
        surface: 'both',
        default: 'true',
        description: 'Write a Joliet tree (UCS-2 names up to 103 characters, astral characters as surrogate pairs).'
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
        description: 'Seconds since 1970 used for every date in the image; file mtimes are clamped to it.'
    },
    // ---- Boot: --------------------------------------------------------------------------------------
    {
        name: 'bios-boot',
        type: 'list',
        commands: B,
        surface: 'both',
        description: 'Path(s) inside the source of no-emulation BIOS boot images (isolinux.bin, eltorito.img, limine-bios-cd.bin).'
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
        description: 'Path(s) inside the source of a FAT image, or of a folder (e.g. EFI) from which the FAT image is built.'
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
        name: 'boot-catalog',
        type: 'string',
        commands: B,
        surface: 'both',
        default: 'boot.catalog',
        description: 'Path of the El Torito boot catalog inside the image.'
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
        description: 'File of MBR boot code (syslinux isohdpfx.bin or GRUB boot_hybrid.img); without it the disk boots through UEFI only.'
    },
    // ---- Integrity: ---------------------------------------------------------------------------------
    {
        name: 'checksums',
        type: 'list',
        commands: B,
        surface: 'both',
        default: 'sha256',
        choices: ['sha256', 'sha512'],
        description: 'Checksum files to write beside the image (SHA256SUMS, SHA512SUMS); empty for none.'
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
        description: 'Write <image>.manifest.json beside the image.'
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
        description: 'Create a GitHub build-provenance attestation of the image (needs id-token: write, attestations: write).'
    },
    // ---- Action: ------------------------------------------------------------------------------------
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
        description: 'Days to keep the artifacts (1-90).'
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
        description: 'Compare with the manifest of the latest default-branch run (from the cache) and save it there.'
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
        choices: ['bios', 'uefi'],
        description: 'El Torito platforms that must be present (bios, uefi).'
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
        description: 'Boot the image in QEMU with SeaBIOS (bios) and/or OVMF (uefi).'
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
        description: 'Text that must appear on the serial console for a boot test to pass.'
    },
    {
        name: 'boot-timeout',
        type: 'integer',
        commands: V,
        surface: 'both',
        default: '120',
        description: 'Seconds to wait for the boot marker.'
    }
];
function optionsFor(command, surface) {
    return OPTIONS.filter(o => o.commands.includes(command) && (surface === 'action' || o.surface === 'both')).concat(command === 'verify' ? VERIFY_SHARED.filter(o => surface === 'action' || o.surface === 'both') : []);
}
/** Options of `build` that verify reuses with another meaning get their own entries above; these are shared as-is. */
const VERIFY_SHARED = [
    {
        name: 'manifest',
        type: 'boolean',
        commands: V,
        surface: 'both',
        default: 'false',
        description: 'Compare the tree and file hashes with manifest-file.'
    }
];
// ---- parsing -------------------------------------------------------------------------------------
const SIZE_UNITS = {
    '': 1,
    b: 1,
    k: 1000,
    kb: 1000,
    m: 1e6,
    mb: 1e6,
    g: 1e9,
    gb: 1e9,
    t: 1e12,
    tb: 1e12,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    tib: 1024 ** 4
};
/** `700MiB`, `4.7GB`, `123456` → bytes. */
function parseSize(text, option) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
    const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
    if (!m || unit === undefined) {
        throw new errors_IsoforgeError(`--${option}: "${text}" is not a size (e.g. 700MiB, 4.7GB or a number of bytes)`, {
            subject: `--${option}`
        });
    }
    return Math.round(Number(m[1]) * unit);
}
function parseOne(spec, raw) {
    const flag = `--${spec.name}`;
    switch (spec.type) {
        case 'boolean': {
            const v = raw.trim().toLowerCase();
            if (['true', 'yes', '1', 'on'].includes(v))
                return true;
            if (['false', 'no', '0', 'off'].includes(v))
                return false;
            throw new errors_IsoforgeError(`${flag}: "${raw}" is not true or false`, { subject: flag });
        }
        case 'integer': {
            if (!/^\s*\d+\s*$/.test(raw)) {
                throw new errors_IsoforgeError(`${flag}: "${raw}" is not a whole number`, { subject: flag });
            }
            const n = Number(raw);
            if (!Number.isSafeInteger(n))
                throw new errors_IsoforgeError(`${flag}: ${raw} is too large`, { subject: flag });
            return n;
        }
        case 'size':
            return parseSize(raw, spec.name);
        case 'list': {
            const items = raw
                .split(/[\n,]/)
                .map(s => s.trim())
                .filter(s => s.length > 0);
            if (spec.choices) {
                for (const i of items) {
                    if (!spec.choices.includes(i.toLowerCase())) {
                        throw new errors_IsoforgeError(`${flag}: "${i}" is not one of ${spec.choices.join(', ')}`, {
                            subject: flag
                        });
                    }
                }
                return items.map(i => i.toLowerCase());
            }
            return items;
        }
        case 'enum': {
            const v = raw.trim().toLowerCase();
            if (!spec.choices?.includes(v)) {
                throw new errors_IsoforgeError(`${flag}: "${raw}" is not one of ${spec.choices?.join(', ')}`, {
                    subject: flag
                });
            }
            return v;
        }
        default:
            return raw;
    }
}
/**
 * Turn raw text values (from argv or action inputs) into typed values, applying defaults and
 * environment fallbacks. Unknown names are rejected by the callers (CLI parser), not here.
 */
function resolveOptions(specs, raw, env = process.env) {
    const out = {};
    for (const spec of specs) {
        let text = raw.get(spec.name);
        if ((text === undefined || text === '') &&
            spec.env &&
            env[spec.env] !== undefined &&
            env[spec.env] !== '') {
            text = env[spec.env];
        }
        if (text === undefined || text === '')
            text = spec.default;
        out[spec.name] = text === undefined ? undefined : parseOne(spec, text);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/boot/index.ts

async function createBootExtensions(config, _log) {
    if (config.biosBoot.length || config.uefiBoot.length) {
        throw new errors_IsoforgeError('--bios-boot/--uefi-boot: boot images are not supported yet', {
            subject: '--bios-boot'
        });
    }
    return [];
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/log.ts
const silentLogger = {
    info: () => undefined,
    warn: () => undefined,
    debug: () => undefined
};
/** A logger that records what it is told, for tests and for the manifest's warnings. */
class MemoryLogger {
    lines = [];
    info(message) {
        this.lines.push({ level: 'info', message });
    }
    warn(message, subject) {
        this.lines.push({ level: 'warn', message, subject });
    }
    debug(message) {
        this.lines.push({ level: 'debug', message });
    }
    get warnings() {
        return this.lines.filter(l => l.level === 'warn').map(l => l.message);
    }
}
async function inGroup(log, name, fn) {
    return log.group ? log.group(name, fn) : fn();
}

;// CONCATENATED MODULE: ./src/platform.ts
/**
 * Every difference between Linux, macOS and Windows runners lives here, as pure functions of an
 * explicit `platform` so tests can simulate the others: path separators, case-insensitive names,
 * and file systems without POSIX modes.
 */

/** Whether the usual file system of the platform folds case (NTFS, APFS default). */
function foldsCase(platform = process.platform) {
    return platform === 'win32' || platform === 'darwin';
}
/** Key under which two names collide on `platform`'s file system. */
function nameKey(name, platform = process.platform) {
    const n = name.normalize('NFC');
    return foldsCase(platform) ? n.toLowerCase() : n;
}
/**
 * A path a user gave for something inside the source tree (e.g. `isolinux\isolinux.bin` on
 * Windows) → the POSIX path inside the image. Rejects absolute paths and `..` that leave the tree.
 */
function imagePathFromUser(input, option, platform = process.platform) {
    let p = input.trim();
    if (platform === 'win32')
        p = p.replace(/\\/g, '/');
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) {
        throw new IsoforgeError(`--${option}: "${input}" must be a path inside the source directory, not an absolute path`, {
            subject: `--${option}`
        });
    }
    const out = [];
    for (const part of p.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            if (out.length === 0) {
                throw new IsoforgeError(`--${option}: "${input}" leaves the source directory`, {
                    subject: `--${option}`
                });
            }
            out.pop();
        }
        else
            out.push(part);
    }
    if (out.length === 0)
        throw new IsoforgeError(`--${option}: "${input}" names the source directory itself`, {
            subject: `--${option}`
        });
    return out.join('/');
}
/** A native relative path (as fs.readdir builds it) → POSIX path inside the image. */
function toImagePath(nativeRelative, platform = process.platform) {
    return platform === 'win32' ? nativeRelative.replace(/\\/g, '/') : nativeRelative;
}
/**
 * POSIX permission bits to record for a file. Windows has no POSIX modes (Node reports 0o666 or
 * 0o444 for files, 0o666 for directories): use 0755/0644, 0444 for read-only files.
 */
function permissionBits(kind, statMode, platform = process.platform) {
    if (kind === 'symlink')
        return 0o777;
    if (platform === 'win32') {
        if (kind === 'dir')
            return 0o755;
        return statMode & 0o200 ? 0o644 : 0o444;
    }
    return statMode & 0o7777;
}
/** Whether `child` is `parent` or inside it, comparing as the platform's file system does. */
function isInside(parent, child, platform = process.platform) {
    const sep = platform === 'win32' ? '\\' : '/';
    const norm = (s) => {
        let t = platform === 'win32' ? s.replace(/\//g, '\\') : s;
        while (t.length > 1 && t.endsWith(sep))
            t = t.slice(0, -1);
        return foldsCase(platform) ? t.toLowerCase() : t;
    };
    const p = norm(parent);
    const c = norm(child);
    return c === p || c.startsWith(p.endsWith(sep) ? p : p + sep);
}

;// CONCATENATED MODULE: ./src/image/bytes.ts
/**
 * Primitive field codecs of ECMA-119 (ISO 9660), each with its parse side so the writer and the
 * reader share one definition. Sections cited are ECMA-119 4th edition (2019).
 */
const bytes_SECTOR = 2048;
/** ECMA-119 7.2.3: 16-bit both-byte orders (LE then BE). */
function writeBoth16(buf, off, v) {
    buf.writeUInt16LE(v, off);
    buf.writeUInt16BE(v, off + 2);
}
/** ECMA-119 7.3.3: 32-bit both-byte orders (LE then BE). */
function writeBoth32(buf, off, v) {
    buf.writeUInt32LE(v >>> 0, off);
    buf.writeUInt32BE(v >>> 0, off + 4);
}
/** Reads the LE half of a both-endian 32-bit field; `strict` also checks the BE half agrees. */
function bytes_readBoth32(buf, off, strict = false) {
    const le = buf.readUInt32LE(off);
    if (strict && buf.readUInt32BE(off + 4) !== le)
        throw new RangeError(`both-endian mismatch at ${off}`);
    return le;
}
function bytes_readBoth16(buf, off, strict = false) {
    const le = buf.readUInt16LE(off);
    if (strict && buf.readUInt16BE(off + 2) !== le)
        throw new RangeError(`both-endian mismatch at ${off}`);
    return le;
}
/** Write `text` as ASCII into a fixed field padded with `pad` (0x20 for a/d-characters, ECMA-119 8.4). */
function writePadded(buf, off, len, text, pad = 0x20) {
    buf.fill(pad, off, off + len);
    buf.write(text.slice(0, len), off, 'latin1');
}
function bytes_readPadded(buf, off, len) {
    return buf.toString('latin1', off, off + len).replace(/[\x00 ]+$/, '');
}
/** UCS-2 big-endian field padded with 0x00 0x20 pairs (Joliet volume fields). */
function writeUcs2Padded(buf, off, len, text) {
    for (let i = 0; i + 1 < len; i += 2)
        buf.writeUInt16BE(0x0020, off + i);
    const enc = encodeUtf16BE(text);
    enc.copy(buf, off, 0, Math.min(enc.length, len - (len % 2)));
}
function encodeUtf16BE(text) {
    const b = Buffer.alloc(text.length * 2);
    for (let i = 0; i < text.length; i++)
        b.writeUInt16BE(text.charCodeAt(i), i * 2);
    return b;
}
function bytes_decodeUtf16BE(buf, off = 0, len = buf.length - off) {
    let s = '';
    for (let i = 0; i + 1 < len; i += 2)
        s += String.fromCharCode(buf.readUInt16BE(off + i));
    return s;
}
/** ECMA-119 9.1.5: recording date and time of a directory record, 7 bytes, UTC. */
function writeRecordDate(buf, off, epochSeconds) {
    const d = new Date(epochSeconds * 1000);
    const year = d.getUTCFullYear() - 1900;
    buf[off] = Math.max(0, Math.min(255, year));
    buf[off + 1] = d.getUTCMonth() + 1;
    buf[off + 2] = d.getUTCDate();
    buf[off + 3] = d.getUTCHours();
    buf[off + 4] = d.getUTCMinutes();
    buf[off + 5] = d.getUTCSeconds();
    buf[off + 6] = 0; // offset from GMT in 15-minute intervals
}
function bytes_readRecordDate(buf, off) {
    const ms = Date.UTC(1900 + buf[off], Math.max(0, buf[off + 1] - 1), buf[off + 2] || 1, buf[off + 3], buf[off + 4], buf[off + 5]);
    const gmtOff = buf.readInt8(off + 6) * 15 * 60;
    return Math.floor(ms / 1000) - gmtOff;
}
/** ECMA-119 8.4.26.1: volume date "YYYYMMDDHHMMSScc" + GMT offset byte; undefined writes the zero date. */
function writeVolumeDate(buf, off, epochSeconds) {
    if (epochSeconds === undefined) {
        buf.write('0000000000000000', off, 'latin1');
        buf[off + 16] = 0;
        return;
    }
    const d = new Date(epochSeconds * 1000);
    const p = (n, w = 2) => String(n).padStart(w, '0');
    const s = p(d.getUTCFullYear(), 4) +
        p(d.getUTCMonth() + 1) +
        p(d.getUTCDate()) +
        p(d.getUTCHours()) +
        p(d.getUTCMinutes()) +
        p(d.getUTCSeconds()) +
        '00';
    buf.write(s, off, 'latin1');
    buf[off + 16] = 0;
}
function bytes_readVolumeDate(buf, off) {
    const s = buf.toString('latin1', off, off + 16);
    if (!/^\d{16}$/.test(s) || s === '0000000000000000')
        return undefined;
    const ms = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14));
    return Math.floor(ms / 1000) - buf.readInt8(off + 16) * 15 * 60;
}
function blocksFor(bytes, blockSize = bytes_SECTOR) {
    return Math.ceil(bytes / blockSize);
}

;// CONCATENATED MODULE: ./src/image/dirrec.ts
/** ECMA-119 9.1: directory records, both ways. */

// ECMA-119 9.1.6: file flags
const FLAG_HIDDEN = 0x01;
const FLAG_DIRECTORY = 0x02;
const FLAG_MULTI_EXTENT = 0x80;
/** ECMA-119 9.1: fixed part of a record before the file identifier. */
const DIR_RECORD_FIXED = 33;
const MAX_DIR_RECORD = 255;
/** Bytes of the identifier part including the padding byte (ECMA-119 9.1.12). */
function idFieldLength(idLen) {
    return idLen + (idLen % 2 === 0 ? 1 : 0);
}
function recordLength(idLen, suLen) {
    return DIR_RECORD_FIXED + idFieldLength(idLen) + suLen;
}
function encodeDirRecord(r) {
    const len = recordLength(r.fileId.length, r.systemUse.length);
    if (len > MAX_DIR_RECORD)
        throw new RangeError(`directory record of ${len} bytes`);
    const b = Buffer.alloc(len + (len % 2)); // records are even-length (SUSP pads the SU area)
    b[0] = b.length; // 9.1.1 length of directory record
    b[1] = 0; // 9.1.2 extended attribute record length
    writeBoth32(b, 2, r.extent); // 9.1.3 location of extent
    writeBoth32(b, 10, r.size); // 9.1.4 data length
    writeRecordDate(b, 18, r.date); // 9.1.5
    b[25] = r.flags; // 9.1.6
    b[26] = 0; // 9.1.7 file unit size
    b[27] = 0; // 9.1.8 interleave gap
    writeBoth16(b, 28, 1); // 9.1.9 volume sequence number
    b[32] = r.fileId.length; // 9.1.10
    r.fileId.copy(b, 33);
    r.systemUse.copy(b, DIR_RECORD_FIXED + idFieldLength(r.fileId.length));
    return b;
}
class RecordError extends (/* unused pure expression or super */ null && (Error)) {
}
/**
 * Parse the record at `off`. Returns undefined for a zero length byte (padding to the end of a
 * sector). Throws RecordError when the record's lengths do not add up inside `end`.
 */
function parseDirRecord(buf, off, end = buf.length) {
    if (off >= end)
        return undefined;
    const len = buf[off];
    if (len === 0)
        return undefined;
    if (len < DIR_RECORD_FIXED + 1 || off + len > end) {
        throw new RecordError(`directory record at offset ${off} has length ${len}`);
    }
    const idLen = buf[off + 32];
    const suStart = DIR_RECORD_FIXED + idFieldLength(idLen);
    if (DIR_RECORD_FIXED + idLen > len)
        throw new RecordError(`directory record at offset ${off}: identifier longer than record`);
    const record = {
        extent: readBoth32(buf, off + 2),
        size: readBoth32(buf, off + 10),
        date: readRecordDate(buf, off + 18),
        flags: buf[off + 25],
        fileId: buf.subarray(off + 33, off + 33 + idLen),
        systemUse: suStart < len ? buf.subarray(off + suStart, off + len) : Buffer.alloc(0)
    };
    return { record, length: len };
}

;// CONCATENATED MODULE: ./src/image/names.ts
/**
 * Deterministic names for the ISO 9660 and Joliet namespaces. Rock Ridge NM carries the exact
 * name; these are what readers without Rock Ridge (or Windows, through Joliet) see.
 */
/** ECMA-119 7.5 with level 2/3 rules: name + extension at most 30 d-characters. */
const ISO_FILE_MAX = 30;
/** ECMA-119 7.6.3: directory identifiers at most 31 d-characters. */
const ISO_DIR_MAX = 31;
/** Long Joliet (xorriso -joliet-long): 103 UCS-2 units. */
const JOLIET_MAX = 103;
function dchars(s) {
    // d-characters: A-Z 0-9 _ (ECMA-119 7.4.1)
    let out = '';
    for (const ch of s.toUpperCase())
        out += /[A-Z0-9_]/.test(ch) ? ch : '_';
    return out;
}
function splitExt(name) {
    const dot = name.lastIndexOf('.');
    if (dot <= 0 || dot === name.length - 1)
        return [name, ''];
    return [name.slice(0, dot), name.slice(dot + 1)];
}
/** Candidate ISO identifier (without ";1") before collision handling. */
function isoBase(name, isDir) {
    if (isDir)
        return { base: dchars(name).slice(0, ISO_DIR_MAX) || '_', ext: '' };
    const [b, e] = splitExt(name);
    let ext = dchars(e).slice(0, 10);
    let base = dchars(b);
    if (base === '' && ext === '')
        base = '_';
    base = base.slice(0, ISO_FILE_MAX - ext.length);
    if (base === '' && ext === '')
        ext = '_';
    return { base, ext };
}
function isoId(base, ext, isDir) {
    return isDir ? base : `${base}.${ext};1`;
}
/**
 * Assign ISO 9660 identifiers to the children of one directory. `names` must be in a
 * deterministic order (sorted); the first of colliding names keeps the plain identifier, later
 * ones get `~N` before the extension, so `Case.txt` → `CASE.TXT;1`, `case.TXT` → `CASE~1.TXT;1`.
 */
function assignIsoNames(entries) {
    const used = new Set();
    const out = [];
    for (const e of entries) {
        const { base, ext } = isoBase(e.name, e.isDir);
        let id = isoId(base, ext, e.isDir);
        for (let n = 1; used.has(id.replace(/;1$/, '')); n++) {
            const suffix = `~${n}`;
            const max = (e.isDir ? ISO_DIR_MAX : ISO_FILE_MAX - ext.length) - suffix.length;
            id = isoId(base.slice(0, Math.max(0, max)) + suffix, ext, e.isDir);
        }
        used.add(id.replace(/;1$/, ''));
        out.push(id);
    }
    return out;
}
/** UTF-16 code units of a name, with characters Joliet forbids replaced (Joliet spec 3.3.1). */
function jolietUnits(name) {
    // String in JS is UTF-16 already: astral characters are surrogate pairs, which Windows reads.
    return name.replace(/[\x00-\x1f*/:;?\\]/g, '_');
}
/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutUnits(s, max) {
    if (s.length <= max)
        return s;
    let cut = max;
    const c = s.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff)
        cut--;
    return s.slice(0, cut);
}
function jolietShorten(name, max) {
    if (name.length <= max)
        return name;
    const [b, e] = splitExt(name);
    if (e && e.length + 1 < max / 2)
        return cutUnits(b, max - e.length - 1) + '.' + e;
    return cutUnits(name, max);
}
/** Assign Joliet names (as JS strings of UTF-16 units) to the children of one directory. */
function assignJolietNames(entries) {
    const used = new Set();
    const out = [];
    for (const e of entries) {
        const clean = jolietUnits(e.name);
        let id = jolietShorten(clean, JOLIET_MAX);
        for (let n = 1; used.has(id); n++) {
            const suffix = `~${n}`;
            const [b, ext] = e.isDir ? [clean, ''] : splitExt(clean);
            const room = JOLIET_MAX - suffix.length - (ext ? ext.length + 1 : 0);
            id =
                ext && room > 0
                    ? `${cutUnits(b, room)}${suffix}.${ext}`
                    : cutUnits(clean, JOLIET_MAX - suffix.length) + suffix;
        }
        used.add(id);
        out.push(id);
    }
    return out;
}
/** ECMA-119 9.3: order of records — by name, then extension, padded with spaces; then version. */
function compareIsoIds(a, b) {
    const split = (x) => {
        const s = x.toString('latin1');
        const semi = s.lastIndexOf(';');
        const body = semi >= 0 ? s.slice(0, semi) : s;
        const ver = semi >= 0 ? s.slice(semi + 1) : '';
        const dot = body.indexOf('.');
        const name = dot >= 0 ? body.slice(0, dot) : body;
        const ext = dot >= 0 ? body.slice(dot + 1) : '';
        return [Buffer.from(name, 'latin1'), Buffer.from(ext, 'latin1'), Buffer.from(ver, 'latin1')];
    };
    const padCmp = (x, y) => {
        const n = Math.max(x.length, y.length);
        for (let i = 0; i < n; i++) {
            const cx = i < x.length ? x[i] : 0x20;
            const cy = i < y.length ? y[i] : 0x20;
            if (cx !== cy)
                return cx - cy;
        }
        return 0;
    };
    const [an, ae, av] = split(a);
    const [bn, be, bv] = split(b);
    return padCmp(an, bn) || padCmp(ae, be) || padCmp(bv, av); // higher version first
}

;// CONCATENATED MODULE: ./src/image/pathtable.ts
/** ECMA-119 9.4: path table records, both byte orders, both ways. */
/** ECMA-119 9.4.3-9.4.6: len_di, ext attr len, extent (4), parent number (2), id, pad to even. */
function pathTableRecordLength(idLen) {
    return 8 + idLen + (idLen % 2);
}
function encodePathTable(entries, bigEndian) {
    let size = 0;
    for (const e of entries)
        size += pathTableRecordLength(e.id.length);
    const b = Buffer.alloc(size);
    let off = 0;
    for (const e of entries) {
        b[off] = e.id.length;
        b[off + 1] = 0;
        if (bigEndian) {
            b.writeUInt32BE(e.extent, off + 2);
            b.writeUInt16BE(e.parent, off + 6);
        }
        else {
            b.writeUInt32LE(e.extent, off + 2);
            b.writeUInt16LE(e.parent, off + 6);
        }
        e.id.copy(b, off + 8);
        off += pathTableRecordLength(e.id.length);
    }
    return b;
}
/** Parse `size` bytes of a path table. Stops at malformed input with a RangeError. */
function parsePathTable(buf, bigEndian, maxEntries = 1 << 20) {
    const out = [];
    let off = 0;
    while (off < buf.length) {
        const idLen = buf[off];
        if (idLen === 0) {
            if (buf.subarray(off).every(x => x === 0))
                break;
            throw new RangeError(`path table record at ${off} has an empty identifier`);
        }
        const len = pathTableRecordLength(idLen);
        if (off + len > buf.length)
            throw new RangeError(`path table record at ${off} runs past the table`);
        if (out.length >= maxEntries)
            throw new RangeError(`path table has more than ${maxEntries} entries`);
        out.push({
            id: buf.subarray(off + 8, off + 8 + idLen),
            extent: bigEndian ? buf.readUInt32BE(off + 2) : buf.readUInt32LE(off + 2),
            parent: bigEndian ? buf.readUInt16BE(off + 6) : buf.readUInt16LE(off + 6)
        });
        off += len;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/image/rockridge.ts
/**
 * SUSP (IEEE P1281) and RRIP 1.12 (IEEE P1282) system use entries, both ways.
 * Each entry is `sig(2) len(1) version(1) data`.
 */

function entry(sig, data, version = 1) {
    const len = 4 + data.length;
    if (len > 255)
        throw new RangeError(`${sig} entry of ${len} bytes`);
    const b = Buffer.alloc(len);
    b.write(sig, 0, 'latin1');
    b[2] = len;
    b[3] = version;
    data.copy(b, 4);
    return b;
}
function both32(v) {
    const b = Buffer.alloc(8);
    writeBoth32(b, 0, v);
    return b;
}
/** SUSP 5.3: SP, first entry of the root's "." record; skip length 0. */
function encodeSP() {
    return entry('SP', Buffer.from([0xbe, 0xef, 0]));
}
const RRIP_1_12 = {
    id: 'IEEE_1282',
    descriptor: 'THE IEEE 1282 PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS.',
    source: 'PLEASE CONTACT THE IEEE STANDARDS DEPARTMENT, PISCATAWAY, NJ, USA FOR THE 1282 SPECIFICATION.'
};
/** SUSP 5.5: ER, extension reference. */
function encodeER(ext = RRIP_1_12) {
    const id = Buffer.from(ext.id, 'latin1');
    const des = Buffer.from(ext.descriptor, 'latin1');
    const src = Buffer.from(ext.source, 'latin1');
    return entry('ER', Buffer.concat([Buffer.from([id.length, des.length, src.length, 1]), id, des, src]));
}
/** SUSP 5.1: CE, continuation area (block, offset, length). */
function encodeCE(block, offset, length) {
    return entry('CE', Buffer.concat([both32(block), both32(offset), both32(length)]));
}
const CE_LENGTH = 28;
/** RRIP 4.1.1: PX, POSIX attributes (1.12 form with serial number: 44 bytes). */
function encodePX(mode, nlink, uid, gid, serial) {
    return entry('PX', Buffer.concat([both32(mode), both32(nlink), both32(uid), both32(gid), both32(serial)]));
}
// RRIP 4.1.6 TF flags
const TF_CREATION = 1;
const TF_MODIFY = 2;
const TF_ACCESS = 4;
const TF_ATTRIBUTES = 8;
/** RRIP 4.1.6: TF with modify, access and attribute-change times, 7-byte form (26 bytes). */
function encodeTF(time) {
    const d = Buffer.alloc(1 + 21);
    d[0] = TF_MODIFY | TF_ACCESS | TF_ATTRIBUTES;
    for (let i = 0; i < 3; i++)
        writeRecordDate(d, 1 + 7 * i, time);
    return entry('TF', d);
}
// RRIP 4.1.4 NM flags
const NM_CONTINUE = 1;
/** RRIP 4.1.4: NM, split over several entries when the name exceeds one (250 bytes each). */
function encodeNM(name) {
    const bytes = Buffer.from(name, 'utf8');
    const out = [];
    const max = 250;
    for (let off = 0; off < bytes.length || out.length === 0; off += max) {
        const part = bytes.subarray(off, off + max);
        const more = off + max < bytes.length;
        out.push(entry('NM', Buffer.concat([Buffer.from([more ? NM_CONTINUE : 0]), part])));
    }
    return out;
}
// RRIP 4.1.3.1 SL component flags
const SLC_CONTINUE = 1;
const SLC_CURRENT = 2;
const SLC_PARENT = 4;
const SLC_ROOT = 8;
/**
 * RRIP 4.1.3: SL, a symbolic link target as components. Components longer than 248 bytes and
 * entries longer than 255 bytes are split with the CONTINUE flags.
 */
function encodeSL(target) {
    // components: [flags, bytes]
    const comps = [];
    let rest = target;
    if (rest.startsWith('/')) {
        comps.push({ flags: SLC_ROOT, bytes: Buffer.alloc(0) });
        rest = rest.replace(/^\/+/, '');
    }
    const parts = rest.length === 0 ? [] : rest.split('/');
    for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        if (p === '' && i === parts.length - 1)
            break; // trailing slash
        if (p === '.')
            comps.push({ flags: SLC_CURRENT, bytes: Buffer.alloc(0) });
        else if (p === '..')
            comps.push({ flags: SLC_PARENT, bytes: Buffer.alloc(0) });
        else {
            const bytes = Buffer.from(p, 'utf8');
            const max = 248;
            for (let off = 0; off < bytes.length || off === 0; off += max) {
                const more = off + max < bytes.length;
                comps.push({ flags: more ? SLC_CONTINUE : 0, bytes: bytes.subarray(off, off + max) });
                if (bytes.length === 0)
                    break;
            }
        }
    }
    const out = [];
    let cur = [];
    let curLen = 0;
    const maxData = 255 - 5; // header 4 + SL flags 1
    const flush = (more) => {
        out.push(entry('SL', Buffer.concat([Buffer.from([more ? 1 : 0]), ...cur])));
        cur = [];
        curLen = 0;
    };
    for (const c of comps) {
        const rec = Buffer.concat([Buffer.from([c.flags, c.bytes.length]), c.bytes]);
        if (curLen + rec.length > maxData)
            flush(true);
        cur.push(rec);
        curLen += rec.length;
    }
    flush(false);
    return out;
}
/** Parse a system use area into entries; stops at ST, padding, or malformed lengths. */
function parseSusp(area, skip = 0) {
    const out = [];
    let off = skip;
    while (off + 4 <= area.length) {
        const len = area[off + 2];
        if (len < 4 || off + len > area.length)
            break;
        const sig = area.toString('latin1', off, off + 2);
        if (sig === 'ST')
            break;
        out.push({ sig, version: area[off + 3], data: area.subarray(off + 4, off + len) });
        off += len;
    }
    return out;
}
function decodeCE(d) {
    return { block: readBoth32(d, 0), offset: readBoth32(d, 8), length: readBoth32(d, 16) };
}
function decodePX(d) {
    return {
        mode: readBoth32(d, 0),
        nlink: readBoth32(d, 8),
        uid: readBoth32(d, 16),
        gid: readBoth32(d, 24),
        serial: d.length >= 40 ? readBoth32(d, 32) : undefined
    };
}
/** Returns the modify time (seconds) when present. */
function decodeTF(d) {
    const flags = d[0];
    if (flags & 0x80)
        return {}; // long form: not produced by us; ignored
    let off = 1;
    const res = {};
    for (const bit of [TF_CREATION, TF_MODIFY, TF_ACCESS, TF_ATTRIBUTES]) {
        if (flags & bit) {
            if (off + 7 > d.length)
                break;
            if (bit === TF_MODIFY)
                res.modify = readRecordDate(d, off);
            off += 7;
        }
    }
    return res;
}
/** Accumulates SL entries into a target; returns the text so far. */
function decodeSLComponents(d, state) {
    let off = 1;
    while (off + 2 <= d.length) {
        const f = d[off];
        const len = d[off + 1];
        if (off + 2 + len > d.length)
            break;
        const text = d.toString('utf8', off + 2, off + 2 + len);
        let comp;
        if (f & SLC_ROOT)
            comp = '';
        else if (f & SLC_CURRENT)
            comp = '.';
        else if (f & SLC_PARENT)
            comp = '..';
        else
            comp = text;
        state.partial += comp;
        if (!(f & SLC_CONTINUE)) {
            state.parts.push(state.partial);
            state.partial = '';
        }
        off += 2 + len;
    }
    return (d[0] & 1) === 1;
}
function slTarget(parts) {
    if (parts.length > 0 && parts[0] === '')
        return '/' + parts.slice(1).join('/');
    return parts.join('/');
}

;// CONCATENATED MODULE: ./src/image/tree.ts
/** The tree of nodes that scan produces and plan/write consume. Plain data. */
const tree_S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
function walk(dir, fn, depth = 0) {
    fn(dir, depth);
    for (const c of dir.children) {
        if (c.kind === 'dir')
            walk(c, fn, depth + 1);
        else
            fn(c, depth + 1);
    }
}
/** Find a node by POSIX path relative to the root (no `..`, no symlink following). */
function lookup(root, path) {
    const parts = path.split('/').filter(p => p !== '' && p !== '.');
    let cur = root;
    for (const p of parts) {
        if (cur.kind !== 'dir')
            return undefined;
        const next = cur.children.find(c => c.name === p);
        if (!next)
            return undefined;
        cur = next;
    }
    return cur;
}
/** Compare names by their UTF-8 bytes: a total order that does not depend on locale. */
function compareNames(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

;// CONCATENATED MODULE: ./src/image/voldesc.ts
/** ECMA-119 8: volume descriptors (primary, supplementary/Joliet, terminator), both ways. */

const VD_TYPE_BOOT = 0;
const VD_TYPE_PRIMARY = 1;
const VD_TYPE_SUPPLEMENTARY = 2;
const VD_TYPE_TERMINATOR = 255;
const STANDARD_ID = 'CD001';
/** Joliet escape sequence for UCS-2 level 3 (what xorriso writes). */
const JOLIET_ESCAPE = Buffer.from('%/E', 'latin1');
// ECMA-119 8.4 field offsets
const PVD = {
    systemId: 8, // 32 a-chars
    volumeId: 40, // 32 d-chars
    volumeSpaceSize: 80, // both32
    escapeSequences: 88, // 32 bytes (SVD only)
    volumeSetSize: 120,
    volumeSequenceNumber: 124,
    logicalBlockSize: 128,
    pathTableSize: 132, // both32
    typeLPathTable: 140, // LE32
    optTypeLPathTable: 144,
    typeMPathTable: 148, // BE32
    optTypeMPathTable: 152,
    rootRecord: 156, // 34 bytes
    volumeSetId: 190, // 128
    publisherId: 318, // 128
    preparerId: 446, // 128
    applicationId: 574, // 128
    copyrightFileId: 702, // 37
    abstractFileId: 739, // 37
    bibliographicFileId: 776, // 37
    creationDate: 813, // 17
    modificationDate: 830,
    expirationDate: 847,
    effectiveDate: 864,
    fileStructureVersion: 881,
    applicationUse: 883, // 512 bytes (isomd5sum lives here)
    applicationUseLength: 512
};
function encodeVolumeDescriptor(f) {
    const b = Buffer.alloc(bytes_SECTOR);
    b[0] = f.type;
    b.write(STANDARD_ID, 1, 'latin1');
    b[6] = 1; // 8.4.3 version
    const text = (off, len, s) => f.joliet ? writeUcs2Padded(b, off, len, s) : writePadded(b, off, len, s);
    text(PVD.systemId, 32, f.systemId);
    text(PVD.volumeId, 32, f.volumeId);
    writeBoth32(b, PVD.volumeSpaceSize, f.volumeSpaceSize);
    if (f.joliet)
        JOLIET_ESCAPE.copy(b, PVD.escapeSequences);
    writeBoth16(b, PVD.volumeSetSize, 1);
    writeBoth16(b, PVD.volumeSequenceNumber, 1);
    writeBoth16(b, PVD.logicalBlockSize, bytes_SECTOR);
    writeBoth32(b, PVD.pathTableSize, f.pathTableSize);
    b.writeUInt32LE(f.lPathTable, PVD.typeLPathTable);
    b.writeUInt32BE(f.mPathTable, PVD.typeMPathTable);
    f.rootRecord.copy(b, PVD.rootRecord);
    text(PVD.volumeSetId, 128, f.volumeSetId);
    text(PVD.publisherId, 128, f.publisherId);
    text(PVD.preparerId, 128, f.preparerId);
    text(PVD.applicationId, 128, f.applicationId);
    text(PVD.copyrightFileId, 37, '');
    text(PVD.abstractFileId, 37, '');
    text(PVD.bibliographicFileId, 37, '');
    writeVolumeDate(b, PVD.creationDate, f.created);
    writeVolumeDate(b, PVD.modificationDate, f.created);
    writeVolumeDate(b, PVD.expirationDate, undefined);
    writeVolumeDate(b, PVD.effectiveDate, undefined);
    b[PVD.fileStructureVersion] = 1;
    b.fill(0x20, PVD.applicationUse, PVD.applicationUse + PVD.applicationUseLength);
    return b;
}
function encodeTerminator() {
    const b = Buffer.alloc(bytes_SECTOR);
    b[0] = VD_TYPE_TERMINATOR;
    b.write(STANDARD_ID, 1, 'latin1');
    b[6] = 1;
    return b;
}
/** Parse a primary or supplementary descriptor sector. */
function parseVolumeDescriptor(b) {
    if (b.length < SECTOR)
        throw new RangeError('volume descriptor shorter than a sector');
    if (b.toString('latin1', 1, 6) !== STANDARD_ID)
        throw new RangeError('not a volume descriptor (no CD001)');
    const escape = b.subarray(PVD.escapeSequences, PVD.escapeSequences + 32);
    const joliet = b[0] === VD_TYPE_SUPPLEMENTARY &&
        escape[0] === 0x25 &&
        escape[1] === 0x2f &&
        [0x40, 0x43, 0x45].includes(escape[2]);
    const text = (off, len) => joliet ? decodeUtf16BE(b, off, len).replace(/[\x00 ]+$/, '') : readPadded(b, off, len);
    return {
        type: b[0],
        volumeId: text(PVD.volumeId, 32),
        systemId: text(PVD.systemId, 32),
        volumeSpaceSize: readBoth32(b, PVD.volumeSpaceSize),
        logicalBlockSize: readBoth16(b, PVD.logicalBlockSize),
        pathTableSize: readBoth32(b, PVD.pathTableSize),
        lPathTable: b.readUInt32LE(PVD.typeLPathTable),
        mPathTable: b.readUInt32BE(PVD.typeMPathTable),
        rootRecord: b.subarray(PVD.rootRecord, PVD.rootRecord + 34),
        escape,
        joliet,
        publisherId: text(PVD.publisherId, 128),
        preparerId: text(PVD.preparerId, 128),
        applicationId: text(PVD.applicationId, 128),
        created: readVolumeDate(b, PVD.creationDate),
        modified: readVolumeDate(b, PVD.modificationDate)
    };
}

;// CONCATENATED MODULE: ./src/image/plan.ts
/**
 * plan: names, record sizes and block addresses for every structure of the image, before a byte
 * is written. The result is an ordered list of pieces that the writer emits front to back.
 */







/** Largest extent of a multi-extent file: 4 GiB - 2 KiB, a whole number of blocks (ECMA-119 9.1.4). */
const MAX_EXTENT = 0xfffff800;
const SYSTEM_AREA_BLOCKS = 16;
/** Split Rock Ridge entries between a record (`room` bytes) and continuation areas. */
function splitSu(entries, room) {
    const total = entries.reduce((n, e) => n + e.length, 0);
    if (total <= room)
        return { inRecord: entries, areas: [] };
    const inRecord = [];
    let used = 0;
    let i = 0;
    while (i < entries.length &&
        used + entries[i].length + CE_LENGTH <= room &&
        entries[i].toString('latin1', 0, 2) !== 'ER') {
        used += entries[i].length;
        inRecord.push(entries[i++]);
    }
    const areas = [];
    let cur = [];
    let bytes = 0;
    for (; i < entries.length; i++) {
        const e = entries[i];
        const restAfter = entries.slice(i + 1).reduce((n, x) => n + x.length, 0);
        const need = e.length + (restAfter > 0 ? CE_LENGTH : 0);
        if (bytes + e.length + CE_LENGTH > bytes_SECTOR && !(bytes + need <= bytes_SECTOR)) {
            areas.push({ entries: cur, bytes: bytes + CE_LENGTH, block: 0, offset: 0 });
            cur = [];
            bytes = 0;
        }
        cur.push(e);
        bytes += e.length;
    }
    areas.push({ entries: cur, bytes, block: 0, offset: 0 });
    return { inRecord, areas };
}
function suBytes(su) {
    if (!su)
        return 0;
    return su.inRecord.reduce((n, e) => n + e.length, 0) + (su.areas.length ? CE_LENGTH : 0);
}
function rrEntries(node, nlink, extra = [], withName = true) {
    const out = [...extra];
    out.push(encodePX(node.mode, nlink, node.uid, node.gid, node.serial));
    out.push(encodeTF(node.mtime));
    if (withName)
        out.push(...encodeNM(node.name));
    if (node.kind === 'symlink')
        out.push(...encodeSL(node.target));
    return out;
}
function makePlan(root, o) {
    // ---- serial numbers and link counts -------------------------------------------------------
    let serial = 1;
    walk(root, n => {
        if (n.kind === 'file' && n.linkGroup && n.linkGroup.members[0] !== n)
            return;
        n.serial = serial++;
    });
    walk(root, n => {
        if (n.kind === 'file' && n.linkGroup && n.linkGroup.members[0] !== n)
            n.serial = n.linkGroup.members[0].serial;
    });
    const visible = (d) => d.children.filter(c => !c.hidden);
    const nlinkOf = (n) => {
        if (n.kind === 'dir')
            return 2 + visible(n).filter(c => c.kind === 'dir').length;
        if (n.kind === 'file' && n.linkGroup)
            return n.linkGroup.members.filter(m => !m.hidden).length;
        return 1;
    };
    // ---- directories, names and record sizes --------------------------------------------------
    const dirs = [];
    const byNode = new Map();
    const mkDir = (node, parent, isoId, jolId) => {
        const d = {
            node,
            parent,
            iso: { id: isoId, recs: [], size: 0, lba: 0, num: 0 },
            jol: { id: jolId, recs: [], size: 0, lba: 0, num: 0 }
        };
        byNode.set(node, d);
        return d;
    };
    const rootPlan = mkDir(root, undefined, Buffer.from([0]), Buffer.from([0]));
    const ceAreas = [];
    const noteSu = (su) => {
        if (su && su.areas.length)
            ceAreas.push(su.areas);
        return su;
    };
    // breadth-first so that path-table numbers follow ECMA-119 9.4 ordering
    const queue = [rootPlan];
    for (let qi = 0; qi < queue.length; qi++) {
        const d = queue[qi];
        dirs.push(d);
        const kids = visible(d.node).filter(c => c.kind !== 'symlink' || o.rockRidge);
        // ISO names
        const isoNames = assignIsoNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
        const isoRecs = kids.map((k, i) => ({ node: k, id: Buffer.from(isoNames[i], 'latin1') }));
        isoRecs.sort((a, b) => compareIsoIds(a.id, b.id));
        if (o.rockRidge) {
            const dotExtra = d === rootPlan ? [encodeSP()] : [];
            const dotEntries = rrEntries(d.node, nlinkOf(d.node), dotExtra, false);
            if (d === rootPlan)
                dotEntries.push(encodeER());
            d.iso.dot = noteSu(splitSu(dotEntries, MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1));
            const parentNode = d.parent ? d.parent.node : d.node;
            d.iso.dotdot = noteSu(splitSu(rrEntries(parentNode, nlinkOf(parentNode), [], false), MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1));
            for (const r of isoRecs) {
                const room = MAX_DIR_RECORD - DIR_RECORD_FIXED - idFieldLength(r.id.length);
                r.su = noteSu(splitSu(rrEntries(r.node, nlinkOf(r.node)), room - (room % 2)));
            }
        }
        d.iso.recs = isoRecs;
        // Joliet names
        if (o.joliet) {
            const jkids = kids.filter(k => k.kind !== 'symlink');
            const jn = assignJolietNames(jkids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
            const jrecs = jkids.map((k, i) => ({ node: k, id: encodeUtf16BE(jn[i]) }));
            jrecs.sort((a, b) => Buffer.compare(a.id, b.id));
            d.jol.recs = jrecs;
        }
        // children directories in record order → queue (path table order: parent, then name)
        for (const r of isoRecs) {
            if (r.node.kind === 'dir') {
                const jrec = d.jol.recs.find(j => j.node === r.node);
                queue.push(mkDir(r.node, d, r.id, jrec ? jrec.id : Buffer.alloc(0)));
            }
        }
    }
    // sizes of directory extents (records never cross a sector boundary, ECMA-119 6.8.1.1)
    const extentsOf = (n) => (n.kind === 'file' ? Math.max(1, Math.ceil(n.size / MAX_EXTENT)) : 1);
    const packSize = (lengths) => {
        let off = 0;
        for (const len of lengths) {
            if ((off % bytes_SECTOR) + len > bytes_SECTOR)
                off += bytes_SECTOR - (off % bytes_SECTOR);
            off += len;
        }
        return blocksFor(Math.max(off, 1)) * bytes_SECTOR;
    };
    const isoLens = (d) => {
        const lens = [recordLength(1, suBytes(d.iso.dot)), recordLength(1, suBytes(d.iso.dotdot))];
        for (const r of d.iso.recs) {
            const len = recordLength(r.id.length, suBytes(r.su));
            for (let i = 0; i < extentsOf(r.node); i++)
                lens.push(len + (len % 2));
        }
        return lens.map(l => l + (l % 2));
    };
    const jolLens = (d) => {
        const lens = [recordLength(1, 0), recordLength(1, 0)];
        for (const r of d.jol.recs) {
            const len = recordLength(r.id.length, 0);
            for (let i = 0; i < extentsOf(r.node); i++)
                lens.push(len + (len % 2));
        }
        return lens.map(l => l + (l % 2));
    };
    for (const d of dirs) {
        d.iso.size = packSize(isoLens(d));
        if (o.joliet)
            d.jol.size = packSize(jolLens(d));
    }
    // continuation areas packed into CE blocks, never crossing a block
    let ceBlocks = 0;
    {
        let off = 0;
        for (const areas of ceAreas) {
            for (const a of areas) {
                if (off + a.bytes > bytes_SECTOR) {
                    ceBlocks++;
                    off = 0;
                }
                a.block = ceBlocks;
                a.offset = off;
                off += a.bytes;
            }
        }
        if (off > 0 || ceAreas.length)
            ceBlocks++;
    }
    // path tables
    const ptEntriesIso = (bias) => dirs.map(d => ({ id: d.iso.id, extent: d.iso.lba - bias, parent: d.parent ? d.parent.iso.num : 1 }));
    dirs.forEach((d, i) => (d.iso.num = i + 1));
    const jdirs = o.joliet ? dirs : [];
    jdirs.forEach((d, i) => (d.jol.num = i + 1));
    const ptEntriesJol = (bias) => jdirs.map(d => ({ id: d.jol.id, extent: d.jol.lba - bias, parent: d.parent ? d.parent.jol.num : 1 }));
    const ptSizeIso = dirs.reduce((n, d) => n + pathTableRecordLength(d.iso.id.length), 0);
    const ptSizeJol = jdirs.reduce((n, d) => n + pathTableRecordLength(d.jol.id.length), 0);
    // ---- block addresses ------------------------------------------------------------------------
    const pieces = [];
    const extVdCount = o.extensions.reduce((n, e) => n + (e.volumeDescriptorCount ?? 0), 0);
    const vdBlocks = 1 + extVdCount + (o.joliet ? 1 : 0) + 1;
    const partitionOffset = Math.max(0, ...o.extensions.map(e => e.partitionOffset ?? 0));
    let cursor = SYSTEM_AREA_BLOCKS + vdBlocks;
    if (partitionOffset > 0 && partitionOffset < vdBlocks) {
        throw new RangeError(`partition offset ${partitionOffset} leaves no room for ${vdBlocks} volume descriptors`);
    }
    const reserveTree = (vdLba) => {
        const ts = {
            vdLba,
            ptIsoL: 0,
            ptIsoM: 0,
            ptJolL: 0,
            ptJolM: 0,
            isoDirLba: new Map(),
            jolDirLba: new Map(),
            ceLba: 0
        };
        ts.ptIsoL = cursor;
        cursor += blocksFor(ptSizeIso);
        ts.ptIsoM = cursor;
        cursor += blocksFor(ptSizeIso);
        if (o.joliet) {
            ts.ptJolL = cursor;
            cursor += blocksFor(ptSizeJol);
            ts.ptJolM = cursor;
            cursor += blocksFor(ptSizeJol);
        }
        for (const d of dirs) {
            ts.isoDirLba.set(d, cursor);
            cursor += d.iso.size / bytes_SECTOR;
        }
        ts.ceLba = cursor;
        cursor += ceBlocks;
        if (o.joliet) {
            for (const d of dirs) {
                ts.jolDirLba.set(d, cursor);
                cursor += d.jol.size / bytes_SECTOR;
            }
        }
        return ts;
    };
    if (partitionOffset > 0)
        cursor = Math.max(cursor, SYSTEM_AREA_BLOCKS + partitionOffset + vdBlocks);
    const main = reserveTree(SYSTEM_AREA_BLOCKS);
    // the copy for the partition offset: its descriptors at partitionOffset + 16, its tree after ours
    const second = partitionOffset > 0 ? reserveTree(SYSTEM_AREA_BLOCKS + partitionOffset) : undefined;
    // file data: ordered files first, then tree order; hard links share the first member's blocks
    const dataFiles = [];
    const ordered = [];
    const rest = [];
    const visitFiles = (n) => {
        if (n.kind === 'dir')
            n.children.forEach(visitFiles);
        else if (n.kind === 'file')
            (o.order.has(n) ? ordered : rest).push(n);
    };
    visitFiles(root);
    ordered.sort((a, b) => o.order.get(a) - o.order.get(b));
    const owners = new Map();
    for (const f of [...ordered, ...rest]) {
        const owner = f.linkGroup ? owners.get(f.linkGroup) : undefined;
        if (owner)
            continue;
        if (f.linkGroup)
            owners.set(f.linkGroup, f);
        if (f.size === 0) {
            f.lba = 0;
            continue;
        }
        f.lba = cursor;
        cursor += blocksFor(f.size);
        dataFiles.push(f);
    }
    for (const f of [...ordered, ...rest])
        if (f.linkGroup)
            f.lba = owners.get(f.linkGroup).lba;
    const volumeBlocks = cursor;
    const regions = new Map();
    const regionPieces = [];
    for (const ext of o.extensions) {
        for (const r of ext.appendedRegions?.() ?? []) {
            const blocks = blocksFor(r.bytes);
            regions.set(r.name, { lba: cursor, blocks });
            regionPieces.push({ kind: 'region', lba: cursor, blocks, region: r, bytes: r.bytes });
            cursor += blocks;
        }
    }
    let imageSize = cursor * bytes_SECTOR;
    const tails = [];
    for (const ext of o.extensions) {
        const t = ext.tail?.(imageSize);
        if (t && t.bytes > 0) {
            tails.push({ kind: 'tail', offset: imageSize, bytes: t.bytes, produce: () => t.produce(view) });
            imageSize += t.bytes;
        }
    }
    // ---- encoders (run at write time) --------------------------------------------------------
    const fileById = new Map();
    walk(root, n => {
        if (n.kind === 'file')
            fileById.set(n.path, n);
    });
    const view = {
        volumeBlocks,
        imageSize,
        pvdLba: SYSTEM_AREA_BLOCKS,
        region(name) {
            const r = regions.get(name);
            if (!r)
                throw new RangeError(`no region ${name}`);
            return r;
        },
        file: (p) => fileById.get(p)
    };
    const encodeSu = (su, ts, bias) => {
        if (!su)
            return Buffer.alloc(0);
        const parts = [...su.inRecord];
        if (su.areas.length) {
            const a = su.areas[0];
            parts.push(encodeCE(ts.ceLba + a.block - bias, a.offset, a.bytes));
        }
        return Buffer.concat(parts);
    };
    const encodeIsoDir = (d, ts, bias) => {
        const out = Buffer.alloc(d.iso.size);
        let off = 0;
        const put = (rec) => {
            if ((off % bytes_SECTOR) + rec.length > bytes_SECTOR)
                off += bytes_SECTOR - (off % bytes_SECTOR);
            rec.copy(out, off);
            off += rec.length;
        };
        const selfLba = ts.isoDirLba.get(d) - bias;
        const parent = d.parent ?? d;
        put(encodeDirRecord({
            extent: selfLba,
            size: d.iso.size,
            date: d.node.mtime,
            flags: FLAG_DIRECTORY,
            fileId: Buffer.from([0]),
            systemUse: encodeSu(d.iso.dot, ts, bias)
        }));
        put(encodeDirRecord({
            extent: ts.isoDirLba.get(parent) - bias,
            size: parent.iso.size,
            date: parent.node.mtime,
            flags: FLAG_DIRECTORY,
            fileId: Buffer.from([1]),
            systemUse: encodeSu(d.iso.dotdot, ts, bias)
        }));
        for (const r of d.iso.recs) {
            const su = encodeSu(r.su, ts, bias);
            for (const rec of recordsFor(r.node, r.id, su, 'iso', ts, bias))
                put(rec);
        }
        return out;
    };
    const recordsFor = (n, id, su, ns, ts, bias) => {
        if (n.kind === 'dir') {
            const dp = byNode.get(n);
            const lba = (ns === 'iso' ? ts.isoDirLba : ts.jolDirLba).get(dp) - bias;
            return [
                encodeDirRecord({
                    extent: lba,
                    size: dp[ns].size,
                    date: n.mtime,
                    flags: FLAG_DIRECTORY,
                    fileId: id,
                    systemUse: su
                })
            ];
        }
        if (n.kind === 'symlink')
            return [encodeDirRecord({ extent: 0, size: 0, date: n.mtime, flags: 0, fileId: id, systemUse: su })];
        const recs = [];
        const count = Math.max(1, Math.ceil(n.size / MAX_EXTENT));
        for (let i = 0; i < count; i++) {
            const last = i === count - 1;
            const size = last ? n.size - MAX_EXTENT * (count - 1) : MAX_EXTENT;
            const lba = n.size === 0 ? 0 : n.lba + i * (MAX_EXTENT / bytes_SECTOR) - bias;
            recs.push(encodeDirRecord({
                extent: lba,
                size,
                date: n.mtime,
                flags: last ? 0 : FLAG_MULTI_EXTENT,
                fileId: id,
                systemUse: su
            }));
        }
        return recs;
    };
    const encodeJolDir = (d, ts, bias) => {
        const out = Buffer.alloc(d.jol.size);
        let off = 0;
        const put = (rec) => {
            if ((off % bytes_SECTOR) + rec.length > bytes_SECTOR)
                off += bytes_SECTOR - (off % bytes_SECTOR);
            rec.copy(out, off);
            off += rec.length;
        };
        const parent = d.parent ?? d;
        put(encodeDirRecord({
            extent: ts.jolDirLba.get(d) - bias,
            size: d.jol.size,
            date: d.node.mtime,
            flags: FLAG_DIRECTORY,
            fileId: Buffer.from([0]),
            systemUse: Buffer.alloc(0)
        }));
        put(encodeDirRecord({
            extent: ts.jolDirLba.get(parent) - bias,
            size: parent.jol.size,
            date: parent.node.mtime,
            flags: FLAG_DIRECTORY,
            fileId: Buffer.from([1]),
            systemUse: Buffer.alloc(0)
        }));
        for (const r of d.jol.recs)
            for (const rec of recordsFor(r.node, r.id, Buffer.alloc(0), 'jol', ts, bias))
                put(rec);
        return out;
    };
    const encodeCePool = (ts, bias) => {
        const out = Buffer.alloc(ceBlocks * bytes_SECTOR);
        for (const areas of ceAreas) {
            areas.forEach((a, i) => {
                let off = a.block * bytes_SECTOR + a.offset;
                for (const e of a.entries) {
                    e.copy(out, off);
                    off += e.length;
                }
                const next = areas[i + 1];
                if (next)
                    encodeCE(ts.ceLba + next.block - bias, next.offset, next.bytes).copy(out, off);
            });
        }
        return out;
    };
    const rootRecord = (ts, joliet, bias) => {
        const lba = (joliet ? ts.jolDirLba : ts.isoDirLba).get(rootPlan) - bias;
        const size = joliet ? rootPlan.jol.size : rootPlan.iso.size;
        return encodeDirRecord({
            extent: lba,
            size,
            date: root.mtime,
            flags: FLAG_DIRECTORY,
            fileId: Buffer.from([0]),
            systemUse: Buffer.alloc(0)
        });
    };
    const vdSet = (ts, bias) => {
        const common = {
            systemId: '',
            volumeSpaceSize: volumeBlocks - bias,
            volumeSetId: '',
            publisherId: '',
            preparerId: '',
            applicationId: o.applicationId,
            created: o.epoch
        };
        const vds = [
            encodeVolumeDescriptor({
                ...common,
                type: VD_TYPE_PRIMARY,
                joliet: false,
                volumeId: o.volumeId,
                pathTableSize: ptSizeIso,
                lPathTable: ts.ptIsoL - bias,
                mPathTable: ts.ptIsoM - bias,
                rootRecord: rootRecord(ts, false, bias)
            })
        ];
        for (const e of o.extensions) {
            if (e.volumeDescriptorCount) {
                const got = e.encodeVolumeDescriptors?.(view) ?? [];
                if (got.length !== e.volumeDescriptorCount)
                    throw new RangeError(`${e.name}: ${got.length} volume descriptors`);
                vds.push(...got);
            }
        }
        if (o.joliet) {
            vds.push(encodeVolumeDescriptor({
                ...common,
                type: VD_TYPE_SUPPLEMENTARY,
                joliet: true,
                volumeId: o.volumeId.slice(0, 16),
                pathTableSize: ptSizeJol,
                lPathTable: ts.ptJolL - bias,
                mPathTable: ts.ptJolM - bias,
                rootRecord: rootRecord(ts, true, bias)
            }));
        }
        vds.push(encodeTerminator());
        return Buffer.concat(vds);
    };
    const treePieces = (ts, bias) => {
        pieces.push({ kind: 'meta', lba: ts.vdLba, blocks: vdBlocks, produce: () => vdSet(ts, bias) });
        const pt = (entries, be, lba, size) => pieces.push({
            kind: 'meta',
            lba,
            blocks: blocksFor(size),
            produce: () => encodePathTable(entries(), be)
        });
        const setLbas = () => {
            for (const d of dirs) {
                d.iso.lba = ts.isoDirLba.get(d);
                d.jol.lba = ts.jolDirLba.get(d) ?? 0;
            }
        };
        pt(() => (setLbas(), ptEntriesIso(bias)), false, ts.ptIsoL, ptSizeIso);
        pt(() => (setLbas(), ptEntriesIso(bias)), true, ts.ptIsoM, ptSizeIso);
        if (o.joliet) {
            pt(() => (setLbas(), ptEntriesJol(bias)), false, ts.ptJolL, ptSizeJol);
            pt(() => (setLbas(), ptEntriesJol(bias)), true, ts.ptJolM, ptSizeJol);
        }
        for (const d of dirs)
            pieces.push({
                kind: 'meta',
                lba: ts.isoDirLba.get(d),
                blocks: d.iso.size / bytes_SECTOR,
                produce: () => encodeIsoDir(d, ts, bias)
            });
        if (ceBlocks)
            pieces.push({ kind: 'meta', lba: ts.ceLba, blocks: ceBlocks, produce: () => encodeCePool(ts, bias) });
        if (o.joliet)
            for (const d of dirs)
                pieces.push({
                    kind: 'meta',
                    lba: ts.jolDirLba.get(d),
                    blocks: d.jol.size / bytes_SECTOR,
                    produce: () => encodeJolDir(d, ts, bias)
                });
    };
    treePieces(main, 0);
    if (second)
        treePieces(second, partitionOffset);
    for (const d of dirs) {
        d.iso.lba = main.isoDirLba.get(d);
        d.jol.lba = main.jolDirLba.get(d) ?? 0;
    }
    for (const f of dataFiles)
        pieces.push({ kind: 'file', lba: f.lba, file: f });
    pieces.push(...regionPieces);
    pieces.sort((a, b) => (a.kind === 'tail' ? Infinity : a.lba) - (b.kind === 'tail' ? Infinity : b.lba));
    pieces.push(...tails);
    return {
        ...view,
        region: view.region,
        file: view.file,
        pieces,
        dataFiles,
        dirs,
        extensions: o.extensions,
        systemArea() {
            const area = Buffer.alloc(SYSTEM_AREA_BLOCKS * bytes_SECTOR);
            for (const e of o.extensions)
                e.systemArea?.(view, area);
            return area;
        }
    };
}
/** Mode type bits of a node for sanity checks. */
function typeBits(n) {
    return n.mode & S_IFMT;
}

;// CONCATENATED MODULE: ./src/image/scan.ts
/** scan: the source directory → a tree of nodes. Symbolic links are recorded, never followed. */





async function scanTree(opts) {
    const platform = opts.platform ?? process.platform;
    let st;
    try {
        st = await external_node_fs_namespaceObject.promises.stat(opts.source);
    }
    catch (e) {
        throw fsError(e, opts.source, 'source');
    }
    if (!st.isDirectory())
        throw new errors_IsoforgeError(`source ${opts.source}: not a directory`, { subject: opts.source });
    const date = (s) => opts.epoch ?? Math.floor(s.mtimeMs / 1000);
    const groups = new Map();
    const res = {
        root: {
            kind: 'dir',
            name: '',
            path: '',
            mode: S_IFDIR | permissionBits('dir', st.mode, platform),
            mtime: date(st),
            uid: 0,
            gid: 0,
            serial: 0,
            children: []
        },
        files: 0,
        dirs: 1,
        symlinks: 0,
        bytes: 0
    };
    const visit = async (dir, native) => {
        let names;
        try {
            names = await external_node_fs_namespaceObject.promises.readdir(native);
        }
        catch (e) {
            throw fsError(e, native, 'cannot read directory');
        }
        names.sort(compareNames);
        for (const name of names) {
            const full = external_node_path_namespaceObject.join(native, name);
            let s;
            try {
                s = await external_node_fs_namespaceObject.promises.lstat(full);
            }
            catch (e) {
                throw fsError(e, full, 'cannot read');
            }
            const rel = toImagePath(dir.path === '' ? name : `${dir.path}/${name}`, platform);
            const base = { name, path: rel, mtime: date(s), uid: 0, gid: 0, serial: 0 };
            let node;
            if (s.isDirectory()) {
                node = {
                    ...base,
                    kind: 'dir',
                    mode: S_IFDIR | permissionBits('dir', s.mode, platform),
                    children: []
                };
                res.dirs++;
                dir.children.push(node);
                await visit(node, full);
                continue;
            }
            else if (s.isFile()) {
                node = {
                    ...base,
                    kind: 'file',
                    mode: S_IFREG | permissionBits('file', s.mode, platform),
                    size: s.size,
                    data: { type: 'file', path: full },
                    lba: 0
                };
                if (s.nlink > 1 && platform !== 'win32') {
                    const key = `${s.dev}:${s.ino}`;
                    let g = groups.get(key);
                    if (!g)
                        groups.set(key, (g = { key, members: [] }));
                    g.members.push(node);
                    node.linkGroup = g;
                }
                res.files++;
                res.bytes += s.size;
            }
            else if (s.isSymbolicLink()) {
                let target;
                try {
                    target = await external_node_fs_namespaceObject.promises.readlink(full);
                }
                catch (e) {
                    throw fsError(e, full, 'cannot read link');
                }
                node = { ...base, kind: 'symlink', mode: S_IFLNK | 0o777, target: toImagePath(target, platform) };
                res.symlinks++;
            }
            else {
                const what = s.isFIFO()
                    ? 'FIFO'
                    : s.isSocket()
                        ? 'socket'
                        : s.isBlockDevice()
                            ? 'block device'
                            : 'character device';
                opts.log.warn(`skipping ${what} ${full}: only files, directories and symbolic links go into an image`, full);
                continue;
            }
            dir.children.push(node);
        }
    };
    await visit(res.root, opts.source);
    return res;
}

;// CONCATENATED MODULE: ./src/image/sink.ts
const SINK_BUFFER = 8 * 1024 * 1024;
const ZERO = Buffer.alloc(SINK_BUFFER);
class ImageSink {
    fh;
    taps;
    onFlush;
    bufs;
    pending = [undefined, undefined];
    cur = 0;
    fill = 0;
    /** bytes handed to the file so far */
    flushed = 0;
    failure;
    constructor(fh, taps, onFlush, size = SINK_BUFFER) {
        this.fh = fh;
        this.taps = taps;
        this.onFlush = onFlush;
        this.bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    }
    /** Bytes accepted so far (flushed or buffered). */
    get position() {
        return this.flushed + this.fill;
    }
    async write(data) {
        let off = 0;
        while (off < data.length) {
            const room = await this.room();
            const n = Math.min(room.length, data.length - off);
            data.copy(room, 0, off, off + n);
            this.commit(n);
            off += n;
        }
    }
    async zeros(n) {
        while (n > 0) {
            const room = await this.room();
            const k = Math.min(room.length, n);
            room.fill(0, 0, k);
            this.commit(k);
            n -= k;
        }
    }
    /** The free part of the current buffer (never empty); fill it, then commit(). */
    async room() {
        if (this.fill === this.bufs[this.cur].length)
            await this.flush();
        return this.bufs[this.cur].subarray(this.fill);
    }
    commit(n) {
        this.fill += n;
    }
    async flush() {
        if (this.failure)
            throw this.failure;
        if (this.fill === 0)
            return;
        const buf = this.bufs[this.cur];
        const data = buf.subarray(0, this.fill);
        for (const t of this.taps)
            t.update(data);
        const at = this.flushed;
        this.flushed += this.fill;
        const zero = this.fill <= ZERO.length && data.equals(ZERO.subarray(0, this.fill));
        if (!zero) {
            this.pending[this.cur] = writeAll(this.fh, data, at).catch(e => {
                this.failure = e;
            });
        }
        this.onFlush?.(this.flushed);
        this.cur ^= 1;
        this.fill = 0;
        const prev = this.pending[this.cur];
        if (prev) {
            await prev;
            this.pending[this.cur] = undefined;
            if (this.failure)
                throw this.failure;
        }
    }
    /** Flush everything and set the file's length (holes at the end stay holes). */
    async close() {
        await this.flush();
        for (const p of this.pending)
            if (p)
                await p;
        if (this.failure)
            throw this.failure;
        await this.fh.truncate(this.flushed);
        return this.flushed;
    }
}
async function writeAll(fh, data, position) {
    let off = 0;
    while (off < data.length) {
        const { bytesWritten } = await fh.write(data, off, data.length - off, position + off);
        if (bytesWritten <= 0)
            throw new Error('write returned 0 bytes');
        off += bytesWritten;
    }
}

;// CONCATENATED MODULE: ./src/image/write.ts
/** write: the plan's pieces, front to back, in one pass through the sink. */




const READ_CHUNK = 4 * 1024 * 1024;
async function writePlan(plan, sink, hooks = {}) {
    const at = async (offset) => {
        if (sink.position > offset)
            throw new Error(`internal: piece at ${offset} overlaps (at ${sink.position})`);
        await sink.zeros(offset - sink.position);
    };
    await sink.write(plan.systemArea());
    for (const p of plan.pieces) {
        hooks.signal?.throwIfAborted();
        if (p.kind === 'tail') {
            await at(p.offset);
            await sink.write(exact(p.produce(), p.bytes, 'tail'));
            continue;
        }
        await at(p.lba * bytes_SECTOR);
        if (p.kind === 'meta') {
            await sink.write(exact(p.produce(), p.blocks * bytes_SECTOR, 'metadata'));
        }
        else if (p.kind === 'file') {
            const h = hooks.fileDigests ? (0,external_node_crypto_namespaceObject.createHash)('sha256') : undefined;
            await writeFile(p.file, sink, h, plan, hooks.signal);
            if (h)
                hooks.fileDigests.set(p.file.path, h.digest('hex'));
        }
        else {
            const out = p.region.produce(plan);
            let n = 0;
            if (Buffer.isBuffer(out)) {
                await sink.write(out);
                n = out.length;
            }
            else {
                for await (const chunk of out) {
                    await sink.write(chunk);
                    n += chunk.length;
                }
            }
            if (n > p.bytes)
                throw new Error(`internal: region ${p.region.name} produced ${n} of ${p.bytes} bytes`);
        }
        const end = sink.position;
        const pad = (bytes_SECTOR - (end % bytes_SECTOR)) % bytes_SECTOR;
        await sink.zeros(pad);
    }
    await at(plan.imageSize);
}
function exact(b, len, what) {
    if (b.length > len)
        throw new Error(`internal: ${what} of ${b.length} bytes for ${len}`);
    return b.length === len ? b : Buffer.concat([b, Buffer.alloc(len - b.length)]);
}
async function writeFile(f, sink, h, plan, signal) {
    const src = f.data;
    if (src.type !== 'file') {
        const bytes = src.type === 'memory' ? src.bytes : src.produce(plan);
        if (bytes.length !== f.size)
            throw new Error(`internal: ${f.path} produced ${bytes.length} of ${f.size} bytes`);
        h?.update(bytes);
        await sink.write(bytes);
        return;
    }
    let fh;
    try {
        fh = await external_node_fs_namespaceObject.promises.open(src.path, 'r');
    }
    catch (e) {
        if (e.code === 'ENOENT') {
            throw new errors_IsoforgeError(`${src.path}: vanished during the build`, { subject: src.path });
        }
        throw fsError(e, src.path, 'cannot read');
    }
    try {
        let pos = 0;
        while (pos < f.size) {
            signal?.throwIfAborted();
            const room = await sink.room();
            const want = Math.min(room.length, f.size - pos, READ_CHUNK);
            const { bytesRead } = await fh.read(room, 0, want, pos);
            if (bytesRead === 0) {
                throw new errors_IsoforgeError(`${src.path}: shrank from ${f.size} to ${pos} bytes during the build`, {
                    subject: src.path
                });
            }
            h?.update(room.subarray(0, bytesRead));
            sink.commit(bytesRead);
            pos += bytesRead;
        }
        const probe = Buffer.alloc(1);
        const { bytesRead } = await fh.read(probe, 0, 1, f.size);
        if (bytesRead !== 0) {
            throw new errors_IsoforgeError(`${src.path}: grew beyond ${f.size} bytes during the build`, {
                subject: src.path
            });
        }
    }
    catch (e) {
        throw e instanceof errors_IsoforgeError ? e : fsError(e, src.path, 'cannot read');
    }
    finally {
        await fh.close();
    }
}

;// CONCATENATED MODULE: ./src/image/build.ts
/**
 * The image writer's entry: options → scan → extensions prepare → plan → one pass to a temporary
 * file beside the output → rename. Nothing is left at the output path on failure.
 */











/** ECMA-119 7.4.1 d-characters. */
const D_CHARS = /^[A-Z0-9_]*$/;
function checkVolumeId(id) {
    if (id.length === 0)
        throw new errors_IsoforgeError('--volume-id: must not be empty', { subject: '--volume-id' });
    if (id.length > 32) {
        throw new errors_IsoforgeError(`--volume-id: "${id}" is ${id.length} characters; at most 32 fit`, {
            subject: '--volume-id'
        });
    }
    if (!D_CHARS.test(id)) {
        const bad = [...new Set([...id].filter(c => !/[A-Z0-9_]/.test(c)))].map(c => JSON.stringify(c)).join(' ');
        throw new errors_IsoforgeError(`--volume-id: "${id}" has characters outside A-Z, 0-9 and _ (ISO 9660 d-characters): ${bad}`, { subject: '--volume-id' });
    }
}
async function checkPaths(source, output, platform) {
    let src;
    try {
        src = await external_node_fs_namespaceObject.promises.realpath(external_node_path_namespaceObject.resolve(source));
    }
    catch (e) {
        throw fsError(e, source, 'source');
    }
    const st = await external_node_fs_namespaceObject.promises.stat(src);
    if (!st.isDirectory())
        throw new errors_IsoforgeError(`source ${source}: not a directory`, { subject: source });
    const outAbs = external_node_path_namespaceObject.resolve(output);
    const outDir = external_node_path_namespaceObject.dirname(outAbs);
    let realOutDir;
    try {
        realOutDir = await external_node_fs_namespaceObject.promises.realpath(outDir);
    }
    catch (e) {
        throw fsError(e, outDir, 'output directory');
    }
    const realOut = external_node_path_namespaceObject.join(realOutDir, external_node_path_namespaceObject.basename(outAbs));
    if (isInside(src, realOut, platform)) {
        throw new errors_IsoforgeError(`output ${output}: inside the source tree ${source}; write the image elsewhere`, {
            subject: output
        });
    }
    try {
        const ost = await external_node_fs_namespaceObject.promises.stat(outAbs);
        if (ost.isDirectory())
            throw new errors_IsoforgeError(`output ${output}: is a directory`, { subject: output });
    }
    catch (e) {
        if (e instanceof errors_IsoforgeError)
            throw e;
    }
    return { source: src, output: outAbs };
}
function ensureDir(root, parts, epoch) {
    let cur = root;
    for (const p of parts) {
        let next = cur.children.find(c => c.name === p);
        if (!next) {
            next = {
                kind: 'dir',
                name: p,
                path: cur.path ? `${cur.path}/${p}` : p,
                mode: S_IFDIR | 0o755,
                mtime: epoch,
                uid: 0,
                gid: 0,
                serial: 0,
                children: []
            };
            cur.children.push(next);
            cur.children.sort((a, b) => compareNames(a.name, b.name));
        }
        if (next.kind !== 'dir')
            throw new errors_IsoforgeError(`${next.path}: exists and is not a directory`, { subject: next.path });
        cur = next;
    }
    return cur;
}
async function buildImage(o) {
    const log = o.log ?? silentLogger;
    const platform = o.platform ?? process.platform;
    checkVolumeId(o.volumeId);
    const paths = await checkPaths(o.source, o.output, platform);
    const now = Math.floor(Date.now() / 1000);
    const epoch = o.epoch ?? now;
    const scan = await scanTree({ source: paths.source, epoch: o.epoch, log, platform });
    const root = scan.root;
    const extensions = o.extensions ?? [];
    const order = new Map();
    const ctx = {
        root,
        log,
        epoch,
        platform,
        source: paths.source,
        lookup: p => lookup(root, p),
        addFile(p, file, opts = {}) {
            const parts = p.split('/').filter(Boolean);
            const name = parts.pop();
            const dir = ensureDir(root, parts, epoch);
            if (dir.children.some(c => c.name === name)) {
                throw new errors_IsoforgeError(`${p}: already exists in the source tree`, { subject: p });
            }
            const node = {
                ...file,
                kind: 'file',
                name,
                path: dir.path ? `${dir.path}/${name}` : name,
                mode: file.mode ?? S_IFREG | 0o444,
                mtime: epoch,
                uid: 0,
                gid: 0,
                serial: 0,
                lba: 0,
                hidden: opts.hidden
            };
            dir.children.push(node);
            dir.children.sort((a, b) => compareNames(a.name, b.name));
            if (opts.order !== undefined)
                order.set(node, opts.order);
            return node;
        },
        setOrder(file, n) {
            order.set(file, n);
        }
    };
    for (const e of extensions)
        await e.prepare?.(ctx);
    const plan = makePlan(root, {
        volumeId: o.volumeId,
        joliet: o.joliet,
        rockRidge: o.rockRidge,
        epoch,
        applicationId: 'ISOFORGE',
        extensions,
        order
    });
    const tmp = external_node_path_namespaceObject.join(external_node_path_namespaceObject.dirname(paths.output), `.${external_node_path_namespaceObject.basename(paths.output)}.${process.pid}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}.tmp`);
    const hashes = new Map();
    for (const d of new Set(['sha256', ...(o.digests ?? [])]))
        hashes.set(d, (0,external_node_crypto_namespaceObject.createHash)(d));
    const fileDigests = new Map();
    let fh;
    try {
        try {
            fh = await external_node_fs_namespaceObject.promises.open(tmp, 'wx', 0o644);
        }
        catch (e) {
            throw fsError(e, paths.output, 'cannot write output');
        }
        const sink = new ImageSink(fh, [...hashes.values(), ...(o.taps ?? [])], done => o.onProgress?.(done, plan.imageSize));
        try {
            await writePlan(plan, sink, {
                fileDigests: o.fileDigests === false ? undefined : fileDigests,
                signal: o.signal
            });
            await sink.close();
        }
        catch (e) {
            if (e.code === 'ENOSPC')
                throw fsError(e, paths.output, 'cannot write output');
            throw e;
        }
        await fh.close();
        fh = undefined;
        const digests = Object.fromEntries([...hashes].map(([k, h]) => [k, h.digest('hex')]));
        const replaced = await o.finish?.(tmp, plan);
        if (replaced)
            Object.assign(digests, replaced);
        await external_node_fs_namespaceObject.promises.rename(tmp, paths.output);
        return {
            output: paths.output,
            size: plan.imageSize,
            digests,
            fileDigests,
            plan,
            root,
            scan,
            epoch,
            volumeId: o.volumeId
        };
    }
    catch (e) {
        if (fh)
            await fh.close().catch(() => undefined);
        await external_node_fs_namespaceObject.promises.rm(tmp, { force: true }).catch(() => undefined);
        throw e;
    }
}

;// CONCATENATED MODULE: ./src/manifest.ts

const MANIFEST_SCHEMA = 'isoforge-manifest/1';
function modeString(mode) {
    return (mode & 0o7777).toString(8).padStart(4, '0');
}
/** Entries of the visible tree, sorted by path bytes (the root itself is not listed). */
function entriesFromTree(root, fileDigests) {
    const out = [];
    const visit = (d) => {
        for (const c of d.children) {
            if (c.hidden)
                continue;
            const e = {
                path: c.path,
                type: c.kind,
                size: c.kind === 'file' ? c.size : 0,
                mode: modeString(c.mode)
            };
            if (c.kind === 'symlink')
                e.target = c.target;
            if (c.kind === 'file') {
                const linked = c.linkGroup ? c.linkGroup.members.find(m => fileDigests?.has(m.path)) : undefined;
                const h = fileDigests?.get(c.path) ?? (linked ? fileDigests?.get(linked.path) : undefined);
                if (h)
                    e.sha256 = h;
                else if (c.size === 0)
                    e.sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
                if (c.size > 0)
                    e.lba = c.lba;
            }
            out.push(e);
            if (c.kind === 'dir')
                visit(c);
        }
    };
    visit(root);
    return out.sort((a, b) => compareNames(a.path, b.path));
}

;// CONCATENATED MODULE: ./src/version.ts
/** The tool's version; a test checks it equals package.json's. */
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/integrity/index.ts
/**
 * Integrity: digests while writing, checksum files, manifest, implanted MD5, signatures.
 * The pipeline calls prepareIntegrity() before the image is written (so bad keys fail before any
 * output) and publish() after.
 */




function buildManifest(result) {
    const boot = [];
    const partitions = [];
    for (const e of result.plan.extensions) {
        const d = e.describe?.(result.plan);
        if (d?.boot)
            boot.push(...d.boot);
        if (d?.partitions)
            partitions.push(...d.partitions);
    }
    return {
        schema: MANIFEST_SCHEMA,
        tool: { name: 'isoforge', version: VERSION },
        volumeId: result.volumeId,
        epoch: result.epoch,
        image: { name: external_node_path_namespaceObject.basename(result.output), size: result.size, ...result.digests },
        boot,
        partitions,
        entries: entriesFromTree(result.root, result.fileDigests)
    };
}
async function prepareIntegrity(config, _log) {
    return {
        digests: config.checksums.includes('sha512') ? ['sha256', 'sha512'] : ['sha256'],
        taps: [],
        async publish(result) {
            const manifest = buildManifest(result);
            let manifestPath;
            if (config.manifest) {
                manifestPath = `${result.output}.manifest.json`;
                await external_node_fs_namespaceObject.promises.writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
            }
            return { manifest, manifestPath, checksumPaths: [], signatures: [] };
        }
    };
}

;// CONCATENATED MODULE: ./src/pipeline.ts
/**
 * The whole build, as the CLI and the action both run it:
 * config → boot extensions → integrity plan (keys checked before anything is written) → image
 * (one pass, hashes tapped) → sidecars (manifest, checksums, signatures).
 */




async function runBuild(config, ctx) {
    const started = Date.now();
    const { log } = ctx;
    const extensions = await createBootExtensions(config, log);
    const integrity = await prepareIntegrity(config, log);
    const image = await inGroup(log, 'write', () => buildImage({
        source: config.source,
        output: config.output,
        volumeId: config.volumeId,
        joliet: config.joliet,
        rockRidge: config.rockRidge,
        epoch: config.epoch,
        extensions,
        log,
        digests: integrity.digests,
        taps: integrity.taps,
        finish: integrity.finish,
        signal: ctx.signal,
        onProgress: ctx.onProgress
    }));
    const sidecars = await inGroup(log, 'sign', () => integrity.publish(image));
    return { config, image, sidecars, elapsed: Date.now() - started };
}

;// CONCATENATED MODULE: ./src/cli/args.ts
/** argv → raw option values, checked against the schema of the command. */

const GLOBAL_FLAGS = ['help', 'debug', 'quiet', 'json'];
function parseArgs(argv, specs, allowJson = false) {
    const out = {
        raw: new Map(),
        positional: [],
        help: false,
        debug: false,
        quiet: false,
        json: false
    };
    const byName = new Map(specs.map(s => [s.name, s]));
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '-h') {
            out.help = true;
            continue;
        }
        if (!arg.startsWith('--')) {
            out.positional.push(arg);
            continue;
        }
        if (arg === '--') {
            out.positional.push(...argv.slice(i + 1));
            break;
        }
        const eq = arg.indexOf('=');
        const name = arg.slice(2, eq >= 0 ? eq : undefined);
        let value = eq >= 0 ? arg.slice(eq + 1) : undefined;
        if (GLOBAL_FLAGS.includes(name) && (name !== 'json' || allowJson)) {
            if (value !== undefined && !/^(true|false)$/i.test(value)) {
                throw new errors_IsoforgeError(`--${name}: takes no value`, { subject: `--${name}` });
            }
            out[name] =
                value === undefined || value.toLowerCase() === 'true';
            continue;
        }
        const spec = byName.get(name);
        if (!spec)
            throw new errors_IsoforgeError(`--${name}: unknown option (see --help)`, { subject: `--${name}` });
        if (value === undefined) {
            const next = argv[i + 1];
            if (spec.type === 'boolean' &&
                (next === undefined || !/^(true|false|yes|no|on|off|1|0)$/i.test(next))) {
                value = 'true';
            }
            else if (next === undefined) {
                throw new errors_IsoforgeError(`--${name}: needs a value`, { subject: `--${name}` });
            }
            else {
                value = next;
                i++;
            }
        }
        if (spec.type === 'list' && out.raw.has(name))
            value = `${out.raw.get(name)}\n${value}`;
        else if (out.raw.has(name))
            throw new errors_IsoforgeError(`--${name}: given twice`, { subject: `--${name}` });
        out.raw.set(name, value);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/cli/help.ts
/** --help text, generated from the option schema. */


const COMMANDS = {
    build: 'build an ISO image from a directory',
    verify: 'check an image: structure, boot entries, manifest, checksums, signatures, QEMU boot',
    inspect: 'print what an image holds (volume, boot entries, partitions, tree); --json for the manifest'
};
function mainHelp() {
    const lines = [
        `isoforge ${VERSION}: bootable, hybrid, reproducible ISO 9660 images in pure TypeScript`,
        '',
        'Usage: isoforge <command> [options]',
        '',
        'Commands:'
    ];
    for (const [c, d] of Object.entries(COMMANDS))
        lines.push(`  ${c.padEnd(9)}${d}`);
    lines.push('', 'Options of build:', ...optionLines(optionsFor('build', 'cli')));
    lines.push('', 'Run `isoforge <command> --help` for the options of a command.', 'Global: --debug (stack traces), --quiet, --help, --version');
    return lines.join('\n');
}
function commandHelp(command) {
    if (command === 'inspect') {
        return ['Usage: isoforge inspect IMAGE [--json]', '', COMMANDS.inspect].join('\n');
    }
    const usage = command === 'build'
        ? 'Usage: isoforge build --source DIR --output FILE [options]'
        : 'Usage: isoforge verify --image IMAGE [checks]';
    return [usage, '', COMMANDS[command], '', 'Options:', ...optionLines(optionsFor(command, 'cli'))].join('\n');
}
function optionLines(specs) {
    return specs.map(s => {
        const value = s.type === 'boolean'
            ? ' true|false'
            : s.type === 'enum'
                ? ` ${s.choices?.join('|')}`
                : s.type === 'list'
                    ? ' A[,B]'
                    : ` ${s.type.toUpperCase()}`;
        const def = s.default !== undefined
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

;// CONCATENATED MODULE: ./src/cli/inspect.ts
/** `isoforge inspect IMAGE [--json]`. PLACEHOLDER until the Verify: issue lands. */

async function inspectCommand(_argv, _io) {
    throw new errors_IsoforgeError('inspect: not available yet', { subject: 'inspect' });
}

;// CONCATENATED MODULE: ./src/cli/verify.ts
/** `isoforge verify --image IMAGE [checks]`. PLACEHOLDER until the Verify: issue lands. */

async function verifyCommand(_argv, _io) {
    throw new errors_IsoforgeError('verify: not available yet', { subject: 'verify' });
}

;// CONCATENATED MODULE: ./src/cli/main.ts
/** The `isoforge` command line. Thin: parse, run the library, print. */









function stderrLogger(io, quiet, debug) {
    return {
        info: m => {
            if (!quiet)
                io.stderr(m + '\n');
        },
        warn: m => io.stderr(`warning: ${m}\n`),
        debug: m => {
            if (debug)
                io.stderr(`debug: ${m}\n`);
        }
    };
}
function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
    }
    return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}
async function buildCommand(argv, io) {
    const specs = optionsFor('build', 'cli');
    const args = parseArgs(argv, specs);
    if (args.help) {
        io.stdout(commandHelp('build') + '\n');
        return 0;
    }
    if (args.positional.length) {
        throw new errors_IsoforgeError(`unexpected argument "${args.positional[0]}" (options are --name value)`, {
            subject: args.positional[0]
        });
    }
    const config = toBuildConfig(resolveOptions(specs, args.raw, io.env));
    const log = stderrLogger(io, args.quiet, args.debug);
    let last = 0;
    const started = Date.now();
    const onProgress = (done, total) => {
        const now = Date.now();
        if (!io.isTTY || args.quiet || now - last < 2000)
            return;
        last = now;
        const rate = done / Math.max(0.001, (now - started) / 1000);
        const eta = rate > 0 ? (total - done) / rate : 0;
        io.stderr(`  ${((100 * done) / total).toFixed(0)}%  ${(rate / 2 ** 20).toFixed(0)} MiB/s  ETA ${eta.toFixed(0)} s\n`);
    };
    const r = await runBuild(config, { log, signal: io.signal, onProgress });
    io.stdout(`${r.image.output}\n`);
    log.info(`  ${formatBytes(r.image.size)} (${r.image.size} bytes), ${r.image.scan.files} files, ${r.image.scan.dirs} directories, ${r.image.scan.symlinks} symlinks, ${(r.elapsed / 1000).toFixed(2)} s`);
    log.info(`  sha256 ${r.image.digests.sha256}`);
    if (r.image.digests.sha512)
        log.info(`  sha512 ${r.image.digests.sha512}`);
    for (const b of r.sidecars.manifest.boot)
        log.info(`  boot ${b.platform} ${b.path} at block ${b.lba}`);
    for (const p of r.sidecars.manifest.partitions)
        log.info(`  ${p.table} partition ${p.number} ${p.type} ${p.start}+${p.sectors}`);
    if (r.sidecars.manifestPath)
        log.info(`  manifest ${r.sidecars.manifestPath}`);
    for (const c of r.sidecars.checksumPaths)
        log.info(`  checksums ${c}`);
    for (const s of r.sidecars.signatures)
        log.info(`  ${s.kind} signature ${s.path} (key ${s.keyId})`);
    if (config.maxSize !== undefined && r.image.size > config.maxSize) {
        throw new errors_IsoforgeError(`--max-size: the image is ${r.image.size} bytes, over the limit of ${config.maxSize}`, { subject: '--max-size' });
    }
    return 0;
}
async function main(argv, io) {
    const [command, ...rest] = argv;
    const debug = argv.includes('--debug');
    try {
        switch (command) {
            case undefined:
            case '--help':
            case '-h':
            case 'help':
                io.stdout(mainHelp() + '\n');
                return command === undefined ? 2 : 0;
            case '--version':
            case 'version':
                io.stdout(`${VERSION}\n`);
                return 0;
            case 'build':
                return await buildCommand(rest, io);
            case 'verify':
                if (rest.includes('--help') || rest.includes('-h')) {
                    io.stdout(commandHelp('verify') + '\n');
                    return 0;
                }
                return await verifyCommand(rest, io);
            case 'inspect':
                if (rest.includes('--help') || rest.includes('-h')) {
                    io.stdout(commandHelp('inspect') + '\n');
                    return 0;
                }
                return await inspectCommand(rest, io);
            default:
                throw new errors_IsoforgeError(`unknown command "${command}" (build, verify, inspect; see --help)`, {
                    subject: command
                });
        }
    }
    catch (e) {
        if (debug && e instanceof Error)
            io.stderr(`${e.stack}\n`);
        if (e instanceof Error && e.name === 'AbortError') {
            io.stderr('isoforge: interrupted; nothing was written\n');
            return 130;
        }
        io.stderr(`isoforge: ${oneLine(e)}\n`);
        return e instanceof errors_IsoforgeError ? 1 : 70;
    }
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
