#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(326);
/* harmony import */ var _image_heap_tuning_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(837);
/* harmony import */ var _image_io_tuning_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(887);
/* harmony import */ var _interrupt_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(476);
/** Entry of the bundled CLI (dist/cli/index.js). */




(0,_image_heap_tuning_js__WEBPACK_IMPORTED_MODULE_1__/* .boundHeapGrowth */ .C)();
(0,_image_io_tuning_js__WEBPACK_IMPORTED_MODULE_3__/* .reserveIoThreads */ .ek)();
const signal = (0,_interrupt_js__WEBPACK_IMPORTED_MODULE_2__/* .endOnSignals */ .cn)();
const code = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .main */ .i)(process.argv.slice(2), {
    stdout: s => process.stdout.write(s),
    stderr: s => process.stderr.write(s),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    signal
});
process.exitCode = code;

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 326:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(916);
// EXTERNAL MODULE: ./src/interrupt.ts
var interrupt = __nccwpck_require__(476);
;// CONCATENATED MODULE: ./src/version.ts
/** The tool's version; a test checks it equals package.json's. */
const VERSION = '0.1.0';

// EXTERNAL MODULE: ./src/text.ts
var src_text = __nccwpck_require__(992);
;// CONCATENATED MODULE: ./src/image/bytes.ts
/**
 * Primitive field codecs of ECMA-119 (ISO 9660), each with its parse side so the writer and the
 * reader share one definition. Sections cited are ECMA-119 4th edition (2019).
 */
const SECTOR = 2048;
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
function readBoth32(buf, off, strict = false) {
    const le = buf.readUInt32LE(off);
    if (strict && buf.readUInt32BE(off + 4) !== le)
        throw new RangeError(`both-endian mismatch at ${off}`);
    return le;
}
function readBoth16(buf, off, strict = false) {
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
function readPadded(buf, off, len) {
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
    // every byte is written below; allocUnsafe takes small buffers from the shared pool
    const b = Buffer.allocUnsafe(text.length * 2);
    writeUtf16BE(b, 0, text);
    return b;
}
/** encodeUtf16BE's bytes written at `off` of `buf` (2 bytes a UTF-16 code unit). */
function writeUtf16BE(buf, off, text) {
    for (let i = 0; i < text.length; i++)
        buf.writeUInt16BE(text.charCodeAt(i), off + i * 2);
}
/** Room for a Joliet identifier (its length is one byte: ECMA-119 9.1.10) turned into text. */
const utf16Scratch = Buffer.alloc(256);
/**
 * `len` bytes at `off` as UTF-16BE code units, each kept (lone surrogates too), an odd last byte
 * dropped. Most names are U+0000-U+00FF alone: their low bytes make a one-byte string at once (a
 * string grown a code unit at a time, or UTF-16LE text through ucs2Slice, cost about a microsecond
 * a name in the tree walk).
 */
function decodeUtf16BE(buf, off = 0, len = buf.length - off) {
    const even = Math.max(0, len) & ~1;
    const to = even <= utf16Scratch.length ? utf16Scratch : Buffer.alloc(even);
    let high = 0;
    for (let i = 0; i < even; i += 2) {
        high |= buf[off + i];
        to[i >> 1] = buf[off + i + 1];
    }
    if (high === 0)
        return to.toString('latin1', 0, even >> 1);
    for (let i = 0; i < even; i += 2) {
        to[i] = buf[off + i + 1];
        to[i + 1] = buf[off + i];
    }
    return to.toString('utf16le', 0, even);
}
/** The last date writeRecordDate encoded (an image's records mostly repeat a few dates). */
const lastDate = { seconds: NaN, bytes: Buffer.alloc(7) };
/** ECMA-119 9.1.5: recording date and time of a directory record, 7 bytes, UTC. */
function writeRecordDate(buf, off, epochSeconds) {
    const b = lastDate.bytes;
    if (epochSeconds !== lastDate.seconds) {
        const d = new Date(epochSeconds * 1000);
        const year = d.getUTCFullYear() - 1900;
        b[0] = Math.max(0, Math.min(255, year));
        b[1] = d.getUTCMonth() + 1;
        b[2] = d.getUTCDate();
        b[3] = d.getUTCHours();
        b[4] = d.getUTCMinutes();
        b[5] = d.getUTCSeconds();
        b[6] = 0; // offset from GMT in 15-minute intervals
        lastDate.seconds = epochSeconds;
    }
    b.copy(buf, off);
}
/** The last date readRecordDate decoded, by its 7 bytes (an image's records mostly repeat a few dates). */
const lastRead = { seconds: NaN, bytes: Buffer.alloc(7) };
function bytes_readRecordDate(buf, off) {
    const c = lastRead.bytes;
    if (buf[off] === c[0] &&
        buf[off + 1] === c[1] &&
        buf[off + 2] === c[2] &&
        buf[off + 3] === c[3] &&
        buf[off + 4] === c[4] &&
        buf[off + 5] === c[5] &&
        buf[off + 6] === c[6] &&
        !Number.isNaN(lastRead.seconds))
        return lastRead.seconds;
    const ms = Date.UTC(1900 + buf[off], Math.max(0, buf[off + 1] - 1), buf[off + 2] || 1, buf[off + 3], buf[off + 4], buf[off + 5]);
    const gmtOff = buf.readInt8(off + 6) * 15 * 60;
    const seconds = Math.floor(ms / 1000) - gmtOff;
    buf.copy(c, 0, off, off + 7);
    lastRead.seconds = seconds;
    return seconds;
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
function readVolumeDate(buf, off) {
    const s = buf.toString('latin1', off, off + 16);
    if (!/^\d{16}$/.test(s) || s === '0000000000000000')
        return undefined;
    const ms = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14));
    return Math.floor(ms / 1000) - buf.readInt8(off + 16) * 15 * 60;
}
function blocksFor(bytes, blockSize = SECTOR) {
    return Math.ceil(bytes / blockSize);
}

;// CONCATENATED MODULE: ./src/image/voldesc.ts
/** ECMA-119 8: volume descriptors (primary, supplementary/Joliet, terminator), both ways. */

/**
 * ECMA-119 6.2.1, 8.1: the system area is blocks 0-15; the volume descriptor set starts at block 16
 * (also the first descriptor's block as readers of the disc find it).
 */
const SYSTEM_AREA_BLOCKS = 16;
const VD_SET_LBA = SYSTEM_AREA_BLOCKS;
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
/**
 * ECMA-119 8.4.5, 8.4.6, 8.4.14, 8.4.20-8.4.22: bytes of each identifier field (a Joliet
 * descriptor holds half as many UCS-2 characters in the same bytes).
 */
const ID_LENGTH = {
    systemId: 32,
    volumeId: 32,
    volumeSetId: 128,
    publisherId: 128,
    preparerId: 128,
    applicationId: 128
};
function encodeVolumeDescriptor(f) {
    const b = Buffer.alloc(SECTOR);
    b[0] = f.type;
    b.write(STANDARD_ID, 1, 'latin1');
    b[6] = 1; // 8.4.3 version
    const text = (off, len, s) => f.joliet ? writeUcs2Padded(b, off, len, s) : writePadded(b, off, len, s);
    text(PVD.systemId, ID_LENGTH.systemId, f.systemId);
    text(PVD.volumeId, ID_LENGTH.volumeId, f.volumeId);
    writeBoth32(b, PVD.volumeSpaceSize, f.volumeSpaceSize);
    if (f.joliet)
        JOLIET_ESCAPE.copy(b, PVD.escapeSequences);
    writeBoth16(b, PVD.volumeSetSize, 1);
    writeBoth16(b, PVD.volumeSequenceNumber, 1);
    writeBoth16(b, PVD.logicalBlockSize, SECTOR);
    writeBoth32(b, PVD.pathTableSize, f.pathTableSize);
    b.writeUInt32LE(f.lPathTable, PVD.typeLPathTable);
    b.writeUInt32BE(f.mPathTable, PVD.typeMPathTable);
    f.rootRecord.copy(b, PVD.rootRecord);
    text(PVD.volumeSetId, ID_LENGTH.volumeSetId, f.volumeSetId);
    text(PVD.publisherId, ID_LENGTH.publisherId, f.publisherId);
    text(PVD.preparerId, ID_LENGTH.preparerId, f.preparerId);
    text(PVD.applicationId, ID_LENGTH.applicationId, f.applicationId);
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
    const b = Buffer.alloc(SECTOR);
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
        volumeId: text(PVD.volumeId, ID_LENGTH.volumeId),
        systemId: text(PVD.systemId, ID_LENGTH.systemId),
        volumeSpaceSize: readBoth32(b, PVD.volumeSpaceSize),
        logicalBlockSize: readBoth16(b, PVD.logicalBlockSize),
        pathTableSize: readBoth32(b, PVD.pathTableSize),
        lPathTable: b.readUInt32LE(PVD.typeLPathTable),
        mPathTable: b.readUInt32BE(PVD.typeMPathTable),
        rootRecord: b.subarray(PVD.rootRecord, PVD.rootRecord + 34),
        escape,
        joliet,
        volumeSetId: text(PVD.volumeSetId, ID_LENGTH.volumeSetId),
        publisherId: text(PVD.publisherId, ID_LENGTH.publisherId),
        preparerId: text(PVD.preparerId, ID_LENGTH.preparerId),
        applicationId: text(PVD.applicationId, ID_LENGTH.applicationId),
        created: readVolumeDate(b, PVD.creationDate),
        modified: readVolumeDate(b, PVD.modificationDate)
    };
}

;// CONCATENATED MODULE: ./src/image/labels.ts



/** Each text's option (its schema name); the field lengths are voldesc.ts's ID_LENGTH. */
const LABEL_OPTIONS = {
    volumeId: 'volume-id',
    systemId: 'system-id',
    volumeSetId: 'volume-set-id',
    publisherId: 'publisher',
    preparerId: 'preparer',
    applicationId: 'application-id'
};
/** What a caller of buildImage that names only the volume id gets (the options' defaults). */
const DEFAULT_IDS = {
    systemId: '',
    volumeSetId: '',
    publisherId: '',
    preparerId: '',
    applicationId: 'ISOFORGE'
};
/** The printable ASCII characters, 0x20-0x7E. */
const PRINTABLE = /^[\x20-\x7e]*$/;
const codePoint = (c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
/** One field's text, as `option`: printable ASCII, at most `length` bytes, no trailing space. */
function checkLabel(option, text, length) {
    if (!PRINTABLE.test(text)) {
        const bad = [...new Set([...text].filter(c => !PRINTABLE.test(c)))].map(codePoint).join(' ');
        throw (0,errors/* optionError */.mp)(option, `${(0,src_text/* quoted */.TL)(text)} has characters outside printable ASCII (0x20-0x7E): ${bad}`);
    }
    if (text.length > length) {
        throw (0,errors/* optionError */.mp)(option, `${(0,src_text/* quoted */.TL)(text)} is ${text.length} bytes; at most ${length} fit`);
    }
    if (text.endsWith(' ')) {
        throw (0,errors/* optionError */.mp)(option, `${(0,src_text/* quoted */.TL)(text)} ends with a space, which no reader can tell from the field's padding`);
    }
}
/** Every text of `l`; the volume id must not be empty. */
function checkLabels(l) {
    if (l.volumeId === '')
        throw (0,errors/* optionError */.mp)(LABEL_OPTIONS.volumeId, 'must not be empty');
    for (const key of Object.keys(LABEL_OPTIONS)) {
        checkLabel(LABEL_OPTIONS[key], l[key], ID_LENGTH[key]);
    }
}

;// CONCATENATED MODULE: ./src/option-schema.ts
const B = ['build'];
const V = ['verify'];
const X = ['extract'];
// `as const`: the names are literal types, so a misspelt option name anywhere is a compile error
const SCHEMA = [
    // ---- Foundation: the image -------------------------------------------------------------------
    {
        name: 'source',
        type: 'path',
        commands: B,
        surface: 'both',
        defaultText: 'required unless source-image is given',
        description: "Directory whose contents become the root of the image; with source-image, laid over that image's tree (a file replaces the file at its path, folders merge)."
    },
    // ---- Remaster: an existing image as the base -----------------------------------------------------
    {
        name: 'source-image',
        type: 'path',
        commands: B,
        surface: 'both',
        description: 'An ISO image whose tree (Rock Ridge, else Joliet, else ISO 9660 names) is the base of the build, its volume id kept unless volume-id is given; the image is only read. In the action, artifact:NAME downloads that artifact of the current run.'
    },
    {
        name: 'remove',
        type: 'list',
        commands: B,
        surface: 'both',
        description: "Path(s) of files or whole folders taken out of source-image's tree before source is laid over it; a path not there is an error."
    },
    {
        name: 'replay-boot',
        type: 'enum',
        commands: B,
        surface: 'both',
        default: 'true',
        choices: ['true', 'false', 'without-apm'],
        description: "With source-image and no boot options: boot as source-image does (its El Torito entries in order as boot entries, emulated or inside an appended partition too; its appended partitions, read from it; its MBR boot code and hybrid layout); what cannot be replayed (an Apple partition map) is an error naming it. without-apm: replay the rest, dropping the Apple partition map and HFS+ file system (grub-mkrescue's) with a warning. Boot options given, or false, replace the replay (the log says what is dropped)."
    },
    {
        name: 'output',
        type: 'path',
        commands: B,
        surface: 'both',
        defaultText: 'CLI: required; action: <runner temp>/<volume-id>.iso, lowercased, a space as -, any other character outside a-z 0-9 . _ - as _',
        description: 'Path of the ISO image to write (written atomically: a temporary file beside it, renamed at the end).'
    },
    {
        name: 'volume-id',
        type: 'string',
        commands: B,
        surface: 'both',
        defaultText: "ISOFORGE; with source-image, that image's",
        description: "Volume identifier (the label that live systems find their medium by, e.g. 'Ubuntu-Server 24.04 LTS amd64'): 1-32 printable ASCII characters (0x20-0x7E; ECMA-119's d-characters are not enforced, as with xorriso), kept exactly, no trailing space. The Joliet volume label is its first 16 characters."
    },
    {
        name: 'system-id',
        type: 'string',
        commands: B,
        surface: 'both',
        description: 'System identifier (ECMA-119 8.4.5): up to 32 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 16.'
    },
    {
        name: 'volume-set-id',
        type: 'string',
        commands: B,
        surface: 'both',
        description: 'Volume set identifier (ECMA-119 8.4.14): up to 128 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 64.'
    },
    {
        name: 'publisher',
        type: 'string',
        commands: B,
        surface: 'both',
        description: 'Publisher identifier (ECMA-119 8.4.20): up to 128 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 64. A leading _ is written as text (ECMA-119 reads it as naming a root file; isoforge checks none).'
    },
    {
        name: 'preparer',
        type: 'string',
        commands: B,
        surface: 'both',
        description: 'Data preparer identifier (ECMA-119 8.4.21): up to 128 printable ASCII characters, no trailing space; empty by default (with source-image: kept from it). Joliet: the first 64. A leading _ is written as text.'
    },
    {
        name: 'application-id',
        type: 'string',
        commands: B,
        surface: 'both',
        defaultText: "ISOFORGE; with source-image, that image's",
        description: 'Application identifier (ECMA-119 8.4.22): up to 128 printable ASCII characters, no trailing space. Joliet: the first 64. A leading _ is written as text.'
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
        description: "Seconds since 1970: every date in the image (volumes, records, Rock Ridge TF) is set to it, so two builds of the same content are byte-identical whatever the files' mtimes."
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
        description: "Path(s) inside the source of a FAT image, or of a folder (e.g. EFI) from which the FAT image is built. With --hybrid the first is also the appended EFI system partition (GPT entry 2, or the first --append-partition leaves free) that its entry boots: a folder's FAT image is stored only there; a FAT image file of the tree is that partition, stored once (as --boot 'platform=uefi image=PATH partition=N')."
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
        description: 'An El Torito entry (repeatable; one a line): space-separated key=value: platform=bios|uefi; image=PATH (in the source) or partition=N (appended partition N, all of it), or for uefi both (the FAT image file PATH of the tree is appended partition N, 2-4, type ESP, stored once; needs --hybrid); optional emulation=none|floppy|hard-disk (floppy: a 1.2/1.44/2.88 MB image; hard-disk: an image whose MBR has one partition), load-size=N (512-byte sectors; default: --bios-boot-load-size for BIOS, the whole image for UEFI, 1 for emulated images), info-table=true|false and grub2-boot-info=true|false (no-emulation images only; BIOS default: --boot-info-table, --grub2-boot-info). Entries follow those of --bios-boot and --uefi-boot in the catalog, in the order given; the first entry is the default.'
    },
    {
        name: 'append-partition',
        type: 'list',
        commands: B,
        surface: 'both',
        description: "A partition appended after the ISO 9660 volume (repeatable; one a line): 'N TYPE FILE'. N is its GPT entry, 2-4 (1 is the ISO 9660 partition); TYPE an MBR type byte (0xef: EFI system partition, else basic data) or a GPT type GUID; FILE a file anywhere on disk, copied whole. Needs --hybrid. --boot 'platform=uefi partition=N' boots it, so the EFI image is stored once."
    },
    {
        name: 'boot-catalog',
        type: 'string',
        commands: B,
        surface: 'both',
        default: 'boot.catalog',
        description: 'Path of the El Torito boot catalog inside the image. A file already at that path in the source (a tree extracted from an image) is replaced, with a warning.'
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
    {
        name: 'mbr-kind',
        type: 'enum',
        commands: B,
        surface: 'both',
        default: 'auto',
        choices: ['auto', 'isohybrid', 'grub2'],
        description: "How the MBR boot code finds the first BIOS boot image (bytes 432-439): isohybrid (isohdpfx.bin: the image's 512-byte sector, xorriso -isohybrid-mbr) or grub2 (boot_hybrid.img and memtest86+'s MBR: that sector + 4, xorriso --grub2-mbr); auto: grub2 when that entry has GRUB2 boot info."
    },
    // ---- Integrity: ---------------------------------------------------------------------------------
    {
        name: 'checksums',
        type: 'list',
        commands: B,
        surface: 'both',
        default: 'sha256',
        choices: ['sha256', 'sha512', 'none'],
        description: 'Checksum files to write beside the image (SHA256SUMS, SHA512SUMS); none for no checksum file.'
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
        description: 'Write the image around the page cache (Linux O_DIRECT; elsewhere, or where refused, through it). false: through the cache, which can be faster when the disk is much slower than memory and the image is read again at once.'
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
        description: "Days to keep the artifacts; 0 for the repository's setting. More than the repository allows is lowered to its maximum, with a warning."
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
        // PLATFORM or PLATFORM:KIND, matched in src/read/expect-boot.ts
        choices: [
            'bios',
            'uefi',
            ...['none', 'floppy', 'hard-disk', 'partition'].flatMap(k => [`bios:${k}`, `uefi:${k}`])
        ],
        description: 'El Torito entries that must be present: a platform (bios, uefi), or a platform and what its image is: an emulation (bios:none, bios:floppy, bios:hard-disk) or an appended partition (uefi:partition). Each needs an entry of its own kind.'
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
        description: 'Boot the image in QEMU with SeaBIOS (bios) and/or OVMF (uefi), under KVM when a quick probe shows it works, TCG otherwise.'
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
        description: 'MiB of memory for the guest of each boot test (GRUB under OVMF cannot load a Debian kernel in 256).'
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
        description: 'Path(s) inside the image to extract (a file or a whole folder), kept below the output folder; default: all.'
    },
    {
        name: 'overwrite',
        type: 'boolean',
        commands: X,
        surface: 'cli',
        default: 'false',
        description: 'Replace existing files and symbolic links in the output folder (removed first, never written through); a folder is never replaced.'
    }
];
const OPTIONS = SCHEMA;
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

;// CONCATENATED MODULE: ./src/options.ts
/**
 * The one schema of options. The CLI flags, their --help, the inputs of action.yml and
 * verify/action.yml are all derived from (or checked against) this table, so they cannot drift.
 * A flag `--volume-id` is the action input `volume-id`.
 */



/** Every option of `command`, whatever its surface, in the schema's order. */
function commandOptions(command) {
    return OPTIONS.filter(o => o.commands.includes(command)).concat(command === 'verify' ? VERIFY_SHARED : []);
}
function optionsFor(command, surface) {
    return commandOptions(command).filter(o => o.surface === 'both' || o.surface === surface);
}
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
        throw (0,errors/* optionError */.mp)(option, `"${text}" is not a size (e.g. 700MiB, 4.7GB or a number of bytes)`);
    }
    return Math.round(Number(m[1]) * unit);
}
/** The spellings of a boolean option's values. */
const TRUE_WORDS = ['true', 'yes', '1', 'on'];
const FALSE_WORDS = ['false', 'no', '0', 'off'];
/** An enumeration that extends a boolean (replay-boot: true, false, without-apm) takes its spellings. */
const extendsBoolean = (spec) => spec.type === 'enum' && spec.choices?.includes('true') === true && spec.choices.includes('false');
function parseOne(spec, raw) {
    const flag = `--${spec.name}`;
    switch (spec.type) {
        case 'boolean': {
            const v = raw.trim().toLowerCase();
            if (TRUE_WORDS.includes(v))
                return true;
            if (FALSE_WORDS.includes(v))
                return false;
            throw new errors/* IsoforgeError */.P1(`${flag}: "${raw}" is not true or false`, { subject: flag });
        }
        case 'integer': {
            if (!/^\s*\d+\s*$/.test(raw)) {
                throw new errors/* IsoforgeError */.P1(`${flag}: "${raw}" is not a whole number`, { subject: flag });
            }
            const n = Number(raw);
            if (!Number.isSafeInteger(n))
                throw new errors/* IsoforgeError */.P1(`${flag}: ${raw} is too large`, { subject: flag });
            return n;
        }
        case 'size':
            return parseSize(raw, spec.name);
        case 'list': {
            // one item a line (a multi-line input, a repeated flag); commas separate only the items of an
            // enumeration: a path may hold a comma
            const items = raw
                .split(spec.choices ? /\r?\n|,/ : /\r?\n/)
                .map(s => s.trim())
                .filter(s => s.length > 0);
            if (spec.choices) {
                for (const i of items) {
                    if (!spec.choices.includes(i.toLowerCase())) {
                        throw new errors/* IsoforgeError */.P1(`${flag}: "${i}" is not one of ${spec.choices.join(', ')}`, {
                            subject: flag
                        });
                    }
                }
                return items.map(i => i.toLowerCase());
            }
            return items;
        }
        case 'enum': {
            let v = raw.trim().toLowerCase();
            if (extendsBoolean(spec))
                v = TRUE_WORDS.includes(v) ? 'true' : FALSE_WORDS.includes(v) ? 'false' : v;
            if (!spec.choices?.includes(v)) {
                throw new errors/* IsoforgeError */.P1(`${flag}: "${raw}" is not one of ${spec.choices?.join(', ')}`, {
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
/** The schema's default of `name` for `command`, typed (undefined where it has none). */
function defaultValue(command, name) {
    const spec = commandOptions(command).find(o => o.name === name);
    return spec?.default === undefined ? undefined : parseOne(spec, spec.default);
}

;// CONCATENATED MODULE: ./src/option-values.ts
/**
 * Reading resolved option values by their schema name. A value not given is the schema's default:
 * config.ts, read/verify.ts and the action's inputs read through here and spell no default again.
 */

function optionReader(command, values) {
    const get = (name) => values[name] ?? defaultValue(command, name);
    return {
        text: name => {
            const v = get(name);
            return typeof v === 'string' && v !== '' ? v : undefined;
        },
        flag: name => get(name) === true,
        count: name => {
            const v = get(name);
            return typeof v === 'number' ? v : undefined;
        },
        items: name => {
            const v = get(name);
            return Array.isArray(v) ? v : [];
        }
    };
}

;// CONCATENATED MODULE: ./src/config.ts




/** The volume id of a build that gives none (a remaster keeps its source image's). */
const DEFAULT_VOLUME_ID = 'ISOFORGE';
/** `v`: resolved values (src/options.ts); one not given is the schema's default. */
function toBuildConfig(v) {
    const o = optionReader('build', v);
    const source = o.text('source');
    const sourceImage = o.text('source-image');
    if (!source && !sourceImage)
        throw (0,errors/* optionError */.mp)('source', 'required (the directory to make an image of), unless --source-image is given');
    const remove = o.items('remove');
    if (remove.length > 0 && !sourceImage)
        throw (0,errors/* optionError */.mp)('remove', 'needs --source-image (the tree it removes from)');
    const output = o.text('output');
    if (!output)
        throw (0,errors/* optionError */.mp)('output', 'required (the ISO file to write)');
    const epoch = o.count('source-date-epoch');
    if (epoch !== undefined && epoch > 253402300799) {
        throw (0,errors/* optionError */.mp)('source-date-epoch', `${epoch} is after the year 9999`);
    }
    const loadSize = o.count('bios-boot-load-size') ?? 0;
    if (loadSize < 1 || loadSize > 65535) {
        throw (0,errors/* optionError */.mp)('bios-boot-load-size', `${loadSize} is not between 1 and 65535`);
    }
    const hybrid = v['hybrid'];
    return {
        source: source ?? '',
        sourceImage,
        remove,
        replayBoot: o.text('replay-boot'),
        output,
        volumeId: o.text('volume-id') ?? DEFAULT_VOLUME_ID,
        ids: {
            systemId: o.text('system-id') ?? DEFAULT_IDS.systemId,
            volumeSetId: o.text('volume-set-id') ?? DEFAULT_IDS.volumeSetId,
            publisherId: o.text('publisher') ?? DEFAULT_IDS.publisherId,
            preparerId: o.text('preparer') ?? DEFAULT_IDS.preparerId,
            applicationId: o.text('application-id') ?? DEFAULT_IDS.applicationId
        },
        labelsGiven: Object.keys(LABEL_OPTIONS).filter(k => o.text(LABEL_OPTIONS[k]) !== undefined),
        joliet: o.flag('joliet'),
        rockRidge: o.flag('rock-ridge'),
        epoch,
        biosBoot: o.items('bios-boot'),
        biosBootLoadSize: loadSize,
        bootInfoTable: o.flag('boot-info-table'),
        grub2BootInfo: o.flag('grub2-boot-info'),
        uefiBoot: o.items('uefi-boot'),
        uefiBootSize: o.count('uefi-boot-size'),
        boot: o.items('boot'),
        appendPartition: o.items('append-partition'),
        bootCatalog: o.text('boot-catalog') ?? '',
        bootCatalogHide: o.flag('boot-catalog-hide'),
        // resolved values carry the defaults: a catalog path other than the default's was given
        bootCatalogGiven: o.text('boot-catalog') !== defaultValue('build', 'boot-catalog'),
        hybrid: typeof hybrid === 'boolean' ? hybrid : undefined,
        mbrTemplate: o.text('mbr-template'),
        mbrKind: o.text('mbr-kind'),
        checksums: o.items('checksums').filter(c => c !== 'none'),
        checksumFormat: o.text('checksum-format'),
        manifest: o.flag('manifest'),
        implantMd5: o.flag('implant-md5'),
        directIo: o.flag('direct-io'),
        gpgPrivateKey: o.text('gpg-private-key'),
        gpgPassphrase: o.text('gpg-passphrase'),
        minisignPrivateKey: o.text('minisign-private-key'),
        minisignPassword: o.text('minisign-password'),
        attest: o.flag('attest'),
        maxSize: o.count('max-size')
    };
}

;// CONCATENATED MODULE: ./src/format.ts
/** Numbers for people: the one byte formatter (CLI lines, inspect, job summary, gate messages). */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
/** 1023 → `1023 B`, 1536 → `1.5 KiB`, 3·2^30 → `3.0 GiB`; negative sizes keep their sign. */
function formatBytes(n) {
    let v = n;
    let u = 0;
    while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
        v /= 1024;
        u++;
    }
    return u === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}
/** An exact size, as limits are given: `32 KiB`, `1 MiB`, or bytes (formatBytes rounds: `32.0 KiB`). */
function formatLimit(bytes) {
    if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0)
        return `${bytes / 2 ** 20} MiB`;
    if (bytes >= 1024 && bytes % 1024 === 0)
        return `${bytes / 1024} KiB`;
    return `${bytes} bytes`;
}
/** Seconds → `42 s`, `3 min 5 s`; `?` when not finite. */
function formatDuration(seconds) {
    if (!Number.isFinite(seconds))
        return '?';
    const s = Math.max(0, Math.round(seconds));
    if (s < 90)
        return `${s} s`;
    return `${Math.floor(s / 60)} min ${s % 60} s`;
}

;// CONCATENATED MODULE: ./src/gates.ts
/**
 * The gates: limits a finished image must meet before anything is published (`max-size`, and in
 * the action `max-growth` over the baseline). Both edges run this one step after the build and
 * before any publishing: a failed gate keeps the finished image (and its sidecars) on disk for
 * inspection, and the action then uploads no artifact, creates no attestation and saves no baseline.
 */


/** The gates, each failure a sentence naming the numbers. */
function checkGates(size, limits) {
    const { maxSize, maxGrowth, baselineSize } = limits;
    const out = [];
    if (maxSize !== undefined && size > maxSize) {
        out.push({
            option: '--max-size',
            message: `max-size: the image is ${size} bytes (${formatBytes(size)}), over the limit of ${maxSize} bytes (${formatBytes(maxSize)}) by ${size - maxSize} bytes`
        });
    }
    if (maxGrowth && baselineSize !== undefined) {
        const growth = size - baselineSize;
        const limit = maxGrowth.percent !== undefined ? (baselineSize * maxGrowth.percent) / 100 : (maxGrowth.bytes ?? 0);
        if (growth > limit) {
            const pct = baselineSize > 0 ? ((100 * growth) / baselineSize).toFixed(2) : 'inf';
            out.push({
                option: '--max-growth',
                message: `max-growth: the image grew by ${growth} bytes (${pct}%) from ${baselineSize} to ${size} bytes, over the limit of ${maxGrowth.text} (${Math.floor(limit)} bytes)`
            });
        }
    }
    return out;
}
/** Failed gates: the message names each failure and where the image was kept. */
class GateError extends errors/* IsoforgeError */.P1 {
    failures;
    image;
    /** `the image was kept on disk for inspection at …` */
    kept;
    constructor(failures, image) {
        const kept = `the image was kept on disk for inspection at ${image}`;
        super(`${failures.map(f => f.message).join('; ')}; ${kept}`, { subject: failures[0].option });
        this.failures = failures;
        this.image = image;
        this.name = 'GateError';
        this.kept = kept;
    }
    /** One line without the failures' own sentences (for an edge that showed those already). */
    get brief() {
        const names = this.failures.map(f => f.option.slice(2)).join(', ');
        return `${names} failed; ${this.kept}`;
    }
}
/** The gate step: undefined when the image passes, else the error to end the run with. */
function gateVerdict(image, limits) {
    const failures = checkGates(image.size, limits);
    return failures.length ? new GateError(failures, image.output) : undefined;
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
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
        throw (0,errors/* optionError */.mp)(option, `"${input}" must be a path inside the source directory, not an absolute path`);
    }
    const out = [];
    for (const part of p.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            if (out.length === 0) {
                throw (0,errors/* optionError */.mp)(option, `"${input}" leaves the source directory`);
            }
            out.pop();
        }
        else
            out.push(part);
    }
    if (out.length === 0)
        throw (0,errors/* optionError */.mp)(option, `"${input}" names the source directory itself`);
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
/**
 * The open(2) flag for writing the image around the page cache, or undefined where there is none.
 * Linux has O_DIRECT; macOS (F_NOCACHE) and Windows (FILE_FLAG_NO_BUFFERING) have no such open
 * flag in Node, so they write through the cache. `constants` is passed in so tests can simulate.
 */
function directWriteFlag(platform = process.platform, constants = external_node_fs_.constants) {
    if (platform !== 'linux')
        return undefined;
    return constants.O_DIRECT || undefined;
}
/** Windows' reserved device names: in any folder, with any extension (`nul.iso` is NUL). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
/**
 * The device a file name stands for on `platform` whatever folder it is in (Windows' NUL, CON,
 * COM1…), or undefined. A stat of such a path does not reliably say "device", so it is known by
 * its name. Elsewhere devices live in folders and stat tells them apart.
 */
function reservedDeviceName(file, platform = process.platform) {
    if (platform !== 'win32')
        return undefined;
    const base = file.split(/[\\/]/).pop() ?? '';
    const m = WINDOWS_DEVICES.exec(base.replace(/[ .]+$/, ''));
    return m ? m[1].toUpperCase() : undefined;
}
/** Characters Windows refuses in a file name (besides the controls), and its trailing dot or blank. */
const WINDOWS_NAME_CHARS = /[\\:*?"<>|\x00-\x1f]|[ .]$/;
/**
 * Why `name` (one component, from an image) cannot be created as itself on `platform`, or
 * undefined. `/` and NUL are refused by the reader everywhere; Windows refuses more.
 */
function hostNameProblem(name, platform = process.platform) {
    if (platform !== 'win32')
        return undefined;
    if (WINDOWS_NAME_CHARS.test(name))
        return 'a character Windows does not allow in a name';
    const device = reservedDeviceName(name, platform);
    return device ? `the Windows device name ${device}` : undefined;
}
/** Key under which two names of one folder land on the same file on `platform` (exact where case counts). */
function collisionKey(name, platform = process.platform) {
    return foldsCase(platform) ? nameKey(name, platform) : name;
}
/**
 * open(2) flags that create a new file and never follow a symbolic link in its place. Windows has
 * no O_NOFOLLOW (Node reports none): O_EXCL alone refuses an existing name, link or not.
 */
function createExclusiveFlags(constants = external_node_fs_.constants) {
    return constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
}
/**
 * Whether a failed symlink(2) is the platform's policy rather than damage: Windows creates symbolic
 * links only with Developer Mode or the privilege (EPERM); the link is then left out with a warning.
 */
function symlinkNotPermitted(code, platform = process.platform) {
    return platform === 'win32' && code === 'EPERM';
}

;// CONCATENATED MODULE: ./src/image/targets.ts
/**
 * The paths a build writes (the image and its sidecars): checked before anything is read or
 * written, their missing folders made as `mkdir -p` does, and those folders removed again when
 * the build fails. Every target is written to a temporary file beside it and renamed into place,
 * and a rename replaces whatever has the name: so a target that exists must be a regular file
 * (never a device, a FIFO, a socket or a directory), and a missing folder is made only once
 * every target has been checked.
 */




/** What an existing path is when it is not a regular file, in the words of an error ("a FIFO"). */
function notRegular(st) {
    if (st.isFile())
        return undefined;
    if (st.isDirectory())
        return 'a directory';
    if (st.isCharacterDevice())
        return 'a character device';
    if (st.isBlockDevice())
        return 'a block device';
    if (st.isFIFO())
        return 'a FIFO';
    if (st.isSocket())
        return 'a socket';
    return 'a special file';
}
/**
 * Refuse a target the build must not replace: one that exists (following symbolic links) and is
 * not a regular file, or a name that stands for a device on the platform. Only stat()s: a FIFO is
 * never opened, a device never written.
 */
async function checkTarget(t, platform = process.platform) {
    const device = reservedDeviceName(t.path, platform);
    if (device) {
        throw new errors/* IsoforgeError */.P1(`${t.what} ${t.path}: names the device ${device}, not a file; isoforge writes only regular files`, { subject: t.path });
    }
    let st;
    try {
        st = await external_node_fs_.promises.stat(t.path);
    }
    catch (e) {
        // missing (or a dangling symbolic link, which the rename replaces): written new
        if (e.code === 'ENOENT')
            return;
        throw (0,errors/* fsError */.yi)(e, t.path, t.what);
    }
    const kind = notRegular(st);
    if (kind) {
        throw new errors/* IsoforgeError */.P1(`${t.what} ${t.path}: exists and is ${kind}, not a regular file; isoforge replaces only regular files`, { subject: t.path });
    }
}
/**
 * `file`'s path with its folder's symbolic links resolved, for folders that do not exist yet too
 * (the nearest existing ancestor is resolved, the rest appended). The name itself is not
 * followed: the rename replaces a link, not what it points to.
 */
async function realTargetPath(file) {
    const abs = external_node_path_.resolve(file);
    const rest = [external_node_path_.basename(abs)];
    let dir = external_node_path_.dirname(abs);
    for (;;) {
        try {
            return external_node_path_.join(await external_node_fs_.promises.realpath(dir), ...rest);
        }
        catch (e) {
            const up = external_node_path_.dirname(dir);
            if (e.code !== 'ENOENT' || up === dir)
                throw (0,errors/* fsError */.yi)(e, dir, 'output directory');
            rest.unshift(external_node_path_.basename(dir));
            dir = up;
        }
    }
}
/** Every target outside the (real) source tree and not something a rename must not replace. */
async function checkTargets(realSource, sourceGiven, targets, platform = process.platform) {
    for (const t of targets) {
        if (isInside(realSource, await realTargetPath(t.path), platform)) {
            throw new errors/* IsoforgeError */.P1(`${t.what} ${t.path}: inside the source tree ${sourceGiven}; write the image elsewhere`, { subject: t.path });
        }
        await checkTarget(t, platform);
    }
}
/** The folders one build made for its targets, so that a failed build can take them away again. */
class CreatedFolders {
    made;
    constructor(made) {
        this.made = made;
    }
    /** `mkdir -p` each of `dirs`, remembering every folder that did not exist (outermost first). */
    static async make(dirs) {
        const made = [];
        try {
            for (const dir of new Set([...dirs].map(d => external_node_path_.resolve(d)))) {
                let first;
                try {
                    first = await external_node_fs_.promises.mkdir(dir, { recursive: true });
                }
                catch (e) {
                    throw (0,errors/* fsError */.yi)(e, dir, 'cannot create output directory');
                }
                if (first === undefined)
                    continue;
                const chain = [];
                for (let d = dir;; d = external_node_path_.dirname(d)) {
                    chain.unshift(d);
                    if (d === first || external_node_path_.dirname(d) === d)
                        break;
                }
                made.push(...chain);
            }
        }
        catch (e) {
            await new CreatedFolders(made).remove();
            throw e;
        }
        return new CreatedFolders(made);
    }
    /** the folders made, outermost first */
    get paths() {
        return this.made;
    }
    /**
     * Remove the folders made, innermost first. Only empty ones go: a folder something else wrote
     * into meanwhile stays, with what is in it.
     */
    async remove() {
        for (const d of this.made.reverse())
            await external_node_fs_.promises.rmdir(d).catch(() => undefined);
        this.made.length = 0;
    }
}

;// CONCATENATED MODULE: ./src/files.ts
/**
 * Small files a user names (an MBR template, keys, signatures, manifests, checksum files) and the
 * boot images isoforge patches are read whole, so each is read with a bound that fits its kind:
 * a device (`/dev/zero`) or a FIFO would otherwise be read until memory runs out, or block the
 * open forever. The path is opened with O_NONBLOCK (a FIFO with no writer then opens at once),
 * checked with fstat to be a regular file, and read up to its limit.
 */




const KIB = 1024;
const MIB = 1024 * KIB;
/** The most isoforge reads of each kind of small file, and why. */
const LIMITS = {
    /** the ISO 9660 system area is 16 sectors of 2048 bytes (ECMA-119 6.2.1); 432 bytes are used */
    mbrTemplate: 32 * KIB,
    /** El Torito's sector count is 16 bits of 512-byte sectors: 65535 × 512 bytes is all it loads */
    patchedBootImage: 32 * MIB,
    /** a few armored keys with their certifications; far above any real key, below a flooded one */
    openPgpKey: 1 * MIB,
    /** minisign.h: two lines, an untrusted comment and 56 base64 characters */
    minisignKey: 16 * KIB,
    /** a detached OpenPGP or minisign signature is a few hundred bytes; room for many and comments */
    signature: 1 * MIB,
    /** about 500,000 entries of ~250 bytes; JSON.parse needs several times this in memory */
    manifest: 128 * MIB,
    /** about 100,000 lines of a SHA512SUMS file */
    checksumFile: 16 * MIB
};
/** O_NONBLOCK where the platform has it (not on Windows, where no open of a file blocks). */
const OPEN_FLAGS = external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NONBLOCK ?? 0) | (external_node_fs_.constants.O_NOCTTY ?? 0);
/**
 * Open `path` for reading without blocking on a FIFO, and check that it is a regular file of at
 * most `opts.limit` bytes (when given). The caller closes the handle.
 */
async function openRegularFile(path, opts) {
    let handle;
    try {
        handle = await external_node_fs_.promises.open(path, OPEN_FLAGS);
    }
    catch (e) {
        if (e.code === 'EISDIR')
            throw refuse(path, opts, 'a directory');
        throw (0,errors/* fsError */.yi)(e, path, opts.what);
    }
    try {
        const st = await handle.stat();
        if (!st.isFile())
            throw refuse(path, opts, `${notRegular(st) ?? 'a special file'}, not a regular file`);
        if (opts.limit !== undefined && st.size > opts.limit)
            throw refuse(path, opts, `${st.size} bytes`);
        return { handle, size: st.size };
    }
    catch (e) {
        await handle.close();
        throw (0,errors/* fsError */.yi)(e, path, opts.what);
    }
}
function refuse(path, opts, why) {
    const bound = opts.limit === undefined
        ? ''
        : `; ${opts.kind ?? 'it'} is read whole, at most ${formatLimit(opts.limit)}`;
    return new errors/* IsoforgeError */.P1(`${opts.what} ${path}: ${why}${bound}`, { subject: path });
}
/**
 * The whole of a small regular file, at most `opts.limit` bytes. A file whose size changes between
 * the fstat and the read is refused (the read asks for one byte more than fstat said), so a file
 * growing past its limit is never read beyond it.
 */
async function readSmallFile(path, opts) {
    const { handle, size } = await openRegularFile(path, opts);
    try {
        const buf = Buffer.alloc(Math.min(size, opts.limit) + 1);
        let got = 0;
        while (got < buf.length) {
            const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
            if (bytesRead === 0)
                break;
            got += bytesRead;
        }
        if (got !== size)
            throw refuse(path, opts, `changed size while being read (${size} bytes, then ${got > size ? 'more' : got})`);
        return buf.subarray(0, got);
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, path, opts.what);
    }
    finally {
        await handle.close();
    }
}
/** readSmallFile as UTF-8 text. */
async function readSmallText(path, opts) {
    return (await readSmallFile(path, opts)).toString('utf8');
}

;// CONCATENATED MODULE: ./src/boot/eltorito.ts
/**
 * El Torito ("El Torito" Bootable CD-ROM Format Specification 1.0, 1995): the boot record volume
 * descriptor and the boot catalog, each with its encoder and its parser side by side.
 *
 * Catalog shape, as xorriso writes it: validation entry, default entry (= the first boot image),
 * then the further images grouped into sections of consecutive images of one platform (header
 * 0x90, the last one 0x91).
 */


/** El Torito 2.0: platform IDs (0xEF from the UEFI specification, "ISO-9660 and El Torito"). */
const PLATFORM_X86 = 0x00;
const PLATFORM_PPC = 0x01;
const PLATFORM_MAC = 0x02;
const PLATFORM_EFI = 0xef;
/** El Torito 2.2 / 2.4: boot indicator, media type. */
const BOOTABLE = 0x88;
const NOT_BOOTABLE = 0x00;
const MEDIA_NO_EMULATION = 0;
const MEDIA_FLOPPY = { f1200: 1, f1440: 2, f2880: 3 };
const MEDIA_HARD_DISK = 4;
/** The media types by name, as the manifest, `verify` and `inspect` write them. */
const MEDIA_NAMES = ['none', 'floppy-1.2M', 'floppy-1.44M', 'floppy-2.88M', 'hard-disk'];
/** El Torito 2.4: bit 5 of the media byte: an extension entry follows. */
const MEDIA_EXTENSION_FOLLOWS = 0x20;
const MEDIA_TYPE_MASK = 0x0f;
/** El Torito 2.3 / 2.4: section header indicators. */
const SECTION_HEADER_MORE = 0x90;
const SECTION_HEADER_LAST = 0x91;
/** El Torito 2.5: section entry extension. */
const SECTION_ENTRY_EXTENSION = 0x44;
const ENTRY_SIZE = 32;
/** A catalog of one sector holds this many 32-byte entries. */
const CATALOG_SLOTS = SECTOR / ENTRY_SIZE;
/** El Torito 2.0: boot record volume descriptor. */
const BOOT_RECORD = {
    type: 0, // ECMA-119 8.2: volume descriptor type 0 = boot record
    standardId: 1, // "CD001"
    version: 6, // 1
    systemId: 7, // 32 bytes, "EL TORITO SPECIFICATION" zero-padded
    catalogLba: 71 // 32-bit LE: absolute pointer to the first sector of the boot catalog
};
const EL_TORITO_ID = 'EL TORITO SPECIFICATION';
/** El Torito 2.1: validation entry. */
const VALIDATION = {
    headerId: 0,
    platform: 1,
    idString: 4,
    idLength: 24,
    checksum: 28,
    key55: 30,
    keyAA: 31
};
/** El Torito 2.2 (default entry) and 2.4 (section entry). */
const ENTRY = {
    indicator: 0,
    media: 1,
    loadSegment: 2, // 16-bit LE; 0 means the traditional 0x7C0
    systemType: 4,
    sectorCount: 6, // 16-bit LE, 512-byte virtual sectors
    lba: 8, // 32-bit LE, relative block address of the image
    criteriaType: 12
};
/** El Torito 2.3: section header. */
const SECTION = { indicator: 0, platform: 1, count: 2, idString: 4, idLength: 28 };
/** El Torito 2.2: the sector count's unit, a 512-byte virtual sector. */
const VIRTUAL_SECTOR = 512;
/** Largest 16-bit sector count (512-byte units). */
const MAX_SECTOR_COUNT = 0xffff;
function encodeBootRecord(catalogLba) {
    const b = Buffer.alloc(SECTOR);
    b[BOOT_RECORD.type] = VD_TYPE_BOOT;
    b.write(STANDARD_ID, BOOT_RECORD.standardId, 'latin1');
    b[BOOT_RECORD.version] = 1;
    b.write(EL_TORITO_ID, BOOT_RECORD.systemId, 'latin1');
    b.writeUInt32LE(catalogLba >>> 0, BOOT_RECORD.catalogLba);
    return b;
}
/** The catalog address of a boot record sector, or undefined when the sector is not one. */
function parseBootRecord(sector) {
    if (sector.length < BOOT_RECORD.catalogLba + 4)
        return undefined;
    if (sector[BOOT_RECORD.type] !== VD_TYPE_BOOT)
        return undefined;
    const idEnd = BOOT_RECORD.standardId + STANDARD_ID.length;
    if (sector.toString('latin1', BOOT_RECORD.standardId, idEnd) !== STANDARD_ID)
        return undefined;
    const id = sector.toString('latin1', BOOT_RECORD.systemId, BOOT_RECORD.systemId + 32).replace(/\0+$/, '');
    if (id !== EL_TORITO_ID)
        return undefined;
    return { catalogLba: sector.readUInt32LE(BOOT_RECORD.catalogLba) };
}
/**
 * Sector count (512-byte units) for an image of `bytes`, as libisofs computes it
 * (eltorito.c write_section_load_size): whole 2048-byte blocks × 4. Above 65535 a UEFI entry gets 0,
 * which the UEFI specification ("ISO-9660 and El Torito") reads as "to the end of the medium"; other platforms 65535.
 */
function loadSizeFor(bytes, platform) {
    const count = Math.ceil(bytes / SECTOR) * (SECTOR / VIRTUAL_SECTOR);
    if (count > MAX_SECTOR_COUNT)
        return platform === PLATFORM_EFI ? 0 : MAX_SECTOR_COUNT;
    return count;
}
/** How many 32-byte slots the catalog of these entries needs (validation, default, headers, entries). */
function catalogSlots(platforms) {
    if (platforms.length === 0)
        return 0;
    return 2 + sectionsOf(platforms.slice(1)).reduce((n, s) => n + 1 + s.count, 0);
}
function sectionsOf(platforms) {
    const out = [];
    platforms.forEach((p, i) => {
        const last = out[out.length - 1];
        if (last && last.platform === p)
            last.count++;
        else
            out.push({ platform: p, start: i, count: 1 });
    });
    return out;
}
/** El Torito 2.1: the word that makes the 16 LE words of the validation entry sum to 0. */
function validationChecksum(entry) {
    let sum = 0;
    for (let i = 0; i < ENTRY_SIZE; i += 2)
        if (i !== VALIDATION.checksum)
            sum += entry.readUInt16LE(i);
    return (0x10000 - (sum & 0xffff)) & 0xffff;
}
function writeEntry(b, off, e) {
    b[off + ENTRY.indicator] = BOOTABLE;
    b[off + ENTRY.media] = e.media ?? MEDIA_NO_EMULATION;
    b.writeUInt16LE(e.loadSegment ?? 0, off + ENTRY.loadSegment);
    b[off + ENTRY.systemType] = e.systemType ?? 0;
    b.writeUInt16LE(e.sectorCount, off + ENTRY.sectorCount);
    b.writeUInt32LE(e.lba >>> 0, off + ENTRY.lba);
}
/** One 2048-byte catalog; the first entry is the default. Header ID strings are empty, as xorriso's. */
function encodeBootCatalog(entries, idString = '') {
    if (entries.length === 0)
        throw new RangeError('boot catalog: no boot entries');
    const slots = catalogSlots(entries.map(e => e.platform));
    if (slots > CATALOG_SLOTS)
        throw new RangeError(`boot catalog: ${entries.length} entries need ${slots} of ${CATALOG_SLOTS} slots`);
    for (const e of entries) {
        if (!Number.isInteger(e.sectorCount) || e.sectorCount < 0 || e.sectorCount > MAX_SECTOR_COUNT)
            throw new RangeError(`boot catalog: sector count ${e.sectorCount} does not fit 16 bits`);
    }
    const b = Buffer.alloc(SECTOR);
    b[VALIDATION.headerId] = 1;
    b[VALIDATION.platform] = entries[0].platform;
    b.write(idString.slice(0, VALIDATION.idLength), VALIDATION.idString, 'latin1');
    b[VALIDATION.key55] = 0x55;
    b[VALIDATION.keyAA] = 0xaa;
    b.writeUInt16LE(validationChecksum(b.subarray(0, ENTRY_SIZE)), VALIDATION.checksum);
    writeEntry(b, ENTRY_SIZE, entries[0]);
    let off = 2 * ENTRY_SIZE;
    const rest = entries.slice(1);
    const sections = sectionsOf(rest.map(e => e.platform));
    sections.forEach((s, i) => {
        b[off + SECTION.indicator] = i === sections.length - 1 ? SECTION_HEADER_LAST : SECTION_HEADER_MORE;
        b[off + SECTION.platform] = s.platform;
        b.writeUInt16LE(s.count, off + SECTION.count);
        off += ENTRY_SIZE;
        for (let k = 0; k < s.count; k++) {
            writeEntry(b, off, rest[s.start + k]);
            off += ENTRY_SIZE;
        }
    });
    return b;
}
function readEntry(buf, off, platform) {
    const ind = buf[off + ENTRY.indicator];
    if (ind !== BOOTABLE && ind !== NOT_BOOTABLE)
        throw new RangeError(`boot catalog: entry at byte ${off} has boot indicator 0x${hex(ind)}`);
    return {
        platform,
        bootable: ind === BOOTABLE,
        media: buf[off + ENTRY.media] & MEDIA_TYPE_MASK,
        loadSegment: buf.readUInt16LE(off + ENTRY.loadSegment),
        systemType: buf[off + ENTRY.systemType],
        sectorCount: buf.readUInt16LE(off + ENTRY.sectorCount),
        lba: buf.readUInt32LE(off + ENTRY.lba)
    };
}
const hex = (n) => n.toString(16).padStart(2, '0');
/**
 * Parse a boot catalog (one or more sectors). Hostile input is bounded by the buffer and never
 * throws anything but a RangeError that says what is wrong and where.
 */
function parseBootCatalog(buf) {
    if (buf.length < 2 * ENTRY_SIZE)
        throw new RangeError(`boot catalog: ${buf.length} bytes, too short for a validation and a default entry`);
    if (buf[VALIDATION.headerId] !== 1)
        throw new RangeError(`boot catalog: validation entry header ID is 0x${hex(buf[0])}, not 0x01`);
    if (buf[VALIDATION.key55] !== 0x55 || buf[VALIDATION.keyAA] !== 0xaa)
        throw new RangeError('boot catalog: validation entry lacks the 55 AA key bytes');
    let sum = 0;
    for (let i = 0; i < ENTRY_SIZE; i += 2)
        sum += buf.readUInt16LE(i);
    const platform = buf[VALIDATION.platform];
    const validation = {
        platform,
        idString: buf
            .toString('latin1', VALIDATION.idString, VALIDATION.idString + VALIDATION.idLength)
            .replace(/[\0 ]+$/, ''),
        checksumOk: (sum & 0xffff) === 0
    };
    const entries = [readEntry(buf, ENTRY_SIZE, platform)];
    const end = Math.min(buf.length, SECTOR) - (Math.min(buf.length, SECTOR) % ENTRY_SIZE);
    let off = 2 * ENTRY_SIZE;
    while (off + ENTRY_SIZE <= end) {
        const ind = buf[off];
        if (ind === 0)
            break; // unused space after the last section (no 0x91 written)
        if (ind !== SECTION_HEADER_MORE && ind !== SECTION_HEADER_LAST)
            throw new RangeError(`boot catalog: byte ${off} is 0x${hex(ind)}, not a section header (0x90/0x91)`);
        const secPlatform = buf[off + SECTION.platform];
        const count = buf.readUInt16LE(off + SECTION.count);
        off += ENTRY_SIZE;
        for (let k = 0; k < count; k++) {
            if (off + ENTRY_SIZE > end)
                throw new RangeError(`boot catalog: section of ${count} entries runs past the end of the catalog`);
            const entry = readEntry(buf, off, secPlatform);
            let ext = buf[off + ENTRY.media] & MEDIA_EXTENSION_FOLLOWS;
            off += ENTRY_SIZE;
            // El Torito 2.5: extension entries (0x44), bit 5 of byte 1 says another follows
            while (ext) {
                if (off + ENTRY_SIZE > end || buf[off] !== SECTION_ENTRY_EXTENSION)
                    throw new RangeError(`boot catalog: missing section entry extension at byte ${off}`);
                ext = buf[off + 1] & MEDIA_EXTENSION_FOLLOWS;
                off += ENTRY_SIZE;
            }
            entries.push(entry);
        }
        if (ind === SECTION_HEADER_LAST)
            break;
    }
    return { validation, entries };
}

;// CONCATENATED MODULE: ./src/image/image-data.ts
/**
 * Reading a file of another image (DataSource 'image', a remaster's input) by its extents: the
 * file positions mapped to image offsets, and its bytes in chunks for the boot code and the FAT
 * builder. The image is opened once by its reader; a read that ends early means it changed.
 */


/** The file's bytes [start, start + length) as runs in the image, in order. */
function imageRuns(extents, start, length) {
    const runs = [];
    let base = 0;
    for (const e of extents) {
        if (runs.length > 0 || start < base + e.length) {
            const from = Math.max(start, base);
            const to = Math.min(start + length, base + e.length);
            if (to <= from)
                break;
            runs.push({ at: from - start, pos: e.offset + (from - base), length: to - from });
        }
        base += e.length;
    }
    return runs;
}
function imageChanged(image, detail) {
    return new errors/* IsoforgeError */.P1(`source image ${image.path}: changed during the build (${detail})`, {
        subject: image.path
    });
}
const CHUNK = 1 << 20;
/** The file's bytes in chunks (fresh buffers) of at most 1 MiB. */
async function* imageChunks(image, extents, size) {
    for (let start = 0; start < size; start += CHUNK) {
        const want = Math.min(CHUNK, size - start);
        const buf = Buffer.allocUnsafe(want);
        for (const r of imageRuns(extents, start, want)) {
            for (let got = 0; got < r.length;) {
                const n = await new Promise((resolve, reject) => external_node_fs_.read(image.fd, buf, r.at + got, r.length - got, r.pos + got, (e, k) => e ? reject((0,errors/* fsError */.yi)(e, image.path, 'cannot read')) : resolve(k)));
                if (n === 0)
                    throw imageChanged(image, `it ended at byte ${r.pos + got}`);
                got += n;
            }
        }
        yield buf;
    }
}
/** The first `length` bytes of the file (a boot image, a FAT boot sector). */
async function readImageData(image, extents, length) {
    const parts = [];
    for await (const c of imageChunks(image, extents, length))
        parts.push(c);
    return Buffer.concat(parts, length);
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/boot/gpt.ts
/**
 * GUID partition table: header, entry array, CRC32s and GUIDs, encoder and parser side by side.
 * UEFI 2.10 5.3 "GUID Partition Table (GPT) Disk Layout" (header Table 5-5, entry Table 5-6).
 * The parser treats every byte as hostile: counts are bounded and nothing large is allocated.
 */

const GPT_SIGNATURE = 'EFI PART';
/** UEFI 5.3.2: Revision 1.0. */
const GPT_REVISION = 0x00010000;
const GPT_HEADER_SIZE = 92;
const GPT_ENTRY_SIZE = 128;
/**
 * Entries in the array. 248 fill LBA 2-63 exactly, so the first usable LBA is 64 (the 32 KiB system
 * area), as xorriso writes it; the UEFI minimum is 16384 bytes (128 entries).
 */
const GPT_ENTRY_COUNT = 248;
/** UEFI 5.3.2 Table 5-5 GPT header fields. */
const H_SIGNATURE = 0;
const H_REVISION = 8;
const H_HEADER_SIZE = 12;
const H_HEADER_CRC = 16;
const H_MY_LBA = 24;
const H_ALTERNATE_LBA = 32;
const H_FIRST_USABLE = 40;
const H_LAST_USABLE = 48;
const H_DISK_GUID = 56;
const H_ENTRIES_LBA = 72;
const H_ENTRY_COUNT = 80;
const H_ENTRY_SIZE = 84;
const H_ENTRIES_CRC = 88;
/** UEFI 5.3.3 Table 5-6 partition entry fields. */
const E_TYPE_GUID = 0;
const E_GUID = 16;
const E_FIRST_LBA = 32;
const E_LAST_LBA = 40;
const E_ATTRIBUTES = 48;
const E_NAME = 56;
const E_NAME_BYTES = 72;
/** Partition type GUIDs (UEFI 5.3.3 Table 5-7; Microsoft basic data). */
const GPT_TYPE_ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const GPT_TYPE_BASIC_DATA = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';
/** Apple HFS+ (xorriso -hfsplus: grub-mkrescue's "HFSPLUS" entry). */
const GPT_TYPE_HFS_PLUS = '48465300-0000-11AA-AA11-00306543ECAC';
/** UEFI 5.3.3 Table 5-8 bit 0 "Required Partition"; bit 60 read-only (Microsoft basic data), as xorriso sets. */
const GPT_ATTR_REQUIRED = 1n;
const GPT_ATTR_READ_ONLY = 1n << 60n;
/** Bounds for hostile input: at most this many entries and this many bytes of entry array are read. */
const MAX_ENTRY_COUNT = 4096;
const MAX_ARRAY_BYTES = 1024 * 1024;
/** CRC-32 (IEEE 802.3, reflected, as UEFI 5.3.2 requires): zlib's, in Node since 20.15. */
function crc32(buf) {
    return (0,external_node_zlib_namespaceObject.crc32)(buf);
}
const GUID_RE = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
/** UEFI Appendix A: the first three fields little-endian, the last eight bytes in order. */
function encodeGuid(guid) {
    const m = GUID_RE.exec(guid);
    if (!m)
        throw new RangeError(`not a GUID: ${guid}`);
    const b = Buffer.alloc(16);
    b.writeUInt32LE(parseInt(m[1], 16), 0);
    b.writeUInt16LE(parseInt(m[2], 16), 4);
    b.writeUInt16LE(parseInt(m[3], 16), 6);
    Buffer.from(m[4] + m[5], 'hex').copy(b, 8);
    return b;
}
function decodeGuid(b, off = 0) {
    const h = (n, w) => n.toString(16).padStart(w, '0');
    const tail = b.toString('hex', off + 8, off + 16);
    return [
        h(b.readUInt32LE(off), 8),
        h(b.readUInt16LE(off + 4), 4),
        h(b.readUInt16LE(off + 6), 4),
        tail.slice(0, 4),
        tail.slice(4)
    ]
        .join('-')
        .toUpperCase();
}
/** Where everything goes on a disk of `totalSectors` 512-byte sectors (UEFI 5.3.1). */
function gptGeometry(totalSectors, entryCount = GPT_ENTRY_COUNT, sectorSize = 512) {
    const arraySectors = Math.ceil((entryCount * GPT_ENTRY_SIZE) / sectorSize);
    const backupHeaderLba = totalSectors - 1;
    const backupEntriesLba = backupHeaderLba - arraySectors;
    return {
        arraySectors,
        primaryEntriesLba: 2,
        firstUsableLba: 2 + arraySectors,
        lastUsableLba: backupEntriesLba - 1,
        backupEntriesLba,
        backupHeaderLba
    };
}
/** The entry array; a partition without `index` takes the entry of its position (1-based). */
function encodeGptEntries(parts, entryCount = GPT_ENTRY_COUNT) {
    if (parts.length > entryCount)
        throw new RangeError(`${parts.length} partitions, ${entryCount} entries`);
    const b = Buffer.alloc(entryCount * GPT_ENTRY_SIZE);
    parts.forEach((p, i) => {
        const slot = (p.index ?? i + 1) - 1;
        if (slot < 0 || slot >= entryCount)
            throw new RangeError(`GPT entry ${slot + 1} of ${entryCount}`);
        const o = slot * GPT_ENTRY_SIZE;
        encodeGuid(p.typeGuid).copy(b, o + E_TYPE_GUID);
        encodeGuid(p.guid).copy(b, o + E_GUID);
        b.writeBigUInt64LE(BigInt(p.firstLba), o + E_FIRST_LBA);
        b.writeBigUInt64LE(BigInt(p.lastLba), o + E_LAST_LBA);
        b.writeBigUInt64LE(p.attributes, o + E_ATTRIBUTES);
        if (p.name.length > E_NAME_BYTES / 2)
            throw new RangeError(`GPT name too long: ${p.name}`);
        b.write(p.name, o + E_NAME, E_NAME_BYTES, 'utf16le');
    });
    return b;
}
/** One header sector (`sectorSize` bytes) for the array `entries` at `entriesLba`. */
function encodeGptHeader(h, entries, sectorSize = 512) {
    const b = Buffer.alloc(sectorSize);
    b.write(GPT_SIGNATURE, H_SIGNATURE, 'latin1');
    b.writeUInt32LE(GPT_REVISION, H_REVISION);
    b.writeUInt32LE(GPT_HEADER_SIZE, H_HEADER_SIZE);
    b.writeBigUInt64LE(BigInt(h.myLba), H_MY_LBA);
    b.writeBigUInt64LE(BigInt(h.alternateLba), H_ALTERNATE_LBA);
    b.writeBigUInt64LE(BigInt(h.firstUsableLba), H_FIRST_USABLE);
    b.writeBigUInt64LE(BigInt(h.lastUsableLba), H_LAST_USABLE);
    encodeGuid(h.diskGuid).copy(b, H_DISK_GUID);
    b.writeBigUInt64LE(BigInt(h.entriesLba), H_ENTRIES_LBA);
    b.writeUInt32LE(entries.length / GPT_ENTRY_SIZE, H_ENTRY_COUNT);
    b.writeUInt32LE(GPT_ENTRY_SIZE, H_ENTRY_SIZE);
    // UEFI 5.3.2: the array CRC covers NumberOfPartitionEntries * SizeOfPartitionEntry bytes (all of it)
    b.writeUInt32LE(crc32(entries), H_ENTRIES_CRC);
    // the header CRC over HeaderSize bytes with the CRC field zero
    b.writeUInt32LE(crc32(b.subarray(0, GPT_HEADER_SIZE)), H_HEADER_CRC);
    return b;
}
function safeNumber(v) {
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}
function parseHeader(b) {
    if (b.length < GPT_HEADER_SIZE || b.toString('latin1', H_SIGNATURE, H_SIGNATURE + 8) !== GPT_SIGNATURE)
        return undefined;
    const headerSize = b.readUInt32LE(H_HEADER_SIZE);
    let headerCrcOk = false;
    if (headerSize >= GPT_HEADER_SIZE && headerSize <= b.length) {
        const copy = Buffer.from(b.subarray(0, headerSize));
        copy.writeUInt32LE(0, H_HEADER_CRC);
        headerCrcOk = crc32(copy) === b.readUInt32LE(H_HEADER_CRC);
    }
    return {
        revision: b.readUInt32LE(H_REVISION),
        headerSize,
        myLba: safeNumber(b.readBigUInt64LE(H_MY_LBA)),
        alternateLba: safeNumber(b.readBigUInt64LE(H_ALTERNATE_LBA)),
        firstUsableLba: safeNumber(b.readBigUInt64LE(H_FIRST_USABLE)),
        lastUsableLba: safeNumber(b.readBigUInt64LE(H_LAST_USABLE)),
        diskGuid: decodeGuid(b, H_DISK_GUID),
        entriesLba: safeNumber(b.readBigUInt64LE(H_ENTRIES_LBA)),
        entryCount: b.readUInt32LE(H_ENTRY_COUNT),
        entrySize: b.readUInt32LE(H_ENTRY_SIZE),
        entriesCrc: b.readUInt32LE(H_ENTRIES_CRC),
        headerCrcOk
    };
}
function parseEntries(arr, entrySize) {
    const out = [];
    for (let i = 0; (i + 1) * entrySize <= arr.length; i++) {
        const o = i * entrySize;
        if (arr.subarray(o, o + 16).every(x => x === 0))
            continue; // unused entry (UEFI 5.3.3)
        const nameBytes = arr.subarray(o + E_NAME, o + E_NAME + E_NAME_BYTES);
        let end = 0;
        while (end + 1 < nameBytes.length && (nameBytes[end] !== 0 || nameBytes[end + 1] !== 0))
            end += 2;
        out.push({
            index: i + 1,
            typeGuid: decodeGuid(arr, o + E_TYPE_GUID),
            guid: decodeGuid(arr, o + E_GUID),
            firstLba: safeNumber(arr.readBigUInt64LE(o + E_FIRST_LBA)),
            lastLba: safeNumber(arr.readBigUInt64LE(o + E_LAST_LBA)),
            name: nameBytes.toString('utf16le', 0, end),
            attributes: arr.readBigUInt64LE(o + E_ATTRIBUTES)
        });
    }
    return out;
}
/** A header's entry array, its bounds and CRC checked; undefined when it cannot be read. */
function readArray(c, h, which) {
    const { problems } = c;
    if (h.entrySize < GPT_ENTRY_SIZE || h.entrySize % 8 !== 0 || h.entrySize > MAX_ARRAY_BYTES) {
        problems.push(`${which} header: partition entry size ${h.entrySize} is invalid`);
        return undefined;
    }
    if (h.entryCount > MAX_ENTRY_COUNT || h.entryCount * h.entrySize > MAX_ARRAY_BYTES) {
        problems.push(`${which} header: ${h.entryCount} partition entries is more than isoforge reads`);
        return undefined;
    }
    const bytes = h.entryCount * h.entrySize;
    const sectors = Math.ceil(bytes / c.sectorSize);
    if (h.entriesLba < 2 || h.entriesLba + sectors > c.totalSectors) {
        problems.push(`${which} header: entry array at LBA ${h.entriesLba} lies outside the image`);
        return undefined;
    }
    const arr = c.read(h.entriesLba * c.sectorSize, bytes);
    if (arr.length < bytes) {
        problems.push(`${which} entry array: short read`);
        return undefined;
    }
    if (crc32(arr.subarray(0, bytes)) !== h.entriesCrc)
        problems.push(`${which} entry array: CRC32 mismatch`);
    return arr.subarray(0, bytes);
}
function checkHeader(c, h, which, myLba, alternate) {
    const { problems } = c;
    if (!h.headerCrcOk)
        problems.push(`${which} header: CRC32 mismatch or bad header size ${h.headerSize}`);
    if (h.myLba !== myLba)
        problems.push(`${which} header: MyLBA ${h.myLba}, expected ${myLba}`);
    if (h.alternateLba !== alternate)
        problems.push(`${which} header: AlternateLBA ${h.alternateLba}, expected ${alternate}`);
    if (h.firstUsableLba > h.lastUsableLba || h.lastUsableLba >= c.totalSectors)
        problems.push(`${which} header: usable LBAs ${h.firstUsableLba}-${h.lastUsableLba} outside the image`);
}
/** The backup header and its partitions, checked against the primary where there is one. */
function readBackup(c, header, primaryArray) {
    const { problems, totalSectors } = c;
    const lastLba = totalSectors - 1;
    const backupAt = header && header.alternateLba > 1 && header.alternateLba < totalSectors ? header.alternateLba : lastLba;
    const backupHeader = parseHeader(c.read(backupAt * c.sectorSize, c.sectorSize));
    if (!backupHeader) {
        problems.push(`backup header: no "EFI PART" signature at LBA ${backupAt}`);
        return { backupHeader, backupParts: undefined };
    }
    checkHeader(c, backupHeader, 'backup', lastLba, 1);
    const arr = readArray(c, backupHeader, 'backup');
    const backupParts = arr && backupHeader.headerCrcOk ? parseEntries(arr, backupHeader.entrySize) : undefined;
    if (header) {
        if (backupHeader.diskGuid !== header.diskGuid)
            problems.push('backup header: disk GUID differs from the primary');
        if (backupHeader.entryCount !== header.entryCount || backupHeader.entrySize !== header.entrySize)
            problems.push('backup header: entry count or size differs from the primary');
        if (arr && primaryArray && !arr.equals(primaryArray))
            problems.push('backup entry array differs from the primary');
        if (backupHeader.entriesLba <= header.lastUsableLba)
            problems.push('backup entry array overlaps the usable space');
    }
    return { backupHeader, backupParts };
}
/** Partitions inside the usable space, each first LBA before its last, none overlapping. */
function checkPartitions(partitions, usable, problems) {
    const sorted = [...partitions].sort((a, b) => a.firstLba - b.firstLba);
    sorted.forEach((p, i) => {
        if (p.firstLba > p.lastLba)
            problems.push(`partition ${p.index}: first LBA ${p.firstLba} after last ${p.lastLba}`);
        if (usable && (p.firstLba < usable.firstUsableLba || p.lastLba > usable.lastUsableLba))
            problems.push(`partition ${p.index}: LBAs ${p.firstLba}-${p.lastLba} outside the usable space`);
        const next = sorted[i + 1];
        if (next && next.firstLba <= p.lastLba)
            problems.push(`partitions ${p.index} and ${next.index} overlap`);
    });
}
/**
 * Read and check a GPT: signatures, header CRCs, entry-array CRCs, the backup at the last sector,
 * and every bound against `imageSize`. `read(offset, length)` returns the image's bytes (shorter
 * at the end of the image). Partitions come from the primary table, or the backup if that is bad.
 */
function parseGpt(read, imageSize, sectorSize = 512) {
    const problems = [];
    const totalSectors = Math.floor(imageSize / sectorSize);
    if (imageSize % sectorSize !== 0)
        problems.push(`image size ${imageSize} is not a multiple of ${sectorSize}`);
    if (totalSectors < 3)
        return {
            header: undefined,
            backupHeader: undefined,
            partitions: [],
            problems: ['image too small for a GPT']
        };
    const c = { read, sectorSize, totalSectors, problems };
    const header = parseHeader(read(sectorSize, sectorSize));
    let primaryParts;
    let primaryArray;
    if (!header)
        problems.push('primary header: no "EFI PART" signature at LBA 1');
    else {
        checkHeader(c, header, 'primary', 1, totalSectors - 1);
        primaryArray = readArray(c, header, 'primary');
        if (primaryArray && header.headerCrcOk)
            primaryParts = parseEntries(primaryArray, header.entrySize);
    }
    const { backupHeader, backupParts } = readBackup(c, header, primaryArray);
    if (header && header.entryCount * header.entrySize > 0) {
        const arraySectors = Math.ceil((header.entryCount * header.entrySize) / sectorSize);
        if (header.firstUsableLba < header.entriesLba + arraySectors)
            problems.push('primary header: first usable LBA overlaps the entry array');
    }
    const partitions = primaryParts ?? backupParts ?? [];
    checkPartitions(partitions, header ?? backupHeader, problems);
    return { header, backupHeader, partitions, problems };
}

;// CONCATENATED MODULE: ./src/boot/mbr.ts
/**
 * The master boot record of a hybrid image: boot code (an isohybrid or GRUB template, patched with
 * the BIOS boot image's address), disk identifier and the four primary partition entries.
 * Encoder and parser side by side. Layout: UEFI 2.10 5.2.1 "Legacy Master Boot Record" (Table 5-1),
 * plus the 8-byte boot-image address field that syslinux isohdpfx.bin and GRUB boot_hybrid.img read.
 */
const MBR_SECTOR = 512;
/** Boot code area: bytes 0-431 (UEFI 5.2.1 BootCode is 0-439; the isohybrid loaders keep 432-439). */
const MBR_CODE_BYTES = 432;
/** isohdpfx.bin / boot_hybrid.img: 64-bit LE address of the boot image in 512-byte sectors. */
const MBR_BOOT_ADDRESS_OFFSET = 432;
/** UEFI 5.2.1 UniqueMBRDiskSignature, 4 bytes LE. */
const MBR_DISK_ID_OFFSET = 440;
/** UEFI 5.2.1 PartitionRecord[4], 16 bytes each. */
const MBR_TABLE_OFFSET = 446;
const MBR_ENTRY_SIZE = 16;
const MBR_ENTRIES = 4;
/**
 * UEFI 5.2.1 Signature 0xAA55 at 510: the boot sector signature, which an MBR and every FAT
 * volume's boot sector (fatgen103 "Signature_word") carry.
 */
const BOOT_SIGNATURE = { offset: 510, value: 0xaa55 };
/** Partition record fields (UEFI 5.2.1 Table 5-2). */
const PR_BOOT_INDICATOR = 0;
const PR_START_CHS = 1;
const PR_OS_TYPE = 4;
const PR_END_CHS = 5;
const PR_STARTING_LBA = 8;
const PR_SIZE_IN_LBA = 12;
const mbr_BOOTABLE = 0x80;
/** UEFI 5.2.3 protective MBR OSType for a GPT disk; 0xEF is the EFI system partition. */
const MBR_TYPE_GPT_PROTECTIVE = 0xee;
const MBR_TYPE_EFI = 0xef;
/** A partition type as the manifest and `inspect` write it: `0xef`. */
function mbrTypeText(type) {
    return `0x${type.toString(16).padStart(2, '0')}`;
}
/** The CHS geometry xorriso uses for isohybrid images (64 heads, 32 sectors per track: 1 MiB cylinders). */
const MBR_HEADS = 64;
const MBR_SECTORS_PER_TRACK = 32;
const MAX_CYLINDER = 1023;
/** The 3 CHS bytes of `lba` (head, sector | cylinder bits 8-9 << 6, cylinder bits 0-7); clamped past 1023 cylinders. */
function chs(lba) {
    const perCyl = MBR_HEADS * MBR_SECTORS_PER_TRACK;
    let c = Math.floor(lba / perCyl);
    let h = Math.floor((lba % perCyl) / MBR_SECTORS_PER_TRACK);
    let s = (lba % MBR_SECTORS_PER_TRACK) + 1;
    if (c > MAX_CYLINDER) {
        c = MAX_CYLINDER;
        h = MBR_HEADS - 1;
        s = MBR_SECTORS_PER_TRACK;
    }
    return [h, s | ((c >> 8) << 6), c & 0xff];
}
/** The value the MBR template expects at byte 432 for a boot image at `lba` (2048-byte blocks). */
function mbrBootAddress(kind, lba) {
    // isohdpfx.bin reads isolinux.bin from 512-byte sector LBA*4; GRUB's boot_hybrid.img loads
    // core.img from sector LBA*4 + 4 (the 2 KiB after cdboot.img). Checked against xorriso's output.
    return BigInt(lba) * 4n + (kind === 'grub2' ? 4n : 0n);
}
function encodeMbr(spec) {
    const b = Buffer.alloc(MBR_SECTOR);
    if (spec.code)
        spec.code.copy(b, 0, 0, Math.min(MBR_CODE_BYTES, spec.code.length));
    if (spec.bootAddress !== undefined)
        b.writeBigUInt64LE(spec.bootAddress, MBR_BOOT_ADDRESS_OFFSET);
    b.writeUInt32LE(spec.diskId >>> 0, MBR_DISK_ID_OFFSET);
    if (spec.partitions.length > MBR_ENTRIES)
        throw new RangeError('an MBR holds at most 4 partitions');
    for (const p of spec.partitions) {
        if (p.index < 1 || p.index > MBR_ENTRIES)
            throw new RangeError(`MBR partition index ${p.index}`);
        if (p.startLba > 0xffffffff || p.sectors > 0xffffffff)
            throw new RangeError('MBR partition beyond 2 TiB');
        const o = MBR_TABLE_OFFSET + (p.index - 1) * MBR_ENTRY_SIZE;
        b[o + PR_BOOT_INDICATOR] = p.bootable ? mbr_BOOTABLE : 0;
        Buffer.from(chs(p.startLba)).copy(b, o + PR_START_CHS);
        b[o + PR_OS_TYPE] = p.type;
        Buffer.from(chs(p.startLba + Math.max(p.sectors, 1) - 1)).copy(b, o + PR_END_CHS);
        b.writeUInt32LE(p.startLba, o + PR_STARTING_LBA);
        b.writeUInt32LE(p.sectors, o + PR_SIZE_IN_LBA);
    }
    b.writeUInt16LE(BOOT_SIGNATURE.value, BOOT_SIGNATURE.offset);
    return b;
}
/** Read an MBR; entries with type 0 and no sectors are empty and left out. */
function parseMbr(sector0) {
    if (sector0.length < MBR_SECTOR)
        return { diskId: 0, partitions: [], signatureOk: false };
    const partitions = [];
    for (let i = 0; i < MBR_ENTRIES; i++) {
        const o = MBR_TABLE_OFFSET + i * MBR_ENTRY_SIZE;
        const type = sector0[o + PR_OS_TYPE];
        const startLba = sector0.readUInt32LE(o + PR_STARTING_LBA);
        const sectors = sector0.readUInt32LE(o + PR_SIZE_IN_LBA);
        const bootable = sector0[o + PR_BOOT_INDICATOR] === mbr_BOOTABLE;
        if (type === 0 && sectors === 0 && !bootable)
            continue;
        partitions.push({ index: i + 1, bootable, type, startLba, sectors });
    }
    return {
        diskId: sector0.readUInt32LE(MBR_DISK_ID_OFFSET),
        partitions,
        signatureOk: sector0.readUInt16LE(BOOT_SIGNATURE.offset) === BOOT_SIGNATURE.value
    };
}

;// CONCATENATED MODULE: ./src/boot/source-chunks.ts
/**
 * A source file's bytes in chunks, checked against the size the scan recorded (a file that shrank
 * or grew since is an error naming it and the option that brought it in): the FAT builder's files,
 * an ESP image given as a file and the appended partitions stream through here.
 */



const READ_CHUNK = 1 << 20;
/** A file's bytes in chunks (fresh buffers), checked against the size the scan recorded. */
async function* readFileChunks(node, option, during = 'the FAT image was written') {
    const data = node.data;
    if (data.type === 'memory') {
        if (data.bytes.length !== node.size)
            throw (0,errors/* optionError */.mp)(option, `${node.path}: ${data.bytes.length} bytes where ${node.size} were expected`, {
                subject: node.path
            });
        if (node.size > 0)
            yield data.bytes;
        return;
    }
    if (data.type === 'image') {
        yield* imageChunks(data.image, data.extents, node.size);
        return;
    }
    if (data.type !== 'file')
        throw new Error(`FAT builder: ${node.path} has no readable data`);
    yield* readPathChunks(data.path, node.size, option, during);
}
/** A file on disk in chunks (fresh buffers): exactly `size` bytes, or an error naming it and `option`. */
async function* readPathChunks(path, size, option, during) {
    const changed = (now) => (0,errors/* optionError */.mp)(option, `${path} changed while ${during} (${size} bytes when scanned, ${now})`, {
        subject: path
    });
    // a regular file still (not swapped for a FIFO since the scan), opened without blocking
    const { handle: fh } = await openRegularFile(path, { what: `${(0,errors/* cliFlag */.vM)(option)}: cannot read` });
    try {
        let pos = 0;
        while (pos < size) {
            const want = Math.min(READ_CHUNK, size - pos);
            const buf = Buffer.allocUnsafe(want);
            for (let got = 0; got < want;) {
                const { bytesRead } = await fh.read(buf, got, want - got, pos + got);
                if (bytesRead === 0)
                    throw changed(`${pos + got} bytes now`);
                got += bytesRead;
            }
            pos += want;
            yield buf;
        }
        const { bytesRead } = await fh.read(Buffer.alloc(1), 0, 1, pos);
        if (bytesRead !== 0)
            throw changed('more now');
    }
    finally {
        await fh.close();
    }
}

;// CONCATENATED MODULE: ./src/boot/appended.ts
/**
 * Appended partitions (`--append-partition 'N TYPE FILE'`, xorriso's `-append_partition` with
 * `-appended_part_as_gpt`): files written after the ISO 9660 volume, each a GPT partition of the
 * hybrid layout, numbered N. GPT entry 1 is the ISO 9660 data partition, so N is 2-4; the MBR
 * stays protective (one 0xEE entry over the disk), as xorriso writes it with -appended_part_as_gpt.
 */






/** GPT entries an appended partition may take: 1 is the ISO 9660 partition (hybrid.ts). */
const FIRST_APPENDED = 2;
const LAST_APPENDED = 4;
/** xorriso maps a type GUID to an MBR type: the ESP's to 0xEF, any other to 0x83 (Linux). */
const MBR_TYPE_LINUX = 0x83;
/** xorriso's names for MBR types (`-append_partition 2 FAT16 …`). */
const TYPE_NAMES = { fat12: 0x01, fat16: 0x06, linux: MBR_TYPE_LINUX };
const regionOf = (n) => `partition-${n}`;
const fail = (text, entry) => (0,errors/* optionError */.mp)('append-partition', `'${entry}': ${text}`);
/** TYPE: an MBR type byte (0xef, FAT16, Linux) or a GPT type GUID (structured or xorriso's plain hex). */
function partitionType(text, entry) {
    const t = text.toLowerCase();
    const byte = TYPE_NAMES[t] ?? (/^0x[0-9a-f]{1,2}$/.test(t) ? parseInt(t, 16) : undefined);
    if (byte !== undefined)
        return { mbrType: byte, gptType: byte === MBR_TYPE_EFI ? GPT_TYPE_ESP : GPT_TYPE_BASIC_DATA };
    let guid;
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t))
        guid = t.toUpperCase();
    else if (/^[0-9a-f]{32}$/.test(t))
        guid = decodeGuid(Buffer.from(t, 'hex'));
    if (guid === undefined)
        throw fail(`type ${text} is not an MBR type (0x00-0xff, FAT12, FAT16, Linux) or a GPT type GUID`, entry);
    return { gptType: guid, mbrType: guid === GPT_TYPE_ESP ? MBR_TYPE_EFI : MBR_TYPE_LINUX };
}
/** One `N TYPE FILE` (FILE is the rest: it may hold spaces), its file opened and its size taken. */
async function appendedPartition(entry) {
    const m = /^\s*(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(entry);
    if (!m)
        throw fail('give N TYPE FILE (e.g. 2 0xef efi.img)', entry);
    const number = /^\d$/.test(m[1]) ? Number(m[1]) : NaN;
    if (number === 1)
        throw fail(`partition 1 is the ISO 9660 data partition of the hybrid layout's GPT; appended partitions are ${FIRST_APPENDED}-${LAST_APPENDED}`, entry);
    if (!(number >= FIRST_APPENDED && number <= LAST_APPENDED))
        throw fail(`partition number ${m[1]} is not ${FIRST_APPENDED}-${LAST_APPENDED}`, entry);
    const type = partitionType(m[2], entry);
    const path = m[3];
    const { handle, size } = await openRegularFile(path, { what: `--append-partition: cannot read` });
    await handle.close();
    if (size === 0)
        throw fail(`${path} is empty`, entry);
    return {
        number,
        ...type,
        name: `Appended${number}`,
        region: regionOf(number),
        bytes: size,
        produce: () => readPathChunks(path, size, 'append-partition', 'the image was written')
    };
}
/** The range's bytes as a user would cut them out: `<bytes FIRST-LAST of IMAGE>`. */
const rangeBytes = (r) => `<bytes ${r.offset}-${r.offset + r.length - 1} of ${r.image.path}>`;
/** The text `--append-partition` would take for a range, FILE naming the bytes of the image. */
const rangeText = (r) => `${r.number} ${r.type} ${rangeBytes(r)}`;
function rangePartition(r) {
    const entry = rangeText(r);
    if (!(r.number >= FIRST_APPENDED && r.number <= LAST_APPENDED))
        throw fail(`partition number ${r.number} is not ${FIRST_APPENDED}-${LAST_APPENDED}`, entry);
    return {
        number: r.number,
        ...partitionType(r.type, entry),
        name: `Appended${r.number}`,
        region: regionOf(r.number),
        bytes: r.length,
        produce: () => imageChunks(r.image, [{ offset: r.offset, length: r.length }], r.length)
    };
}
/** Every `--append-partition` and replayed range, in the order of N (their order in the image). */
async function appendedPartitions(entries, ranges = []) {
    const out = [];
    const all = [
        ...entries.map((e) => [e, () => appendedPartition(e)]),
        ...ranges.map((r) => [rangeText(r), () => rangePartition(r)])
    ];
    for (const [e, make] of all) {
        const p = await make();
        if (out.some(q => q.number === p.number))
            throw fail(`partition ${p.number} is given twice`, e);
        out.push(p);
    }
    return out.sort((a, b) => a.number - b.number);
}
/** The lowest GPT entry number no appended partition takes (for the ESP isoforge builds), or undefined. */
function freeNumber(parts) {
    for (let n = FIRST_APPENDED; n <= LAST_APPENDED; n++)
        if (!parts.some(p => p.number === n))
            return n;
    return undefined;
}

;// CONCATENATED MODULE: ./src/boot/entries.ts




const EMULATIONS = ['none', 'floppy', 'hard-disk'];
const KEYS = [
    'platform',
    'image',
    'partition',
    'emulation',
    'load-size',
    'info-table',
    'grub2-boot-info'
];
/** An error naming the entry: `--boot: 'platform=bios image=x': …` (the shorthands: their flag). */
function entryError(e, text) {
    return e.option === 'boot' ? (0,errors/* optionError */.mp)('boot', `'${e.text}': ${text}`) : (0,errors/* optionError */.mp)(e.option, text);
}
const bool = (e, key, v) => {
    if (v === 'true')
        return true;
    if (v === 'false')
        return false;
    throw entryError(e, `${key}=${v} is not true or false`);
};
const number = (e, key, v, min, max) => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max))
        throw entryError(e, `${key}=${v} is not a whole number from ${min} to ${max}`);
    return n;
};
/** One `--boot` text: space-separated key=value pairs (El Torito 2.2 / 2.4 entry). */
function parseBootEntry(text, config) {
    const given = new Map();
    const e = {
        option: 'boot',
        text,
        platform: 'bios',
        emulation: 'none',
        infoTable: false,
        grub2BootInfo: false
    };
    for (const pair of text.split(/\s+/).filter(s => s !== '')) {
        const eq = pair.indexOf('=');
        const key = pair.slice(0, Math.max(eq, 0));
        if (eq <= 0)
            throw entryError(e, `"${pair}" is not key=value`);
        if (!KEYS.includes(key))
            throw entryError(e, `unknown key "${key}" (keys: ${KEYS.join(', ')})`);
        if (given.has(key))
            throw entryError(e, `${key} is given twice`);
        given.set(key, pair.slice(eq + 1));
    }
    const platform = given.get('platform');
    if (platform === undefined)
        throw entryError(e, 'platform= is missing (bios or uefi)');
    if (platform !== 'bios' && platform !== 'uefi')
        throw entryError(e, `platform=${platform} is not bios or uefi`);
    e.platform = platform;
    const image = given.get('image');
    const partition = given.get('partition');
    if (image === undefined && partition === undefined)
        throw entryError(e, 'image= (a path in the source) or partition= (an appended partition) is missing');
    const both = image !== undefined && partition !== undefined;
    if (both && e.platform === 'bios')
        throw entryError(e, 'image= with partition= stores a UEFI image once, as its ESP; a BIOS entry gives image= or partition=');
    if (image !== undefined)
        e.image = imagePathFromUser(image, 'boot');
    // image= and partition=: the tree file is appended partition N (2-4: GPT entry 1 is the ISO 9660 data)
    if (partition !== undefined)
        e.partition = number(e, 'partition', partition, both ? FIRST_APPENDED : 1, LAST_APPENDED);
    const emulation = given.get('emulation') ?? 'none';
    if (!EMULATIONS.includes(emulation))
        throw entryError(e, `emulation=${emulation} is not one of ${EMULATIONS.join(', ')}`);
    e.emulation = emulation;
    if (both && e.emulation !== 'none')
        throw entryError(e, 'an image stored as its partition is booted without emulation (emulation=none)');
    const loadSize = given.get('load-size');
    if (loadSize !== undefined)
        e.loadSize = number(e, 'load-size', loadSize, 1, MAX_SECTOR_COUNT);
    // the defaults of --boot-info-table / --grub2-boot-info apply to BIOS no-emulation images, as
    // for --bios-boot; an emulated image is never patched (the table would overwrite its FAT header)
    const patchable = e.platform === 'bios' && e.emulation === 'none' && e.image !== undefined;
    const infoTable = given.get('info-table');
    const grub2 = given.get('grub2-boot-info');
    e.infoTable =
        infoTable === undefined ? patchable && config.bootInfoTable : bool(e, 'info-table', infoTable);
    e.grub2BootInfo =
        grub2 === undefined ? patchable && config.grub2BootInfo : bool(e, 'grub2-boot-info', grub2);
    for (const [key, on] of [
        ['info-table', e.infoTable],
        ['grub2-boot-info', e.grub2BootInfo]
    ]) {
        if (!on)
            continue;
        if (e.emulation !== 'none')
            throw entryError(e, `${key}=true patches no-emulation images only (it would overwrite the ${e.emulation} image's boot sector)`);
        if (e.partition !== undefined)
            throw entryError(e, `${key}=true patches images in the tree, not an appended partition`);
    }
    return e;
}
/** The catalog's entries in order: the shorthands' (BIOS, then UEFI), then the `--boot` entries. */
function bootEntries(config) {
    const common = { emulation: 'none', grub2BootInfo: config.grub2BootInfo };
    return [
        ...config.biosBoot.map((p) => ({
            ...common,
            option: 'bios-boot',
            text: p,
            platform: 'bios',
            image: imagePathFromUser(p, 'bios-boot'),
            infoTable: config.bootInfoTable
        })),
        ...config.uefiBoot.map((p) => ({
            option: 'uefi-boot',
            text: p,
            platform: 'uefi',
            image: imagePathFromUser(p, 'uefi-boot'),
            emulation: 'none',
            infoTable: false,
            grub2BootInfo: false
        })),
        ...config.boot.map(t => parseBootEntry(t, config))
    ];
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(598);
;// CONCATENATED MODULE: ./src/boot/hybrid.ts
/**
 * The hybrid system area: the same file boots as a CD and as a disk. Laid out as xorriso's
 * `-partition_offset 16 -appended_part_as_gpt -append_partition 2 0xef esp.img --mbr-force-bootable`
 * (lorax, Ubuntu) writes it, with a GPT that is valid:
 *
 * - MBR (512-byte sector 0): boot code from the template (bytes 0-431) patched with the BIOS boot
 *   image's address; entry 1 type 0xEE (protective, LBA 1 to the end); entry 2 bootable, type 0,
 *   LBA 0 size 1 (--mbr-force-bootable: BIOSes that want an active entry boot the MBR code).
 * - GPT header at LBA 1, 248 entries at LBA 2-63; backup entries and header in the last sectors.
 * - GPT partition 1 "ISO9660" (basic data) from sector 64 = ISO block 16, the partition offset where
 *   the image writer puts a second superblock and tree, so the partition mounts as ISO 9660.
 * - GPT partitions 2-4: the appended partitions (src/boot/appended.ts) after the ISO 9660 volume,
 *   in the order of their numbers: the EFI system partition (EF00) isoforge builds is number 2
 *   unless --append-partition takes it. One that is a file of the tree (stored once) is inside the
 *   volume space, as xorriso counts its appended partitions, and after partition 1's end.
 */




/** ISO blocks (2048 bytes) before the partition's own superblock copy: ISO9660 partition at sector 64. */
const HYBRID_PARTITION_OFFSET = 16;
const SECTORS_PER_BLOCK = 4;
const ISO_PARTITION_NAME = 'ISO9660';
/** The name and GUID seed of the ESP isoforge builds (from --uefi-boot); others: Appended<N>. */
const ESP_PARTITION_NAME = 'EFI system partition';
/** A version-4-shaped GUID derived from the build's epoch (same epoch, same image). */
function derivedGuid(epoch, what) {
    const h = (0,external_node_crypto_.createHash)('sha256').update(`isoforge-gpt:${epoch}:${what}`).digest();
    h[6] = (h[6] & 0x0f) | 0x40; // RFC 9562 version 4 in the time_hi_and_version field
    h[8] = (h[8] & 0x3f) | 0x80; // RFC 9562 variant 10
    const x = h.toString('hex', 0, 16);
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`.toUpperCase();
}
function derivedDiskId(epoch) {
    const id = (0,external_node_crypto_.createHash)('sha256').update(`isoforge-mbr:${epoch}`).digest().readUInt32LE(0);
    return id === 0 ? 1 : id;
}
/** The GPT's partitions (the ISO 9660 data, the appended ones) and the protective MBR's entries. */
function layoutOf(o, view) {
    const totalSectors = view.imageSize / MBR_SECTOR;
    const geo = gptGeometry(totalSectors);
    const isoStart = HYBRID_PARTITION_OFFSET * SECTORS_PER_BLOCK;
    const appended = o.appended.filter(p => p.bytes > 0);
    // the ISO 9660 data partition runs to the first appended partition, or to the end of the volume
    const isoEnd = (appended.length > 0 ? view.region(appended[0].region).lba : view.volumeBlocks) * SECTORS_PER_BLOCK - 1;
    const gpt = [
        {
            index: 1,
            typeGuid: GPT_TYPE_BASIC_DATA,
            guid: derivedGuid(o.epoch, 'iso9660'),
            firstLba: isoStart,
            lastLba: isoEnd,
            name: ISO_PARTITION_NAME,
            attributes: GPT_ATTR_REQUIRED | GPT_ATTR_READ_ONLY
        }
    ];
    // the first ESP's GUID is seeded 'esp'; any other partition's by its number (GUIDs are unique)
    const esp = appended.find(p => p.name === ESP_PARTITION_NAME);
    for (const p of appended) {
        const first = view.region(p.region).lba * SECTORS_PER_BLOCK;
        gpt.push({
            index: p.number,
            typeGuid: p.gptType,
            guid: derivedGuid(o.epoch, p === esp ? 'esp' : `appended-${p.number}`),
            firstLba: first,
            lastLba: first + Math.ceil(p.bytes / MBR_SECTOR) - 1,
            name: p.name,
            attributes: 0n
        });
    }
    for (const p of gpt) {
        if (p.lastLba > geo.lastUsableLba)
            throw new Error(`internal: GPT partition ${p.name} ends at ${p.lastLba}, past ${geo.lastUsableLba}`);
    }
    const mbr = [
        {
            index: 1,
            bootable: false,
            type: MBR_TYPE_GPT_PROTECTIVE,
            startLba: 1,
            sectors: Math.min(totalSectors - 1, 0xffffffff)
        }
    ];
    // --mbr-force-bootable: only with boot code (without it, an active entry would run zeros)
    if (o.mbrTemplate)
        mbr.push({ index: 2, bootable: true, type: 0, startLba: 0, sectors: 1 });
    return { mbr, gpt, totalSectors };
}
/** The GPT's bytes: the entry array, the primary header and the backup header. */
function gptOf(o, view) {
    const l = layoutOf(o, view);
    const geo = gptGeometry(l.totalSectors);
    const entries = encodeGptEntries(l.gpt, GPT_ENTRY_COUNT);
    const diskGuid = derivedGuid(o.epoch, 'disk');
    const common = { firstUsableLba: geo.firstUsableLba, lastUsableLba: geo.lastUsableLba, diskGuid };
    return {
        layout: l,
        geo,
        entries,
        primary: encodeGptHeader({ ...common, myLba: 1, alternateLba: geo.backupHeaderLba, entriesLba: 2 }, entries),
        backup: encodeGptHeader({ ...common, myLba: geo.backupHeaderLba, alternateLba: 1, entriesLba: geo.backupEntriesLba }, entries)
    };
}
/** The image's end: the backup entry array and header, the image then whole 2048-byte blocks. */
function backupGpt(o, sizeSoFar) {
    // sizeSoFar is already a multiple of 2048, so the image stays whole 512-byte sectors too
    const need = (gptGeometry(0).arraySectors + 1) * MBR_SECTOR;
    const end = Math.ceil((sizeSoFar + need) / SECTOR) * SECTOR;
    return {
        bytes: end - sizeSoFar,
        produce(layout) {
            const g = gptOf(o, layout);
            const out = Buffer.alloc(end - sizeSoFar);
            g.entries.copy(out, g.geo.backupEntriesLba * MBR_SECTOR - sizeSoFar);
            g.backup.copy(out, g.geo.backupHeaderLba * MBR_SECTOR - sizeSoFar);
            return out;
        }
    };
}
/** Blocks 0-15: the MBR (boot code patched with the BIOS image's address), the primary GPT. */
function writeSystemArea(o, layout, area) {
    const g = gptOf(o, layout);
    let bootAddress;
    if (o.mbrTemplate) {
        const boot = o.biosBootPath ? layout.file(o.biosBootPath) : undefined;
        if (!boot)
            throw new Error(`internal: the MBR template needs the BIOS boot image ${o.biosBootPath ?? ''}`);
        bootAddress = mbrBootAddress(o.mbrTemplate.kind, boot.lba);
    }
    encodeMbr({
        code: o.mbrTemplate?.code,
        bootAddress,
        diskId: derivedDiskId(o.epoch),
        partitions: g.layout.mbr
    }).copy(area, 0);
    g.primary.copy(area, MBR_SECTOR);
    g.entries.copy(area, 2 * MBR_SECTOR);
    o.log.debug(`hybrid: ${g.layout.totalSectors} sectors, GPT ${g.layout.gpt.map(p => `${p.name} ${p.firstLba}-${p.lastLba}`).join(', ')}`);
}
function describePartitions(l) {
    return [
        ...l.mbr.map(p => ({
            table: 'mbr',
            number: p.index,
            type: mbrTypeText(p.type),
            start: p.startLba,
            sectors: p.sectors,
            bootable: p.bootable
        })),
        ...l.gpt.map(p => ({
            table: 'gpt',
            number: p.index,
            type: p.typeGuid,
            name: p.name,
            start: p.firstLba,
            sectors: p.lastLba - p.firstLba + 1
        }))
    ];
}
function createHybridExtension(o) {
    return {
        name: 'hybrid',
        partitionOffset: HYBRID_PARTITION_OFFSET,
        appendedRegions: () => o.appended.map(p => ({
            name: p.region,
            bytes: p.bytes,
            file: p.file,
            produce: layout => p.produce(layout)
        })),
        tail: sizeSoFar => backupGpt(o, sizeSoFar),
        systemArea: (layout, area) => writeSystemArea(o, layout, area),
        describe: layout => ({ partitions: describePartitions(layoutOf(o, layout)) })
    };
}

;// CONCATENATED MODULE: ./src/boot/fat-layout.ts
/**
 * FAT geometry (type, cluster size, region sizes), the boot sector, FSInfo and the FAT itself.
 * Sections cited are of the Microsoft FAT specification ("fatgen103", version 1.03, 2000).
 */

const BYTES_PER_SECTOR = 512;
/** fatgen103 "BPB_Media": 0xF8 for fixed (non-removable) media; FAT[0] repeats it. */
const MEDIA_DESCRIPTOR = 0xf8;
const NUM_FATS = 2;
/** fatgen103 "BPB_RsvdSecCnt": 1 for FAT12/16; 32 is the usual FAT32 value. */
const RESERVED_FAT16 = 1;
const RESERVED_FAT32 = 32;
/** FAT32 BPB_FSInfo and BPB_BkBootSec: FSInfo in sector 1, boot sector copy in 6 (FSInfo copy in 7). */
const FSINFO_SECTOR = 1;
const BACKUP_BOOT_SECTOR = 6;
/** fatgen103 "BPB_RootEntCnt": 512 is the value for FAT16 compatibility (16 sectors). */
const ROOT_ENTRIES_MIN = 512;
/**
 * fatgen103 "FAT Type Determination": the type is decided by the count of data clusters alone.
 * Like mkfs.fat we stay 16 clusters away from both boundaries, where some drivers miscount.
 */
const FAT12_MAX_CLUSTERS = 4084;
const FAT16_MAX_CLUSTERS = 65524;
const BOUNDARY_MARGIN = 16;
const FAT32_MAX_CLUSTERS = 0x0ffffff5 - 2;
/** BPB_TotSec32 is 32 bits; kept a whole number of 2048-byte blocks. */
const MAX_TOTAL_SECTORS = 0xfffffffc;
/** 32 KiB clusters at most: larger ones are not understood by every implementation. */
const MAX_SECTORS_PER_CLUSTER = 64;
/** fatgen103 "FAT Type Determination". */
function fatTypeOf(clusterCount) {
    return clusterCount < FAT12_MAX_CLUSTERS + 1 ? 12 : clusterCount < FAT16_MAX_CLUSTERS + 1 ? 16 : 32;
}
/** The count lies in `type`'s range and at least BOUNDARY_MARGIN clusters from either boundary. */
function withinType(type, count) {
    if (count < 1 || count > FAT32_MAX_CLUSTERS || fatTypeOf(count) !== type)
        return false;
    const fromBoundary = Math.min(Math.abs(count - (FAT12_MAX_CLUSTERS + 0.5)), Math.abs(count - (FAT16_MAX_CLUSTERS + 0.5)));
    return fromBoundary > BOUNDARY_MARGIN;
}
/** Lay out one candidate; the FAT size is iterated to a fixed point (it may end up a sector large). */
function layout(type, totalSectors, spc, rootEntries) {
    const reservedSectors = type === 32 ? RESERVED_FAT32 : RESERVED_FAT16;
    const rootEnt = type === 32 ? 0 : rootEntries;
    const rootDirSectors = Math.ceil((rootEnt * 32) / BYTES_PER_SECTOR);
    let fatSectors = 1;
    let clusterCount;
    for (;;) {
        const data = totalSectors - reservedSectors - NUM_FATS * fatSectors - rootDirSectors;
        if (data < spc)
            return undefined;
        clusterCount = Math.floor(data / spc);
        const need = Math.ceil(((clusterCount + 2) * type) / 8 / BYTES_PER_SECTOR);
        if (need <= fatSectors)
            break;
        fatSectors = need;
    }
    if (!withinType(type, clusterCount))
        return undefined;
    return {
        fatType: type,
        totalSectors,
        sectorsPerCluster: spc,
        clusterBytes: spc * BYTES_PER_SECTOR,
        reservedSectors,
        rootEntries: rootEnt,
        rootDirSectors,
        fatSectors,
        firstDataSector: reservedSectors + NUM_FATS * fatSectors + rootDirSectors,
        clusterCount
    };
}
/** Cluster size per fatgen103's tables "DskTableFAT16" and "DskTableFAT32" (512-byte sectors). */
function preferredSpc(type, n) {
    if (type === 16)
        return n <= 32680 ? 2 : n <= 262144 ? 4 : n <= 524288 ? 8 : n <= 1048576 ? 16 : 32;
    if (type === 32)
        return n <= 532480 ? 1 : n <= 16777216 ? 8 : n <= 67108864 ? 16 : n <= 134217728 ? 32 : 64;
    return 1; // FAT12: the smallest cluster that keeps the count under the FAT12 limit
}
/**
 * Candidate geometries for `totalSectors`, best first: the type fatgen103's tables give for the size
 * (FAT12 under 8400 sectors, FAT16 under 532480, FAT32 above), at its preferred cluster size, then
 * the other cluster sizes and types. `rootEntriesNeeded` sizes the fixed FAT12/16 root directory.
 */
function* candidateGeometries(totalSectors, rootEntriesNeeded) {
    const types = totalSectors < 8400 ? [12, 16, 32] : totalSectors < 532480 ? [16, 12, 32] : [32, 16, 12];
    if (totalSectors > MAX_TOTAL_SECTORS)
        return;
    const rootEntries = Math.max(ROOT_ENTRIES_MIN, Math.ceil(rootEntriesNeeded / 16) * 16);
    for (const type of types) {
        if (type !== 32 && rootEntries > 0xfff0)
            continue;
        const first = preferredSpc(type, totalSectors);
        const spcs = [first];
        for (let s = 1; s <= MAX_SECTORS_PER_CLUSTER; s *= 2)
            if (s !== first)
                spcs.push(s);
        for (const spc of spcs) {
            const g = layout(type, totalSectors, spc, rootEntries);
            if (g)
                yield g;
        }
    }
}
/** Boot sector offsets shared by all types (fatgen103 "Boot Sector and BPB Structure"). */
const BS_JMP_BOOT = 0;
const BS_OEM_NAME = 3;
const BPB_BYTS_PER_SEC = 11;
const BPB_SEC_PER_CLUS = 13;
const BPB_RSVD_SEC_CNT = 14;
const BPB_NUM_FATS = 16;
const BPB_ROOT_ENT_CNT = 17;
const BPB_TOT_SEC16 = 19;
const BPB_MEDIA = 21;
const BPB_FAT_SZ16 = 22;
const BPB_SEC_PER_TRK = 24;
const BPB_NUM_HEADS = 26;
const BPB_HIDD_SEC = 28;
const BPB_TOT_SEC32 = 32;
/** FAT32 only (fatgen103 "FAT32 Structure Starting at Offset 36"). */
const BPB_FAT_SZ32 = 36;
const BPB_EXT_FLAGS = 40;
const BPB_FS_VER = 42;
const BPB_ROOT_CLUS = 44;
const BPB_FS_INFO = 48;
const BPB_BK_BOOT_SEC = 50;
/** The extended boot record starts at 36 (FAT12/16) or 64 (FAT32): DrvNum, Reserved1, BootSig, VolID, VolLab, FilSysType. */
const EBR_FAT16 = 36;
const EBR_FAT32 = 64;
const EBR_DRV_NUM = 0;
const EBR_BOOT_SIG = 2;
const EBR_VOL_ID = 3;
const EBR_VOL_LAB = 7;
const EBR_FIL_SYS_TYPE = 18;
const EBR_SIZE = 26;
const EXTENDED_BOOT_SIGNATURE = 0x29;
const OEM_NAME = 'ISOFORGE';
/**
 * A harmless boot code stub, run only if a BIOS boots this FAT directly: `int 0x18` asks the BIOS
 * to try the next boot device; should it return, `cli; hlt` and loop on the `hlt` forever.
 */
// prettier-ignore
const BOOT_STUB = Buffer.from([
    0xcd, 0x18, // int 0x18
    0xfa, //       cli
    0xf4, //       hlt
    0xeb, 0xfd //  jmp short -3 (back to hlt)
]);
/** Geometry fields for BIOS INT 13h: whatever divides the total evenly (mtools checks this). */
function sectorsPerTrack(totalSectors) {
    for (const s of [32, 16, 8, 4, 2])
        if (totalSectors % s === 0)
            return s;
    return 1;
}
function encodeBootSector(g, serial, labelKey) {
    const b = Buffer.alloc(BYTES_PER_SECTOR);
    const ebr = g.fatType === 32 ? EBR_FAT32 : EBR_FAT16;
    const code = ebr + EBR_SIZE;
    // fatgen103 BS_jmpBoot: EB xx 90, a short jump over the BPB to the boot code
    b[BS_JMP_BOOT] = 0xeb;
    b[BS_JMP_BOOT + 1] = code - 2;
    b[BS_JMP_BOOT + 2] = 0x90;
    b.write(OEM_NAME, BS_OEM_NAME, 8, 'latin1');
    b.writeUInt16LE(BYTES_PER_SECTOR, BPB_BYTS_PER_SEC);
    b[BPB_SEC_PER_CLUS] = g.sectorsPerCluster;
    b.writeUInt16LE(g.reservedSectors, BPB_RSVD_SEC_CNT);
    b[BPB_NUM_FATS] = NUM_FATS;
    b.writeUInt16LE(g.rootEntries, BPB_ROOT_ENT_CNT);
    const small = g.fatType !== 32 && g.totalSectors < 0x10000;
    b.writeUInt16LE(small ? g.totalSectors : 0, BPB_TOT_SEC16);
    b[BPB_MEDIA] = MEDIA_DESCRIPTOR;
    b.writeUInt16LE(g.fatType === 32 ? 0 : g.fatSectors, BPB_FAT_SZ16);
    b.writeUInt16LE(sectorsPerTrack(g.totalSectors), BPB_SEC_PER_TRK);
    b.writeUInt16LE(64, BPB_NUM_HEADS);
    b.writeUInt32LE(0, BPB_HIDD_SEC);
    b.writeUInt32LE(small ? 0 : g.totalSectors, BPB_TOT_SEC32);
    if (g.fatType === 32) {
        b.writeUInt32LE(g.fatSectors, BPB_FAT_SZ32);
        b.writeUInt16LE(0, BPB_EXT_FLAGS); // FAT mirrored to both copies
        b.writeUInt16LE(0, BPB_FS_VER); // version 0.0
        b.writeUInt32LE(2, BPB_ROOT_CLUS); // the root directory is the first cluster
        b.writeUInt16LE(FSINFO_SECTOR, BPB_FS_INFO);
        b.writeUInt16LE(BACKUP_BOOT_SECTOR, BPB_BK_BOOT_SEC);
    }
    b[ebr + EBR_DRV_NUM] = 0x80;
    b[ebr + EBR_BOOT_SIG] = EXTENDED_BOOT_SIGNATURE;
    b.writeUInt32LE(serial >>> 0, ebr + EBR_VOL_ID);
    b.write(labelKey, ebr + EBR_VOL_LAB, 11, 'latin1');
    b.write(`FAT${g.fatType}   `, ebr + EBR_FIL_SYS_TYPE, 8, 'latin1');
    BOOT_STUB.copy(b, code);
    b.writeUInt16LE(BOOT_SIGNATURE.value, BOOT_SIGNATURE.offset);
    return b;
}
/** fatgen103 "FAT32 FSInfo Sector Structure and Backup Boot Sector". */
const FSI_LEAD_SIG = 0x41615252;
const FSI_STRUC_SIG = 0x61417272;
const FSI_TRAIL_SIG = 0xaa550000;
const FSI_STRUC_SIG_OFFSET = 484;
const FSI_FREE_COUNT = 488;
const FSI_NXT_FREE = 492;
const FSI_TRAIL_SIG_OFFSET = 508;
function encodeFsInfo(freeCount, nextFree) {
    const b = Buffer.alloc(BYTES_PER_SECTOR);
    b.writeUInt32LE(FSI_LEAD_SIG, 0);
    b.writeUInt32LE(FSI_STRUC_SIG, FSI_STRUC_SIG_OFFSET);
    b.writeUInt32LE(freeCount >>> 0, FSI_FREE_COUNT);
    b.writeUInt32LE(nextFree >>> 0, FSI_NXT_FREE);
    b.writeUInt32LE(FSI_TRAIL_SIG, FSI_TRAIL_SIG_OFFSET);
    return b;
}
/** End-of-chain marks (fatgen103 "FAT Data Structure"); FAT[1] = EOC also says "clean, no errors". */
const EOC = { 12: 0xfff, 16: 0xffff, 32: 0x0fffffff };
/**
 * One copy of the FAT (fatSectors * 512 bytes) for contiguous `chains` of clusters: each cluster
 * points at the next, the last holds end-of-chain. FAT[0] holds the media byte, FAT[1] EOC.
 */
function encodeFat(g, chains) {
    const b = Buffer.alloc(g.fatSectors * BYTES_PER_SECTOR);
    const eoc = EOC[g.fatType];
    const set = (n, v) => {
        if (g.fatType === 32)
            b.writeUInt32LE(v & 0x0fffffff, n * 4);
        else if (g.fatType === 16)
            b.writeUInt16LE(v & 0xffff, n * 2);
        else {
            // FAT12: two 12-bit entries share three bytes; even entries take the low 12 bits
            const o = n + (n >> 1);
            if (n % 2 === 0) {
                b[o] = v & 0xff;
                b[o + 1] = (b[o + 1] & 0xf0) | ((v >> 8) & 0x0f);
            }
            else {
                b[o] = (b[o] & 0x0f) | ((v & 0x0f) << 4);
                b[o + 1] = (v >> 4) & 0xff;
            }
        }
    };
    set(0, (eoc & ~0xff) | MEDIA_DESCRIPTOR);
    set(1, eoc);
    for (const c of chains) {
        for (let i = 0; i < c.count - 1; i++)
            set(c.first + i, c.first + i + 1);
        if (c.count > 0)
            set(c.first + c.count - 1, eoc);
    }
    return b;
}

;// CONCATENATED MODULE: ./src/boot/fat-names.ts
/**
 * FAT directory entries: 8.3 short names, VFAT long-name (LFN) entries and DOS timestamps.
 * Sections cited are of the Microsoft FAT specification ("fatgen103", version 1.03, 2000).
 */
/** fatgen103 "FAT 32 Byte Directory Entry Structure": every entry is 32 bytes. */
const DIR_ENTRY_SIZE = 32;
/** fatgen103: a directory holds at most 65,536 entries (2 MiB). */
const MAX_DIR_ENTRIES = 65536;
/** fatgen103 "FAT Long Directory Entries": 13 UTF-16 code units per LFN entry, names up to 255 units. */
const LFN_CHARS_PER_ENTRY = 13;
const LFN_MAX_LENGTH = 255;
/** fatgen103 DIR_Attr bits. */
const ATTR_READ_ONLY = 0x01;
const ATTR_VOLUME_ID = 0x08;
const ATTR_DIRECTORY = 0x10;
const ATTR_ARCHIVE = 0x20;
/** ATTR_READ_ONLY | ATTR_HIDDEN | ATTR_SYSTEM | ATTR_VOLUME_ID marks a long-name entry. */
const ATTR_LONG_NAME = 0x0f;
/** LDIR_Ord: the last (first stored) long-name entry of a set has this bit. */
const LAST_LONG_ENTRY = 0x40;
/** Byte offsets of the short entry (fatgen103 "FAT 32 Byte Directory Entry Structure"). */
const DIR_NAME = 0; // 11 bytes: 8 name + 3 extension, space padded
const DIR_ATTR = 11;
const DIR_CRT_TIME_TENTH = 13;
const DIR_CRT_TIME = 14;
const DIR_CRT_DATE = 16;
const DIR_LST_ACC_DATE = 18;
const DIR_FST_CLUS_HI = 20;
const DIR_WRT_TIME = 22;
const DIR_WRT_DATE = 24;
const DIR_FST_CLUS_LO = 26;
const DIR_FILE_SIZE = 28;
/** Byte offsets of a long-name entry (fatgen103 "FAT Long Directory Entries"). */
const LDIR_ORD = 0;
const LDIR_NAME1 = 1; // 5 code units
const LDIR_ATTR = 11;
const LDIR_TYPE = 12;
const LDIR_CHKSUM = 13;
const LDIR_NAME2 = 14; // 6 code units
const LDIR_FST_CLUS_LO = 26;
const LDIR_NAME3 = 28; // 2 code units
/** Characters a short name may hold besides A–Z and 0–9 (fatgen103 "DIR_Name[0]" notes). */
const SHORT_EXTRA = new Set("$%'-_@~`!(){}^#&");
/** Characters no FAT name may hold, long or short (fatgen103 "Long Name Specification"). */
const LONG_FORBIDDEN = new Set('"*/:<>?\\|');
/** Why `name` cannot be a FAT long name, or undefined when it can. */
function longNameProblem(name) {
    if (name.length === 0)
        return 'an empty name';
    if (name.length > LFN_MAX_LENGTH)
        return `longer than ${LFN_MAX_LENGTH} UTF-16 code units`;
    for (const ch of name) {
        if (ch.charCodeAt(0) < 0x20)
            return 'a control character';
        if (LONG_FORBIDDEN.has(ch))
            return `the character ${JSON.stringify(ch)}`;
    }
    if (name.endsWith('.') || name.endsWith(' '))
        return 'a trailing dot or space (FAT drops them)';
    return undefined;
}
function pad(s, n) {
    return s + ' '.repeat(n - s.length);
}
/** fatgen103 "The Basis-Name Generation Algorithm" (OEM code page reduced to ASCII). */
function basisName(name) {
    let lossy = false;
    let up = '';
    for (const ch of name) {
        const u = ch.toUpperCase();
        if ((ch.codePointAt(0) ?? 0) < 0x80 &&
            (u === '.' || u === ' ' || /[A-Z0-9]/.test(u) || SHORT_EXTRA.has(u)))
            up += u;
        else {
            up += '_'; // not in the (ASCII) OEM set, or not allowed in a short name: "lossy conversion"
            lossy = true;
        }
    }
    const stripped = up.replace(/ /g, '').replace(/^\.+/, '');
    const firstDot = stripped.indexOf('.');
    const lastDot = stripped.lastIndexOf('.');
    const primaryFull = firstDot < 0 ? stripped : stripped.slice(0, firstDot);
    const extFull = lastDot < 0 ? '' : stripped.slice(lastDot + 1);
    const primary = primaryFull.slice(0, 8) || '_';
    const ext = extFull.slice(0, 3);
    const fits = !lossy &&
        stripped === up &&
        firstDot === lastDot &&
        primaryFull.length >= 1 &&
        primaryFull.length <= 8 &&
        extFull.length <= 3;
    const exact = fits && name === (ext ? `${primary}.${ext}` : primary);
    return { primary, ext, exact, fits };
}
/** Assigns deterministic, unique short names within one directory. */
class ShortNameTable {
    used = new Set();
    /** Reserve a key (e.g. the volume label) so no file takes it. */
    reserve(key) {
        this.used.add(key);
    }
    /**
     * Short names for `names`, in the same order. Names that are already exact 8.3 names are placed
     * first so they keep themselves; the others get their basis name, or `~n` tails (fatgen103
     * "The Numeric-Tail Generation Algorithm") when lossy, truncated or colliding.
     */
    assign(names) {
        const bases = names.map(basisName);
        const out = new Array(names.length);
        const order = [...names.keys()].sort((a, b) => Number(bases[b].exact) - Number(bases[a].exact) || a - b);
        for (const i of order) {
            const b = bases[i];
            let key = pad(b.primary, 8) + pad(b.ext, 3);
            if (!b.fits || this.used.has(key)) {
                for (let n = 1;; n++) {
                    if (n > 999999)
                        throw new RangeError('no free short name');
                    const tail = `~${n}`;
                    key = pad(b.primary.slice(0, 8 - tail.length) + tail, 8) + pad(b.ext, 3);
                    if (!this.used.has(key))
                        break;
                }
            }
            this.used.add(key);
            out[i] = { key, lfn: !b.exact || key !== pad(b.primary, 8) + pad(b.ext, 3) };
        }
        return out;
    }
}
/** fatgen103 "ChkSum()": the checksum of the 11-byte short name, stored in every LFN entry. */
function shortNameChecksum(key) {
    let sum = 0;
    for (let i = 0; i < 11; i++)
        sum = (((sum & 1) << 7) + (sum >> 1) + key.charCodeAt(i)) & 0xff;
    return sum;
}
/** Number of 32-byte entries one name takes: its LFN entries plus the short entry. */
function entriesFor(name, lfn) {
    return (lfn ? Math.ceil(name.length / LFN_CHARS_PER_ENTRY) : 0) + 1;
}
/** DOS dates run from 1980-01-01 to 2107-12-31; the epoch is clamped to that range. */
const DOS_MIN = Date.UTC(1980, 0, 1) / 1000;
const DOS_MAX = Date.UTC(2107, 11, 31, 23, 59, 59) / 1000;
function dosStamp(epochSeconds) {
    const s = Math.min(DOS_MAX, Math.max(DOS_MIN, Math.floor(epochSeconds)));
    const d = new Date(s * 1000);
    const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
    const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
    return { date, time, tenth: (d.getUTCSeconds() & 1) * 100 };
}
/** Encode one short (8.3) directory entry at `off`. */
function writeShortEntry(buf, off, key, attr, cluster, size, stamp) {
    buf.write(key, off + DIR_NAME, 11, 'latin1');
    buf[off + DIR_ATTR] = attr;
    if (attr !== ATTR_VOLUME_ID) {
        buf[off + DIR_CRT_TIME_TENTH] = stamp.tenth;
        buf.writeUInt16LE(stamp.time, off + DIR_CRT_TIME);
        buf.writeUInt16LE(stamp.date, off + DIR_CRT_DATE);
        buf.writeUInt16LE(stamp.date, off + DIR_LST_ACC_DATE);
    }
    buf.writeUInt16LE((cluster >>> 16) & 0xffff, off + DIR_FST_CLUS_HI);
    buf.writeUInt16LE(stamp.time, off + DIR_WRT_TIME);
    buf.writeUInt16LE(stamp.date, off + DIR_WRT_DATE);
    buf.writeUInt16LE(cluster & 0xffff, off + DIR_FST_CLUS_LO);
    buf.writeUInt32LE(size >>> 0, off + DIR_FILE_SIZE);
}
/**
 * Encode the long-name entries of `name` at `off`, stored last part first; returns the offset after
 * them (where the short entry goes). The name is NUL terminated unless it fills the last entry
 * exactly, and padded with 0xFFFF (fatgen103 "Storage of a Long-Name Within Long Directory Entries").
 */
function writeLongEntries(buf, off, name, key) {
    const n = Math.ceil(name.length / LFN_CHARS_PER_ENTRY);
    const units = new Array(n * LFN_CHARS_PER_ENTRY).fill(0xffff);
    for (let i = 0; i < name.length; i++)
        units[i] = name.charCodeAt(i);
    if (name.length < units.length)
        units[name.length] = 0x0000;
    const sum = shortNameChecksum(key);
    for (let k = n; k >= 1; k--) {
        const e = off + (n - k) * DIR_ENTRY_SIZE;
        const part = units.slice((k - 1) * LFN_CHARS_PER_ENTRY, k * LFN_CHARS_PER_ENTRY);
        buf[e + LDIR_ORD] = k | (k === n ? LAST_LONG_ENTRY : 0);
        for (let i = 0; i < 5; i++)
            buf.writeUInt16LE(part[i], e + LDIR_NAME1 + 2 * i);
        buf[e + LDIR_ATTR] = ATTR_LONG_NAME;
        buf[e + LDIR_TYPE] = 0;
        buf[e + LDIR_CHKSUM] = sum;
        for (let i = 0; i < 6; i++)
            buf.writeUInt16LE(part[5 + i], e + LDIR_NAME2 + 2 * i);
        buf.writeUInt16LE(0, e + LDIR_FST_CLUS_LO);
        for (let i = 0; i < 2; i++)
            buf.writeUInt16LE(part[11 + i], e + LDIR_NAME3 + 2 * i);
    }
    return off + n * DIR_ENTRY_SIZE;
}
/** The volume label as an 11-byte key: upper case, short-name characters and spaces. */
function labelKey(label) {
    const up = label.toUpperCase();
    if (up.length === 0 || up.length > 11 || up.startsWith(' '))
        return undefined;
    for (const ch of up)
        if (!(ch === ' ' || /[A-Z0-9]/.test(ch) || SHORT_EXTRA.has(ch)))
            return undefined;
    return pad(up, 11);
}

;// CONCATENATED MODULE: ./src/image/tree.ts
/** The tree of nodes that scan produces and plan/write consume. Plain data. */
const S_IFMT = 0o170000;
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
/**
 * Find a node by POSIX path relative to the root (no `..`, no symlink following). `key` folds names
 * the way the platform's file system does (see platform.ts nameKey), so `ISOLINUX/isolinux.bin`
 * finds `isolinux/isolinux.bin` on Windows and macOS, as the file system itself would.
 */
function lookup(root, path, key) {
    const parts = path.split('/').filter(p => p !== '' && p !== '.');
    let cur = root;
    for (const p of parts) {
        if (cur.kind !== 'dir')
            return undefined;
        let next = cur.children.find(c => c.name === p);
        if (!next && key)
            next = cur.children.find(c => key(c.name) === key(p));
        if (!next)
            return undefined;
        cur = next;
    }
    return cur;
}
/**
 * The file node whose `path` is exactly `path`, or undefined. Found by its names; a path that is
 * not its names joined by '/' (a name holding a backslash, scanned as on Windows) is searched for.
 */
function fileAt(root, path) {
    const hit = lookup(root, path);
    if (hit?.kind === 'file' && hit.path === path)
        return hit;
    let found;
    walk(root, n => {
        if (n.kind === 'file' && n.path === path)
            found = n;
    });
    return found;
}
const isSurrogate = (c) => c >= 0xd800 && c <= 0xdfff;
/**
 * Compare names by their UTF-8 bytes: a total order that does not depend on locale. Without
 * surrogates where the names first differ, UTF-8 byte order is the order of the UTF-16 code units
 * (both are code point order), so no bytes need encoding; otherwise (astral characters, lone
 * surrogates, which UTF-8 writes as U+FFFD) the bytes are compared.
 */
function compareNames(a, b) {
    const n = Math.min(a.length, b.length);
    let i = 0;
    while (i < n && a.charCodeAt(i) === b.charCodeAt(i))
        i++;
    if (i < n) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (!isSurrogate(x) && !isSurrogate(y))
            return x < y ? -1 : 1;
    }
    else if (a.length === b.length)
        return 0;
    else if (i === 0 || !isSurrogate(a.charCodeAt(i - 1)))
        return a.length < b.length ? -1 : 1;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

;// CONCATENATED MODULE: ./src/boot/fat-tree.ts
/**
 * The FAT builder's view of the source tree: which nodes go in, their short names and how many
 * 32-byte entries each directory takes (their contents stream through source-chunks.ts).
 */



/** DIR_FileSize is 32 bits. */
const MAX_FILE_SIZE = 0xffffffff;
/**
 * `entries` as a FAT directory tree, in name order. Symbolic links are left out with a warning;
 * names FAT cannot hold, files over 4 GiB and generated (deferred) files are errors naming the path.
 */
function collectTree(entries, labelKey, option, log) {
    const files = [];
    const dirs = [];
    const fail = (path, why) => (0,errors/* optionError */.mp)(option, `${path}: ${why}`, { subject: path });
    const collect = (nodes, where, isRoot) => {
        const kept = [];
        const seen = new Map();
        for (const n of [...nodes].sort((a, b) => compareNames(a.name, b.name))) {
            if (n.kind === 'symlink') {
                log?.warn(`${(0,errors/* cliFlag */.vM)(option)}: ${n.path} is a symbolic link; FAT has no links, so it is left out`, n.path);
                continue;
            }
            const problem = longNameProblem(n.name);
            if (problem)
                throw fail(n.path, `a FAT name cannot hold ${problem}`);
            const fold = n.name.toUpperCase();
            const twin = seen.get(fold);
            if (twin === n.name)
                throw fail(n.path, 'the name occurs twice');
            if (twin !== undefined)
                log?.warn(`${(0,errors/* cliFlag */.vM)(option)}: ${n.path} differs from ${twin} only in case; FAT keeps both, but firmware (case-insensitive) finds only one`, n.path);
            seen.set(fold, n.name);
            if (n.kind === 'file' && n.size > MAX_FILE_SIZE)
                throw fail(n.path, `${n.size} bytes is over the FAT file size limit (4 GiB - 1)`);
            if (n.kind === 'file' && n.data.type === 'deferred')
                throw fail(n.path, 'a generated file cannot be placed in a FAT image');
            kept.push(n);
        }
        const table = new ShortNameTable();
        if (isRoot)
            table.reserve(labelKey);
        const names = table.assign(kept.map(n => n.name));
        const dir = {
            kind: 'dir',
            name: '',
            key: '',
            lfn: false,
            children: [],
            entries: 0,
            cluster: 0,
            clusters: 0
        };
        dir.entries = isRoot ? 1 : 2; // the volume label, or '.' and '..'
        kept.forEach((n, i) => {
            const { key, lfn } = names[i];
            dir.entries += entriesFor(n.name, lfn);
            if (n.kind === 'file') {
                const f = { kind: 'file', node: n, key, lfn, cluster: 0 };
                files.push(f);
                dir.children.push(f);
            }
            else {
                const sub = collect(n.children, n.path, false);
                Object.assign(sub, { name: n.name, key, lfn });
                dir.children.push(sub);
            }
        });
        if (dir.entries > MAX_DIR_ENTRIES)
            throw fail(where || '/', `${dir.entries} directory entries, more than FAT's ${MAX_DIR_ENTRIES}`);
        dirs.push(dir);
        return dir;
    };
    const root = collect(entries, '', true);
    return { root, files, dirs };
}

;// CONCATENATED MODULE: ./src/boot/fat.ts
/**
 * The FAT builder: nodes of the scanned source tree → a FAT12/16/32 file system image, in pure
 * TypeScript, so `--uefi-boot EFI` (a folder) becomes an EFI system partition without mkfs.vfat or
 * mtools. Metadata (directories, FAT) is built in memory; file contents are streamed from disk by
 * produce(). Deterministic: every date and the volume serial derive from `epoch` alone.
 *
 * Layout (fatgen103): reserved sectors (boot sector; on FAT32 also FSInfo and their backups at
 * sectors 6 and 7) · FAT #1 · FAT #2 · root directory (FAT12/16 only) · data clusters. Clusters are
 * handed out contiguously: the FAT32 root first, then for each directory (pre-order) its
 * subdirectories' listings and its files, in name order; free space is all at the end.
 */







/** The image size is a whole number of 2048-byte blocks (El Torito and the ISO address it so). */
/** The image's block: the FAT image is sized in whole ISO 9660 blocks. */
const BLOCK = SECTOR;
const fat_MIB = 1 << 20;
/**
 * Default size: the content counted in 4 KiB clusters, plus 10% and 256 KiB of slack (room for the
 * FATs, the root directory, and a little for whoever mounts it), rounded up to a whole MiB; grown a
 * MiB at a time in the rare case the chosen cluster size wastes more than that.
 */
const SLACK_FRACTION = 0.1;
const SLACK_BYTES = 256 * 1024;
const ESTIMATE_CLUSTER = 4096;
const clustersFor = (bytes, cb) => Math.ceil(bytes / cb);
/** Data clusters the content takes; the root directory is in the data region on FAT32 only. */
function need(c, clusterBytes, rootInData) {
    let n = 0;
    for (const f of c.files)
        n += clustersFor(f.node.size, clusterBytes);
    for (const d of c.dirs)
        if (d !== c.root || rootInData)
            n += Math.max(1, clustersFor(d.entries * DIR_ENTRY_SIZE, clusterBytes));
    return n;
}
/** The first candidate geometry of `totalSectors` that holds the content, if any. */
function fits(c, totalSectors) {
    for (const g of candidateGeometries(totalSectors, c.root.entries))
        if (need(c, g.clusterBytes, g.fatType === 32) <= g.clusterCount)
            return g;
    return undefined;
}
/** The smallest size in whole 2048-byte blocks that holds the content (a binary search), in bytes. */
function smallestFit(c, tooSmall, estimate) {
    let lo = tooSmall / BLOCK;
    let hi = Math.max(lo + 1, defaultSize(estimate) / BLOCK);
    while (!fits(c, (hi * BLOCK) / BYTES_PER_SECTOR) && hi * BLOCK < MAX_TOTAL_SECTORS * BYTES_PER_SECTOR)
        hi *= 2;
    while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (fits(c, (mid * BLOCK) / BYTES_PER_SECTOR))
            hi = mid;
        else
            lo = mid;
    }
    return hi * BLOCK;
}
/** Geometry: the given size (which must hold the content), or the content plus slack. */
function chooseGeometry(c, opts, option) {
    const estimate = need(c, ESTIMATE_CLUSTER, true) * ESTIMATE_CLUSTER;
    if (opts.size === undefined) {
        for (let size = defaultSize(estimate);; size += fat_MIB) {
            if (size / BYTES_PER_SECTOR > MAX_TOTAL_SECTORS)
                throw (0,errors/* optionError */.mp)(option, `${estimate} bytes of content do not fit a FAT image`);
            const g = fits(c, size / BYTES_PER_SECTOR);
            if (g)
                return g;
        }
    }
    const sizeName = `${option}-size`;
    const sizeOption = (0,errors/* cliFlag */.vM)(sizeName);
    const size = Math.ceil(opts.size / BLOCK) * BLOCK;
    if (!Number.isFinite(size) || size <= 0 || size / BYTES_PER_SECTOR > MAX_TOTAL_SECTORS)
        throw (0,errors/* optionError */.mp)(sizeName, `${opts.size} bytes is not a FAT size (up to 2 TiB)`);
    if (size !== opts.size)
        opts.log?.info(`${sizeOption}: ${opts.size} bytes rounded up to ${size} (a whole number of 2048-byte blocks)`);
    const g = fits(c, size / BYTES_PER_SECTOR);
    if (g)
        return g;
    throw (0,errors/* optionError */.mp)(sizeName, `a FAT image of ${size} bytes cannot hold the ${plural(c.files.length, 'file')} and ${plural(c.dirs.length - 1, 'folder')} of ${(0,errors/* cliFlag */.vM)(option)}; they need at least ${smallestFit(c, size, estimate)} bytes (or leave ${sizeOption} unset)`);
}
/** Clusters, contiguous, in a fixed order (the FAT32 root, then each directory's children). */
function allocateClusters(root, g) {
    const cb = g.clusterBytes;
    const extents = [];
    let next = 2;
    const take = (count, item) => {
        if (count === 0)
            return 0;
        extents.push({ first: next, count, ...item });
        next += count;
        return next - count;
    };
    const dirClusters = (d) => Math.max(1, clustersFor(d.entries * DIR_ENTRY_SIZE, cb));
    if (g.fatType === 32) {
        root.clusters = dirClusters(root);
        root.cluster = take(root.clusters, { dir: root });
    }
    const place = (d) => {
        for (const c of d.children) {
            if (c.kind === 'dir') {
                c.clusters = dirClusters(c);
                c.cluster = take(c.clusters, { dir: c });
            }
            else
                c.cluster = take(clustersFor(c.node.size, cb), { file: c });
        }
        for (const c of d.children)
            if (c.kind === 'dir')
                place(c);
    };
    place(root);
    return { extents, next };
}
/** Every directory's listing; `parentCluster` 0 for directories in the root, also on FAT32 (fatgen103). */
function encodeListings(root, g, label, stamp) {
    const listings = new Map();
    const encodeDir = (d, parentCluster) => {
        const isRoot = parentCluster === undefined;
        const bytes = isRoot && g.fatType !== 32 ? g.rootDirSectors * BYTES_PER_SECTOR : d.clusters * g.clusterBytes;
        const buf = Buffer.alloc(bytes);
        let off = 0;
        if (isRoot) {
            writeShortEntry(buf, off, label, ATTR_VOLUME_ID, 0, 0, stamp);
            off += DIR_ENTRY_SIZE;
        }
        else {
            writeShortEntry(buf, off, '.'.padEnd(11), ATTR_DIRECTORY, d.cluster, 0, stamp);
            writeShortEntry(buf, off + DIR_ENTRY_SIZE, '..'.padEnd(11), ATTR_DIRECTORY, parentCluster, 0, stamp);
            off += 2 * DIR_ENTRY_SIZE;
        }
        for (const c of d.children) {
            const name = c.kind === 'dir' ? c.name : c.node.name;
            if (c.lfn)
                off = writeLongEntries(buf, off, name, c.key);
            if (c.kind === 'dir')
                writeShortEntry(buf, off, c.key, ATTR_DIRECTORY, c.cluster, 0, stamp);
            else
                writeShortEntry(buf, off, c.key, ATTR_ARCHIVE, c.cluster, c.node.size, stamp);
            off += DIR_ENTRY_SIZE;
        }
        listings.set(d, buf);
        for (const c of d.children)
            if (c.kind === 'dir')
                encodeDir(c, isRoot ? 0 : d.cluster);
    };
    encodeDir(root, undefined);
    return listings;
}
/** The image's bytes in order: reserved region, both FATs, the FAT12/16 root, the clusters. */
async function* produceFat(g, meta, extents, option) {
    const size = g.totalSectors * BYTES_PER_SECTOR;
    const zero = Buffer.alloc(Math.min(fat_MIB, size)); // shared by the zero runs of this pass; never written to
    function* zeros(bytes) {
        for (let left = bytes; left > 0; left -= zero.length)
            yield zero.subarray(0, Math.min(left, zero.length));
    }
    let emitted = 0;
    const emit = function* (parts) {
        for (const p of parts) {
            emitted += p.length;
            yield p;
        }
    };
    const { boot, fsInfo, fat, listings } = meta;
    const reserved = Buffer.alloc(g.reservedSectors * BYTES_PER_SECTOR);
    boot.copy(reserved, 0);
    if (fsInfo) {
        fsInfo.copy(reserved, FSINFO_SECTOR * BYTES_PER_SECTOR);
        boot.copy(reserved, BACKUP_BOOT_SECTOR * BYTES_PER_SECTOR);
        fsInfo.copy(reserved, (BACKUP_BOOT_SECTOR + FSINFO_SECTOR) * BYTES_PER_SECTOR);
    }
    yield* emit([reserved, fat, fat]);
    if (g.fatType !== 32)
        yield* emit([listings.get(meta.root)]);
    for (const e of extents) {
        if (e.dir)
            yield* emit([listings.get(e.dir)]);
        else if (e.file) {
            for await (const chunk of readFileChunks(e.file.node, option))
                yield* emit([chunk]);
            yield* emit(zeros(e.count * g.clusterBytes - e.file.node.size));
        }
    }
    yield* emit(zeros(size - emitted));
    if (emitted !== size)
        throw new Error(`FAT builder: wrote ${emitted} bytes instead of ${size}`);
}
/** `entries` become the FAT root: for `--uefi-boot EFI` that is [the EFI DirNode], so the FAT holds /EFI/BOOT/BOOTX64.EFI. */
async function buildFat(entries, opts) {
    const option = opts.option ?? 'uefi-boot';
    if (!Number.isFinite(opts.epoch))
        throw (0,errors/* optionError */.mp)(option, `the epoch ${opts.epoch} is not a number of seconds`);
    const label = labelKey(opts.label ?? 'EFIBOOT');
    if (label === undefined)
        throw (0,errors/* optionError */.mp)(option, `volume label ${JSON.stringify(opts.label)} is not 1-11 FAT short-name characters`);
    const stamp = dosStamp(opts.epoch);
    // the volume serial (BS_VolID): the first 4 bytes of SHA-256 over the epoch, so a pure function of it
    const serial = (0,external_node_crypto_.createHash)('sha256').update(`isoforge-fat-serial/${opts.epoch}`).digest().readUInt32LE(0);
    // 1. the directory tree with short names and entry counts; 2. the geometry; 3. the clusters;
    // 4. the metadata sectors; then the bytes, streamed
    const content = collectTree(entries, label, option, opts.log);
    const g = chooseGeometry(content, opts, option);
    const { extents, next } = allocateClusters(content.root, g);
    const used = next - 2;
    const listings = encodeListings(content.root, g, label, stamp);
    const fat = encodeFat(g, extents);
    const boot = encodeBootSector(g, serial, label);
    const free = g.clusterCount - used;
    const fsInfo = g.fatType === 32 ? encodeFsInfo(free, free > 0 ? next : 0xffffffff) : undefined;
    const size = g.totalSectors * BYTES_PER_SECTOR;
    opts.log?.debug(`FAT${g.fatType}: ${size} bytes, ${g.clusterCount} clusters of ${g.clusterBytes} bytes, ${used} used by ${content.files.length} files and ${content.dirs.length} directories`);
    const meta = { boot, fsInfo, fat, listings, root: content.root };
    return { size, fatType: g.fatType, produce: () => produceFat(g, meta, extents, option) };
}
function plural(n, what) {
    return `${n} ${what}${n === 1 ? '' : 's'}`;
}
function defaultSize(contentBytes) {
    return Math.max(fat_MIB, Math.ceil((contentBytes * (1 + SLACK_FRACTION) + SLACK_BYTES) / fat_MIB) * fat_MIB);
}

;// CONCATENATED MODULE: ./src/boot/bootinfo.ts
/**
 * Patches that BIOS CD loaders expect in their own image, written into the IMAGE's copy only
 * (genisoimage patches the source file; we never do):
 * - the boot info table (mkisofs `-boot-info-table`, libisofs doc/boot_sectors.txt "Boot Info
 *   Table"): bytes 8-63 of the boot image;
 * - GRUB2's boot info (`--grub2-boot-info`): the 512-byte sector address of the image's core,
 *   LBA × 4 + 5, as a 64-bit LE value at bytes 2548-2555.
 * When both apply, GRUB2's patch goes first and the table's checksum covers it (as xorriso does).
 */
/** Boot info table field offsets in the boot image (all 32-bit LE). */
const BOOT_INFO_TABLE = {
    pvdLba: 8, // LBA of the primary volume descriptor
    fileLba: 12, // LBA of the boot image
    fileLength: 16, // byte length of the boot image
    checksum: 20, // 32-bit sum of the LE words from byte 64 to the end
    reserved: 24, // 40 bytes, zero
    end: 64
};
/** GRUB2 boot info: 64-bit LE at bytes 2548-2555 (grub-core/boot/i386/pc/diskboot + cdboot). */
const GRUB2_BOOT_INFO = { offset: 2548, end: 2556, add: 5 };
/** Sum of the 32-bit LE words from byte 64 to the end; a trailing partial word is zero-padded. */
function bootInfoChecksum(image) {
    let sum = 0;
    const whole = image.length - ((image.length - BOOT_INFO_TABLE.end) % 4);
    for (let i = BOOT_INFO_TABLE.end; i + 4 <= whole; i += 4)
        sum = (sum + image.readUInt32LE(i)) >>> 0;
    if (whole < image.length) {
        const tail = Buffer.alloc(4);
        image.copy(tail, 0, whole);
        sum = (sum + tail.readUInt32LE(0)) >>> 0;
    }
    return sum;
}
/** A copy of `image` with its boot info table filled in. */
function patchBootInfoTable(image, pvdLba, imageLba) {
    if (image.length < BOOT_INFO_TABLE.end)
        throw new RangeError(`boot image of ${image.length} bytes has no room for a boot info table (64 bytes)`);
    if (image.length > 0xffffffff)
        throw new RangeError('boot image longer than a 32-bit length');
    const out = Buffer.from(image);
    out.fill(0, BOOT_INFO_TABLE.pvdLba, BOOT_INFO_TABLE.end);
    out.writeUInt32LE(pvdLba >>> 0, BOOT_INFO_TABLE.pvdLba);
    out.writeUInt32LE(imageLba >>> 0, BOOT_INFO_TABLE.fileLba);
    out.writeUInt32LE(image.length >>> 0, BOOT_INFO_TABLE.fileLength);
    out.writeUInt32LE(bootInfoChecksum(out), BOOT_INFO_TABLE.checksum);
    return out;
}
function parseBootInfoTable(image) {
    if (image.length < BOOT_INFO_TABLE.end)
        throw new RangeError(`boot image of ${image.length} bytes is too short for a boot info table`);
    const checksum = image.readUInt32LE(BOOT_INFO_TABLE.checksum);
    return {
        pvdLba: image.readUInt32LE(BOOT_INFO_TABLE.pvdLba),
        fileLba: image.readUInt32LE(BOOT_INFO_TABLE.fileLba),
        fileLength: image.readUInt32LE(BOOT_INFO_TABLE.fileLength),
        checksum,
        checksumOk: checksum === bootInfoChecksum(image)
    };
}
/** GRUB2's boot info for an image at `imageLba`: the 512-byte sector of its second 512 bytes + 4 (× 4 + 5). */
const grub2BootInfoFor = (imageLba) => BigInt(imageLba) * 4n + BigInt(GRUB2_BOOT_INFO.add);
/** A copy of `image` with GRUB2's boot info (imageLba × 4 + 5) at bytes 2548-2555. */
function patchGrub2BootInfo(image, imageLba) {
    if (image.length < GRUB2_BOOT_INFO.end)
        throw new RangeError(`boot image of ${image.length} bytes has no room for GRUB2 boot info (2556 bytes)`);
    const out = Buffer.from(image);
    out.writeBigUInt64LE(grub2BootInfoFor(imageLba), GRUB2_BOOT_INFO.offset);
    return out;
}
function readGrub2BootInfo(image) {
    if (image.length < GRUB2_BOOT_INFO.end)
        throw new RangeError(`boot image of ${image.length} bytes is too short for GRUB2 boot info`);
    return image.readBigUInt64LE(GRUB2_BOOT_INFO.offset);
}

;// CONCATENATED MODULE: ./src/boot/images.ts
/**
 * The checks of one El Torito entry's image in the tree (a BIOS no-emulation image, a FAT image,
 * an emulated floppy or hard disk) and the boot-info patches. Each returns what the catalog needs
 * (media type, system type) or throws an IsoforgeError naming the entry.
 */








/**
 * The largest BIOS no-emulation image: the BIOS loads it at 0000:7C00 (El Torito 2.2, load segment
 * 0 = 0x7C0) in real mode, and conventional memory ends at the extended BIOS data area (0x9FC00
 * at the latest): 0x9FC00 - 0x7C00 = 608 KiB. Neither the BIOS (load size) nor the loader itself
 * (boot info table) can place a larger image there.
 */
const MAX_BIOS_IMAGE = 0x9fc00 - 0x7c00;
/** An error about the entry: a shorthand's names `option` (as before), a `--boot` entry its text. */
const images_fail = (e, option, text) => e.option === 'boot' ? entryError(e, text) : (0,errors/* optionError */.mp)(option, text);
/** The first `n` bytes of a file node's data (fewer when it is shorter). */
async function headOf(node, n) {
    const d = node.data;
    if (d.type === 'memory')
        return d.bytes.subarray(0, n);
    if (d.type === 'image')
        return readImageData(d.image, d.extents, Math.min(n, node.size));
    if (d.type !== 'file')
        return Buffer.alloc(0);
    try {
        const fh = (await openRegularFile(d.path, { what: 'cannot read' })).handle;
        try {
            const head = Buffer.alloc(Math.min(n, node.size));
            await fh.read(head, 0, head.length, 0);
            return head;
        }
        finally {
            await fh.close();
        }
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, d.path, 'cannot read');
    }
}
function checkBiosImage(e, node, loadSize) {
    const p = node.path;
    if (node.size === 0)
        throw images_fail(e, 'bios-boot', `${p} is empty`);
    if (node.size > MAX_BIOS_IMAGE) {
        throw images_fail(e, 'bios-boot', `${p} is ${node.size} bytes; a BIOS boot image is loaded at 0x7C00 in real mode and must fit in ${MAX_BIOS_IMAGE} bytes (608 KiB)`);
    }
    checkLoadSize(e, node, loadSize);
}
/** The sectors the firmware loads must lie inside the image's blocks. */
function checkLoadSize(e, node, loadSize) {
    const loadBytes = loadSize * VIRTUAL_SECTOR;
    const room = blocksFor(node.size) * SECTOR;
    if (loadBytes > room) {
        throw images_fail(e, 'bios-boot-load-size', `${loadSize} sectors (${loadBytes} bytes) read past the end of ${node.path} (${node.size} bytes, ${room} with its last block)`);
    }
}
/** El Torito 2.4 media types of the floppy sizes it emulates. */
const FLOPPY_MEDIA = new Map([
    [1_228_800, MEDIA_FLOPPY.f1200],
    [1_474_560, MEDIA_FLOPPY.f1440],
    [2_949_120, MEDIA_FLOPPY.f2880]
]);
/** The catalog's media and system type bytes of the entry's image (El Torito 2.2). */
async function emulationOf(e, node) {
    if (e.emulation === 'none')
        return { media: MEDIA_NO_EMULATION, systemType: 0 };
    if (e.emulation === 'floppy') {
        const media = FLOPPY_MEDIA.get(node.size);
        if (media === undefined)
            throw entryError(e, `${node.path} is ${node.size} bytes; a floppy image is 1228800, 1474560 or 2949120 bytes (1.2, 1.44, 2.88 MB)`);
        return { media, systemType: 0 };
    }
    // hard-disk: the system type is the type byte of the image's one MBR partition (El Torito 2.2)
    const mbr = parseMbr(await headOf(node, MBR_SECTOR));
    if (!mbr.signatureOk || mbr.partitions.length !== 1)
        throw entryError(e, `${node.path} has ${mbr.signatureOk ? `${mbr.partitions.length} MBR partitions` : 'no MBR'}; a hard-disk image holds an MBR with exactly one partition`);
    return { media: MEDIA_HARD_DISK, systemType: mbr.partitions[0].type };
}
function checkPatchRoom(e, node) {
    if (e.infoTable && node.size < BOOT_INFO_TABLE.end)
        throw images_fail(e, 'bios-boot', `${node.path} is ${node.size} bytes, too short for a boot info table (64); use --boot-info-table false`);
    if (e.grub2BootInfo && node.size < GRUB2_BOOT_INFO.end)
        throw images_fail(e, 'grub2-boot-info', `${node.path} is ${node.size} bytes, too short for GRUB2 boot info (2556)`);
}
async function readWhole(node) {
    const d = node.data;
    if (d.type === 'memory')
        return d.bytes;
    if (d.type === 'image') {
        if (node.size > LIMITS.patchedBootImage)
            throw new errors/* IsoforgeError */.P1(`${node.path}: a boot image with a boot info table of ${node.size} bytes`, {
                subject: node.path
            });
        return readImageData(d.image, d.extents, node.size);
    }
    if (d.type !== 'file')
        throw new Error(`internal: ${node.path} has generated data`);
    const bytes = await readSmallFile(d.path, {
        limit: LIMITS.patchedBootImage,
        what: 'cannot read',
        kind: 'a boot image with a boot info table'
    });
    if (bytes.length !== node.size)
        throw new errors/* IsoforgeError */.P1(`${d.path}: changed size during the build`, { subject: d.path });
    return bytes;
}
/** Replace the node's data by a patched copy made once the layout is known; the source stays as is. */
async function patchInImage(node, e) {
    const original = await readWhole(node);
    node.data = {
        type: 'deferred',
        produce: layout => {
            let b = original;
            if (e.grub2BootInfo)
                b = patchGrub2BootInfo(b, node.lba);
            if (e.infoTable)
                b = patchBootInfoTable(b, layout.pvdLba, node.lba);
            return b;
        }
    };
}
async function checkFatImage(e, node) {
    const head = node.size >= 512 ? await headOf(node, 512) : Buffer.alloc(0);
    const bps = head.length === 512 ? head.readUInt16LE(11) : 0; // FAT BPB: bytes per sector at 11
    if (head.length < 512 ||
        head.readUInt16LE(BOOT_SIGNATURE.offset) !== BOOT_SIGNATURE.value ||
        ![512, 1024, 2048, 4096].includes(bps)) {
        throw images_fail(e, 'uefi-boot', `${node.path} is not a FAT image (no FAT boot sector); give a FAT image or a folder holding EFI/BOOT/BOOT*.EFI`);
    }
}
const isBootEfi = (n) => n.kind === 'file' && /^BOOT.*\.EFI$/i.test(n.name);
const childDir = (d, name) => d.children.find((c) => c.kind === 'dir' && c.name.toUpperCase() === name);
const hasBootEfi = (efi) => {
    const boot = efi && childDir(efi, 'BOOT');
    return !!boot && boot.children.some(isBootEfi);
};
/**
 * What goes at the root of the FAT image: the folder itself when it is the `EFI` folder, or its
 * contents when it is the ESP's root (holding `EFI`). Either way the firmware must find
 * \EFI\BOOT\BOOT<arch>.EFI (UEFI specification, "Removable Media Boot Behavior").
 */
function espRoot(e, node) {
    if (node.name.toUpperCase() === 'EFI' && hasBootEfi(node))
        return [node];
    if (hasBootEfi(childDir(node, 'EFI')))
        return node.children.filter(c => !c.hidden);
    throw images_fail(e, 'uefi-boot', `${e.image} holds no EFI/BOOT/BOOT*.EFI (e.g. EFI/BOOT/BOOTX64.EFI), which UEFI firmware boots`);
}
/** The file node of an entry's image: there, and neither a folder nor a symbolic link. */
function bootFile(ctx, e) {
    const p = e.image;
    const node = ctx.lookup(p);
    if (!node)
        throw images_fail(e, e.option, `${p} does not exist in the source ${ctx.source}`);
    if (node.kind === 'dir')
        throw images_fail(e, e.option, `${p} is a directory; give the boot image file`);
    if (node.kind === 'symlink')
        throw images_fail(e, e.option, `${p} is a symbolic link; give the file it points to`);
    return node;
}

;// CONCATENATED MODULE: ./src/boot/uefi-entries.ts









const err = (option, message) => (0,errors/* optionError */.mp)(option, message);
const plan = (entry, bytes, p) => ({
    entry,
    bytes,
    media: MEDIA_NO_EMULATION,
    systemType: 0,
    loadSize: entry.loadSize ?? loadSizeFor(bytes, PLATFORM_EFI),
    ...p
});
/** A UEFI boot image: a FAT image file as it is, or a folder made into one; in the tree or the ESP. */
async function addUefiEntry(ctx, config, state, e, toEsp) {
    const p = e.image;
    const i = state.fats++;
    const node = ctx.lookup(p);
    if (!node)
        throw images_fail(e, 'uefi-boot', `${p} does not exist in the source ${ctx.source}`);
    if (node.kind === 'symlink')
        throw images_fail(e, 'uefi-boot', `${p} is a symbolic link; give the FAT image or folder it points to`);
    if (node.kind === 'file') {
        await checkFatImage(e, node);
        if (config.uefiBootSize !== undefined)
            ctx.log.warn(`--uefi-boot-size applies to folders; ${p} is a FAT image and keeps its size`);
        if (toEsp) {
            // the file of the tree is the appended ESP, stored once (its records point at the partition)
            state.esp = { bytes: node.size, file: node };
            return plan(e, node.size, { node, partition: state.espPartition });
        }
        ctx.setOrder(node, state.order++);
        return plan(e, node.size, { node });
    }
    const fat = await buildFat(espRoot(e, node), {
        epoch: ctx.epoch,
        size: config.uefiBootSize,
        label: 'EFIBOOT',
        log: ctx.log,
        option: e.option
    });
    ctx.log.debug(`${e.option === 'boot' ? `--boot '${e.text}'` : `--uefi-boot ${p}`}: FAT${fat.fatType} image of ${fat.size} bytes`);
    if (toEsp) {
        state.esp = { bytes: fat.size, produce: () => fat.produce() };
        return plan(e, fat.size, { partition: state.espPartition });
    }
    const chunks = [];
    for await (const c of fat.produce())
        chunks.push(c);
    const bytes = Buffer.concat(chunks);
    const name = freeName(ctx, i === 0 ? 'efi.img' : `efi-${i + 1}.img`);
    const file = ctx.addFile(name, { kind: 'file', size: bytes.length, data: { type: 'memory', bytes } }, { hidden: true, order: state.order++ });
    return plan(e, bytes.length, { node: file });
}
/** An appended ESP whose bytes are a tree file, set at prepare (treeFileEntry). */
const treeFilePartition = (number) => ({
    number,
    gptType: GPT_TYPE_ESP,
    mbrType: MBR_TYPE_EFI,
    name: ESP_PARTITION_NAME,
    region: regionOf(number),
    bytes: 0,
    produce: () => {
        throw new Error(`internal: partition ${number} is a file of the tree, written as one`);
    }
});
/** `--boot 'platform=uefi image=PATH partition=N'`: the FAT image file of the tree is partition N. */
async function treeFileEntry(ctx, e, part) {
    const node = ctx.lookup(e.image);
    if (node?.kind === 'dir')
        throw entryError(e, `${e.image} is a folder; give a FAT image file (--uefi-boot makes one of a folder)`);
    const file = bootFile(ctx, e);
    await checkFatImage(e, file);
    Object.assign(part, { file, bytes: file.size });
    ctx.log.debug(`--boot '${e.text}': ${file.path} is appended partition ${part.number}, stored once`);
    return plan(e, file.size, { node: file, partition: part });
}
/**
 * The appended partitions of the hybrid layout: --append-partition's (and a remaster's replayed
 * ranges), the tree files of `image=PATH partition=N` entries, and the ESP of the first
 * --uefi-boot image (GPT entry 2, or the first one they leave free), in the order of N.
 */
async function appendedOf(config, hybrid, entries, espEntry, state) {
    const ranges = config.appendedRanges ?? [];
    const inTree = entries.filter(e => e.image !== undefined && e.partition !== undefined);
    if (config.appendPartition.length === 0 && ranges.length === 0 && !espEntry && inTree.length === 0)
        return [];
    if (!hybrid && inTree.length > 0)
        throw entryError(inTree[0], 'an image stored as an appended partition needs the hybrid layout (--hybrid true)');
    if (!hybrid)
        throw err('append-partition', 'appended partitions are part of the hybrid layout: give --hybrid true');
    const parts = await appendedPartitions(config.appendPartition, ranges);
    for (const e of inTree) {
        const taken = parts.find(p => p.number === e.partition);
        if (taken)
            throw entryError(e, `partition ${e.partition} is also ${[...state.inTree.values()].includes(taken) ? "another entry's image" : 'given by --append-partition'}`);
        const part = treeFilePartition(e.partition);
        state.inTree.set(e, part);
        parts.push(part);
    }
    parts.sort((a, b) => a.number - b.number);
    if (!espEntry)
        return parts;
    const number = freeNumber(parts);
    if (number === undefined)
        throw err('append-partition', `partitions ${parts.map(p => p.number).join(', ')} leave no GPT entry for the ESP of --uefi-boot ${espEntry.text}`);
    state.espPartition = {
        number,
        gptType: GPT_TYPE_ESP,
        mbrType: MBR_TYPE_EFI,
        name: ESP_PARTITION_NAME,
        region: regionOf(number),
        get bytes() {
            return state.esp.bytes;
        },
        get file() {
            return state.esp.file;
        },
        produce: (layout) => state.esp.produce(layout)
    };
    return [...parts, state.espPartition].sort((a, b) => a.number - b.number);
}
function freeName(ctx, name) {
    if (!ctx.lookup(name))
        return name;
    for (let i = 1;; i++) {
        const n = name.replace(/\.img$/, `.${i}.img`);
        if (!ctx.lookup(n))
            return n;
    }
}

;// CONCATENATED MODULE: ./src/boot/index.ts
/**
 * Boot: turns the boot options into image extensions: El Torito (boot record, catalog, patched
 * BIOS images, EFI FAT images, emulated floppies and disks) and, in hybrid mode, the MBR/GPT
 * system area with the ESP appended.
 *
 * Every check of the user's input happens here or in prepare(), which runs after the scan and
 * before the output file is opened: bad input fails with one IsoforgeError and writes nothing.
 */










/**
 * Zeros after the image (before a backup GPT), as xorriso's `-as mkisofs` pads 300 KiB (-pad):
 * GRUB's BIOS disk cache reads 32 KiB-aligned chunks, and on a CD whose last file ends inside a
 * chunk that passes the end of the medium the read fails (GRUB then prints garbage for the file:
 * seen in QEMU). Readers of real drives with read-ahead have the same trouble with the last blocks.
 */
const TAIL_PADDING = 150 * SECTOR;
const TAIL_ALIGN = 32 * 1024;
const boot_err = (option, message) => (0,errors/* optionError */.mp)(option, `${message}`);
/** The entries and the catalog path, checked against each other. */
function checkEntries(config, entries) {
    const platforms = entries.map(e => (e.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI));
    if (catalogSlots(platforms) > CATALOG_SLOTS) {
        const option = entries[entries.length - 1].option;
        throw boot_err(option, `${platforms.length} boot images do not fit in one boot catalog sector`);
    }
    entries.forEach((e, i) => {
        if (e.image === undefined || entries.findIndex(o => o.image === e.image) === i)
            return;
        throw images_fail(e, e.option, `${e.image} is given twice`);
    });
    const catalogPath = imagePathFromUser(config.bootCatalog, 'boot-catalog');
    if (entries.some(e => e.image === catalogPath))
        throw boot_err('boot-catalog', `${catalogPath} is also given as a boot image`);
    return catalogPath;
}
/** The MBR boot code template, read and checked; undefined without --mbr-template. */
async function loadMbrTemplate(config, hybrid, bios) {
    const kind = config.mbrKind === 'auto' ? (bios?.grub2BootInfo ? 'grub2' : 'isohybrid') : config.mbrKind;
    // a remaster's replay of its source image's MBR boot code (read/replay-boot.ts)
    if (config.mbrCode)
        return { code: config.mbrCode, path: `${config.sourceImage}'s MBR`, kind };
    if (!config.mbrTemplate)
        return undefined;
    if (!hybrid)
        throw boot_err('mbr-template', 'needs --hybrid true (the MBR is part of the hybrid layout)');
    if (!bios)
        throw boot_err('mbr-template', 'the MBR boot code starts a BIOS boot image: give --bios-boot or a --boot platform=bios image entry');
    const code = await readSmallFile(config.mbrTemplate, {
        limit: LIMITS.mbrTemplate,
        what: '--mbr-template',
        kind: 'an MBR template'
    });
    if (code.length < MBR_CODE_BYTES) {
        throw boot_err('mbr-template', `${config.mbrTemplate} is ${code.length} bytes; MBR boot code needs ${MBR_CODE_BYTES} (isohdpfx.bin, boot_hybrid.img)`);
    }
    // GRUB's boot_hybrid.img jumps to the image's sector 4 (core.img after cdboot.img), which only
    // a GRUB eltorito.img patched with --grub2-boot-info has; isohdpfx.bin starts isolinux.bin.
    return { code, path: config.mbrTemplate, kind };
}
/** A BIOS no-emulation image, or an emulated floppy or hard disk of either platform. */
async function addImageEntry(ctx, config, state, e) {
    const node = bootFile(ctx, e);
    const { media, systemType } = await emulationOf(e, node);
    // no-emulation BIOS: --bios-boot-load-size; emulated images: 1 sector, as xorriso writes them
    const loadSize = e.loadSize ?? (e.emulation === 'none' ? config.biosBootLoadSize : 1);
    if (e.emulation === 'none')
        checkBiosImage(e, node, loadSize);
    else
        checkLoadSize(e, node, loadSize);
    checkPatchRoom(e, node);
    if (e.infoTable || e.grub2BootInfo)
        await patchInImage(node, e);
    ctx.setOrder(node, state.order++);
    return plan(e, node.size, { node, media, systemType, loadSize });
}
/** An entry whose image is an appended partition, all of it (xorriso's `--interval:appended_partition_N:all::`). */
function partitionEntry(e, parts) {
    const p = parts.find(q => q.number === e.partition);
    if (!p) {
        const have = parts.map(q => q.number).join(', ');
        throw entryError(e, `partition=${e.partition} names no appended partition (${have ? `there are ${have}` : 'give --append-partition'})`);
    }
    if (e.emulation !== 'none')
        throw entryError(e, `an appended partition is booted without emulation (emulation=none)`);
    const platform = e.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI;
    return plan(e, p.bytes, { partition: p, loadSize: e.loadSize ?? loadSizeFor(p.bytes, platform) });
}
async function createBootExtensions(config, log) {
    const entries = bootEntries(config);
    const hybrid = config.hybrid ?? entries.length > 0;
    if (entries.length === 0) {
        if (config.hybrid === true)
            throw boot_err('hybrid', 'needs a boot image (--bios-boot or --uefi-boot)');
        if (config.mbrTemplate)
            throw boot_err('mbr-template', 'needs a BIOS boot image (--bios-boot)');
        if (config.appendPartition.length > 0)
            throw boot_err('append-partition', 'appended partitions are part of the hybrid layout of a bootable image: give a boot entry');
        return [];
    }
    const catalogPath = checkEntries(config, entries);
    // the MBR code starts the first BIOS no-emulation image, else the first emulated one (memtest86+)
    const biosImages = entries.filter(e => e.platform === 'bios' && e.image !== undefined);
    const biosImage = biosImages.find(e => e.emulation === 'none') ?? biosImages[0];
    const mbrTemplate = await loadMbrTemplate(config, hybrid, biosImage);
    const epoch = config.epoch ?? Math.floor(Date.now() / 1000);
    const state = { entries: [], order: 1, fats: 0, esp: { bytes: 0 }, inTree: new Map() };
    let catalog;
    // hybrid: the first --uefi-boot image is the appended ESP
    const espEntry = hybrid ? entries.find(e => e.option === 'uefi-boot') : undefined;
    const appended = await appendedOf(config, hybrid, entries, espEntry, state);
    const isUefiImage = (e) => e.platform === 'uefi' && e.emulation === 'none';
    const eltorito = {
        name: 'eltorito',
        volumeDescriptorCount: 1,
        async prepare(ctx) {
            replaceCatalog(ctx, catalogPath);
            Object.assign(state, { entries: [], order: 1, fats: 0 });
            const planned = [];
            for (const e of entries) {
                const inTree = state.inTree.get(e);
                planned.push(inTree
                    ? await treeFileEntry(ctx, e, inTree)
                    : e.partition !== undefined
                        ? undefined
                        : isUefiImage(e)
                            ? await addUefiEntry(ctx, config, state, e, e === espEntry)
                            : await addImageEntry(ctx, config, state, e));
            }
            // the partition entries last: a partition that is a tree file has its size once that is found
            state.entries = planned.map((p, i) => p ?? partitionEntry(entries[i], appended));
            catalog = ctx.addFile(catalogPath, {
                kind: 'file',
                size: SECTOR,
                data: { type: 'deferred', produce: layout => encodeBootCatalog(specs(layout)) }
            }, { hidden: config.bootCatalogHide, order: 0 });
        },
        encodeVolumeDescriptors: () => [encodeBootRecord(catalog.lba)],
        padding: { bytes: TAIL_PADDING, align: TAIL_ALIGN },
        describe: layout => ({
            boot: state.entries.map((e) => ({
                platform: e.entry.platform,
                path: e.node ? e.node.path : `partition:${e.partition.number}`,
                emulation: MEDIA_NAMES[e.media],
                loadSize: e.loadSize,
                lba: lbaOf(e, layout),
                ...(e.entry.platform === 'bios' ? { bootInfoTable: e.entry.infoTable } : {})
            }))
        })
    };
    const lbaOf = (e, layout) => e.node ? e.node.lba : layout.region(e.partition.region).lba;
    const specs = (layout) => state.entries.map(e => ({
        platform: e.entry.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI,
        sectorCount: e.loadSize,
        lba: lbaOf(e, layout),
        media: e.media,
        systemType: e.systemType
    }));
    if (!hybrid)
        return [eltorito];
    const anyUefi = entries.some(e => e.platform === 'uefi');
    if (!mbrTemplate && anyUefi)
        log.info('hybrid image without --mbr-template: USB/disk boot works through UEFI only');
    if (!mbrTemplate && !anyUefi)
        log.warn('--hybrid without --mbr-template or --uefi-boot: the image will not boot as a disk', '--hybrid');
    return [
        eltorito,
        createHybridExtension({ appended, mbrTemplate, biosBootPath: biosImage?.image, epoch, log })
    ];
}
/**
 * A tree extracted from an existing image holds its boot catalog: the new catalog replaces it (a
 * folder of that name is an error).
 */
function replaceCatalog(ctx, catalogPath) {
    const old = ctx.lookup(catalogPath);
    if (!old)
        return;
    if (old.kind === 'dir')
        throw boot_err('boot-catalog', `${catalogPath} is a folder in the source; choose another path`);
    ctx.remove(old);
    ctx.log.warn(`--boot-catalog: the source's ${old.path} is replaced by the new boot catalog`, old.path);
}

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
async function inTimed(log, name, fn) {
    return log.timed ? log.timed(name, fn) : fn();
}

;// CONCATENATED MODULE: ./src/image/prepare.ts
/**
 * What extensions see while they prepare (PrepareContext): the scanned tree, a lookup that folds
 * names as the platform's file system does, and the adding of generated files (their folders made
 * as needed) and of data order.
 */



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
            throw new errors/* IsoforgeError */.P1(`${next.path}: exists and is not a directory`, { subject: next.path });
        cur = next;
    }
    return cur;
}
function prepareContext(root, env, order) {
    const { epoch, platform } = env;
    return {
        root,
        ...env,
        lookup: p => lookup(root, p, name => nameKey(name, platform)),
        addFile(p, file, opts = {}) {
            const parts = p.split('/').filter(Boolean);
            const name = parts.pop();
            const dir = ensureDir(root, parts, epoch);
            if (dir.children.some(c => c.name === name)) {
                throw new errors/* IsoforgeError */.P1(`${p}: already exists in the source tree`, { subject: p });
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
        },
        remove(node) {
            const parent = node.path.includes('/')
                ? lookup(root, node.path.slice(0, node.path.lastIndexOf('/')))
                : root;
            if (parent?.kind !== 'dir' || !parent.children.includes(node))
                throw new Error(`internal: ${node.path} is not in the tree`);
            parent.children = parent.children.filter(c => c !== node);
            if (node.kind === 'file') {
                order.delete(node);
                if (node.linkGroup)
                    node.linkGroup.members = node.linkGroup.members.filter(m => m !== node);
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/image/allocate.ts
/**
 * Block allocation: one cursor moves from the end of the volume descriptors to the end of the
 * image, and each step takes the blocks of one kind of structure from it, in the order the image
 * holds them. The tree steps run for the main tree and again for the partition-offset copy.
 */

/** The next free block. */
class Cursor {
    at;
    constructor(at) {
        this.at = at;
    }
    /** `blocks` blocks from here; returns the first. */
    take(blocks) {
        const at = this.at;
        this.at += blocks;
        return at;
    }
}
function pathTables(cur, size) {
    return { ptL: cur.take(blocksFor(size)), ptM: cur.take(blocksFor(size)) };
}
function dirExtents(cur, dirs, ns) {
    const lbas = [];
    for (const d of dirs)
        lbas[d.index] = cur.take(d[ns.key].size / SECTOR);
    return lbas;
}
/**
 * One tree: the path tables of each namespace, the ISO 9660 extents, the CE pool (after the
 * records that point into it), then the Joliet extents.
 */
function reserveTree(cur, vdLba, bias, s) {
    const [iso, jol] = s.namespaces;
    const pts = s.namespaces.map(ns => pathTables(cur, s.ptSize[ns.key]));
    const isoDirs = dirExtents(cur, s.dirs, iso);
    const ceLba = cur.take(s.ceBlocks);
    const jolDirs = jol ? dirExtents(cur, s.dirs, jol) : [];
    return {
        vdLba,
        bias,
        iso: { ...pts[0], dirLba: isoDirs },
        jol: jol ? { ...pts[1], dirLba: jolDirs } : undefined,
        ceLba
    };
}
/**
 * File data: ordered files first (lower first), then tree order; an empty file is at block 0, and
 * hard links share the first member's blocks. Returns the files whose bytes are written.
 */
function reserveFiles(root, order, cur, elsewhere = new Set()) {
    const ordered = [];
    const rest = [];
    const placed = (f) => elsewhere.has(f) || (f.linkGroup?.members.some(m => elsewhere.has(m)) ?? false);
    const visit = (n) => {
        if (n.kind === 'dir')
            n.children.forEach(visit);
        else if (n.kind === 'file' && !placed(n))
            (order.has(n) ? ordered : rest).push(n);
    };
    visit(root);
    ordered.sort((a, b) => order.get(a) - order.get(b));
    const dataFiles = [];
    const owners = new Map();
    for (const list of [ordered, rest]) {
        for (const f of list) {
            if (f.linkGroup && owners.has(f.linkGroup))
                continue;
            if (f.linkGroup)
                owners.set(f.linkGroup, f);
            f.lba = f.size === 0 ? 0 : cur.take(blocksFor(f.size));
            if (f.size > 0)
                dataFiles.push(f);
        }
    }
    for (const list of [ordered, rest])
        for (const f of list)
            if (f.linkGroup)
                f.lba = owners.get(f.linkGroup).lba;
    return dataFiles;
}
/** The extensions' appended regions, in extension order. */
const regionsOf = (extensions) => extensions.flatMap(ext => ext.appendedRegions?.() ?? []);
/**
 * The appended regions, after the volume; a tree file a region holds (and its hard links) takes the
 * region's first block.
 */
function reserveRegions(regions, cur) {
    const out = [];
    for (const region of regions) {
        const blocks = blocksFor(region.bytes);
        const lba = cur.take(blocks);
        for (const f of region.file ? (region.file.linkGroup?.members ?? [region.file]) : [])
            f.lba = lba;
        out.push({ region, lba, blocks });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/image/rockridge.ts
/**
 * SUSP (IEEE P1281) and RRIP 1.12 (IEEE P1282) system use entries, both ways.
 * Each entry is `sig(2) len(1) version(1) data`.
 */

/** SUSP 4.1: an entry's header: signature (2 bytes), length (1), version (1); its data follows. */
const SUSP = { sig: 0, length: 2, version: 3, data: 4 };
/** SUSP 5.3: SP data: the check bytes 0xBE 0xEF, then the bytes to skip in every later area. */
const SP = { check: 0, checkBytes: [0xbe, 0xef], skip: 2, dataLength: 3 };
/** SUSP 5.1: CE data, both-endian 32-bit: the area's block, offset and length. */
const CE = { block: 0, offset: 8, length: 16, dataLength: 24 };
/** RRIP 4.1.1: PX data, both-endian 32-bit: mode, links, uid, gid (RRIP 1.10 ends here), serial (1.12). */
const PX = { mode: 0, nlink: 8, uid: 16, gid: 24, serial: 32, minData: 32, dataLength: 40 };
/** RRIP 4.1.4: NM data: flags, then the name's bytes. */
const NM = { flags: 0, name: 1, CONTINUE: 1, CURRENT: 2, PARENT: 4 };
/** RRIP 4.1.5.1: CL data: the block of the relocated directory (both-endian 32-bit). */
const CL = { location: 0, dataLength: 8 };
function entry(sig, data, version = 1) {
    const len = SUSP.data + data.length;
    if (len > 255)
        throw new RangeError(`${sig} entry of ${len} bytes`);
    const b = Buffer.alloc(len);
    header(b, 0, sig, len, version);
    data.copy(b, SUSP.data);
    return b;
}
/** SUSP 5.3: SP, first entry of the root's "." record; skip length 0. */
function encodeSP() {
    return entry('SP', Buffer.from([...SP.checkBytes, 0]));
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
/** An entry's header written in place: `sig(2) len(1) version(1)`. */
function header(b, off, sig, len, version = 1) {
    b.write(sig, off + SUSP.sig, 'latin1');
    b[off + SUSP.length] = len;
    b[off + SUSP.version] = version;
}
/** SUSP 5.1: CE, continuation area (block, offset, length). */
function encodeCE(block, offset, length) {
    const d = Buffer.alloc(CE.dataLength);
    writeBoth32(d, CE.block, block);
    writeBoth32(d, CE.offset, offset);
    writeBoth32(d, CE.length, length);
    return entry('CE', d);
}
const CE_LENGTH = SUSP.data + CE.dataLength;
/** RRIP 4.1.1: PX, POSIX attributes (1.12 form with serial number: 44 bytes). */
function encodePX(mode, nlink, uid, gid, serial) {
    const b = Buffer.alloc(PX_LENGTH);
    writePX(b, 0, mode, nlink, uid, gid, serial);
    return b;
}
const PX_LENGTH = SUSP.data + PX.dataLength;
/** encodePX's bytes written at `off` of `b`; returns the offset after them. */
function writePX(b, off, mode, nlink, uid, gid, serial) {
    header(b, off, 'PX', PX_LENGTH);
    const d = off + SUSP.data;
    writeBoth32(b, d + PX.mode, mode);
    writeBoth32(b, d + PX.nlink, nlink);
    writeBoth32(b, d + PX.uid, uid);
    writeBoth32(b, d + PX.gid, gid);
    writeBoth32(b, d + PX.serial, serial);
    return off + PX_LENGTH;
}
// RRIP 4.1.6 TF flags
const TF_CREATION = 1;
const TF_MODIFY = 2;
const TF_ACCESS = 4;
const TF_ATTRIBUTES = 8;
/** RRIP 4.1.6: TF with modify, access and attribute-change times, 7-byte form (26 bytes). */
function encodeTF(time) {
    const b = Buffer.alloc(TF_LENGTH);
    writeTF(b, 0, time);
    return b;
}
const TF_LENGTH = 26;
/** encodeTF's bytes written at `off` of `b`; returns the offset after them. */
function writeTF(b, off, time) {
    header(b, off, 'TF', TF_LENGTH);
    b[off + 4] = TF_MODIFY | TF_ACCESS | TF_ATTRIBUTES;
    for (let i = 0; i < 3; i++)
        writeRecordDate(b, off + 5 + 7 * i, time);
    return off + TF_LENGTH;
}
/** Most bytes of a name that one NM entry holds. */
const NM_MAX_NAME = 250;
/** RRIP 4.1.4: NM, split over several entries when the name exceeds one (250 bytes each). */
function encodeNM(name) {
    const bytes = Buffer.from(name, 'utf8');
    const out = [];
    const max = NM_MAX_NAME;
    for (let off = 0; off < bytes.length || out.length === 0; off += max) {
        const part = bytes.subarray(off, off + max);
        const more = off + max < bytes.length;
        out.push(entry('NM', Buffer.concat([Buffer.from([more ? NM.CONTINUE : 0]), part])));
    }
    return out;
}
/**
 * encodeNM's bytes for a name that fits one entry (`nameBytes`, its UTF-8 length, at most
 * NM_MAX_NAME), written at `off` of `b`; returns the offset after them.
 */
function writeNM(b, off, name, nameBytes) {
    const len = SUSP.data + NM.name + nameBytes;
    header(b, off, 'NM', len);
    b[off + SUSP.data + NM.flags] = 0;
    b.write(name, off + SUSP.data + NM.name, nameBytes, 'utf8');
    return off + len;
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
    // Pack components into SL entries of at most 250 data bytes. When an entry fills up, the
    // component that overflows is split across the two entries with the component CONTINUE flag, so
    // that readers which join entries without a separator (libarchive) and readers which add one
    // unless the last component continues (Linux) both rebuild the same target.
    const maxData = 255 - 5; // header 4 + SL flags 1
    const entries = [[]];
    let used = 0;
    const room = () => maxData - used;
    const push = (c) => {
        entries[entries.length - 1].push(c);
        used += 2 + c.bytes.length;
    };
    const next = () => {
        entries.push([]);
        used = 0;
    };
    for (const c of comps) {
        if (2 + c.bytes.length <= room()) {
            push(c);
            continue;
        }
        if (c.bytes.length > 0 && room() >= 3) {
            const k = room() - 2;
            push({ flags: c.flags | SLC_CONTINUE, bytes: c.bytes.subarray(0, k) });
            next();
            push({ flags: c.flags, bytes: c.bytes.subarray(k) });
            continue;
        }
        // a special component (., .., /) or no room left: move the last byte of the previous text
        // component over, so the break still falls inside a component
        const cur = entries[entries.length - 1];
        const last = cur[cur.length - 1];
        if (last && last.bytes.length >= 2 && !(last.flags & SLC_CONTINUE)) {
            cur[cur.length - 1] = {
                flags: last.flags | SLC_CONTINUE,
                bytes: last.bytes.subarray(0, last.bytes.length - 1)
            };
            next();
            push({ flags: last.flags, bytes: last.bytes.subarray(last.bytes.length - 1) });
        }
        else
            next();
        push(c);
    }
    return entries.map((list, i) => entry('SL', Buffer.concat([
        Buffer.from([i < entries.length - 1 ? 1 : 0]),
        ...list.map(c => Buffer.concat([Buffer.from([c.flags, c.bytes.length]), c.bytes]))
    ])));
}
/** A signature's two bytes as one number (SUSP 4.1), to compare an entry's in place. */
function suspSignature(sig) {
    return (sig.charCodeAt(0) << 8) | sig.charCodeAt(1);
}
/** The signatures the reader acts on, as suspSignature numbers. */
const SIG = {
    CE: suspSignature('CE'),
    CL: suspSignature('CL'),
    NM: suspSignature('NM'),
    PX: suspSignature('PX'),
    RE: suspSignature('RE'),
    SL: suspSignature('SL'),
    SP: suspSignature('SP'),
    ST: suspSignature('ST'),
    TF: suspSignature('TF')
};
/** The signature of the entry at `off` of `b`, as suspSignature makes it. */
function sigAt(b, off) {
    return (b[off + SUSP.sig] << 8) | b[off + SUSP.sig + 1];
}
/**
 * The length of the SUSP entry at `off` of an area of `b` that ends at `end`; 0 where the area
 * stops: ST (SUSP 5.4), padding, or a length that is too short or runs past the area.
 */
function suspEntryLength(b, off, end) {
    if (off + SUSP.data > end)
        return 0;
    const len = b[off + SUSP.length];
    if (len < SUSP.data || off + len > end || sigAt(b, off) === SIG.ST)
        return 0;
    return len;
}
/** Parse a system use area into entries; stops at ST, padding, or malformed lengths. */
function parseSusp(area, skip = 0) {
    const out = [];
    for (let off = skip, len; (len = suspEntryLength(area, off, area.length)) > 0; off += len) {
        const sig = area.toString('latin1', off + SUSP.sig, off + SUSP.sig + 2);
        out.push({ sig, version: area[off + SUSP.version], data: area.subarray(off + SUSP.data, off + len) });
    }
    return out;
}
/*
 * The decoders below read an entry's data in place, [d, end) of `b` (d: the data's first byte, end:
 * the entry's end), so that the tree walk allocates nothing per entry; each one's Buffer form
 * (decodeCE(data) …) is the same decoder over a whole buffer.
 */
/** A CE entry's data; undefined when it is too short to be one. */
function decodeCEAt(b, d, end) {
    if (end - d < CE.dataLength)
        return undefined;
    return {
        block: readBoth32(b, d + CE.block),
        offset: readBoth32(b, d + CE.offset),
        length: readBoth32(b, d + CE.length)
    };
}
function decodeCE(d) {
    return decodeCEAt(d, 0, d.length);
}
/**
 * SUSP 5.3: the bytes to skip in every system use area after the root's "." one, when its area
 * ([start, end) of `b`) begins with SP and its check bytes; else undefined (no SUSP).
 */
function spSkipAt(b, start, end) {
    const d = start + SUSP.data;
    if (end - start < SUSP.data + SP.dataLength || sigAt(b, start) !== SIG.SP)
        return undefined;
    if (b[d + SP.check] !== SP.checkBytes[0] || b[d + SP.check + 1] !== SP.checkBytes[1])
        return undefined;
    return b[d + SP.skip];
}
/** spSkipAt of a whole area (that record's system use). */
function spSkip(area) {
    return spSkipAt(area, 0, area.length);
}
/** Where an NM entry's part of the name starts (it ends with the entry), or -1 for a "." or ".." NM (or one without flags). */
function nmPartAt(b, d, end) {
    if (end - d <= NM.flags || b[d + NM.flags] & (NM.CURRENT | NM.PARENT))
        return -1;
    return d + NM.name;
}
/** An NM entry's part of the name, or undefined for a "." or ".." NM (or one without flags). */
function decodeNM(d) {
    const at = nmPartAt(d, 0, d.length);
    return at < 0 ? undefined : d.subarray(at);
}
/** A CL entry's directory block; undefined when it is too short to be one. */
function decodeCLAt(b, d, end) {
    return end - d >= CL.dataLength ? b.readUInt32LE(d + CL.location) : undefined;
}
function decodeCL(d) {
    return decodeCLAt(d, 0, d.length);
}
/** A PX entry's data (RRIP 1.10 or 1.12) into `out`; false (`out` untouched) when it is too short to be one. */
function decodePXAt(b, d, end, out) {
    if (end - d < PX.minData)
        return false;
    out.mode = readBoth32(b, d + PX.mode);
    out.nlink = readBoth32(b, d + PX.nlink);
    out.uid = readBoth32(b, d + PX.uid);
    out.gid = readBoth32(b, d + PX.gid);
    out.serial = end - d >= PX.dataLength ? readBoth32(b, d + PX.serial) : undefined;
    return true;
}
/** A PX entry's data (RRIP 1.10 or 1.12); undefined when it is too short to be one. */
function decodePX(d) {
    const px = { mode: 0, nlink: 0, uid: 0, gid: 0, serial: undefined };
    return decodePXAt(d, 0, d.length, px) ? px : undefined;
}
/** A TF entry's modify time (seconds), when present in the short form. */
function tfModifyAt(b, d, end) {
    const flags = d < end ? b[d] : 0;
    if (flags & 0x80)
        return undefined; // long form: not produced by us; ignored
    let off = d + 1;
    for (const bit of TF_ORDER) {
        if (flags & bit) {
            if (off + 7 > end)
                return undefined;
            if (bit === TF_MODIFY)
                return bytes_readRecordDate(b, off);
            off += 7;
        }
    }
    return undefined;
}
/** RRIP 4.1.6: the order of TF's time stamps. */
const TF_ORDER = [TF_CREATION, TF_MODIFY, TF_ACCESS, TF_ATTRIBUTES];
/** Returns the modify time (seconds) when present. */
function decodeTF(d) {
    const modify = tfModifyAt(d, 0, d.length);
    return modify === undefined ? {} : { modify };
}
/** Accumulates an SL entry's components (its data in place) into a target; true when the target continues in the next SL (its CONTINUE flag). */
function decodeSLAt(b, d, end, state) {
    let off = d + 1;
    while (off + 2 <= end) {
        const f = b[off];
        const len = b[off + 1];
        if (off + 2 + len > end)
            break;
        let comp;
        if (f & SLC_ROOT)
            comp = '';
        else if (f & SLC_CURRENT)
            comp = '.';
        else if (f & SLC_PARENT)
            comp = '..';
        else
            comp = b.toString('utf8', off + 2, off + 2 + len);
        state.partial += comp;
        if (!(f & SLC_CONTINUE)) {
            state.parts.push(state.partial);
            state.partial = '';
        }
        off += 2 + len;
    }
    return d < end && (b[d] & 1) === 1;
}
/** Accumulates SL entries into a target; returns the text so far. */
function decodeSLComponents(d, state) {
    return decodeSLAt(d, 0, d.length, state);
}
function slTarget(parts) {
    if (parts.length > 0 && parts[0] === '')
        return '/' + parts.slice(1).join('/');
    return parts.join('/');
}

;// CONCATENATED MODULE: ./src/image/cepool.ts
/**
 * The CE pool: every record's SUSP continuation areas (SUSP 5.1) packed into blocks of their own,
 * never crossing a block, in the order the plan met them; and the pool's bytes.
 */


/** Gives each area its block (from the pool's first) and offset; returns the pool's blocks. */
function packCeAreas(areas) {
    let blocks = 0;
    let off = 0;
    for (const list of areas) {
        for (const a of list) {
            if (off + a.bytes > SECTOR) {
                blocks++;
                off = 0;
            }
            a.block = blocks;
            a.offset = off;
            off += a.bytes;
        }
    }
    if (off > 0 || areas.length)
        blocks++;
    return blocks;
}
/** The pool's bytes; `ceLba` is its first block as the tree addresses it (each area's CE to the next). */
function encodeCePool(areas, blocks, ceLba) {
    const out = Buffer.alloc(blocks * SECTOR);
    for (const list of areas) {
        list.forEach((a, i) => {
            let off = a.block * SECTOR + a.offset;
            for (const e of a.entries) {
                e.copy(out, off);
                off += e.length;
            }
            const next = list[i + 1];
            if (next)
                encodeCE(ceLba + next.block, next.offset, next.bytes).copy(out, off);
        });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/image/records.ts
/**
 * Directory-record helpers of the plan: how Rock Ridge entries are split between a record and its
 * continuation areas (SUSP 5.1), and where records fall in a directory extent.
 */


/** Split Rock Ridge entries between a record (`room` bytes) and continuation areas. */
function splitSu(entries, room) {
    const total = entries.reduce((n, e) => n + e.length, 0);
    // the common case: one buffer per record, not one per entry (memory grows with the number of files)
    if (total <= room)
        return { inRecord: [Buffer.concat(entries, total)], areas: [] };
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
        if (bytes + e.length + CE_LENGTH > SECTOR && !(bytes + need <= SECTOR)) {
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
/** Where each record of a directory goes: in order, never across a sector (ECMA-119 6.8.1.1). */
/** Where records go in a directory extent: in order, never across a sector (ECMA-119 6.8.1.1). */
class Packer {
    end = 0;
    /** The offset of a record of `len` bytes. */
    place(len) {
        if ((this.end % SECTOR) + len > SECTOR)
            this.end += SECTOR - (this.end % SECTOR);
        const at = this.end;
        this.end += len;
        return at;
    }
    /** The extent's size: whole sectors, at least one. */
    size() {
        return blocksFor(Math.max(this.end, 1)) * SECTOR;
    }
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
/**
 * Bytes of rrEntries(node, nlink, [], withName) when they are PX, TF and at most one NM: not a
 * symbolic link, and a name of at most 250 bytes (`nameBytes`, its UTF-8 length). Undefined
 * otherwise. Such entries need not be kept from plan to write: writeRr makes them again.
 */
function rrLength(node, nameBytes, withName = true) {
    if (node.kind === 'symlink' || nameBytes > NM_MAX_NAME)
        return undefined;
    return PX_LENGTH + TF_LENGTH + (withName ? 5 + nameBytes : 0);
}
/** The bytes of rrEntries (for a node rrLength takes) written at `off` of `b`; returns the end. */
function writeRr(b, off, node, nlink, nameBytes, withName = true) {
    off = writePX(b, off, node.mode, nlink, node.uid, node.gid, node.serial);
    off = writeTF(b, off, node.mtime);
    return withName ? writeNM(b, off, node.name, nameBytes) : off;
}

;// CONCATENATED MODULE: ./src/image/dirrec.ts
/** ECMA-119 9.1: directory records, both ways. */

// ECMA-119 9.1.6: file flags
const FLAG_HIDDEN = 0x01;
const FLAG_DIRECTORY = 0x02;
const FLAG_MULTI_EXTENT = 0x80;
/** ECMA-119 9.1: the fields of a directory record, by offset (both-endian fields take 2 × n bytes). */
const DIR_RECORD = {
    length: 0, // 9.1.1
    extAttrLength: 1, // 9.1.2
    extent: 2, // 9.1.3 both32
    dataLength: 10, // 9.1.4 both32
    date: 18, // 9.1.5, 7 bytes
    flags: 25, // 9.1.6
    fileUnitSize: 26, // 9.1.7
    interleaveGap: 27, // 9.1.8
    volumeSequence: 28, // 9.1.9 both16
    idLength: 32, // 9.1.10
    id: 33 // 9.1.11
};
/** ECMA-119 9.1: fixed part of a record before the file identifier. */
const DIR_RECORD_FIXED = DIR_RECORD.id;
/** The shortest record: a one-byte identifier ("." and ".." are 0x00 and 0x01, ECMA-119 6.8.2.2). */
const MIN_DIR_RECORD = DIR_RECORD_FIXED + 1;
const MAX_DIR_RECORD = 255;
/** Largest extent of a multi-extent file: 4 GiB - 2 KiB, a whole number of blocks (ECMA-119 9.1.4). */
const MAX_EXTENT = 0xfffff800;
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
    const su = writeDirRecordHead(b, 0, r.extent, r.size, r.date, r.flags, r.fileId.length, r.systemUse.length);
    r.fileId.copy(b, DIR_RECORD.id);
    r.systemUse.copy(b, su);
    return b;
}
/**
 * encodeDirRecord in place: the fixed part of a record at `off` of a zeroed `b`, for an identifier
 * of `idLen` bytes and `suLen` bytes of system use, which the caller writes at `off + 33` and at the
 * offset returned. The record takes recordLength(idLen, suLen) bytes, rounded up to even.
 */
function writeDirRecordHead(b, off, extent, size, date, flags, idLen, suLen) {
    const len = recordLength(idLen, suLen);
    if (len > MAX_DIR_RECORD)
        throw new RangeError(`directory record of ${len} bytes`);
    b[off + DIR_RECORD.length] = len + (len % 2); // records are even-length
    b[off + DIR_RECORD.extAttrLength] = 0;
    writeBoth32(b, off + DIR_RECORD.extent, extent);
    writeBoth32(b, off + DIR_RECORD.dataLength, size);
    writeRecordDate(b, off + DIR_RECORD.date, date);
    b[off + DIR_RECORD.flags] = flags;
    b[off + DIR_RECORD.fileUnitSize] = 0;
    b[off + DIR_RECORD.interleaveGap] = 0;
    writeBoth16(b, off + DIR_RECORD.volumeSequence, 1);
    b[off + DIR_RECORD.idLength] = idLen;
    return off + DIR_RECORD_FIXED + idFieldLength(idLen);
}
class RecordError extends Error {
}
/** A view to fill (viewDirRecord). */
function newRecordView() {
    return { extent: 0, size: 0, flags: 0, dateAt: 0, idStart: 0, idLength: 0, suStart: 0, suEnd: 0 };
}
/**
 * Read the record at `off` into `v`; returns its length, or 0 for a zero length byte (padding to the
 * end of a sector). Throws RecordError when the record's lengths do not add up inside `end`.
 */
function viewDirRecord(buf, off, end, v) {
    if (off >= end)
        return 0;
    const len = buf[off + DIR_RECORD.length];
    if (len === 0)
        return 0;
    if (len < MIN_DIR_RECORD || off + len > end) {
        throw new RecordError(`directory record at offset ${off} has length ${len}`);
    }
    const idLen = buf[off + DIR_RECORD.idLength];
    const suStart = DIR_RECORD_FIXED + idFieldLength(idLen);
    if (DIR_RECORD_FIXED + idLen > len)
        throw new RecordError(`directory record at offset ${off}: identifier longer than record`);
    v.extent = readBoth32(buf, off + DIR_RECORD.extent);
    v.size = readBoth32(buf, off + DIR_RECORD.dataLength);
    v.flags = buf[off + DIR_RECORD.flags];
    v.dateAt = off + DIR_RECORD.date;
    v.idStart = off + DIR_RECORD.id;
    v.idLength = idLen;
    v.suStart = off + Math.min(suStart, len);
    v.suEnd = off + len;
    return len;
}
/**
 * Parse the record at `off` (viewDirRecord's fields, copied out). Returns undefined for a zero
 * length byte (padding to the end of a sector). Throws RecordError when the record's lengths do not
 * add up inside `end`.
 */
function parseDirRecord(buf, off, end = buf.length) {
    const v = newRecordView();
    const length = viewDirRecord(buf, off, end, v);
    if (length === 0)
        return undefined;
    const record = {
        extent: v.extent,
        size: v.size,
        date: readRecordDate(buf, v.dateAt),
        flags: v.flags,
        fileId: buf.subarray(v.idStart, v.idStart + v.idLength),
        systemUse: v.suStart < v.suEnd ? buf.subarray(v.suStart, v.suEnd) : Buffer.alloc(0)
    };
    return { record, length };
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
    // d-characters: A-Z 0-9 _ (ECMA-119 7.4.1); any other character (code point) becomes one '_'
    return s.toUpperCase().replace(/[^A-Z0-9_]/gu, '_');
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
/** The identifier without its version: what must be unique among the records of one directory. */
function isoKey(base, ext, isDir) {
    return isDir ? base : `${base}.${ext}`;
}
/** Colliding identifiers are numbered with up to this many decimal digits (10^7 - 1 of one name). */
const MAX_DIGITS = 7;
/**
 * The identifiers (without version) for one group of colliding candidates: each gets a number of
 * `digits` digits at the end of its name part (before the extension), the name cut to make room
 * within the level's length (ECMA-119 7.5.2, 7.6.3), skipping numbers whose identifier is
 * `taken`; with more digits when one width is not enough. Digits are d-characters (7.4.1).
 */
function numberGroup(base, ext, isDir, count, taken) {
    for (let digits = 1; digits <= MAX_DIGITS; digits++) {
        const room = (isDir ? ISO_DIR_MAX : ISO_FILE_MAX - ext.length) - digits;
        const stem = base.slice(0, room);
        const got = [];
        for (let n = 0; got.length < count && n < 10 ** digits; n++) {
            const key = isoKey(stem + String(n).padStart(digits, '0'), ext, isDir);
            if (!taken.has(key))
                got.push(key);
        }
        if (got.length === count)
            return got;
    }
    throw new RangeError(`more than ${10 ** MAX_DIGITS - 1} names in one directory are ${base}`);
}
/**
 * Assign ISO 9660 identifiers to the children of one directory. `entries` must be in a
 * deterministic order (sorted). Names whose identifiers collide are all numbered, in that order,
 * with d-characters only (as libisofs/xorriso do): `Case.txt`, `case.TXT` → `CASE0.TXT;1`,
 * `CASE1.TXT;1`; a number already used by another child's identifier is skipped.
 */
function assignIsoNames(entries) {
    const parts = entries.map(e => isoBase(e.name, e.isDir));
    const keys = parts.map((p, i) => isoKey(p.base, p.ext, entries[i].isDir));
    const groups = new Map();
    keys.forEach((k, i) => {
        const g = groups.get(k);
        if (g)
            g.push(i);
        else
            groups.set(k, [i]);
    });
    const taken = new Set(keys);
    for (const members of groups.values()) {
        if (members.length < 2)
            continue;
        const { base, ext } = parts[members[0]];
        const isDir = entries[members[0]].isDir;
        const renamed = numberGroup(base, ext, isDir, members.length, taken);
        members.forEach((m, j) => {
            keys[m] = renamed[j];
            taken.add(renamed[j]);
        });
    }
    return keys.map((k, i) => (entries[i].isDir ? k : `${k};1`));
}
/**
 * UTF-16 code units of a name, with characters Windows cannot hold in a name replaced (the Joliet
 * spec 3.3.1 also lists `;`, but it is legal in Windows names and Windows and 7-Zip show it, so it is
 * kept: `a;b.txt` reads back as itself).
 */
function jolietUnits(name) {
    // String in JS is UTF-16 already: astral characters are surrogate pairs, which Windows reads.
    return name.replace(/[\x00-\x1f*/:?\\"<>|]/g, '_');
}
/** Whether a name is longer than a Joliet identifier can be, so its Joliet name is cut. */
function jolietCuts(name) {
    return jolietUnits(name).length > JOLIET_MAX;
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
    return compareIsoIdText(a.toString('latin1'), b.toString('latin1'));
}
/** compareIsoIds for identifiers as text, one character a byte (latin1), as assignIsoNames gives them. */
function compareIsoIdText(a, b) {
    const pa = idParts(a);
    const pb = idParts(b);
    return (padCmp(a, 0, pa.nameEnd, b, 0, pb.nameEnd) ||
        padCmp(a, pa.extStart, pa.extEnd, b, pb.extStart, pb.extEnd) ||
        padCmp(b, pb.verStart, b.length, a, pa.verStart, a.length) // higher version first
    );
}
/** An identifier's parts: name [0, nameEnd), extension [extStart, extEnd), version [verStart, end). */
function idParts(s) {
    const semi = s.lastIndexOf(';');
    const body = semi >= 0 ? semi : s.length;
    const verStart = semi >= 0 ? semi + 1 : s.length;
    const dot = s.indexOf('.');
    if (dot >= 0 && dot < body)
        return { nameEnd: dot, extStart: dot + 1, extEnd: body, verStart };
    return { nameEnd: body, extStart: body, extEnd: body, verStart };
}
/** Compare x[xs, xe) with y[ys, ye) byte by byte, the shorter padded with spaces. */
function padCmp(x, xs, xe, y, ys, ye) {
    const xl = Math.max(0, xe - xs);
    const yl = Math.max(0, ye - ys);
    const n = Math.max(xl, yl);
    for (let i = 0; i < n; i++) {
        const cx = i < xl ? x.charCodeAt(xs + i) & 0xff : 0x20;
        const cy = i < yl ? y.charCodeAt(ys + i) & 0xff : 0x20;
        if (cx !== cy)
            return cx - cy;
    }
    return 0;
}

;// CONCATENATED MODULE: ./src/image/namespace.ts
/**
 * The two namespaces of the image: ISO 9660 (ECMA-119 9.3 order, one byte a character, Rock Ridge
 * in its records) and Joliet (UTF-16BE identifiers in code unit order, no system use). A
 * directory's records are a function of the tree alone: the plan asks for them to size the extent,
 * and the writer asks again to fill it, so both see the same records in the same order.
 */



/** A record's length on disk: records are even-length (ECMA-119 9.1.12, SUSP pads the area). */
function evenRecord(idLen, suLen) {
    const len = recordLength(idLen, suLen);
    return len + (len % 2);
}
/** Records a node takes: a file larger than one extent takes one per extent (ECMA-119 6.5.1). */
function extentsOf(n) {
    return n.kind === 'file' ? Math.max(1, Math.ceil(n.size / MAX_EXTENT)) : 1;
}
const visible = (d) => d.children.filter(c => !c.hidden);
/** indices of `ids` in the order of `cmp` (stable) */
const orderOf = (ids, cmp) => ids.map((_, i) => i).sort((a, b) => cmp(ids[a], ids[b]));
const namespace_select = (kids, names, order) => ({
    nodes: order.map(i => kids[i]),
    ids: order.map(i => names[i])
});
/** UTF-16 code unit order: the order of the UTF-16BE bytes */
const compareUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const ROOT_ID = Buffer.from([0]);
/** ISO 9660: symbolic links only with Rock Ridge (an SL entry is all they are). */
function isoNamespace(rockRidge) {
    return {
        key: 'iso',
        rockRidge,
        records(d) {
            const kids = visible(d).filter(c => c.kind !== 'symlink' || rockRidge);
            const names = assignIsoNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
            return namespace_select(kids, names, orderOf(names, compareIsoIdText));
        },
        idLength: id => id.length,
        writeId: (out, at, id) => out.write(id, at, 'latin1'),
        pathTableId: (id, isRoot) => (isRoot ? ROOT_ID : Buffer.from(id, 'latin1'))
    };
}
/** Joliet: no symbolic links. */
function jolietNamespace() {
    return {
        key: 'jol',
        rockRidge: false,
        records(d) {
            const kids = visible(d).filter(c => c.kind !== 'symlink');
            const names = assignJolietNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
            return namespace_select(kids, names, orderOf(names, compareUnits));
        },
        idLength: id => 2 * id.length,
        writeId: (out, at, id) => writeUtf16BE(out, at, id),
        pathTableId: (id, isRoot) => (isRoot ? ROOT_ID : encodeUtf16BE(id))
    };
}

;// CONCATENATED MODULE: ./src/image/sysuse.ts
/**
 * The system use areas of the ISO 9660 records (SUSP, RRIP 1.12): which records keep their Rock
 * Ridge entries from plan to write, the continuation areas they spill into, and the rule both the
 * plan (sizes) and the writer (bytes) use for the length and the bytes of an area. Nearly every
 * record is PX, TF and one NM that fit: those are made again at write time from the node.
 */



/** Room for system use in the "." and ".." records (one byte of identifier, one of padding). */
const DOT_ROOM = MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1;
function newSystemUse(rockRidge, nlink) {
    return { rockRidge, nlink, kept: new Map(), areas: [] };
}
const nameBytes = (n) => Buffer.byteLength(n.name, 'utf8');
function note(su, plan) {
    if (plan.areas.length)
        su.areas.push(plan.areas);
    return plan;
}
/**
 * Rock Ridge entries of a record: undefined when they are PX, TF and at most one NM and fit
 * (the writer makes them again from the node), else split and kept.
 */
function keep(su, entries, simple, room) {
    return simple !== undefined && simple <= room ? undefined : note(su, splitSu(entries(), room));
}
/** The entries of "." and ".." that must be kept (the root's "." has SP and ER: always kept). */
function keepDots(su, node, parent, isRoot) {
    const selfEntries = (n) => rrEntries(n, su.nlink(n), [], false);
    const dot = isRoot
        ? note(su, splitSu([encodeSP(), ...selfEntries(node), encodeER()], DOT_ROOM))
        : keep(su, () => selfEntries(node), rrLength(node, 0, false), DOT_ROOM);
    const dotdot = keep(su, () => selfEntries(parent), rrLength(parent, 0, false), DOT_ROOM);
    return { dot, dotdot };
}
/** The entries of a child's record that must be kept, in `su.kept`. */
function keepChild(su, n, idLen) {
    const room = MAX_DIR_RECORD - DIR_RECORD_FIXED - idFieldLength(idLen);
    const plan = keep(su, () => rrEntries(n, su.nlink(n)), rrLength(n, nameBytes(n)), room - (room % 2));
    if (plan)
        su.kept.set(n, plan);
}
/** System use bytes of a "." or ".." record for `node`. */
function dotSuLength(su, node, kept) {
    return !su.rockRidge ? 0 : kept ? suBytes(kept) : rrLength(node, 0, false);
}
/** System use bytes of a child's ISO 9660 record. */
function childSuLength(su, n) {
    if (!su.rockRidge)
        return 0;
    const kept = su.kept.get(n);
    return kept ? suBytes(kept) : rrLength(n, nameBytes(n));
}
/**
 * A record's system use area at `at` of `out`: its kept entries and a CE to its first continuation
 * area (`ceLba`: the CE pool's block as this tree's records address it), or PX, TF (and NM) anew.
 */
function writeSu(out, at, su, node, kept, withName, ceLba) {
    if (!kept) {
        writeRr(out, at, node, su.nlink(node), withName ? nameBytes(node) : 0, withName);
        return;
    }
    for (const e of kept.inRecord) {
        e.copy(out, at);
        at += e.length;
    }
    if (kept.areas.length) {
        const a = kept.areas[0];
        encodeCE(ceLba + a.block, a.offset, a.bytes).copy(out, at);
    }
}

;// CONCATENATED MODULE: ./src/image/extent.ts
/**
 * Where each record of a directory extent goes, in one namespace: ".", "..", then the records in
 * order, one per extent of a multi-extent file, never across a sector (ECMA-119 6.8.1.1). The plan
 * runs it to size the extent and the writer runs it again to fill it: one rule for both.
 */



/** Places the records of an extent (telling `visit` where each goes); returns the extent's size. */
function placeRecords(ns, su, recs, dots, visit) {
    const packer = new Packer();
    dots.forEach((d, which) => {
        const suLen = ns.rockRidge ? dotSuLength(su, d.node, d.kept) : 0;
        const at = packer.place(evenRecord(1, suLen));
        visit?.dot(which, { at, idLen: 1, suLen });
    });
    for (let i = 0; i < recs.nodes.length; i++) {
        const n = recs.nodes[i];
        const idLen = ns.idLength(recs.ids[i]);
        const suLen = ns.rockRidge ? childSuLength(su, n) : 0;
        const len = evenRecord(idLen, suLen);
        for (let k = 0, count = extentsOf(n); k < count; k++) {
            const at = packer.place(len);
            visit?.child(i, k, { at, idLen, suLen });
        }
    }
    return packer.size();
}

;// CONCATENATED MODULE: ./src/image/pathtable.ts
/** ECMA-119 9.4: path table records, both byte orders, both ways. */
/**
 * ECMA-119 6.9.1: a path table lists directories by level, then by the number of their parent,
 * then by their identifier in that table's hierarchy. When `children` gives each directory's
 * subdirectories in the identifier order of that hierarchy, that is breadth-first order.
 */
function pathTableOrder(root, children) {
    const out = [root];
    for (let i = 0; i < out.length; i++)
        out.push(...children(out[i]));
    return out;
}
/** ECMA-119 9.4: a path table record's fields, by offset; one byte order per table (L or M). */
const PATH_TABLE_RECORD = {
    idLength: 0, // 9.4.1
    extAttrLength: 1, // 9.4.2
    extent: 2, // 9.4.3, 32-bit
    parent: 6, // 9.4.4, 16-bit
    id: 8 // 9.4.5, then a padding byte when the length is odd (9.4.6)
};
/** ECMA-119 9.4.3-9.4.6: len_di, ext attr len, extent (4), parent number (2), id, pad to even. */
function pathTableRecordLength(idLen) {
    return PATH_TABLE_RECORD.id + idLen + (idLen % 2);
}
function encodePathTable(entries, bigEndian) {
    let size = 0;
    for (const e of entries)
        size += pathTableRecordLength(e.id.length);
    const b = Buffer.alloc(size);
    let off = 0;
    for (const e of entries) {
        const R = PATH_TABLE_RECORD;
        b[off + R.idLength] = e.id.length;
        b[off + R.extAttrLength] = 0;
        if (bigEndian) {
            b.writeUInt32BE(e.extent, off + R.extent);
            b.writeUInt16BE(e.parent, off + R.parent);
        }
        else {
            b.writeUInt32LE(e.extent, off + R.extent);
            b.writeUInt16LE(e.parent, off + R.parent);
        }
        e.id.copy(b, off + R.id);
        off += pathTableRecordLength(e.id.length);
    }
    return b;
}
/** Parse `size` bytes of a path table. Stops at malformed input with a RangeError. */
function parsePathTable(buf, bigEndian, maxEntries = 1 << 20) {
    const out = [];
    let off = 0;
    while (off < buf.length) {
        const R = PATH_TABLE_RECORD;
        const idLen = buf[off + R.idLength];
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
            id: buf.subarray(off + R.id, off + R.id + idLen),
            extent: bigEndian ? buf.readUInt32BE(off + R.extent) : buf.readUInt32LE(off + R.extent),
            parent: bigEndian ? buf.readUInt16BE(off + R.parent) : buf.readUInt16LE(off + R.parent)
        });
        off += len;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/image/dirplan.ts




/** The "." and ".." records of a directory's extents. */
function dotsOf(d) {
    return [
        { node: d.node, kept: d.iso.dot },
        { node: (d.parent ?? d).node, kept: d.iso.dotdot }
    ];
}
/** A name the Joliet tree cuts is said, once per file, with what Joliet readers see instead. */
function warnCut(log, recs, rockRidge) {
    recs.nodes.forEach((n, i) => {
        if (!log || !jolietCuts(n.name))
            return;
        const full = rockRidge ? 'Rock Ridge keeps the full name' : 'with rock-ridge off no tree keeps it';
        log.warn(`${n.path}: the name has ${n.name.length} UTF-16 units, more than Joliet's ${JOLIET_MAX}; ` +
            `Joliet readers (Windows, 7-Zip) see "${recs.ids[i]}" (${full})`, n.path);
    });
}
function planDirectories(root, iso, jol, su, log) {
    const dirs = [];
    const byNode = new Map();
    const mkDir = (node, parent, isoId, jolId) => {
        const d = { node, parent, index: 0, iso: { id: isoId, size: 0 }, jol: { id: jolId, size: 0 } };
        byNode.set(node, d);
        return d;
    };
    /** each directory's subdirectories in Joliet record order, for the Joliet path table */
    const jolSubdirs = new Map();
    const queue = [mkDir(root, undefined, '', '')];
    for (let qi = 0; qi < queue.length; qi++) {
        const d = queue[qi];
        d.index = dirs.length;
        dirs.push(d);
        const recs = iso.records(d.node);
        if (iso.rockRidge) {
            Object.assign(d.iso, keepDots(su, d.node, (d.parent ?? d).node, d.parent === undefined));
            recs.nodes.forEach((n, i) => keepChild(su, n, iso.idLength(recs.ids[i])));
        }
        d.iso.size = placeRecords(iso, su, recs, dotsOf(d));
        const jolIds = new Map();
        if (jol) {
            const jrecs = jol.records(d.node);
            warnCut(log, jrecs, iso.rockRidge);
            d.jol.size = placeRecords(jol, su, jrecs, dotsOf(d));
            jrecs.nodes.forEach((n, i) => n.kind === 'dir' && jolIds.set(n, jrecs.ids[i]));
            jolSubdirs.set(d, jrecs.nodes.filter((n) => n.kind === 'dir'));
        }
        // children directories in record order → queue (path table order: parent, then name)
        recs.nodes.forEach((n, i) => {
            if (n.kind === 'dir')
                queue.push(mkDir(n, d, recs.ids[i], jolIds.get(n) ?? ''));
        });
    }
    const order = { iso: dirs };
    if (jol)
        order.jol = pathTableOrder(dirs[0], d => (jolSubdirs.get(d) ?? []).map(n => byNode.get(n)));
    return { dirs, byNode, pathTableOrder: order };
}

;// CONCATENATED MODULE: ./src/image/encode-vd.ts


function rootRecord(root, key, blocks, bias) {
    return encodeDirRecord({
        extent: blocks.dirLba[root.index] - bias,
        size: root[key].size,
        date: root.node.mtime,
        flags: FLAG_DIRECTORY,
        fileId: Buffer.from([0]),
        systemUse: Buffer.alloc(0)
    });
}
function encodeVdSet(ts, root, facts, ptSize, extensionVds) {
    const { bias } = ts;
    const common = {
        ...facts.labels,
        volumeSpaceSize: facts.volumeBlocks - bias,
        created: facts.epoch
    };
    const namespaceVd = (key, blocks) => ({
        ...common,
        joliet: key === 'jol',
        pathTableSize: ptSize[key],
        lPathTable: blocks.ptL - bias,
        mPathTable: blocks.ptM - bias,
        rootRecord: rootRecord(root, key, blocks, bias)
    });
    const vds = [
        encodeVolumeDescriptor({
            ...namespaceVd('iso', ts.iso),
            type: VD_TYPE_PRIMARY
        }),
        ...extensionVds
    ];
    if (ts.jol)
        vds.push(encodeVolumeDescriptor({ ...namespaceVd('jol', ts.jol), type: VD_TYPE_SUPPLEMENTARY }));
    vds.push(encodeTerminator());
    return Buffer.concat(vds);
}

;// CONCATENATED MODULE: ./src/image/encode-dir.ts
/**
 * A directory extent's bytes in one namespace, made at write time from the tree and the plan by
 * the rule that sized it (extent.ts): the records, their system use areas, and their addresses as
 * one copy of the trees (TreeSet) records them.
 */






/** The `k`th extent of a node's records (files past MAX_EXTENT have several, ECMA-119 6.5.1). */
function targetOf(n, k, ns, blocks, byNode, bias) {
    if (n.kind === 'dir') {
        const dp = byNode.get(n);
        return { extent: blocks.dirLba[dp.index] - bias, size: dp[ns.key].size, flags: FLAG_DIRECTORY };
    }
    if (n.kind === 'symlink')
        return { extent: 0, size: 0, flags: 0 };
    const count = extentsOf(n);
    const last = k === count - 1;
    return {
        extent: n.size === 0 ? 0 : n.lba + k * (MAX_EXTENT / SECTOR) - bias,
        size: last ? n.size - MAX_EXTENT * (count - 1) : MAX_EXTENT,
        flags: last ? 0 : FLAG_MULTI_EXTENT
    };
}
function encodeDir(d, ns, ts, byNode, su) {
    const blocks = ns.key === 'iso' ? ts.iso : ts.jol;
    const { bias } = ts;
    const ceLba = ts.ceLba - bias;
    const recs = ns.records(d.node);
    const out = Buffer.alloc(d[ns.key].size);
    const dots = dotsOf(d);
    const dotDirs = [d, d.parent ?? d];
    placeRecords(ns, su, recs, dots, {
        dot(which, s) {
            const dp = dotDirs[which];
            const extent = blocks.dirLba[dp.index] - bias;
            const at = writeDirRecordHead(out, s.at, extent, dp[ns.key].size, dp.node.mtime, FLAG_DIRECTORY, 1, s.suLen);
            out[s.at + DIR_RECORD_FIXED] = which;
            if (ns.rockRidge)
                writeSu(out, at, su, dots[which].node, dots[which].kept, false, ceLba);
        },
        child(i, k, s) {
            const n = recs.nodes[i];
            const t = targetOf(n, k, ns, blocks, byNode, bias);
            const at = writeDirRecordHead(out, s.at, t.extent, t.size, n.mtime, t.flags, s.idLen, s.suLen);
            ns.writeId(out, s.at + DIR_RECORD_FIXED, recs.ids[i]);
            if (ns.rockRidge)
                writeSu(out, at, su, n, su.kept.get(n), true, ceLba);
        }
    });
    return out;
}

;// CONCATENATED MODULE: ./src/image/ptplan.ts

const idOf = (d, ns) => ns.pathTableId(d[ns.key].id, d.parent === undefined);
/** A path table's bytes (each byte order has one). */
function pathTableSize(order, ns) {
    return order.reduce((n, d) => n + pathTableRecordLength(idOf(d, ns).length), 0);
}
/**
 * The records, in `order`; `dirLba` holds the extents by DirPlan.index, `bias` is subtracted from
 * each. A directory's number is its place in `order`, from 1 (the root's parent is 1).
 */
function pathTableEntries(order, ns, dirLba, bias) {
    const num = new Map(order.map((d, i) => [d, i + 1]));
    return order.map(d => ({
        id: idOf(d, ns),
        extent: dirLba[d.index] - bias,
        parent: d.parent ? num.get(d.parent) : 1
    }));
}

;// CONCATENATED MODULE: ./src/image/pieces.ts
/**
 * The plan's pieces: what the writer emits, each at its block, and how its bytes are made once the
 * layout is final. One copy of the trees gives its descriptor set, path tables, directory extents
 * and CE pool.
 */





/** The pieces of one copy of the trees; `vdSet` makes its volume descriptor set (`vdBlocks` long). */
function treePieces(ts, shape, vdBlocks, vdSet) {
    const pieces = [{ kind: 'meta', lba: ts.vdLba, blocks: vdBlocks, produce: vdSet }];
    const meta = (lba, bytes, produce) => pieces.push({ kind: 'meta', lba, blocks: blocksFor(bytes), produce });
    for (const ns of shape.namespaces) {
        const blocks = ns.key === 'iso' ? ts.iso : ts.jol;
        const size = shape.ptSize[ns.key];
        const entries = () => pathTableEntries(shape.pathTableOrder[ns.key], ns, blocks.dirLba, ts.bias);
        meta(blocks.ptL, size, () => encodePathTable(entries(), false));
        meta(blocks.ptM, size, () => encodePathTable(entries(), true));
    }
    for (const ns of shape.namespaces) {
        const blocks = ns.key === 'iso' ? ts.iso : ts.jol;
        for (const d of shape.dirs)
            meta(blocks.dirLba[d.index], d[ns.key].size, () => encodeDir(d, ns, ts, shape.byNode, shape.su));
    }
    const { ceBlocks, su } = shape;
    if (ceBlocks)
        meta(ts.ceLba, ceBlocks * SECTOR, () => encodeCePool(su.areas, ceBlocks, ts.ceLba - ts.bias));
    return pieces;
}
/** Pieces in the image's order: the blocks' pieces by block, then the tails in the order given. */
function inImageOrder(blocks, tails) {
    const lba = (p) => (p.kind === 'tail' ? 0 : p.lba);
    return [...[...blocks].sort((a, b) => lba(a) - lba(b)), ...tails];
}

;// CONCATENATED MODULE: ./src/image/serials.ts
/**
 * Rock Ridge file serial numbers and link counts (RRIP 4.1.1, PX "POSIX File Serial Number" and
 * "POSIX File Links"), from the tree alone: the first step of the plan, since every PX the plan
 * sizes and the writer makes carries them.
 */

const isLinkFollower = (n) => n.kind === 'file' && !!n.linkGroup && n.linkGroup.members[0] !== n;
/** Numbers the nodes in tree order; the members of a hard-link group share the first one's. */
function assignSerials(root) {
    let serial = 1;
    walk(root, n => {
        if (!isLinkFollower(n))
            n.serial = serial++;
    });
    walk(root, n => {
        if (n.kind === 'file' && n.linkGroup && isLinkFollower(n))
            n.serial = n.linkGroup.members[0].serial;
    });
}
/**
 * Link counts, each counted once: a directory's is asked once per child (their ".."), a hard-link
 * group's once per member.
 */
function linkCounter() {
    const dirLinks = new Map();
    const groupLinks = new Map();
    return n => {
        if (n.kind === 'dir') {
            let k = dirLinks.get(n);
            if (k === undefined) {
                k = 2;
                for (const c of n.children)
                    if (c.kind === 'dir' && !c.hidden)
                        k++;
                dirLinks.set(n, k);
            }
            return k;
        }
        if (n.kind === 'file' && n.linkGroup) {
            let k = groupLinks.get(n.linkGroup);
            if (k === undefined) {
                k = n.linkGroup.members.filter(m => !m.hidden).length;
                groupLinks.set(n.linkGroup, k);
            }
            return k;
        }
        return 1;
    };
}

;// CONCATENATED MODULE: ./src/image/tails.ts
/** Zeros: the writer fills what a piece's bytes leave out. */
const ZEROS = () => Buffer.alloc(0);
function reserveTails(extensions, sizeSoFar) {
    const tails = [];
    let size = sizeSoFar;
    for (const e of extensions) {
        if (!e.padding)
            continue;
        const { bytes: min, align } = e.padding;
        const bytes = Math.ceil((size + min) / align) * align - size;
        if (bytes > 0)
            tails.push({ offset: size, bytes, produce: ZEROS });
        size += bytes;
    }
    const last = extensions.filter(e => e.tail);
    if (last.length > 1)
        throw new Error(`internal: ${last.map(e => e.name).join(' and ')} both end the image`);
    const t = last[0]?.tail?.(size);
    if (t && t.bytes > 0) {
        tails.push({ offset: size, bytes: t.bytes, produce: t.produce });
        size += t.bytes;
    }
    return { tails, imageSize: size };
}

;// CONCATENATED MODULE: ./src/image/plan.ts
/**
 * plan: names, record sizes and block addresses for every structure of the image, before a byte
 * is written. The result is an ordered list of pieces that the writer emits front to back. Each
 * step below takes and returns plain values; their order is the reason for each comment.
 */













/** Blocks of the volume descriptor set: PVD, the extensions' (boot record), SVD, terminator. */
function vdSetBlocks(o) {
    const extVds = o.extensions.reduce((n, e) => n + (e.volumeDescriptorCount ?? 0), 0);
    return 1 + extVds + (o.joliet ? 1 : 0) + 1;
}
/** The block of the copy's descriptor set, or 0 for none (ISO 9660 inside a partition, hybrid). */
function partitionOffsetOf(o, vdBlocks) {
    const offset = Math.max(0, ...o.extensions.map(e => e.partitionOffset ?? 0));
    if (offset > 0 && offset < vdBlocks)
        throw new RangeError(`partition offset ${offset} leaves no room for ${vdBlocks} volume descriptors`);
    return offset;
}
function makePlan(root, o) {
    // 1. serial numbers and link counts: every PX the next steps size carries them
    assignSerials(root);
    const su = newSystemUse(o.rockRidge, linkCounter());
    // 2. names, records and extent sizes of each namespace, breadth-first (the ISO 9660 path table's
    //    order; Joliet's has its own); the Rock Ridge entries that do not fit a record go to
    //    continuation areas
    const namespaces = [isoNamespace(o.rockRidge), ...(o.joliet ? [jolietNamespace()] : [])];
    const { dirs, byNode, pathTableOrder } = planDirectories(root, namespaces[0], namespaces[1], su, o.log);
    // 3. sizes that need every directory: the CE pool and the path tables
    const ceBlocks = packCeAreas(su.areas);
    const ptSize = Object.fromEntries(namespaces.map(ns => [ns.key, pathTableSize(pathTableOrder[ns.key], ns)]));
    const shape = { dirs, byNode, su, namespaces, ptSize, ceBlocks, pathTableOrder };
    // 4. blocks, one cursor from the end of the descriptor set: the trees (a partition-offset copy
    //    puts its descriptors at offset + 16 and its trees after ours), then file data, then the
    //    regions appended after the volume, then the tails (zero padding, then a backup GPT last).
    //    A region that holds a tree file (an ESP that is a file of the tree) is part of the volume
    //    space, as xorriso counts its appended partitions with -partition_offset 16 (Ubuntu's layout;
    //    without it, xorriso's volume ends before them): the file's extent lies inside the volume,
    //    where bsdtar looks (it skips a file past the volume's end; 7-Zip, isoinfo, xorriso and
    //    pycdlib read it either way).
    const vdBlocks = vdSetBlocks(o);
    const offset = partitionOffsetOf(o, vdBlocks);
    const cur = new Cursor(VD_SET_LBA + vdBlocks);
    if (offset > 0)
        cur.at = Math.max(cur.at, VD_SET_LBA + offset + vdBlocks);
    const main = reserveTree(cur, VD_SET_LBA, 0, shape);
    const copy = offset > 0 ? reserveTree(cur, VD_SET_LBA + offset, offset, shape) : undefined;
    const appended = regionsOf(o.extensions);
    const held = new Set(appended.flatMap(r => (r.file ? [r.file] : [])));
    const dataFiles = reserveFiles(root, o.order, cur, held);
    const filesEnd = cur.at;
    const regions = reserveRegions(appended, cur);
    const volumeBlocks = held.size > 0 ? cur.at : filesEnd;
    const { tails, imageSize } = reserveTails(o.extensions, cur.at * SECTOR);
    // 5. what extensions and deferred sources see of the layout, now final
    const byName = new Map(regions.map(r => [r.region.name, { lba: r.lba, blocks: r.blocks }]));
    const view = {
        volumeBlocks,
        imageSize,
        pvdLba: VD_SET_LBA,
        region(name) {
            const r = byName.get(name);
            if (!r)
                throw new RangeError(`no region ${name}`);
            return r;
        },
        file: (p) => fileAt(root, p)
    };
    // 6. the pieces, encoded at write time from the plan; in image order, the tails last
    const facts = { labels: o.labels, epoch: o.epoch, volumeBlocks };
    const vdSet = (ts) => () => encodeVdSet(ts, dirs[0], facts, ptSize, extensionVds(o, view));
    const pieces = inImageOrder([
        ...treePieces(main, shape, vdBlocks, vdSet(main)),
        ...(copy ? treePieces(copy, shape, vdBlocks, vdSet(copy)) : []),
        ...(dataFiles.length ? [{ kind: 'files', lba: dataFiles[0].lba, files: dataFiles }] : []),
        ...regions.map((r) => r.region.file
            ? { kind: 'file', lba: r.lba, file: r.region.file }
            : { kind: 'region', ...r, bytes: r.region.bytes })
    ], tails.map(t => ({ kind: 'tail', offset: t.offset, bytes: t.bytes, produce: () => t.produce(view) })));
    return {
        ...view,
        pieces,
        extensions: o.extensions,
        systemArea() {
            const area = Buffer.alloc(SYSTEM_AREA_BLOCKS * SECTOR);
            for (const e of o.extensions)
                e.systemArea?.(view, area);
            return area;
        }
    };
}
/** The extensions' volume descriptors (after the PVD), as many as each declared. */
function extensionVds(o, view) {
    const vds = [];
    for (const e of o.extensions) {
        if (!e.volumeDescriptorCount)
            continue;
        const got = e.encodeVolumeDescriptors?.(view) ?? [];
        if (got.length !== e.volumeDescriptorCount)
            throw new RangeError(`${e.name}: ${got.length} volume descriptors`);
        vds.push(...got);
    }
    return vds;
}

;// CONCATENATED MODULE: ./src/image/scan.ts
/** scan: the source directory → a tree of nodes. Symbolic links are recorded, never followed. */
// Synchronous calls: a scan is thousands of tiny metadata calls, where the promise API's overhead
// dominates; nothing else runs on this thread meanwhile.





/*
 * The scanned nodes. A tree of 200,000 files must stay small: each node keeps only the numbers the
 * image needs (no fs.Stats), and a file's image path and source path are made from its parent's
 * when asked for (directories keep theirs). All nodes of a kind are made by one constructor, so
 * they share one hidden class (object spread would give every node its own). What is the same for
 * every node of a kind (kind, uid, gid; no hidden flag, link group or replaced data) is a property
 * of the prototype, which an assignment to a node shadows.
 */
class ScannedDir {
    name;
    path;
    native;
    mode;
    mtime;
    win32;
    serial = 0;
    children = [];
    constructor(name, path, 
    /** the directory's path on the source file system ('' for a folder of a remaster's image) */
    native, mode, mtime, 
    /** names become image paths the platform's way (toImagePath) */
    win32) {
        this.name = name;
        this.path = path;
        this.native = native;
        this.mode = mode;
        this.mtime = mtime;
        this.win32 = win32;
    }
}
/** A child's image path: `dir.path` is one already (toImagePath), so only the name is converted. */
function childPath(dir, name) {
    const n = dir.win32 ? toImagePath(name, 'win32') : name;
    return dir.path === '' ? n : `${dir.path}/${n}`;
}
class ScannedFile {
    parent;
    name;
    mode;
    mtime;
    size;
    serial = 0;
    lba = 0;
    constructor(parent, name, mode, mtime, size) {
        this.parent = parent;
        this.name = name;
        this.mode = mode;
        this.mtime = mtime;
        this.size = size;
    }
    get path() {
        return childPath(this.parent, this.name);
    }
    get data() {
        return this.replaced ?? { type: 'file', path: external_node_path_.join(this.parent.native, this.name) };
    }
    set data(d) {
        this.replaced = d;
    }
}
class ScannedSymlink {
    parent;
    name;
    mtime;
    target;
    serial = 0;
    constructor(parent, name, mtime, target) {
        this.parent = parent;
        this.name = name;
        this.mtime = mtime;
        this.target = target;
    }
    get path() {
        return childPath(this.parent, this.name);
    }
}
Object.assign(ScannedDir.prototype, { kind: 'dir', uid: 0, gid: 0 });
Object.assign(ScannedFile.prototype, { kind: 'file', uid: 0, gid: 0 });
Object.assign(ScannedSymlink.prototype, { kind: 'symlink', uid: 0, gid: 0, mode: S_IFLNK | 0o777 });
const REPLACEMENT = '\uFFFD';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Whether `bytes` is valid UTF-8 (a name that holds U+FFFD itself is). */
function isUtf8(bytes) {
    try {
        strictUtf8.decode(bytes);
        return true;
    }
    catch {
        return false;
    }
}
/** A name's bytes for a message: valid UTF-8 as is, every other byte as `\xNN`. */
function escapeInvalidUtf8(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length;) {
        // the longest valid sequence starting here (UTF-8 sequences are 1 to 4 bytes)
        let len = Math.min(4, bytes.length - i);
        while (len > 0 && !isUtf8(bytes.subarray(i, i + len)))
            len--;
        if (len === 0) {
            out += `\\x${bytes[i].toString(16).padStart(2, '0')}`;
            i++;
        }
        else {
            out += Buffer.from(bytes.subarray(i, i + len)).toString('utf8');
            i += len;
        }
    }
    return out;
}
/**
 * Names in ISO 9660, Joliet and Rock Ridge are made from Unicode text, so a name that is not valid
 * UTF-8 (Latin-1 bytes from an old archive) is refused, naming the folder and showing the bytes.
 */
function refuseInvalidUtf8(folder) {
    let raw;
    try {
        raw = (0,external_node_fs_.readdirSync)(folder, { encoding: 'buffer' });
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, folder, 'cannot read directory');
    }
    const bad = raw.find(b => !isUtf8(b));
    if (bad === undefined)
        return;
    throw new errors/* IsoforgeError */.P1(`source folder ${folder}: the name "${escapeInvalidUtf8(bad)}" is not valid UTF-8; rename it (e.g. convmv -f latin1 -t utf8)`, { subject: folder });
}
/**
 * A hard link's group, made only once the tree holds a second name of the inode: a file whose
 * other names are outside the tree is no hard link of the image (and costs no group).
 */
function joinLinkGroup(linked, s, file) {
    let byIno = linked.get(s.dev);
    if (!byIno)
        linked.set(s.dev, (byIno = new Map()));
    const first = byIno.get(s.ino);
    if (!first)
        byIno.set(s.ino, file);
    else {
        const g = (first.linkGroup ??= { key: `${s.dev}:${s.ino}`, members: [first] });
        g.members.push(file);
        file.linkGroup = g;
    }
}
/** What a node that is no file, directory or link is, for the warning that skips it. */
function specialKind(s) {
    if (s.isFIFO())
        return 'FIFO';
    if (s.isSocket())
        return 'socket';
    return s.isBlockDevice() ? 'block device' : 'character device';
}
/** A folder's names in the image's order (compareNames); a name that is not UTF-8 is refused. */
function readNames(native) {
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(native);
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, native, 'cannot read directory');
    }
    // Linux names are bytes; Node decodes them as UTF-8 with U+FFFD for what is not. Only a name
    // showing U+FFFD is worth a second look at the bytes, so a scan of valid names costs nothing.
    if (names.some(n => n.includes(REPLACEMENT)))
        refuseInvalidUtf8(native);
    return names.sort(compareNames);
}
async function scanTree(opts) {
    const platform = opts.platform ?? process.platform;
    let st;
    try {
        st = await external_node_fs_.promises.stat(opts.source);
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, opts.source, 'source');
    }
    if (!st.isDirectory())
        throw new errors/* IsoforgeError */.P1(`source ${opts.source}: not a directory`, { subject: opts.source });
    const date = (s) => opts.epoch ?? Math.floor(s.mtimeMs / 1000);
    const linked = new Map();
    const res = {
        root: new ScannedDir('', '', opts.source, S_IFDIR | permissionBits('dir', st.mode, platform), date(st), platform === 'win32'),
        files: 0,
        dirs: 1,
        symlinks: 0,
        bytes: 0
    };
    const visit = async (dir) => {
        const native = dir.native;
        for (const name of readNames(native)) {
            const full = external_node_path_.join(native, name);
            let s;
            try {
                s = (0,external_node_fs_.lstatSync)(full);
            }
            catch (e) {
                throw (0,errors/* fsError */.yi)(e, full, 'cannot read');
            }
            let node;
            if (s.isDirectory()) {
                const mode = S_IFDIR | permissionBits('dir', s.mode, platform);
                const sub = new ScannedDir(name, childPath(dir, name), full, mode, date(s), dir.win32);
                res.dirs++;
                dir.children.push(sub);
                await visit(sub);
                continue;
            }
            else if (s.isFile()) {
                const mode = S_IFREG | permissionBits('file', s.mode, platform);
                const file = new ScannedFile(dir, name, mode, date(s), s.size);
                if (s.nlink > 1 && platform !== 'win32')
                    joinLinkGroup(linked, s, file);
                node = file;
                res.files++;
                res.bytes += s.size;
            }
            else if (s.isSymbolicLink()) {
                let target;
                try {
                    target = (0,external_node_fs_.readlinkSync)(full);
                }
                catch (e) {
                    throw (0,errors/* fsError */.yi)(e, full, 'cannot read link');
                }
                node = new ScannedSymlink(dir, name, date(s), toImagePath(target, platform));
                res.symlinks++;
            }
            else {
                const what = specialKind(s);
                opts.log.warn(`skipping ${what} ${full}: only files, directories and symbolic links go into an image`, full);
                continue;
            }
            dir.children.push(node);
        }
    };
    await visit(res.root);
    // as actions/upload-artifact warns when no files were found: the image is still valid
    if (res.root.children.length === 0)
        opts.log.warn(`source ${opts.source}: is empty; the image holds an empty root directory`, opts.source);
    return res;
}

// EXTERNAL MODULE: ./src/image/temporaries.ts
var temporaries = __nccwpck_require__(462);
;// CONCATENATED MODULE: ./src/image/file-digests.ts
const SHA256_BYTES = 32;
/** digests per slab: 1 MiB each, so growing never copies what is held */
const PER_SLAB = 32768;
class FileDigests {
    blocks = [];
    slabs = [];
    count = 0;
    get size() {
        return this.count;
    }
    /**
     * The digest of the file at `block`: the SHA256_BYTES of `from` at `offset`. Blocks come in
     * increasing order (the image is written front to back); anything else is a writer's bug.
     */
    add(block, from, offset) {
        const i = this.count;
        if (i > 0 && block <= this.blockAt(i - 1))
            throw new Error(`internal: the digest of block ${block} after that of ${this.blockAt(i - 1)}`);
        const s = Math.floor(i / PER_SLAB);
        if (s === this.slabs.length) {
            this.slabs.push(Buffer.allocUnsafe(PER_SLAB * SHA256_BYTES));
            this.blocks.push(new Uint32Array(PER_SLAB));
        }
        this.blocks[s][i % PER_SLAB] = block;
        this.slabs[s].set(from.subarray(offset, offset + SHA256_BYTES), (i % PER_SLAB) * SHA256_BYTES);
        this.count++;
    }
    blockAt(i) {
        return this.blocks[Math.floor(i / PER_SLAB)][i % PER_SLAB];
    }
    /** The place of `block` among the digests, or -1. */
    find(block) {
        let lo = 0;
        let hi = this.count - 1;
        while (lo <= hi) {
            const mid = (lo + hi) >>> 1;
            const b = this.blockAt(mid);
            if (b === block)
                return mid;
            if (b < block)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return -1;
    }
    /** The digest of `file` (the file whose data start at its block) as lower-case hex. */
    get(file) {
        const i = this.find(file.lba);
        if (i < 0)
            return undefined;
        const at = (i % PER_SLAB) * SHA256_BYTES;
        return this.slabs[Math.floor(i / PER_SLAB)].toString('hex', at, at + SHA256_BYTES);
    }
}

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/image/hasher.ts
/**
 * Hashing off the main thread: the image digests and the per-file SHA-256 are computed in workers
 * from the writer's shared windows while the main thread reads, encodes and writes. Same bytes, same
 * single pass; nothing is read twice.
 */


// The worker is a CommonJS script given as source (eval), so bundlers need not know about it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readSync } = require('node:fs');
const image = workerData.algorithms.map(a => [a, createHash(a)]);
const files = new Map();
parentPort.on('message', m => {
  if (m.type === 'chunk') {
    const view = Buffer.from(m.sab, m.offset, m.length);
    for (const [, h] of image) h.update(view);
    // each finished file as its index in m.ranges and its 32 raw bytes (not its path and hex again)
    const done = [];
    const sums = [];
    m.ranges.forEach((r, i) => {
      let h = files.get(r.block);
      if (!h) { h = createHash('sha256'); files.set(r.block, h); }
      h.update(view.subarray(r.start, r.end));
      if (r.last) { done.push(i); sums.push(h.digest()); files.delete(r.block); }
    });
    parentPort.postMessage({ type: 'done', id: m.id, done, sums: done.length ? Buffer.concat(sums) : undefined });
  } else if (m.type === 'file') {
    // a whole file into the image digests, read here (verify's checksums, while its main thread
    // hashes the manifest's files)
    const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
    const fd = openSync(m.path, 'r');
    try {
      for (let pos = 0; pos < m.size; ) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, m.size - pos), pos);
        if (n === 0) throw new Error(m.path + ': shorter than ' + m.size + ' bytes');
        for (const [, h] of image) h.update(buf.subarray(0, n));
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ type: 'done', id: m.id });
  } else if (m.type === 'finish') {
    // digests continued with suffixes (a signature's hashed part), before they end
    const continued = m.continued.map(c => {
      const h = image.find(([a]) => a === c.algorithm)[1];
      return c.suffixes.map(s => h.copy().update(s).digest());
    });
    parentPort.postMessage({ type: 'digests', digests: Object.fromEntries(image.map(([a, h]) => [a, h.digest('hex')])), continued });
  }
});
`;
class HashWorker {
    algorithms;
    worker;
    waiting = new Map();
    nextId = 1;
    failure;
    /** settles finish() */
    finished;
    fileDigests = new FileDigests();
    constructor(algorithms) {
        this.algorithms = algorithms;
        this.worker = new external_node_worker_threads_namespaceObject.Worker(WORKER_SOURCE, { eval: true, workerData: { algorithms } });
        this.worker.on('message', (m) => {
            if (m.type === 'done') {
                this.waiting.get(m.id)?.(m);
                this.waiting.delete(m.id);
            }
            else if (m.type === 'digests')
                this.finished?.resolve({
                    digests: m.digests ?? {},
                    continued: (m.continued ?? []).map(c => c.map(d => Buffer.from(d.buffer, d.byteOffset, d.byteLength)))
                });
        });
        this.worker.on('error', e => this.fail(e));
        // whatever the code (terminate() ends a worker with 0 here), what still waits fails
        this.worker.on('exit', code => this.fail(new Error(`hash worker exited with code ${code}`)));
    }
    fail(e) {
        this.failure = e;
        for (const w of this.waiting.values())
            w();
        this.waiting.clear();
        // a worker that ends while finishing (closed, crashed) must not leave finish() waiting
        this.finished?.reject(e);
    }
    /** Hash `length` bytes at `offset` of a shared buffer; resolves when the worker is done with it. */
    submit(sab, offset, length, ranges) {
        if (this.failure)
            return Promise.reject(this.failure);
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.waiting.set(id, m => {
                try {
                    m?.done?.forEach((r, i) => this.fileDigests.add(ranges[r].block, m.sums, i * SHA256_BYTES));
                }
                catch (e) {
                    return reject(e);
                }
                return this.failure ? reject(this.failure) : resolve();
            });
            this.worker.postMessage({ type: 'chunk', id, sab, offset, length, ranges });
        });
    }
    /**
     * Hash the first `size` bytes of the file at `path` into the image digests, reading it in the
     * worker; finish() gives the digests. A read error ends the worker (it rejects).
     */
    hashFile(path, size) {
        if (this.failure)
            return Promise.reject(this.failure);
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.waiting.set(id, () => (this.failure ? reject(this.failure) : resolve()));
            this.worker.postMessage({ type: 'file', id, path, size });
        });
    }
    /**
     * The image digests (hex), and each continuation's digest continued with each of its suffixes
     * (raw; the worker must compute the algorithm); ends the worker.
     */
    async finish(continued = []) {
        if (this.failure)
            throw this.failure;
        for (const c of continued)
            if (!this.algorithms.includes(c.algorithm))
                throw new Error(`internal: a continued ${c.algorithm} needs the image's ${c.algorithm}`);
        const result = await new Promise((resolve, reject) => {
            this.finished = { resolve, reject };
            this.worker.postMessage({ type: 'finish', continued });
        });
        await this.worker.terminate();
        return result;
    }
    async close() {
        await this.worker.terminate();
    }
}

;// CONCATENATED MODULE: ./src/image/digest-jobs.ts
/**
 * The hash workers of a build and the digest jobs they answer: the image's digests (`digests`),
 * every file's SHA-256 (the manifest), and the jobs another room asks for (a signature's digest,
 * perhaps continued with its hashed part). A job whose algorithm the image worker computes anyway
 * is answered by it; the others share one worker of their own, so a slow digest (BLAKE2b-512) is
 * not in the way of the windows.
 */


class DigestWorkers {
    jobs;
    hashers;
    image;
    files;
    other;
    /** which worker answers each job's algorithm: the image's when it computes it, else the other */
    workerFor = new Map();
    constructor(algorithms, fileDigests, jobs) {
        this.jobs = jobs;
        const own = [...new Set(jobs.map(j => j.algorithm).filter(a => !algorithms.includes(a)))];
        this.image = algorithms.length ? new HashWorker(algorithms) : undefined;
        this.files = fileDigests ? new HashWorker([]) : undefined;
        this.other = own.length ? new HashWorker(own) : undefined;
        this.hashers = { image: this.image, files: this.files, others: this.other ? [this.other] : [] };
        for (const a of algorithms)
            this.workerFor.set(a, this.image);
        for (const a of own)
            this.workerFor.set(a, this.other);
    }
    /** Once the image is written: its digests (hex), the files' and the jobs'. Ends the workers. */
    async finish() {
        const asked = new Map();
        for (const job of this.jobs) {
            const w = this.workerFor.get(job.algorithm);
            const c = { algorithm: job.algorithm, suffixes: job.continueWith?.() ?? [] };
            asked.set(w, [...(asked.get(w) ?? []), { job, c }]);
        }
        const jobs = new Map();
        const finish = async (w) => {
            if (!w)
                return {};
            const list = asked.get(w) ?? [];
            const r = await w.finish(list.map(x => x.c));
            list.forEach(({ job }, i) => jobs.set(job, { digest: Buffer.from(r.digests[job.algorithm], 'hex'), continued: r.continued[i] }));
            return r.digests;
        };
        const digests = await finish(this.image);
        if (this.files)
            await this.files.finish();
        await finish(this.other);
        return { digests, fileDigests: this.files?.fileDigests ?? new FileDigests(), jobs };
    }
    async close() {
        for (const h of [this.image, this.files, this.other])
            await h?.close().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/image/output.ts
/**
 * The image file being written. Whole windows are written at their offsets; all-zero windows are
 * skipped (holes, so a 5 GB file of zeros costs no disk). Where the platform has it (Linux,
 * O_DIRECT) the bytes go from our buffers straight to the disk: no page cache is allocated, filled
 * and written back for an image nobody reads during the build, which on a VM that must fault every
 * fresh page in from the host is most of a buffered write's cost. Anything that refuses direct
 * I/O (tmpfs, some file systems, a 4 KiB-sector disk and a 2 KiB-aligned last window) gets an
 * ordinary write instead, so direct I/O only ever changes speed, never the bytes.
 */




/** Alignment direct I/O may ask of a buffer's address, a file offset and a length. */
const DIRECT_ALIGN = 4096;
const pwrite = (fd, buf, off, len, pos) => new Promise((resolve, reject) => external_node_fs_.write(fd, buf, off, len, pos, (e, n) => (e ? reject(e) : resolve(n))));
class ImageOutput {
    fd;
    direct;
    path;
    buffered;
    /** byteOffset at which a shared buffer's start was accepted for direct I/O (once probed) */
    lastOffset;
    constructor(fd, direct, path) {
        this.fd = fd;
        this.direct = direct;
        this.path = path;
        (0,temporaries/* trackTemporary */.hN)(path); // created by us: removed on an interrupt's forced exit (src/interrupt.ts)
    }
    /** Create `path` (which must not exist) for writing; direct I/O where available and `direct`. */
    static open(path, opts = {}) {
        const flag = opts.direct === false ? undefined : directWriteFlag(opts.platform);
        const base = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL;
        if (flag !== undefined) {
            try {
                return new ImageOutput(external_node_fs_.openSync(path, base | flag, 0o644), true, path);
            }
            catch (e) {
                // EINVAL: the file system has no direct I/O (tmpfs before Linux 6.6); try without
                if (e.code !== 'EINVAL')
                    throw e;
            }
        }
        return new ImageOutput(external_node_fs_.openSync(path, base, 0o644), false, path);
    }
    /** Whether writes currently bypass the page cache. */
    get isDirect() {
        return this.direct;
    }
    /**
     * A shared buffer of `size` bytes whose start is aligned for direct I/O. JavaScript cannot see
     * an address, so the first window probes: the offset at which a direct write of zeros to the
     * (still empty) file is accepted. Later windows come from the same allocator and are tried at
     * that offset first. If no offset works, the file falls back to ordinary writes.
     */
    window(size) {
        const sab = new SharedArrayBuffer(size + DIRECT_ALIGN);
        if (!this.direct)
            return { sab, offset: 0, buf: Buffer.from(sab, 0, size) };
        const whole = Buffer.from(sab);
        const o = alignedOffset(at => external_node_fs_.writeSync(this.fd, whole, at, DIRECT_ALIGN, 0), [this.lastOffset, DIRECT_ALIGN - 16]);
        if (o === undefined) {
            this.direct = false;
            return { sab, offset: 0, buf: Buffer.from(sab, 0, size) };
        }
        this.lastOffset = o;
        return { sab, offset: o, buf: Buffer.from(sab, o, size) };
    }
    /** Write `data` (a window's filled part) at `position`; all zeros: leave a hole. */
    async write(data, position) {
        if (isZero(data))
            return;
        if (this.direct && this.lastOffset !== undefined && aligned(data.length) && aligned(position)) {
            try {
                await writeAll(this.fd, data, position);
                return;
            }
            catch (e) {
                if (e.code !== 'EINVAL')
                    throw e;
            }
        }
        this.buffered ??= external_node_fs_.openSync(this.path, 'r+');
        await writeAll(this.buffered, data, position);
    }
    /** Set the length (a hole at the end stays a hole) and close. */
    async close(length) {
        const fds = [this.fd, this.buffered].filter((f) => f !== undefined);
        this.buffered = undefined;
        try {
            await (0,external_node_util_namespaceObject.promisify)(external_node_fs_.ftruncate)(fds[0], length);
        }
        finally {
            for (const fd of fds)
                external_node_fs_.closeSync(fd);
        }
    }
    /** Close without caring about the result (the caller removes the file). */
    abandon() {
        for (const fd of [this.fd, this.buffered]) {
            if (fd !== undefined && fd >= 0) {
                try {
                    external_node_fs_.closeSync(fd);
                }
                catch {
                    // already closed
                }
            }
        }
        this.buffered = undefined;
        this.fd = -1;
    }
}
/**
 * The offset into a buffer at which a direct I/O `attempt` is accepted: JavaScript cannot see an
 * address, so offsets (`first` ones first, then every 16 bytes up to DIRECT_ALIGN) are tried until
 * one is not refused with EINVAL; undefined when none is accepted.
 */
function alignedOffset(attempt, first = []) {
    const candidates = [...first];
    for (let o = 0; o < DIRECT_ALIGN; o += 16)
        candidates.push(o);
    for (const o of candidates) {
        if (o === undefined)
            continue;
        try {
            attempt(o);
            return o;
        }
        catch (e) {
            if (e.code !== 'EINVAL')
                throw e;
        }
    }
    return undefined;
}
function aligned(n) {
    return n % 512 === 0;
}
const ZERO = Buffer.alloc(64 * 1024);
function isZero(b) {
    for (let off = 0; off < b.length; off += ZERO.length) {
        const n = Math.min(ZERO.length, b.length - off);
        if (!b.subarray(off, off + n).equals(ZERO.subarray(0, n)))
            return false;
    }
    return true;
}
async function writeAll(fd, data, position) {
    let off = 0;
    while (off < data.length) {
        const n = await pwrite(fd, data, off, data.length - off, position + off);
        if (n <= 0)
            throw new Error('write returned 0 bytes');
        off += n;
    }
}
/**
 * Read a whole file front to back, passing each chunk to `each` in order, with a few reads in
 * flight. `direct`: the file was written around the page cache (ImageOutput.isDirect), so read it
 * the same way — a buffered read would fill gigabytes of page cache first (on a VM every fresh page
 * is faulted in from the host: 2.8–3.5 s and 3.5 s of CPU for a 2 GiB image, against 1.2 s once it
 * is cached). Anything that refuses direct I/O gets an ordinary read instead; only speed changes.
 * Resolves to whether the reads went around the page cache.
 */
async function readInOrder(path, each, opts = {}) {
    const chunk = opts.chunk ?? 8 * 1024 * 1024;
    const inflight = opts.inflight ?? 3;
    const flag = opts.direct ? directWriteFlag(opts.platform) : undefined;
    let fd;
    if (flag !== undefined) {
        try {
            fd = external_node_fs_.openSync(path, external_node_fs_.constants.O_RDONLY | flag);
        }
        catch (e) {
            if (e.code !== 'EINVAL')
                throw e;
        }
    }
    const whole = Buffer.allocUnsafeSlow(inflight * chunk + DIRECT_ALIGN);
    let base = 0;
    if (fd !== undefined) {
        const opened = fd;
        let at;
        try {
            at = alignedOffset(o => external_node_fs_.readSync(opened, whole, o, DIRECT_ALIGN, 0));
        }
        catch (e) {
            external_node_fs_.closeSync(opened);
            throw e;
        }
        if (at === undefined) {
            external_node_fs_.closeSync(fd);
            fd = undefined;
        }
        else
            base = at;
    }
    const direct = fd !== undefined;
    fd ??= external_node_fs_.openSync(path, 'r');
    const bufs = Array.from({ length: inflight }, (_, i) => whole.subarray(base + i * chunk, base + (i + 1) * chunk));
    const pending = [];
    const read = (k) => {
        const p = new Promise((resolve, reject) => external_node_fs_.read(fd, bufs[k % inflight], 0, chunk, k * chunk, (e, n) => (e ? reject(e) : resolve(n))));
        // a later read may fail while an earlier one is awaited: the failure is met in turn
        p.catch(() => undefined);
        pending.push(p);
    };
    try {
        const size = external_node_fs_.fstatSync(fd).size;
        const count = Math.ceil(size / chunk);
        for (let k = 0; k < Math.min(inflight, count); k++)
            read(k);
        for (let k = 0; k < count; k++) {
            const n = await pending[k];
            const want = Math.min(chunk, size - k * chunk);
            if (n !== want)
                throw new Error(`${path}: read ${n} of ${want} bytes at ${k * chunk} (changed while read?)`);
            each(bufs[k % inflight].subarray(0, n));
            // the buffer is free again once `each` returned
            if (k + inflight < count)
                read(k + inflight);
        }
    }
    finally {
        await Promise.allSettled(pending);
        external_node_fs_.closeSync(fd);
    }
    return { direct };
}

// EXTERNAL MODULE: ./src/image/io-tuning.ts
var io_tuning = __nccwpck_require__(887);
;// CONCATENATED MODULE: ./src/image/segments.ts
/**
 * The segment list: the plan's pieces as contiguous runs of the image's bytes, in order. A run is
 * bytes made in memory (metadata, generated files), a stream (an appended region), or a source
 * file to read.
 */


function* segments(plan) {
    const systemArea = SYSTEM_AREA_BLOCKS * SECTOR;
    yield { kind: 'bytes', start: 0, length: systemArea, what: 'system area', make: () => plan.systemArea() };
    for (const p of plan.pieces) {
        if (p.kind === 'tail') {
            yield { kind: 'bytes', start: p.offset, length: p.bytes, what: 'tail', make: p.produce };
        }
        else if (p.kind === 'meta') {
            const start = p.lba * SECTOR;
            yield { kind: 'bytes', start, length: p.blocks * SECTOR, what: 'metadata', make: p.produce };
        }
        else if (p.kind === 'file') {
            yield fileSegment(plan, p.file, p.lba * SECTOR);
        }
        else if (p.kind === 'files') {
            for (const f of p.files)
                yield fileSegment(plan, f, f.lba * SECTOR);
        }
        else {
            const region = p.region;
            const make = () => {
                const out = region.produce(plan);
                return Buffer.isBuffer(out) ? oneChunk(out) : out;
            };
            yield { kind: 'stream', start: p.lba * SECTOR, length: p.bytes, what: `region ${region.name}`, make };
        }
    }
}
function fileSegment(plan, f, start) {
    const src = f.data;
    if (src.type === 'file')
        return { kind: 'file', start, length: f.size, file: f, path: src.path };
    if (src.type === 'image')
        return { kind: 'file', start, length: f.size, file: f, path: src.image.path, image: src };
    const make = () => {
        const b = src.type === 'memory' ? src.bytes : src.produce(plan);
        if (b.length !== f.size)
            throw new Error(`internal: ${f.path} produced ${b.length} of ${f.size} bytes`);
        return b;
    };
    return { kind: 'bytes', start, length: f.size, what: f.path, file: f.path, make };
}
async function* oneChunk(b) {
    yield b;
}
function describe(s) {
    return s.kind === 'file' ? s.file.path : s.what;
}

;// CONCATENATED MODULE: ./src/image/source-read.ts
/**
 * Source-file reads: a file open from its first part to its last, each part's read judged (a file
 * that shrank or grew since the scan is an error naming it), and the reads through libuv's pool,
 * many in flight at once, for when the hash workers' reads are slow.
 */


/** A window's reads: settles when the last one is in (or with the first failure). */
class Batch {
    pending = 0;
    error;
    resolve;
    reject;
    sealed = false;
    done = new Promise((res, rej) => {
        this.resolve = res;
        this.reject = rej;
    });
    /** No more reads will be added. */
    seal() {
        this.sealed = true;
        this.settle();
    }
    end(e) {
        this.pending--;
        if (e !== undefined)
            this.error ??= e;
        this.settle();
    }
    settle() {
        if (!this.sealed || this.pending > 0)
            return;
        if (this.error !== undefined)
            this.reject(this.error);
        else
            this.resolve();
    }
}
/**
 * A source file being read, possibly over several windows. Opened and closed on this thread
 * (the scan's lstat just brought its inode in, so these are quick), so the same inode is read from
 * the first part to the last; its bytes are read by the hash workers, or, once reads are slow, by
 * the thread pool, many files at once.
 */
class SourceFile {
    path;
    size;
    opened;
    fd;
    scheduled = 0;
    done = 0;
    allScheduled = false;
    constructor(path, size, opened) {
        this.path = path;
        this.size = size;
        this.opened = opened;
    }
    open() {
        if (this.fd !== undefined)
            return this.fd;
        try {
            this.fd = external_node_fs_.openSync(this.path, 'r');
            this.opened.add(this);
        }
        catch (e) {
            if (e.code === 'ENOENT')
                throw new errors/* IsoforgeError */.P1(`${this.path}: vanished during the build`, { subject: this.path });
            throw (0,errors/* fsError */.yi)(e, this.path, 'cannot read');
        }
        return this.fd;
    }
    scheduledPart(last) {
        this.scheduled++;
        if (last)
            this.allScheduled = true;
    }
    /**
     * A part is in; after the last one, a read past the end tells an exact file from a grown one —
     * unless the last read already asked for a byte more and got none (`checkedEnd`).
     */
    partDone(checkedEnd = false) {
        this.done++;
        if (!this.allScheduled || this.done !== this.scheduled)
            return;
        try {
            if (!checkedEnd && external_node_fs_.readSync(this.fd, PROBE, 0, 1, this.size) !== 0)
                throw changed(this.path, this.size, this.size + 1);
        }
        catch (e) {
            throw e instanceof errors/* IsoforgeError */.P1 ? e : (0,errors/* fsError */.yi)(e, this.path, 'cannot read');
        }
        finally {
            this.close();
        }
    }
    close() {
        if (this.fd === undefined)
            return;
        const fd = this.fd;
        this.fd = undefined;
        this.opened.delete(this);
        try {
            external_node_fs_.closeSync(fd);
        }
        catch {
            // closing a read-only descriptor cannot lose data
        }
    }
}
const PROBE = Buffer.alloc(1);
/**
 * A file of a remaster's input image: read from the image's one descriptor (never closed here) at
 * its extents. Its `size` is the image's, so a short read says how far the image now reaches.
 */
class ImageRangeFile extends SourceFile {
    image;
    constructor(image, opened) {
        super(image.path, image.size, opened);
        this.image = image;
    }
    open() {
        return this.image.fd;
    }
    partDone() { }
    close() { }
}
function changed(path, expected, got) {
    return got < expected
        ? new errors/* IsoforgeError */.P1(`${path}: shrank from ${expected} to ${got} bytes during the build`, {
            subject: path
        })
        : new errors/* IsoforgeError */.P1(`${path}: grew beyond ${expected} bytes during the build`, { subject: path });
}
/**
 * A part's reads are over (`got` bytes in; fewer than asked only at the end of the file): judge
 * them. `ended`: the read asked for a byte past the part and got none, so the file ends where the
 * scan said (no separate probe).
 */
function settle(job, ended) {
    const { file } = job;
    if (job.got > job.need)
        throw changed(file.path, file.size, file.size + 1);
    if (job.got < job.need) {
        // parts are read out of order: the part that met the end need not hold it; ask the file
        let now = job.pos + job.got;
        try {
            now = Math.min(now, external_node_fs_.fstatSync(job.fd).size);
        }
        catch {
            // the position read is still a size the file had
        }
        throw changed(file.path, file.size, now);
    }
    file.partDone(ended);
}
/** Reads in flight through libuv's pool, at most `limit` at once; plain callbacks, no promise per read. */
class Reader {
    limit;
    inflight = 0;
    queue = [];
    head = 0;
    idle;
    constructor(limit) {
        this.limit = limit;
    }
    submit(job) {
        job.batch.pending++;
        if (this.inflight < this.limit)
            this.start(job);
        else
            this.queue.push(job);
    }
    start(job) {
        this.inflight++;
        const { buf, at, got } = job;
        external_node_fs_.read(job.fd, buf, at + got, job.need + job.extra - got, job.pos + got, (e, n) => {
            this.inflight--;
            this.finish(job, e, n);
            if (this.head < this.queue.length) {
                const next = this.queue[this.head++];
                if (this.head > 1024) {
                    this.queue = this.queue.slice(this.head);
                    this.head = 0;
                }
                this.start(next);
            }
            else if (this.inflight === 0)
                this.idle?.();
        });
    }
    finish(job, e, n) {
        try {
            if (e)
                throw (0,errors/* fsError */.yi)(e, job.file.path, 'cannot read');
            const asked = job.need + job.extra - job.got;
            job.got += n;
            if (n > 0 && job.got < job.need) {
                // a short read: ask for the rest (counted as one more read of the same batch)
                job.batch.end();
                this.submit(job);
                return;
            }
            settle(job, job.extra === 1 && n < asked);
            job.batch.end();
        }
        catch (err) {
            job.file.close();
            job.batch.end(err);
        }
    }
    /** Drop what has not started and wait for what has (before closing files after a failure). */
    async drain() {
        for (let i = this.head; i < this.queue.length; i++)
            this.queue[i].batch.end(new Error('abandoned'));
        this.queue = [];
        this.head = 0;
        if (this.inflight > 0)
            await new Promise(r => (this.idle = r));
        this.idle = undefined;
    }
}

;// CONCATENATED MODULE: ./src/image/window-fill.ts
/**
 * The window fill: the segment list laid into one window after another. Metadata and generated
 * bytes are copied in, streams are drained into it, and the files' parts become reads at their
 * offsets: for the writer to read in one go (returned), or submitted to the pool in parts. One
 * object owns the state that crosses windows: the current segment, its bytes, stream or file.
 */





class WindowFill {
    segs;
    reader;
    pace;
    sync;
    seg;
    bytes;
    stream;
    pending;
    streamed = 0;
    source;
    /** files open now (closed after a failure) */
    open = new Set();
    constructor(segs, reader, pace, 
    /** the writer reads the files itself while its reads are fast (else the pool reads them) */
    sync) {
        this.segs = segs;
        this.reader = reader;
        this.pace = pace;
        this.sync = sync;
        this.seg = segs.next().value ?? undefined;
    }
    /** Lays the image's bytes [ws, ws + len) into `buf`; the pool's reads join `batch`. */
    async fill(buf, ws, len, batch) {
        const work = { ranges: [], fills: [] };
        let pos = ws;
        const end = ws + len;
        while (pos < end) {
            const seg = this.seg;
            if (!seg) {
                buf.fill(0, pos - ws, len);
                break;
            }
            if (seg.start > pos) {
                const z = Math.min(seg.start, end);
                buf.fill(0, pos - ws, z - ws);
                pos = z;
                continue;
            }
            const segOff = pos - seg.start;
            const n = Math.min(seg.length - segOff, end - pos);
            const at = pos - ws;
            const last = segOff + n === seg.length;
            if (seg.kind === 'bytes')
                this.copyBytes(seg, buf, at, segOff, n, work);
            else if (seg.kind === 'stream')
                await this.drain(seg, buf, at, segOff, n);
            else
                this.readFile(seg, buf, at, segOff, n, len, batch, work);
            pos += n;
            if (last)
                this.nextSegment(pos);
        }
        return work;
    }
    nextSegment(pos) {
        this.bytes = undefined;
        const next = this.segs.next();
        this.seg = next.done ? undefined : next.value;
        if (this.seg && this.seg.start < pos)
            throw new Error(`internal: ${describe(this.seg)} at ${this.seg.start} overlaps (at ${pos})`);
    }
    copyBytes(seg, buf, at, segOff, n, work) {
        if (segOff === 0) {
            this.bytes = seg.make();
            if (this.bytes.length > seg.length)
                throw new Error(`internal: ${seg.what} of ${this.bytes.length} bytes for ${seg.length}`);
        }
        const bytes = this.bytes;
        const have = Math.max(0, Math.min(n, bytes.length - segOff));
        // a piece's bytes may be shorter than its run (zeros): past their end there is nothing to copy
        if (have > 0)
            bytes.copy(buf, at, segOff, segOff + have);
        buf.fill(0, at + have, at + n);
        if (seg.file)
            work.ranges.push({
                block: seg.start / SECTOR,
                start: at,
                end: at + n,
                last: segOff + n === seg.length
            });
    }
    async drain(seg, buf, at, segOff, n) {
        if (segOff === 0) {
            this.stream = seg.make()[Symbol.asyncIterator]();
            this.pending = undefined;
            this.streamed = 0;
        }
        let filled = 0;
        while (filled < n) {
            if (!this.pending || this.pending.length === 0) {
                const r = this.stream ? await this.stream.next() : { done: true, value: undefined };
                if (r.done) {
                    this.stream = undefined;
                    break;
                }
                this.pending = r.value;
                this.streamed += r.value.length;
                if (this.streamed > seg.length)
                    throw new Error(`internal: ${seg.what} produced ${this.streamed} of ${seg.length} bytes`);
            }
            const pending = this.pending;
            const c = Math.min(pending.length, n - filled);
            pending.copy(buf, at + filled, 0, c);
            this.pending = pending.subarray(c);
            filled += c;
        }
        buf.fill(0, at + filled, at + n);
        if (segOff + n === seg.length && this.stream) {
            // run the producer to its end (its finally closes what it opened); more bytes are a bug
            for (let r = await this.stream.next(); !r.done; r = await this.stream.next())
                if (r.value.length > 0)
                    throw new Error(`internal: ${seg.what} produced more than ${seg.length} bytes`);
            this.stream = undefined;
        }
    }
    readFile(seg, buf, at, segOff, n, len, batch, work) {
        if (segOff === 0)
            this.source = seg.image
                ? new ImageRangeFile(seg.image.image, this.open)
                : new SourceFile(seg.path, seg.length, this.open);
        const file = this.source;
        const fd = file.open();
        // the writer reads its window's part of a file in one go; the pool gets it in parts
        const inOne = this.sync && !this.pace.slow;
        const part = inOne ? n : io_tuning/* READ_PART */.bE;
        // a file of another image is read at its extents' offsets there, and has no end to check
        const runs = seg.image ? imageRuns(seg.image.extents, segOff, n) : [{ at: 0, pos: segOff, length: n }];
        for (const run of runs) {
            for (let off = 0; off < run.length; off += part) {
                const m = Math.min(part, run.length - off);
                const last = segOff + run.at + off + m === seg.length;
                file.scheduledPart(last);
                // the end-of-file check rides on the last read when the next byte is padding here
                const extra = !seg.image && last && seg.length % SECTOR !== 0 && at + off + m < len ? 1 : 0;
                const where = at + run.at + off;
                const job = { file, fd, buf, at: where, need: m, extra, pos: run.pos + off, got: 0, batch };
                if (inOne)
                    work.fills.push(job);
                else
                    this.reader.submit(job);
            }
        }
        work.ranges.push({ block: seg.start / SECTOR, start: at, end: at + n, last: segOff + n === seg.length });
    }
    /** After the last window: a segment left over lies past the image's end (a planning bug). */
    checkEnd() {
        const seg = this.seg;
        if (seg)
            throw new Error(`internal: ${describe(seg)} at ${seg.start} lies past the image end`);
    }
    /** After a failure: end a stream being drained and close the files. */
    async abandon() {
        await this.stream?.return?.(undefined).catch(() => undefined);
    }
    closeFiles() {
        for (const f of this.open)
            f.close();
    }
}

;// CONCATENATED MODULE: ./src/image/write.ts
/**
 * write: the image in one pass, as a sequence of windows (a few MiB of the image each). A window
 * is filled from the plan's pieces in place (window-fill.ts): metadata is encoded into it, and the
 * files' bytes are read straight into it at their blocks. This thread does those reads,
 * synchronously, as soon as a window is free: cheap while the files are in memory, as a build's
 * inputs usually are, and this thread has little else to do while the workers hash. When the reads
 * turn out slow (a cold disk), the rest go through libuv's pool instead, many at once (small files
 * and parts of large ones alike), so the disk sees a deep queue. A filled window is handed to the
 * hash workers (image digests, per-file digests) and written at its offset while the next windows
 * fill. Windows are flushed strictly in order, so digests see the image's bytes in order; writes
 * are positioned, so they need not be.
 */






/**
 * Reads a window's parts here, one after another (a few microseconds each from memory, where a
 * read through the pool costs thread hand-offs), then judges each as the pool's reads are judged.
 * How long they took tells the pace whether to hand the next windows' reads to the pool.
 */
function readHere(pace, jobs) {
    const t = performance.now();
    let bytes = 0;
    let failed;
    for (let i = 0; i < jobs.length; i++) {
        const job = jobs[i];
        const length = job.need + job.extra;
        bytes += job.need;
        let n = 0;
        try {
            while (n < length) {
                const k = (0,external_node_fs_.readSync)(job.fd, job.buf, job.at + n, length - n, job.pos + n);
                if (k === 0)
                    break; // the end of the file: settle() judges a short part
                n += k;
            }
        }
        catch (e) {
            failed = { index: i, error: e };
            break;
        }
        job.got = n;
    }
    pace.record(performance.now() - t, bytes, jobs.length);
    let first;
    const judged = failed ? failed.index + 1 : jobs.length;
    for (let i = 0; i < judged; i++) {
        const job = jobs[i];
        try {
            if (i === failed?.index)
                throw (0,errors/* fsError */.yi)(failed.error, job.file.path, 'cannot read');
            settle(job, job.extra === 1 && job.got <= job.need);
        }
        catch (e) {
            job.file.close();
            first ??= e;
        }
    }
    if (first !== undefined)
        throw first;
}
/** Writes the whole image; returns its size in bytes. */
async function writeImage(plan, o) {
    const size = o.windowSize ?? io_tuning/* WINDOW */.jf;
    const taps = o.taps ?? [];
    const reader = new Reader(io_tuning/* READ_CONCURRENCY */.HJ);
    const slots = Array.from({ length: io_tuning/* WINDOWS */.CB }, () => ({ win: o.out.window(size), busy: undefined }));
    const { image, files, others = [] } = o.hashers ?? {};
    const digestOnly = [image, ...others].filter((h) => !!h);
    const pace = new io_tuning/* FillPace */.vG();
    const filler = new WindowFill(segments(plan), reader, pace, o.reads !== 'pool');
    let failure;
    const fail = (e) => {
        failure ??= e;
    };
    let handedOn = Promise.resolve();
    try {
        for (let ws = 0, k = 0; ws < plan.imageSize; ws += size, k++) {
            o.signal?.throwIfAborted();
            if (failure)
                throw failure;
            const slot = slots[k % io_tuning/* WINDOWS */.CB];
            if (slot.busy)
                await slot.busy;
            if (failure)
                throw failure;
            const len = Math.min(size, plan.imageSize - ws);
            const win = slot.win;
            const batch = new Batch();
            const { ranges, fills } = await filler.fill(win.buf, ws, len, batch);
            batch.seal();
            if (fills.length > 0)
                readHere(pace, fills);
            // hand the window on in order, once its reads are in and the previous one was handed on
            const data = win.buf.subarray(0, len);
            const handed = Promise.all([batch.done, handedOn]).then(() => {
                if (failure)
                    throw failure;
                for (const t of taps)
                    t.update(data);
                const work = [o.out.write(data, ws)];
                for (const h of digestOnly)
                    work.push(h.submit(win.sab, win.offset, len, []));
                if (files)
                    work.push(files.submit(win.sab, win.offset, len, ranges));
                o.onProgress?.(ws + len);
                // wrapped, so that handing the next window on does not wait for this one's work
                return { work };
            });
            handedOn = handed.then(() => undefined, () => undefined);
            slot.busy = handed.then(h => Promise.all(h.work)).then(() => undefined, fail);
        }
        for (const s of slots)
            if (s.busy)
                await s.busy;
        if (failure)
            throw failure;
        filler.checkEnd();
        return plan.imageSize;
    }
    catch (e) {
        fail(e);
        await filler.abandon();
        await reader.drain();
        for (const s of slots)
            if (s.busy)
                await s.busy.catch(() => undefined);
        filler.closeFiles();
        throw failure;
    }
}

;// CONCATENATED MODULE: ./src/image/build.ts
/**
 * The image writer's entry: options → scan → extensions prepare → plan → one pass to a temporary
 * file beside the output → rename. Nothing is left at the output path on failure.
 */













/**
 * The source (a folder) and every path the build writes: the output and `sidecars` must be
 * outside the source tree and, where they exist, regular files (targets.ts). Writes nothing; a
 * missing output folder is fine (the pipeline makes it).
 */
async function checkPaths(source, output, platform, sidecars = []) {
    let src;
    try {
        src = await external_node_fs_.promises.realpath(external_node_path_.resolve(source));
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, source, 'source');
    }
    const st = await external_node_fs_.promises.stat(src);
    if (!st.isDirectory())
        throw new errors/* IsoforgeError */.P1(`source ${source}: not a directory`, { subject: source });
    await checkTargets(src, source, [{ path: output, what: 'output' }, ...sidecars], platform);
    return { source: src, output: external_node_path_.resolve(output) };
}
/** The six texts of the volume descriptors, as `o` gives them. */
function labelsOf(o) {
    return { ...(o.ids ?? DEFAULT_IDS), volumeId: o.volumeId };
}
async function buildImage(o) {
    const platform = o.platform ?? process.platform;
    // the pipeline checks them first, with the sidecars' paths too, and hands over what it found
    if (!o.checked)
        checkLabels(labelsOf(o));
    const paths = o.checked ?? (await checkPaths(o.source, o.output, platform));
    // two workers on two cores: one digests the image, one the files (each ~1.7 GB/s of SHA-256),
    // and they take turns reading the files into the windows; a third only for digest jobs the first
    // does not compute. They start now, so their start-up overlaps the scan and the plan.
    const algorithms = [...new Set(o.digests ?? ['sha256'])];
    const workers = new DigestWorkers(algorithms, o.fileDigests !== false, o.digestJobs ?? []);
    try {
        return await scanPlanWrite(o, paths, platform, workers);
    }
    catch (e) {
        await workers.close();
        throw e;
    }
}
async function scanPlanWrite(o, paths, platform, workers) {
    const log = o.log ?? silentLogger;
    const now = Math.floor(Date.now() / 1000);
    const epoch = o.epoch ?? now;
    const scan = await inGroup(log, 'scan', async () => {
        o.onProgress?.({ phase: 'scan', done: 0 });
        const r = o.tree
            ? await o.tree.scan({ epoch: o.epoch, log, platform })
            : await scanTree({ source: paths.source, epoch: o.epoch, log, platform });
        o.onProgress?.({ phase: 'scan', done: r.bytes, total: r.bytes, files: r.files });
        return r;
    });
    const root = scan.root;
    const extensions = o.extensions ?? [];
    const order = new Map();
    const ctx = prepareContext(root, { log, epoch, platform, source: paths.source }, order);
    for (const e of extensions)
        await e.prepare?.(ctx);
    const plan = await inGroup(log, 'plan', async () => makePlan(root, {
        labels: labelsOf(o),
        joliet: o.joliet,
        rockRidge: o.rockRidge,
        epoch,
        extensions,
        order,
        log
    }));
    return inGroup(log, 'write', async () => {
        const { digests, jobs, fileDigests } = await writeAndHash(o, plan, paths.output, platform, workers);
        return {
            output: paths.output,
            size: plan.imageSize,
            digests,
            jobs,
            fileDigests,
            plan,
            root,
            scan,
            epoch,
            volumeId: o.volumeId,
            ids: o.ids ?? DEFAULT_IDS
        };
    });
}
/**
 * The pass: the image to a temporary file beside `output`, its digests, `finish` (implanted MD5),
 * then the rename; nothing is left at either path on failure.
 */
async function writeAndHash(o, plan, output, platform, workers) {
    const tmp = (0,temporaries/* temporaryPath */.l5)(output);
    let out;
    let direct;
    try {
        try {
            out = ImageOutput.open(tmp, { direct: o.directIo, platform });
        }
        catch (e) {
            throw (0,errors/* fsError */.yi)(e, output, 'cannot write output');
        }
        o.onProgress?.({ phase: 'write', done: 0, total: plan.imageSize });
        try {
            await writeImage(plan, {
                out,
                taps: o.taps,
                hashers: workers.hashers,
                signal: o.signal,
                onProgress: done => o.onProgress?.({ phase: 'write', done, total: plan.imageSize }),
                windowSize: o.windowSize,
                reads: o.reads
            });
            const written = out;
            out = undefined;
            direct = written.isDirect;
            await written.close(plan.imageSize);
        }
        catch (e) {
            if (e.code === 'ENOSPC')
                throw (0,errors/* fsError */.yi)(e, output, 'cannot write output');
            throw e;
        }
        const hashed = await workers.finish();
        const digests = { sha256: '', ...hashed.digests };
        const replaced = await o.finish?.(tmp, plan, { direct: direct === true, onProgress: o.onProgress });
        if (replaced)
            Object.assign(digests, replaced);
        await o.tree?.unchanged();
        await external_node_fs_.promises.rename(tmp, output);
        return { digests, jobs: hashed.jobs, fileDigests: hashed.fileDigests };
    }
    catch (e) {
        out?.abandon();
        await external_node_fs_.promises.rm(tmp, { force: true }).catch(() => undefined);
        throw e;
    }
}

;// CONCATENATED MODULE: ./src/integrity/checksums.ts
const SUMS_FILE = { sha256: 'SHA256SUMS', sha512: 'SHA512SUMS' };
const TAG = { sha256: 'SHA256', sha512: 'SHA512' };
const HEX_LEN = { sha256: 64, sha512: 128 };
function escapeName(name) {
    if (!/[\\\n\r]/.test(name))
        return { escaped: false, text: name };
    return {
        escaped: true,
        text: name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    };
}
function unescapeName(text) {
    return text.replace(/\\(\\|n|r)/g, (_, c) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}
function formatChecksumLine(algorithm, hex, name, format) {
    const { escaped, text } = escapeName(name);
    const lead = escaped ? '\\' : '';
    return format === 'bsd' ? `${lead}${TAG[algorithm]} (${text}) = ${hex}` : `${lead}${hex}  ${text}`;
}
/** The file name a checksum line is about (either format), or undefined for other lines. */
function checksumLineName(algorithm, line) {
    let l = line.replace(/\r$/, '');
    const escaped = l.startsWith('\\');
    if (escaped)
        l = l.slice(1);
    const n = HEX_LEN[algorithm];
    const gnu = new RegExp(`^[0-9a-fA-F]{${n}} [ *](.*)$`).exec(l);
    const bsd = new RegExp(`^${TAG[algorithm]} ?\\((.*)\\) ?= [0-9a-fA-F]{${n}}$`).exec(l);
    const name = gnu?.[1] ?? bsd?.[1];
    if (name === undefined)
        return undefined;
    return escaped ? unescapeName(name) : name;
}
/**
 * The new content of a checksum file: `existing` with the line for `name` replaced in place (or
 * appended), every other line kept in its order.
 */
function mergeChecksumFile(existing, algorithm, hex, name, format) {
    const ours = formatChecksumLine(algorithm, hex, name, format);
    const lines = existing ? existing.split('\n') : [];
    if (lines.length && lines[lines.length - 1] === '')
        lines.pop();
    let placed = false;
    const out = [];
    for (const l of lines) {
        if (checksumLineName(algorithm, l) === name) {
            if (!placed)
                out.push(ours);
            placed = true;
        }
        else {
            out.push(l);
        }
    }
    if (!placed)
        out.push(ours);
    return out.join('\n') + '\n';
}

;// CONCATENATED MODULE: ./src/integrity/isomd5.ts
/**
 * The implanted MD5 of isomd5sum (rhinstaller/isomd5sum, libimplantisomd5.c / libcheckisomd5.c),
 * which `checkisomd5` and the installers' "test this media" verify:
 * - the text lives in the Application Use field of the PVD at block 16 (ECMA-119 8.4.32, offset
 *   883, 512 bytes), counted as all spaces while summing;
 * - the MD5 covers bytes [0, volume space size × 2048 − 15 × 2048), read in 32 KiB units;
 * - the covered length is cut into FRAGMENT_COUNT + 1 slices; whenever a unit starts in a new
 *   slice, the MD5 so far (that unit included) is finalized in a copy and the first hex digit of
 *   each of its first 3 bytes is appended to the fragment sums.
 * Md5Tap computes all of it from the bytes as they are written (the field is blank then), so
 * implanting needs no extra read; only the image digests must then be recomputed.
 */





/** ECMA-119 8.4: the PVD is the first volume descriptor, block 16 */
const PVD_OFFSET = VD_SET_LBA * SECTOR;
/** ECMA-119 8.4.8: volume space size, the big-endian copy (isomd5sum SIZE_OFFSET) */
const VOLUME_SIZE_BE = PVD.volumeSpaceSize + 4;
/** ECMA-119 8.4.32: Application Use (isomd5sum APPDATA_OFFSET / APPDATA_SIZE) */
const APPDATA_OFFSET = PVD.applicationUse;
const APPDATA_SIZE = PVD.applicationUseLength;
/** isomd5sum: sectors left out at the end (SKIPSECTORS), units (NUM_SYSTEM_SECTORS × 2048) */
const SKIP_SECTORS = 15;
const UNIT = 16 * SECTOR;
const FRAGMENT_COUNT = 20;
const FRAGMENT_DIGITS = 3; // FRAGMENT_SUM_SIZE (60) / FRAGMENT_COUNT
/** bytes needed before the volume size is known: through the PVD's volume-space field */
const HEAD = PVD_OFFSET + VOLUME_SIZE_BE + 4;
class Md5Tap {
    hash = (0,external_node_crypto_.createHash)('md5');
    pending = [];
    pendingBytes = 0;
    /** absolute offset of the next byte to go into a unit */
    offset = 0;
    total;
    fragmentSize = 0;
    previous = 0;
    /** FRAGMENT_COUNT × FRAGMENT_DIGITS characters, by fragment number */
    sums = Buffer.alloc(FRAGMENT_COUNT * FRAGMENT_DIGITS, '0');
    head = [];
    headBytes = 0;
    update(chunk) {
        if (this.total === undefined) {
            this.head.push(Buffer.from(chunk));
            this.headBytes += chunk.length;
            if (this.headBytes < HEAD)
                return;
            const head = Buffer.concat(this.head);
            this.head = [];
            const blocks = head.readUInt32BE(PVD_OFFSET + VOLUME_SIZE_BE);
            this.total = Math.max(0, (blocks - SKIP_SECTORS) * SECTOR);
            this.fragmentSize = Math.floor(this.total / (FRAGMENT_COUNT + 1));
            this.feed(head);
            return;
        }
        this.feed(chunk);
    }
    feed(chunk) {
        const total = this.total;
        let off = 0;
        while (off < chunk.length && this.offset + this.pendingBytes < total) {
            const want = Math.min(UNIT - this.pendingBytes, total - this.offset - this.pendingBytes);
            const n = Math.min(want, chunk.length - off);
            const piece = chunk.subarray(off, off + n);
            off += n;
            if (this.pendingBytes === 0 && n === want) {
                this.unit(piece); // a whole unit in this chunk: hashed in place
                continue;
            }
            // a unit split across chunks: copy, the sink reuses its buffers once update() returns
            this.pending.push(Buffer.from(piece));
            this.pendingBytes += n;
            if (n === want) {
                const data = Buffer.concat(this.pending);
                this.pending = [];
                this.pendingBytes = 0;
                this.unit(data);
            }
        }
    }
    /** One read of isomd5sum: `data` starts at this.offset (a view of the sink's buffer: read only). */
    unit(view) {
        let data = view;
        // the field counts as spaces (libcheckisomd5 clear_appdata); it is blank as written
        const at = PVD_OFFSET + APPDATA_OFFSET - this.offset;
        if (at >= 0 && at < data.length) {
            data = Buffer.from(view);
            data.fill(0x20, at, Math.min(data.length, at + APPDATA_SIZE));
        }
        this.hash.update(data);
        const current = this.fragmentSize > 0 ? Math.floor(this.offset / this.fragmentSize) : 0;
        if (current !== this.previous) {
            const d = this.hash.copy().digest();
            // stored where checkisomd5 looks for fragment n: (n - 1) × 3. implantisomd5 appends them
            // instead, which is the same unless a fragment is shorter than a 32 KiB read (images under
            // ~700 KiB), where its sums skip slots and checkisomd5 then fails its own images.
            for (let i = 0; i < FRAGMENT_DIGITS; i++)
                this.sums[(current - 1) * FRAGMENT_DIGITS + i] = d[i].toString(16).charCodeAt(0);
            this.previous = current;
        }
        this.offset += data.length;
    }
    result() {
        if (this.total === undefined)
            throw new Error('implant-md5: the image is shorter than its PVD');
        if (this.offset < this.total)
            throw new Error('implant-md5: the image is shorter than its volume size');
        return {
            md5: this.hash.copy().digest('hex'),
            fragmentSums: this.sums.toString('latin1'),
            covered: this.total
        };
    }
}
/** The Application Use text, as implantisomd5 writes it (RHLISOSTATUS=0: not --supported-iso). */
function isoMd5Field(r) {
    const text = `ISO MD5SUM = ${r.md5};SKIPSECTORS = ${SKIP_SECTORS};RHLISOSTATUS=0;` +
        `FRAGMENT SUMS = ${r.fragmentSums};FRAGMENT COUNT = ${FRAGMENT_COUNT};` +
        'THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!';
    const field = Buffer.alloc(APPDATA_SIZE, 0x20);
    field.write(text, 'latin1');
    return field;
}
/** The implanted values in a PVD sector, or undefined when its field holds none. */
function parseImplantedMd5(pvd) {
    const text = pvd.toString('latin1', APPDATA_OFFSET, APPDATA_OFFSET + APPDATA_SIZE);
    const md5 = /ISO MD5SUM = ([0-9a-fA-F]{32})/.exec(text);
    if (!md5)
        return undefined;
    const skip = /SKIPSECTORS = (\d{1,6})/.exec(text);
    return {
        md5: md5[1].toLowerCase(),
        skipSectors: skip ? Number(skip[1]) : 0,
        supported: /RHLISOSTATUS=1/.test(text)
    };
}
/**
 * Write the field into the PVD at block 16 only: the copy of the superblock that hybrid images
 * carry at the partition offset keeps a blank field (as after implantisomd5), because each copy's
 * range would cover the other's field.
 */
async function implantIsoMd5(file, r) {
    const fh = await external_node_fs_.promises.open(file, 'r+');
    try {
        const field = isoMd5Field(r);
        const { bytesWritten } = await fh.write(field, 0, field.length, PVD_OFFSET + APPDATA_OFFSET);
        if (bytesWritten !== field.length)
            throw new Error(`${file}: short write`);
    }
    finally {
        await fh.close();
    }
}
/**
 * Hash a whole file in one sequential read (the second read of implant-md5 mode); `direct`: it
 * was written around the page cache, and is read that way (readInOrder). `onRead`: the bytes
 * hashed so far, after each read.
 */
async function hashFile(file, taps, direct = false, onRead) {
    let done = 0;
    return readInOrder(file, data => {
        for (const t of taps)
            t.update(data);
        done += data.length;
        onRead?.(done);
    }, { direct });
}

;// CONCATENATED MODULE: ./src/manifest.ts

const MANIFEST_SCHEMA = 'isoforge-manifest/1';
function modeString(mode) {
    return (mode & 0o7777).toString(8).padStart(4, '0');
}
/** The empty file's SHA-256. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Entries of the visible tree, sorted by path bytes (the root itself is not listed). */
function entriesFromTree(root, fileDigests) {
    return Array.from(treeEntries(root, fileDigests));
}
/**
 * entriesFromTree one entry at a time, made as they are asked for (a manifest of 200,000 files is
 * written without holding its entries). Sorting by path bytes needs no list of all paths: among
 * the children of one directory, a directory's descendants ("name/...") come together, where
 * "name/" sorts, since no other child's name starts with it. So each directory's children are
 * sorted with a "name/" key for every subdirectory's contents, and those are visited in place.
 */
function* treeEntries(root, fileDigests) {
    const itemsOf = (d) => {
        const items = [];
        for (const c of d.children) {
            if (c.hidden)
                continue;
            items.push({ key: c.name, node: c, inside: false });
            if (c.kind === 'dir')
                items.push({ key: `${c.name}/`, node: c, inside: true });
        }
        return items.sort((a, b) => compareNames(a.key, b.key));
    };
    const stack = [{ items: itemsOf(root), next: 0 }];
    while (stack.length) {
        const top = stack[stack.length - 1];
        if (top.next === top.items.length) {
            stack.pop();
            continue;
        }
        const { node: c, inside } = top.items[top.next++];
        if (inside) {
            stack.push({ items: itemsOf(c), next: 0 });
            continue;
        }
        const path = c.path;
        const e = {
            path,
            type: c.kind,
            size: c.kind === 'file' ? c.size : 0,
            mode: modeString(c.mode)
        };
        if (c.kind === 'symlink')
            e.target = c.target;
        if (c.kind === 'file') {
            // a hard link's names share its blocks, so each finds the digest of its data there
            const h = c.size > 0 ? fileDigests?.get(c) : undefined;
            if (h)
                e.sha256 = h;
            else if (c.size === 0)
                e.sha256 = EMPTY_SHA256;
            if (c.size > 0)
                e.lba = c.lba;
        }
        yield e;
    }
}

;// CONCATENATED MODULE: ./src/integrity/manifest.ts
/**
 * Manifest (schema isoforge-manifest/1, docs/manifest.md): building it from an image result, a
 * deterministic serialization made for line diffs (fixed key order, one boot entry, partition or
 * tree entry per line) and a validating parser shared by the reader and the action.
 */




/** A manifest's entries made one at a time from the tree, while its `entries` list is not made. */
const ENTRIES = Symbol('manifest entries, in order, on demand');
/**
 * The manifest of a build. Its `entries` are made from the tree when first read: writing the
 * manifest (manifestChunks) goes through them one at a time instead, so a build of many files
 * never holds them all.
 */
function buildManifest(result, opts = {}) {
    const boot = [];
    const partitions = [];
    for (const e of result.plan.extensions) {
        const d = e.describe?.(result.plan);
        if (d?.boot)
            boot.push(...d.boot);
        if (d?.partitions)
            partitions.push(...d.partitions);
    }
    const image = { name: external_node_path_.basename(result.output), size: result.size };
    if (result.digests.sha256)
        image.sha256 = result.digests.sha256;
    if (result.digests.sha512)
        image.sha512 = result.digests.sha512;
    if (opts.md5Implanted)
        image.md5Implanted = true;
    let entries;
    const stream = () => treeEntries(result.root, result.fileDigests);
    const m = {
        schema: MANIFEST_SCHEMA,
        tool: { name: 'isoforge', version: VERSION },
        volumeId: result.volumeId,
        ids: result.ids,
        epoch: result.epoch,
        image,
        boot,
        partitions,
        get entries() {
            return (entries ??= Array.from(stream()));
        },
        set entries(list) {
            entries = list;
        }
    };
    Object.defineProperty(m, ENTRIES, { value: () => (entries ? undefined : stream()) });
    return m;
}
/**
 * The entries of a manifest from buildManifest, made one at a time; undefined for any other
 * manifest, or once its `entries` list is made.
 */
function lazyEntries(m) {
    return m[ENTRIES]?.();
}
// Key order of every object in the file; keys not listed follow in code-unit order.
const TOP = ['schema', 'tool', 'volumeId', 'ids', 'epoch', 'image', 'boot', 'partitions', 'entries'];
const ORDER = {
    tool: ['name', 'version'],
    ids: ['systemId', 'volumeSetId', 'publisherId', 'preparerId', 'applicationId'],
    image: ['name', 'size', 'sha256', 'sha512', 'md5Implanted'],
    boot: ['platform', 'path', 'emulation', 'loadSize', 'lba', 'bootInfoTable'],
    partitions: ['table', 'number', 'type', 'name', 'start', 'sectors', 'bootable'],
    entries: ['path', 'type', 'size', 'mode', 'target', 'sha256', 'lba']
};
function line(value, order) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return JSON.stringify(value);
    const obj = value;
    const keys = Object.keys(obj).filter(k => obj[k] !== undefined);
    const known = order.filter(k => keys.includes(k));
    const rest = keys.filter(k => !order.includes(k)).sort();
    return `{${[...known, ...rest].map(k => `${JSON.stringify(k)}: ${line(obj[k], [])}`).join(', ')}}`;
}
/**
 * The manifest as JSON text: the same manifest always gives the same bytes; every array element
 * is one line, so `diff` shows one line per changed file.
 */
function serializeManifest(m) {
    return Array.from(manifestChunks(m)).join('');
}
/**
 * serializeManifest's text in pieces of about `chunk` characters, for writing as it is made; a
 * manifest from buildManifest has its entries made one at a time. `counted` learns how many
 * entries there were.
 */
function* manifestChunks(m, chunk = 1 << 20, counted) {
    const rec = m;
    const lazy = lazyEntries(m);
    const keys = [
        ...TOP,
        ...Object.keys(rec)
            .filter(k => !TOP.includes(k))
            .sort()
    ].filter(k => (k === 'entries' && lazy !== undefined) || rec[k] !== undefined);
    let out = '{\n';
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const made = k === 'entries' && lazy !== undefined;
        const v = made ? lazy : rec[k];
        if (made || Array.isArray(v)) {
            const order = ORDER[k] ?? [];
            let n = 0;
            for (const item of v) {
                out += n === 0 ? `  ${JSON.stringify(k)}: [\n    ` : ',\n    ';
                out += made ? entryLine(item) : line(item, order);
                n++;
                if (out.length >= chunk) {
                    yield out;
                    out = '';
                }
            }
            out += n === 0 ? `  ${JSON.stringify(k)}: []` : '\n  ]';
            if (k === 'entries')
                counted?.(n);
        }
        else
            out += `  ${JSON.stringify(k)}: ${line(v, ORDER[k] ?? [])}`;
        out += i < keys.length - 1 ? ',\n' : '\n';
    }
    yield `${out}}\n`;
}
/**
 * line(e, ORDER.entries) for the entries treeEntries makes: only keys of the schema, each a string
 * or a number.
 */
function entryLine(e) {
    const known = e;
    let text = '';
    for (let i = 0; i < ORDER.entries.length; i++) {
        const v = known[ORDER.entries[i]];
        if (v !== undefined)
            text += `${text === '' ? '' : ', '}${ENTRY_KEYS[i]}${JSON.stringify(v)}`;
    }
    return `{${text}}`;
}
const ENTRY_KEYS = ORDER.entries.map(k => `${JSON.stringify(k)}: `);
const isStr = v => typeof v === 'string';
const isInt = v => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBool = v => typeof v === 'boolean';
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const isHex = (re) => v => typeof v === 'string' && re.test(v);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const checks = (c) => Object.entries(c);
const NONE = [];
/**
 * `v` as an object whose `required` keys pass their checks and whose `optional` keys, where
 * present, pass theirs; `where` names it in the error.
 */
function fields(where, v, required, optional = NONE) {
    if (!isObj(v))
        throw new Error(`${where}: not an object`);
    for (const [k, check] of required) {
        if (!(k in v))
            throw new Error(`${where}: "${k}" is missing`);
        if (!check(v[k]))
            throw new Error(`${where}: "${k}" has a wrong value ${JSON.stringify(v[k])}`);
    }
    for (const [k, check] of optional) {
        if (v[k] !== undefined && !check(v[k]))
            throw new Error(`${where}: "${k}" has a wrong value ${JSON.stringify(v[k])}`);
    }
    return v;
}
function list(where, v) {
    if (!Array.isArray(v))
        throw new Error(`${where}: not an array`);
    return v;
}
const MANIFEST_FIELDS = checks({
    schema: isStr,
    tool: isObj,
    volumeId: isStr,
    epoch: v => typeof v === 'number' && Number.isSafeInteger(v),
    image: isObj,
    boot: Array.isArray,
    partitions: Array.isArray,
    entries: Array.isArray
});
const TOOL_FIELDS = checks({ name: v => v === 'isoforge', version: isStr });
const IDS_FIELDS = checks(Object.fromEntries(ORDER.ids.map(k => [k, isStr])));
const IMAGE_FIELDS = checks({ name: isStr, size: isInt });
const IMAGE_OPTIONAL = checks({ sha256: isHex(HEX64), sha512: isHex(HEX128), md5Implanted: isBool });
const BOOT_FIELDS = checks({ platform: isStr, path: isStr, emulation: isStr, loadSize: isInt, lba: isInt });
const BOOT_OPTIONAL = checks({ bootInfoTable: isBool });
const PARTITION_FIELDS = checks({
    table: v => v === 'mbr' || v === 'gpt',
    number: isInt,
    type: isStr,
    start: isInt,
    sectors: isInt
});
const PARTITION_OPTIONAL = checks({ name: isStr, bootable: isBool });
const ENTRY_FIELDS = checks({
    path: isStr,
    type: v => v === 'file' || v === 'dir' || v === 'symlink',
    size: isInt,
    mode: isStr
});
const ENTRY_OPTIONAL = checks({ target: isStr, sha256: isHex(HEX64), lba: isInt });
const MODE = /^[0-7]{4}$/;
/** ENTRY_FIELDS and ENTRY_OPTIONAL hold (JSON has no undefined value: a key absent is undefined). */
function validEntry(e) {
    if (!isObj(e))
        return false;
    const { path, type, size, mode, target, sha256, lba } = e;
    return (typeof path === 'string' &&
        (type === 'file' || type === 'dir' || type === 'symlink') &&
        isInt(size) &&
        typeof mode === 'string' &&
        (target === undefined || typeof target === 'string') &&
        (sha256 === undefined || (typeof sha256 === 'string' && HEX64.test(sha256))) &&
        (lba === undefined || isInt(lba)));
}
/** Parse and validate manifest text; `source` (a path) names it in errors. */
function parseManifest(text, source) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (e) {
        throw new errors/* IsoforgeError */.P1(`${source}: not a manifest (not JSON: ${e.message})`, {
            subject: source
        });
    }
    if (isObj(data) && data.schema !== MANIFEST_SCHEMA) {
        throw new errors/* IsoforgeError */.P1(`${source}: schema ${JSON.stringify(data.schema)} is not ${MANIFEST_SCHEMA} (made by a newer or other tool?)`, { subject: source });
    }
    try {
        const m = fields('manifest', data, MANIFEST_FIELDS);
        fields('tool', m.tool, TOOL_FIELDS);
        if (m.ids !== undefined)
            fields('ids', m.ids, IDS_FIELDS);
        fields('image', m.image, IMAGE_FIELDS, IMAGE_OPTIONAL);
        list('boot', m.boot).forEach((b, i) => fields(`boot[${i}]`, b, BOOT_FIELDS, BOOT_OPTIONAL));
        list('partitions', m.partitions).forEach((p, i) => fields(`partitions[${i}]`, p, PARTITION_FIELDS, PARTITION_OPTIONAL));
        const seen = new Set();
        const entries = list('entries', m.entries);
        for (let i = 0; i < entries.length; i++) {
            const ent = entries[i];
            // ENTRY_FIELDS and ENTRY_OPTIONAL written out: 21,003 entries parse and check in 25-46 ms, not 57-80;
            // an entry that fails them goes through fields() for the error naming what is wrong
            if (!validEntry(ent))
                fields(`entries[${i}]`, ent, ENTRY_FIELDS, ENTRY_OPTIONAL);
            if (!MODE.test(ent.mode))
                throw new Error(`entries[${i}]: mode "${ent.mode}" is not 4 octal digits`);
            if (seen.has(ent.path))
                throw new Error(`entries[${i}]: path "${ent.path}" is listed twice`);
            seen.add(ent.path);
        }
        return m;
    }
    catch (e) {
        throw new errors/* IsoforgeError */.P1(`${source}: not a valid ${MANIFEST_SCHEMA} manifest: ${e.message}`, {
            subject: source
        });
    }
}

;// CONCATENATED MODULE: ./node_modules/@noble/hashes/utils.js
/**
 * Checks if something is Uint8Array. Be careful: nodejs Buffer will return true.
 * @param a - value to test
 * @returns `true` when the value is a Uint8Array-compatible view.
 * @example
 * Check whether a value is a Uint8Array-compatible view.
 * ```ts
 * isBytes(new Uint8Array([1, 2, 3]));
 * ```
 */
function isBytes(a) {
    // Plain `instanceof Uint8Array` is too strict for some Buffer / proxy / cross-realm cases.
    // The fallback still requires a real ArrayBuffer view, so plain
    // JSON-deserialized `{ constructor: ... }` spoofing is rejected, and
    // `BYTES_PER_ELEMENT === 1` keeps the fallback on byte-oriented views.
    return (a instanceof Uint8Array ||
        (ArrayBuffer.isView(a) &&
            a.constructor.name === 'Uint8Array' &&
            'BYTES_PER_ELEMENT' in a &&
            a.BYTES_PER_ELEMENT === 1));
}
// Shared error-message prefix builder. Only called on throw paths, so assert
// success paths never pay for the string concatenation.
const atitle = (title) => (title ? `"${title}" ` : '');
/**
 * Asserts something is a non-negative integer.
 * @param n - number to validate
 * @param title - label included in thrown errors
 * @returns The validated number.
 * @throws On wrong argument types. {@link TypeError}
 * @throws On wrong argument ranges or values. {@link RangeError}
 * @example
 * Validate a non-negative integer option.
 * ```ts
 * anumber(32, 'length');
 * ```
 */
function anumber(n, title = '') {
    if (typeof n !== 'number')
        throw new TypeError(atitle(title) + 'expected number, got ' + typeof n);
    if (!Number.isSafeInteger(n) || n < 0)
        throw new RangeError(atitle(title) + 'expected integer >= 0, got ' + n);
    return n;
}
/**
 * Asserts something is a boolean.
 * @param value - value to validate
 * @param title - label included in thrown errors
 * @returns The validated boolean.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Validate a boolean option.
 * ```ts
 * abool(true, 'enableXOF');
 * ```
 */
function abool(value, title = '') {
    if (typeof value !== 'boolean')
        throw new TypeError(atitle(title) + 'expected boolean, got type=' + typeof value);
    return value;
}
/**
 * Asserts something is Uint8Array.
 * @param value - value to validate
 * @param length - optional exact length constraint
 * @param title - label included in thrown errors
 * @returns The validated byte array.
 * @throws On wrong argument types. {@link TypeError}
 * @throws On wrong argument ranges or values. {@link RangeError}
 * @example
 * Validate that a value is a byte array.
 * ```ts
 * abytes(new Uint8Array([1, 2, 3]));
 * ```
 */
function utils_abytes(value, length, title = '') {
    // Success path first: this runs at the start of every update() / digestInto(), and the
    // common `abytes(data)` form must not pay for length handling it does not use.
    if (isBytes(value) && (length === undefined || value.length === length))
        return value;
    // Error path: recompute freely to build the exact message.
    if (length !== undefined)
        anumber(length, 'length');
    const bytes = isBytes(value);
    const ofLen = length !== undefined ? ` of length ${length}` : '';
    const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
    const message = atitle(title) + 'expected Uint8Array' + ofLen + ', got ' + got;
    if (!bytes)
        throw new TypeError(message);
    throw new RangeError(message);
}
/**
 * Copies bytes into a fresh Uint8Array.
 * Buffer-style slices can alias the same backing store, so callers that need ownership should copy.
 * @param bytes - source bytes to clone
 * @returns Freshly allocated copy of `bytes`.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Clone a byte array before mutating it.
 * ```ts
 * const copy = copyBytes(new Uint8Array([1, 2, 3]));
 * ```
 */
function copyBytes(bytes) {
    // `Uint8Array.from(...)` would also accept arrays / other typed arrays. Keep this helper strict
    // because callers use it at byte-validation boundaries before mutating the detached copy.
    return Uint8Array.from(utils_abytes(bytes));
}
/**
 * Asserts something is a wrapped hash constructor.
 * @param h - hash constructor to validate
 * @throws On wrong argument types or invalid hash wrapper shape. {@link TypeError}
 * @throws On invalid hash metadata ranges or values. {@link RangeError}
 * @throws If the hash metadata allows empty outputs or block sizes. {@link Error}
 * @example
 * Validate a callable hash wrapper.
 * ```ts
 * import { ahash } from '@noble/hashes/utils.js';
 * import { sha256 } from '@noble/hashes/sha2.js';
 * ahash(sha256);
 * ```
 */
function ahash(h) {
    if (typeof h !== 'function' || typeof h.create !== 'function')
        throw new TypeError('expected hash wrapped by utils.createHasher');
    anumber(h.outputLen);
    anumber(h.blockLen);
    // HMAC and KDF callers treat these as real byte lengths; allowing zero lets fake wrappers pass
    // validation and can produce empty outputs instead of failing fast.
    if (h.outputLen < 1 || h.blockLen < 1)
        throw new Error('hash blockLen / outputLen must be >= 1');
}
const aobject = (value, label) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new TypeError((label === 'object' ? '' : `"${label}" `) + 'expected object, got type=' + typeof value);
};
const aopts = (value, label) => {
    aobject(value, label);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`"${label}" expected plain object`);
    // Object.assign() treats an own "__proto__" source key as a write to the target's legacy
    // prototype setter. Reject it before merging so inherited option values cannot be injected.
    if (Object.hasOwn(value, '__proto__'))
        throw new TypeError(`"${label}.__proto__" is not allowed`);
};
/**
 * Asserts a hash instance has not been destroyed or finished.
 * @param instance - hash instance to validate
 * @param checkFinished - whether to reject finalized instances
 * @throws If the hash instance has already been destroyed or finalized. {@link Error}
 * @example
 * Validate that a hash instance is still usable.
 * ```ts
 * import { aexists } from '@noble/hashes/utils.js';
 * import { sha256 } from '@noble/hashes/sha2.js';
 * const hash = sha256.create();
 * aexists(hash);
 * ```
 */
function utils_aexists(instance, checkFinished = true) {
    // Runs on every update()/digestInto(); the flags are library-owned booleans, so only their
    // truthiness is checked - re-validating their type per call was pure hot-path overhead.
    if (instance.destroyed)
        throw new Error('hash was destroyed');
    if (checkFinished && instance.finished)
        throw new Error('digest() was already called');
}
/**
 * Asserts output is a sufficiently-sized byte array.
 * @param out - destination buffer
 * @param instance - hash instance providing output length
 * Oversized buffers are allowed; downstream code only promises to fill the first `outputLen` bytes.
 * @throws On wrong argument types. {@link TypeError}
 * @throws On wrong argument ranges or values. {@link RangeError}
 * @example
 * Validate a caller-provided digest buffer.
 * ```ts
 * import { aoutput } from '@noble/hashes/utils.js';
 * import { sha256 } from '@noble/hashes/sha2.js';
 * const hash = sha256.create();
 * aoutput(new Uint8Array(hash.outputLen), hash);
 * ```
 */
function utils_aoutput(out, instance) {
    utils_abytes(out, undefined, 'output');
    // `outputLen` is a library-owned readonly number; the negated comparison keeps failing fast
    // when it is missing/NaN (comparisons with undefined/NaN are false) without an anumber() call.
    const min = instance.outputLen;
    if (!(out.length >= min)) {
        throw new RangeError('"output" expected length >= ' + min);
    }
}
/**
 * Casts a typed array view to Uint8Array.
 * @param arr - source typed array
 * @returns Uint8Array view over the same buffer.
 * @example
 * Reinterpret a typed array as bytes.
 * ```ts
 * u8(new Uint32Array([1, 2]));
 * ```
 */
function u8(arr) {
    return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}
/**
 * Casts a typed array view to Uint32Array.
 * `arr.byteOffset` must already be 4-byte aligned or the platform
 * Uint32Array constructor will throw.
 * @param arr - source typed array
 * @returns Uint32Array view over the same buffer.
 * @example
 * Reinterpret a byte array as 32-bit words.
 * ```ts
 * u32(new Uint8Array(8));
 * ```
 */
function u32(arr) {
    return new Uint32Array(arr.buffer, arr.byteOffset, Math.floor(arr.byteLength / 4));
}
/**
 * Zeroizes typed arrays in place. Warning: JS provides no guarantees.
 * @param arrays - arrays to overwrite with zeros
 * @example
 * Zeroize sensitive buffers in place.
 * ```ts
 * clean(new Uint8Array([1, 2, 3]));
 * ```
 */
function clean(...arrays) {
    for (let i = 0; i < arrays.length; i++) {
        arrays[i].fill(0);
    }
}
/**
 * Creates a DataView for byte-level manipulation.
 * @param arr - source typed array
 * @returns DataView over the same buffer region.
 * @example
 * Create a DataView over an existing buffer.
 * ```ts
 * createView(new Uint8Array(4));
 * ```
 */
function utils_createView(arr) {
    return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
}
/**
 * Rotate-right operation for uint32 values.
 * @param word - source word
 * @param shift - shift amount in bits
 * @returns Rotated word.
 * @example
 * Rotate a 32-bit word to the right.
 * ```ts
 * rotr(0x12345678, 8);
 * ```
 */
function rotr(word, shift) {
    return (word << (32 - shift)) | (word >>> shift);
}
/**
 * Rotate-left operation for uint32 values.
 * @param word - source word
 * @param shift - shift amount in bits
 * @returns Rotated word.
 * @example
 * Rotate a 32-bit word to the left.
 * ```ts
 * rotl(0x12345678, 8);
 * ```
 */
function rotl(word, shift) {
    return (word << shift) | ((word >>> (32 - shift)) >>> 0);
}
/** Whether the current platform is little-endian. */
const isLE = /* @__PURE__ */ (() => new Uint8Array(new Uint32Array([0x11223344]).buffer)[0] === 0x44)();
/**
 * Byte-swap operation for uint32 values.
 * @param word - source word
 * @returns Word with reversed byte order.
 * @example
 * Reverse the byte order of a 32-bit word.
 * ```ts
 * byteSwap(0x11223344);
 * ```
 */
function byteSwap(word) {
    return (((word << 24) & 0xff000000) |
        ((word << 8) & 0xff0000) |
        ((word >>> 8) & 0xff00) |
        ((word >>> 24) & 0xff));
}
/**
 * Conditionally byte-swaps one 32-bit word on big-endian platforms.
 * @param n - source word
 * @returns Original or byte-swapped word depending on platform endianness.
 * @example
 * Normalize a 32-bit word for host endianness.
 * ```ts
 * swap8IfBE(0x11223344);
 * ```
 */
const swap8IfBE = isLE
    ? (n) => n
    : (n) => byteSwap(n) >>> 0;
/**
 * Byte-swaps every word of a Uint32Array in place.
 * @param arr - array to mutate
 * @returns The same array after mutation; callers pass live state arrays here.
 * @example
 * Reverse the byte order of every word in place.
 * ```ts
 * byteSwap32(new Uint32Array([0x11223344]));
 * ```
 */
function byteSwap32(arr) {
    for (let i = 0; i < arr.length; i++) {
        arr[i] = byteSwap(arr[i]);
    }
    return arr;
}
/**
 * Conditionally byte-swaps a Uint32Array on big-endian platforms.
 * @param u - array to normalize for host endianness
 * @returns Original or byte-swapped array depending on platform endianness.
 *   On big-endian runtimes this mutates `u` in place via `byteSwap32(...)`.
 * @example
 * Normalize a word array for host endianness.
 * ```ts
 * swap32IfBE(new Uint32Array([0x11223344]));
 * ```
 */
const swap32IfBE = isLE
    ? (u) => u
    : byteSwap32;
// Built-in hex conversion https://caniuse.com/mdn-javascript_builtins_uint8array_fromhex
const hasHexBuiltin = /* @__PURE__ */ (/* unused pure expression or super */ null && ((() => 
// @ts-ignore
typeof Uint8Array.from([]).toHex === 'function' && typeof Uint8Array.fromHex === 'function')()));
// Array where index 0xf0 (240) is mapped to string 'f0'
const hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/**
 * Convert byte array to hex string.
 * Uses the built-in function when available and assumes it matches the tested
 * fallback semantics.
 * @param bytes - bytes to encode
 * @returns Lowercase hexadecimal string.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Convert bytes to lowercase hexadecimal.
 * ```ts
 * bytesToHex(Uint8Array.from([0xca, 0xfe, 0x01, 0x23])); // 'cafe0123'
 * ```
 */
function bytesToHex(bytes) {
    utils_abytes(bytes);
    // @ts-ignore
    if (hasHexBuiltin)
        return bytes.toHex();
    // pre-caching improves the speed 6x
    let hex = '';
    for (let i = 0; i < bytes.length; i++) {
        hex += hexes[bytes[i]];
    }
    return hex;
}
// Strict ASCII nibble parser: non-ASCII hex lookalikes are rejected as undefined.
// ASCII codes: '0'..'9' = 48..57, 'A'..'F' = 65..70, 'a'..'f' = 97..102.
// prettier-ignore
function asciiToBase16(ch) {
    return ch >= 48 && ch <= 57 ? ch - 48 // '2' => 50-48
        : ch >= 65 && ch <= 70 ? ch - (65 - 10) // 'B' => 66-(65-10)
            : ch >= 97 && ch <= 102 ? ch - (97 - 10) // 'b' => 98-(97-10)
                : undefined;
}
/**
 * Convert hex string to byte array. Uses built-in function, when available.
 * @param hex - hexadecimal string to decode
 * @returns Decoded bytes.
 * @throws On wrong argument types. {@link TypeError}
 * @throws On wrong argument ranges or values. {@link RangeError}
 * @example
 * Decode lowercase hexadecimal into bytes.
 * ```ts
 * hexToBytes('cafe0123'); // Uint8Array.from([0xca, 0xfe, 0x01, 0x23])
 * ```
 */
function hexToBytes(hex) {
    if (typeof hex !== 'string')
        throw new TypeError('hex string expected, got ' + typeof hex);
    if (hasHexBuiltin) {
        try {
            return Uint8Array.fromHex(hex);
        }
        catch (error) {
            if (error instanceof SyntaxError)
                throw new RangeError(error.message);
            throw error;
        }
    }
    const hl = hex.length;
    const al = hl / 2;
    if (hl % 2)
        throw new RangeError('hex string expected, got unpadded hex of length ' + hl);
    const array = new Uint8Array(al);
    for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
        const n1 = asciiToBase16(hex.charCodeAt(hi)); // parse first char, multiply it by 16
        const n2 = asciiToBase16(hex.charCodeAt(hi + 1)); // parse second char
        if (n1 === undefined || n2 === undefined) {
            const char = hex[hi] + hex[hi + 1];
            throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
        }
        array[ai] = n1 * 16 + n2; // example: 'A9' => 10*16 + 9
    }
    return array;
}
/**
 * Yields to the host task scheduler so timers, I/O, and rendering can make progress.
 * Uses the Web Scheduling API when available or `setTimeout` as a cross-platform fallback.
 * Host-task yields are much slower than microtasks (roughly 1ms with the timer fallback), so
 * async loops should use `asyncTick >= 10` to amortize scheduling overhead to about 10% while
 * still allowing other event-loop work to proceed.
 * @param onReject - optional cleanup invoked only if the host yield fails
 * @example
 * Yield to the next scheduler tick.
 * ```ts
 * await nextTick();
 * ```
 */
function nextTick(onReject) {
    const host = globalThis;
    if (typeof host.scheduler?.yield === 'function') {
        const promise = host.scheduler.yield();
        // Keep the original scheduler rejection; this handler exists only for cleanup.
        if (onReject)
            promise.catch(onReject);
        return promise;
    }
    return new Promise((resolve) => host.setTimeout(resolve, 0));
}
/**
 * Returns control to the host event loop every `tick` milliseconds to avoid blocking long loops.
 * @param iters - number of loop iterations to run
 * @param tick - maximum time slice in milliseconds
 * @param cb - callback executed on each iteration
 * @param onReject - optional cleanup invoked only if a host yield fails
 * @throws On wrong argument types. {@link TypeError}
 * @throws On wrong argument ranges or values. {@link RangeError}
 * @example
 * Run a loop that periodically yields back to the event loop.
 * ```ts
 * await asyncLoop(2, 0, () => {});
 * ```
 */
async function asyncLoop(iters, tick, cb, onReject) {
    anumber(iters, 'iters');
    anumber(tick, 'tick');
    if (typeof cb !== 'function')
        throw new TypeError('callback must be a function');
    // Callback is synchronous by contract; asyncLoop only yields between sync work windows.
    let ts = Date.now();
    for (let i = 0; i < iters; i++) {
        cb(i);
        // Date.now() is not monotonic, so in case if clock goes backwards we return return control too
        const diff = Date.now() - ts;
        if (diff >= 0 && diff < tick)
            continue;
        await nextTick(onReject);
        // Track only synchronous work time; scheduler delay after yielding is outside our budget.
        ts = Date.now();
    }
}
/**
 * Converts string to bytes using UTF8 encoding.
 * Built-in doesn't validate input to be string: we do the check.
 * Non-ASCII details are delegated to the platform `TextEncoder`.
 * @param str - string to encode
 * @returns UTF-8 encoded bytes.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Encode a string as UTF-8 bytes.
 * ```ts
 * utf8ToBytes('abc'); // Uint8Array.from([97, 98, 99])
 * ```
 */
function utf8ToBytes(str) {
    if (typeof str !== 'string')
        throw new TypeError('string expected');
    const encoded = new TextEncoder().encode(str);
    try {
        // Copy into the current realm for Firefox extension contexts. Callers that own the returned
        // buffer can then wipe it independently of TextEncoder's temporary result.
        return new Uint8Array(encoded); // https://bugzil.la/1681809
    }
    finally {
        clean(encoded);
    }
}
/**
 * Helper for KDFs: consumes Uint8Array or string.
 * String inputs are UTF-8 encoded; byte-array inputs stay aliased to the caller buffer.
 * @param data - user-provided KDF input
 * @param errorTitle - label included in thrown errors
 * @returns Byte representation of the input.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Normalize KDF input to bytes.
 * ```ts
 * kdfInputToBytes('password');
 * ```
 */
function kdfInputToBytes(data, errorTitle = '') {
    if (typeof data === 'string')
        return utf8ToBytes(data);
    return utils_abytes(data, undefined, errorTitle);
}
/**
 * Copies several Uint8Arrays into one.
 * @param arrays - arrays to concatenate
 * @returns Concatenated byte array.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Concatenate multiple byte arrays.
 * ```ts
 * concatBytes(new Uint8Array([1]), new Uint8Array([2]));
 * ```
 */
function concatBytes(...arrays) {
    let sum = 0;
    for (let i = 0; i < arrays.length; i++) {
        const a = arrays[i];
        utils_abytes(a);
        sum += a.length;
    }
    const res = new Uint8Array(sum);
    for (let i = 0, pad = 0; i < arrays.length; i++) {
        const a = arrays[i];
        res.set(a, pad);
        pad += a.length;
    }
    return res;
}
/**
 * Validates declared required and optional field types on a plain object.
 * This walks field schemas and formats detailed errors, so avoid it on hot paths; use direct
 * one-line guards such as `abytes()`, `abool()`, or `anumber()` instead.
 * @param object - object to validate
 * @param fields - map of required field names to expected types
 * @param optFields - map of optional field names to expected types
 * @param title - label included in thrown errors
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Validate required and optional option fields.
 * ```ts
 * validateObject({ N: 1024, dkLen: 32 }, { N: 'number' }, { dkLen: 'number' });
 * ```
 */
const validateObject = (object, fields = {}, optFields = {}, title = 'object') => {
    aobject(object, title);
    aobject(fields, 'fields');
    aobject(optFields, 'optFields');
    function checkField(fieldName, expectedType, isOpt) {
        const label = title === 'object' ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
        // Config fields must be explicit own properties. Optional inherited values are rejected too
        // because callers keep reading the same options object after validation.
        const val = object[fieldName];
        // Runtime objects such as Field instances intentionally satisfy required method slots
        // via their shared prototype.
        if (!Object.hasOwn(object, fieldName) &&
            (isOpt ? val !== undefined : expectedType !== 'function')) {
            throw new TypeError(`${label} is invalid: expected own property`);
        }
        if (isOpt && val === undefined)
            return;
        const current = typeof val;
        if (current !== expectedType || val === null)
            throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current}`);
    }
    const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
    iter(fields, false);
    iter(optFields, true);
};
/**
 * Merges default options and passed options.
 * @param defaults - base option object
 * @param opts - user overrides
 * @param title - label included in thrown override errors
 * @returns Fresh merged option object with a null prototype.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Merge user overrides onto default options.
 * ```ts
 * checkOpts({ dkLen: 32 }, { asyncTick: 10 });
 * ```
 */
function checkOpts(defaults, opts, title = 'opts') {
    aopts(defaults, 'defaults');
    if (opts !== undefined)
        aopts(opts, title);
    // Callers read optional fields directly, so omitted values must not fall through to ambient
    // Object.prototype pollution (for example a forged `dkLen` changing SHAKE's default output).
    const merged = Object.assign(Object.create(null), defaults, opts);
    return merged;
}
/**
 * Creates a callable hash function from a stateful class constructor.
 * @param hashCons - hash constructor or factory
 * @param info - optional metadata such as DER OID
 * @returns Frozen callable hash wrapper with `.create()`.
 *   Wrapper construction eagerly calls `hashCons(undefined)` once to read
 *   `outputLen` / `blockLen`, so constructor side effects happen at module
 *   init time.
 * @throws On wrong argument types. {@link TypeError}
 * @example
 * Wrap a stateful hash constructor into a callable helper.
 * ```ts
 * import { createHasher } from '@noble/hashes/utils.js';
 * import { sha256 } from '@noble/hashes/sha2.js';
 * const wrapped = createHasher(sha256.create, { oid: sha256.oid });
 * wrapped(new Uint8Array([1]));
 * ```
 */
function utils_createHasher(hashCons, info = {}) {
    if (typeof hashCons !== 'function')
        throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
    info = checkOpts({}, info, 'info');
    const hashC = (msg, opts) => hashCons(opts)
        .update(msg)
        .digest();
    const tmp = hashCons(undefined);
    hashC.outputLen = tmp.outputLen;
    hashC.blockLen = tmp.blockLen;
    hashC.canXOF = tmp.canXOF;
    hashC.create = (opts) => hashCons(opts);
    Object.assign(hashC, info);
    return Object.freeze(hashC);
}
/**
 * Cryptographically secure PRNG backed by `crypto.getRandomValues`.
 * @param bytesLength - number of random bytes to generate
 * @returns Random bytes.
 * The platform `getRandomValues()` implementation still defines any
 * single-call length cap, and this helper rejects oversize requests
 * with a stable library `RangeError` instead of host-specific errors.
 * @throws On wrong argument types. {@link TypeError}
 * @throws On wrong argument ranges or values. {@link RangeError}
 * @throws If the current runtime does not provide `crypto.getRandomValues`. {@link Error}
 * @example
 * Generate a fresh random key or nonce.
 * ```ts
 * const key = randomBytes(16);
 * ```
 */
function randomBytes(bytesLength = 32) {
    // Match the repo's other length-taking helpers instead of relying on Uint8Array coercion.
    anumber(bytesLength, 'bytesLength');
    const cr = typeof globalThis === 'object' ? globalThis.crypto : null;
    if (typeof cr?.getRandomValues !== 'function')
        throw new Error('crypto.getRandomValues must be defined');
    // Web Cryptography API Level 2 §10.1.1:
    // if `byteLength > 65536`, throw `QuotaExceededError`.
    // Keep the guard explicit so callers can see the quota in code
    // instead of discovering it by reading the spec or host errors.
    // This wrapper surfaces the same quota as a stable library RangeError.
    if (bytesLength > 65536)
        throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
    return cr.getRandomValues(new Uint8Array(bytesLength));
}
/**
 * Creates OID metadata for NIST hashes with prefix `06 09 60 86 48 01 65 03 04 02`.
 * @param suffix - final OID byte for the selected hash.
 *   The helper accepts any byte even though only the documented NIST hash
 *   suffixes are meaningful downstream.
 * @returns Object containing the DER-encoded OID.
 * @example
 * Build OID metadata for a NIST hash.
 * ```ts
 * oidNist(0x01);
 * ```
 */
const oidNist = (suffix) => ({
    // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
    // Larger suffix values would need base-128 OID encoding and a different length byte.
    oid: Uint8Array.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, suffix]),
});

;// CONCATENATED MODULE: ./node_modules/@noble/hashes/_blake.js
/**
 * Internal helpers for blake hash.
 * @module
 */

// Unrealized speed-up: a file-local copy of rotr measured ~1-2% faster blake2s/blake256/blake3
// on Node 24 (V8 does not inline it into G1s/G2s across the module boundary). Reused from
// utils for deduplication.
/**
 * Internal blake permutation table.
 * Rows `0..9` serve BLAKE2s, rows `0..11` serve BLAKE2b with `10..11 = 0..1`, and Blake1 also
 * reuses the later rows shown below. Blake1 expands rounds `10..15` as `SIGMA[i % 10]`, so rows
 * `10..15` intentionally repeat rows `0..5` for the 14-round (256) and 16-round (512) variants.
 */
// prettier-ignore
const BSIGMA = /* @__PURE__ */ Uint8Array.from([
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
    7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
    9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
    2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
    12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
    13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
    6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
    10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    // Blake1, unused in others
    11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
    7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
    9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
    2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
]);
// Unrealized speed-up: G1s/G2s return a fresh {a,b,c,d} per call (160×/blake2s block), which
// V8's escape analysis does not eliminate when G stays a real call. Writing into one reused
// module-level slot instead measured +4-6% blake2s/blake256 1MB throughput on Node 24 — but
// ~2% slower blake3 (whose profile inlines G and scalar-replaces the fresh object) and no
// difference on 32-byte inputs. Kept simple.
// 32-bit / BLAKE2s first half of G, with the fixed `(16, 12)` rotation pair.
// Parameter `x` is the RFC 7693 first-half message word, or Blake1's pre-mixed
// `m[sigma[r][2i]] ^ u[sigma[r][2i+1]]` addend in the 32-bit path.
function G1s(a, b, c, d, x) {
    a = (a + b + x) | 0;
    d = rotr(d ^ a, 16);
    c = (c + d) | 0;
    b = rotr(b ^ c, 12);
    return { a, b, c, d };
}
// 32-bit / BLAKE2s second half of G.
// Parameter `x` is the RFC 7693 second-half (`y`) message word, or Blake1's pre-mixed
// `m[sigma[r][2i + 1]] ^ u[sigma[r][2i]]` addend in the 32-bit path.
function G2s(a, b, c, d, x) {
    a = (a + b + x) | 0;
    d = rotr(d ^ a, 8);
    c = (c + d) | 0;
    b = rotr(b ^ c, 7);
    return { a, b, c, d };
}

;// CONCATENATED MODULE: ./node_modules/@noble/hashes/_md.js
/**
 * Internal Merkle-Damgard hash utils.
 * @module
 */


/**
 * Shared 32-bit conditional boolean primitive reused by SHA-256, SHA-1, and MD5 `F`.
 * Returns bits from `b` when `a` is set, otherwise from `c`.
 * The XOR form is equivalent to MD5's `F(X,Y,Z) = XY v not(X)Z` because the masked terms never
 * set the same bit.
 * @param a - selector word
 * @param b - word chosen when selector bit is set
 * @param c - word chosen when selector bit is clear
 * @returns Mixed 32-bit word.
 * @example
 * Combine three words with the shared 32-bit choice primitive.
 * ```ts
 * Chi(0xffffffff, 0x12345678, 0x87654321);
 * ```
 */
function Chi(a, b, c) {
    return (a & b) ^ (~a & c);
}
/**
 * Shared 32-bit majority primitive reused by SHA-256 and SHA-1.
 * Returns bits shared by at least two inputs.
 * @param a - first input word
 * @param b - second input word
 * @param c - third input word
 * @returns Mixed 32-bit word.
 * @example
 * Combine three words with the shared 32-bit majority primitive.
 * ```ts
 * Maj(0xffffffff, 0x12345678, 0x87654321);
 * ```
 */
function Maj(a, b, c) {
    return (a & b) ^ (a & c) ^ (b & c);
}
/**
 * Merkle-Damgard hash construction base class.
 * Could be used to create MD5, RIPEMD, SHA1, SHA2.
 * Accepts only byte-aligned `Uint8Array` input, even when the underlying spec describes bit
 * strings with partial-byte tails.
 * @param blockLen - internal block size in bytes
 * @param outputLen - digest size in bytes
 * @param padOffset - trailing length field size in bytes
 * @param isLE - whether length and state words are encoded in little-endian
 * @example
 * Use a concrete subclass to get the shared Merkle-Damgard update/digest flow.
 * ```ts
 * import { _SHA1 } from '@noble/hashes/legacy.js';
 * const hash = new _SHA1();
 * hash.update(new Uint8Array([97, 98, 99]));
 * hash.digest();
 * ```
 */
class HashMD {
    blockLen;
    outputLen;
    canXOF = false;
    padOffset;
    isLE;
    // For partial updates less than block size
    buffer;
    view;
    finished = false;
    length = 0;
    pos = 0;
    destroyed = false;
    constructor(blockLen, outputLen, padOffset, isLE) {
        this.blockLen = blockLen;
        this.outputLen = outputLen;
        this.padOffset = padOffset;
        this.isLE = isLE;
        this.buffer = new Uint8Array(blockLen);
        this.view = createView(this.buffer);
    }
    update(data) {
        aexists(this);
        abytes(data);
        const { view, buffer, blockLen } = this;
        const len = data.length;
        let processed = false;
        for (let pos = 0; pos < len;) {
            const take = Math.min(blockLen - this.pos, len - pos);
            // Fast path only when there is no buffered partial block: `take === blockLen` implies
            // `this.pos === 0`, so we can process full blocks directly from the input view.
            if (take === blockLen) {
                const dataView = createView(data);
                for (; blockLen <= len - pos; pos += blockLen)
                    this.process(dataView, pos);
                processed = true;
                continue;
            }
            // When the whole input is buffered in one go (common for short messages), passing `data`
            // directly avoids allocating a subarray view.
            buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
            this.pos += take;
            pos += take;
            if (this.pos === blockLen) {
                this.process(view, 0);
                this.pos = 0;
                processed = true;
            }
        }
        this.length += data.length;
        // Shared schedule buffers only pick up input-derived words inside process(); if everything
        // was buffered without processing, there is nothing to zero.
        if (processed)
            this.roundClean();
        return this;
    }
    digestInto(out) {
        aexists(this);
        aoutput(out, this);
        this.finished = true;
        // Padding
        // We can avoid allocation of buffer for padding completely if it
        // was previously not allocated here. But it won't change performance.
        const { buffer, view, blockLen, isLE } = this;
        let { pos } = this;
        // append the bit '1' to the message, then zero-pad the rest of the block
        buffer[pos++] = 0b10000000;
        buffer.fill(0, pos);
        // we have less than padOffset left in buffer, so we cannot put length in
        // current block, need process it and pad again
        if (this.padOffset > blockLen - pos) {
            this.process(view, 0);
            buffer.fill(0);
        }
        // `padOffset` reserves the whole length field. For SHA-384/512 the high 64 bits stay zero from
        // the padding fill above, and JS will overflow before user input can make that half non-zero.
        // So we only need to write the low 64 bits here (`length * 8` only scales the exponent of an
        // integer below 2**53, so the split inside the helper stays exact).
        setU64FromNum(view, blockLen - 8, this.length * 8, isLE);
        this.process(view, 0);
        // The final block above is processed outside update(), so the shared message-schedule
        // buffers (e.g. SHA256_W) would otherwise retain input-derived words after digest().
        this.roundClean();
        // digest() passes our own `buffer` as `out`; reuse its cached view instead of allocating one.
        const oview = out === buffer ? view : createView(out);
        const len = this.outputLen;
        // NOTE: we do division by 4 later, which must be fused in single op with modulo by JIT
        const outLen = len / 4;
        const state = this.get();
        // Subclass-misconfiguration invariant: outputLen must be 32-bit aligned and fit the state.
        if (len % 4 || outLen > state.length)
            throw new Error('invalid outputLen');
        for (let i = 0; i < outLen; i++)
            oview.setUint32(4 * i, state[i], isLE);
    }
    digest() {
        const { buffer, outputLen } = this;
        this.digestInto(buffer);
        // Copy before destroy(): subclasses wipe `buffer` during cleanup, but `digest()` must return
        // fresh bytes to the caller.
        const res = buffer.slice(0, outputLen);
        this.destroy();
        return res;
    }
    _cloneIntoMeta(to) {
        const { buffer, length, finished, destroyed, pos } = this;
        to.destroyed = destroyed;
        to.finished = finished;
        to.length = length;
        to.pos = pos;
        // Only partial-block bytes need copying: when `length % blockLen === 0`, `pos === 0` and
        // later `update()` / `digestInto()` overwrite `to.buffer` from the start before reading it.
        if (pos)
            to.buffer.set(buffer); // Avoid a hot modulo guard.
        return to;
    }
    clone() {
        return this._cloneInto();
    }
}
/**
 * Initial SHA-2 state: fractional parts of square roots of first 16 primes 2..53.
 * Check out `test/misc/sha2-gen-iv.js` for recomputation guide.
 */
/** Initial SHA256 state from RFC 6234 §6.1: the first 32 bits of the fractional parts of the
 * square roots of the first eight prime numbers. Exported as a shared table; callers must treat
 * it as read-only because constructors copy words from it by index. */
const SHA256_IV = /* @__PURE__ */ Uint32Array.from([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
/** Initial SHA224 state `H(0)` from RFC 6234 §6.1. Exported as a shared table; callers must
 * treat it as read-only because constructors copy words from it by index. */
const SHA224_IV = /* @__PURE__ */ (/* unused pure expression or super */ null && (Uint32Array.from([
    0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4,
])));
/** Initial SHA384 state from RFC 6234 §6.3: eight RFC 64-bit `H(0)` words stored as sixteen
 * big-endian 32-bit halves. Derived from the fractional parts of the square roots of the ninth
 * through sixteenth prime numbers. Exported as a shared table; callers must treat it as read-only
 * because constructors copy halves from it by index. */
const SHA384_IV = /* @__PURE__ */ (/* unused pure expression or super */ null && (Uint32Array.from([
    0xcbbb9d5d, 0xc1059ed8, 0x629a292a, 0x367cd507, 0x9159015a, 0x3070dd17, 0x152fecd8, 0xf70e5939,
    0x67332667, 0xffc00b31, 0x8eb44a87, 0x68581511, 0xdb0c2e0d, 0x64f98fa7, 0x47b5481d, 0xbefa4fa4,
])));
/** Initial SHA512 state from RFC 6234 §6.3: eight RFC 64-bit `H(0)` words stored as sixteen
 * big-endian 32-bit halves. Derived from the fractional parts of the square roots of the first
 * eight prime numbers. Exported as a shared table; callers must treat it as read-only because
 * constructors copy halves from it by index. */
const SHA512_IV = /* @__PURE__ */ (/* unused pure expression or super */ null && (Uint32Array.from([
    0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
    0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
])));

;// CONCATENATED MODULE: ./node_modules/@noble/hashes/_u64.js
const U32_MASK64 = /* @__PURE__ */ (/* unused pure expression or super */ null && ((() => BigInt(2 ** 32 - 1))()));
const _32n = /* @__PURE__ */ (/* unused pure expression or super */ null && (BigInt(32)));
// Split bigint into two 32-bit halves. With `le=true`, returned fields become `{ h: low, l: high
// }` to match little-endian word order rather than the property names.
function fromBig(n, le = false) {
    if (le)
        return { h: Number(n & U32_MASK64), l: Number((n >> _32n) & U32_MASK64) };
    return { h: Number((n >> _32n) & U32_MASK64) | 0, l: Number(n & U32_MASK64) | 0 };
}
// Split bigint list into `[highWords, lowWords]` when `le=false`; with `le=true`, the first array
// holds the low halves because `fromBig(...)` swaps the semantic meaning of `h` and `l`.
function split(lst, le = false) {
    const len = lst.length;
    let Ah = new Uint32Array(len);
    let Al = new Uint32Array(len);
    for (let i = 0; i < len; i++) {
        const { h, l } = fromBig(lst[i], le);
        [Ah[i], Al[i]] = [h, l];
    }
    return [Ah, Al];
}
// Combine explicit `(high, low)` 32-bit halves into a bigint; `>>> 0` normalizes signed JS
// bitwise results back to uint32 first, and little-endian callers must swap.
const toBig = (h, l) => (BigInt(h >>> 0) << _32n) | BigInt(l >>> 0);
// Split a JS number into u32 halves without a BigInt allocation. Exact only for integers
// `0 <= n < 2**53`; callers use it on byte / bit counters, which JS length math caps far below
// that (an ArrayBuffer cannot exceed 2**53 - 1 bytes).
const fromNumH = (n) => (n / 2 ** 32) | 0;
const fromNumL = (n) => n >>> 0;
// Drop-in replacement for `view.setBigUint64(byteOffset, BigInt(n), isLE)` without the per-call
// BigInt allocation. Same `n < 2**53` precondition as `fromNumH`/`fromNumL`.
function _u64_setU64FromNum(view, byteOffset, n, isLE) {
    const h = fromNumH(n);
    const l = fromNumL(n);
    view.setUint32(byteOffset, isLE ? l : h, isLE);
    view.setUint32(byteOffset + 4, isLE ? h : l, isLE);
}
// High 32-bit half of a 64-bit logical right shift for `s` in `0..31`.
const shrSH = (h, _l, s) => h >>> s;
// Low 32-bit half of a 64-bit logical right shift, valid for `s` in `1..31`.
const shrSL = (h, l, s) => (h << (32 - s)) | (l >>> s);
// High 32-bit half of a 64-bit right rotate, valid for `s` in `1..31`.
const rotrSH = (h, l, s) => (h >>> s) | (l << (32 - s));
// Low 32-bit half of a 64-bit right rotate, valid for `s` in `1..31`.
const rotrSL = (h, l, s) => (h << (32 - s)) | (l >>> s);
// High 32-bit half of a 64-bit right rotate, valid for `s` in `33..63`; `32` uses `rotr32*`.
const rotrBH = (h, l, s) => (h << (64 - s)) | (l >>> (s - 32));
// Low 32-bit half of a 64-bit right rotate, valid for `s` in `33..63`; `32` uses `rotr32*`.
const rotrBL = (h, l, s) => (h >>> (s - 32)) | (l << (64 - s));
// High 32-bit half of a 64-bit right rotate for `s === 32`; this is just the swapped low half.
const rotr32H = (_h, l) => l;
// Low 32-bit half of a 64-bit right rotate for `s === 32`; this is just the swapped high half.
const rotr32L = (h, _l) => h;
// 64-bit left rotates (rotl*) are not defined here: sha3.ts, their only consumer, keeps
// local copies so V8 inlines them into keccakP.
// Add two split 64-bit words and return the split `{ h, l }` sum.
// JS uses 32-bit signed integers for bitwise operations, so we cannot simply shift the carry out
// of the low sum and instead use division.
function add(Ah, Al, Bh, Bl) {
    const l = (Al >>> 0) + (Bl >>> 0);
    return { h: (Ah + Bh + ((l / 2 ** 32) | 0)) | 0, l: l | 0 };
}
// Addition with more than 2 elements
// Unmasked low-word accumulator for 3-way addition; pass the raw result into `add3H(...)`.
const add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
// High-word finalize step for 3-way addition; `low` must be the untruncated output of `add3L(...)`.
const add3H = (low, Ah, Bh, Ch) => (Ah + Bh + Ch + ((low / 2 ** 32) | 0)) | 0;
// Unmasked low-word accumulator for 4-way addition; pass the raw result into `add4H(...)`.
const add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
// High-word finalize step for 4-way addition; `low` must be the untruncated output of `add4L(...)`.
const add4H = (low, Ah, Bh, Ch, Dh) => (Ah + Bh + Ch + Dh + ((low / 2 ** 32) | 0)) | 0;
// Unmasked low-word accumulator for 5-way addition; pass the raw result into `add5H(...)`.
const add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
// High-word finalize step for 5-way addition; `low` must be the untruncated output of `add5L(...)`.
const add5H = (low, Ah, Bh, Ch, Dh, Eh) => (Ah + Bh + Ch + Dh + Eh + ((low / 2 ** 32) | 0)) | 0;
// prettier-ignore


;// CONCATENATED MODULE: ./node_modules/@noble/hashes/blake2.js
/**
 * blake2b (64-bit) & blake2s (8 to 32-bit) hash functions.
 * b could have been faster, but there is no fast u64 in js, so s is 1.5x faster.
 * @module
 */



// prettier-ignore

// Same IV words as `SHA512_IV`, but endian-swapped into LE u32 low/high halves
// for the BLAKE2b u64 helpers below.
const B2B_IV = /* @__PURE__ */ Uint32Array.from([
    0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
    0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);
// Shared synchronous BLAKE2b work vector as LE u32 low/high halves.
const BBUF = /* @__PURE__ */ new Uint32Array(32);
// BLAKE2b G mix split into two half-rounds over LE u32 low/high limbs.
function G1b(a, b, c, d, msg, x) {
    // NOTE: V is LE here
    const Xl = msg[x], Xh = msg[x + 1]; // prettier-ignore
    let Al = BBUF[2 * a], Ah = BBUF[2 * a + 1]; // prettier-ignore
    let Bl = BBUF[2 * b], Bh = BBUF[2 * b + 1]; // prettier-ignore
    let Cl = BBUF[2 * c], Ch = BBUF[2 * c + 1]; // prettier-ignore
    let Dl = BBUF[2 * d], Dh = BBUF[2 * d + 1]; // prettier-ignore
    // v[a] = (v[a] + v[b] + x) | 0;
    const ll = add3L(Al, Bl, Xl);
    Ah = add3H(ll, Ah, Bh, Xh);
    Al = ll | 0;
    // v[d] = rotr(v[d] ^ v[a], 32)
    let xh = Dh ^ Ah, xl = Dl ^ Al; // prettier-ignore
    Dh = rotr32H(xh, xl);
    Dl = rotr32L(xh, xl);
    // v[c] = (v[c] + v[d]) | 0;
    ({ h: Ch, l: Cl } = add(Ch, Cl, Dh, Dl));
    // v[b] = rotr(v[b] ^ v[c], 24)
    xh = Bh ^ Ch;
    xl = Bl ^ Cl;
    Bh = rotrSH(xh, xl, 24);
    Bl = rotrSL(xh, xl, 24);
    BBUF[2 * a] = Al;
    BBUF[2 * a + 1] = Ah;
    BBUF[2 * b] = Bl;
    BBUF[2 * b + 1] = Bh;
    BBUF[2 * c] = Cl;
    BBUF[2 * c + 1] = Ch;
    BBUF[2 * d] = Dl;
    BBUF[2 * d + 1] = Dh;
}
// Second half-round of the same LE-limb BLAKE2b G mix; `x` is the message word offset.
function G2b(a, b, c, d, msg, x) {
    // NOTE: V is LE here
    const Xl = msg[x], Xh = msg[x + 1]; // prettier-ignore
    let Al = BBUF[2 * a], Ah = BBUF[2 * a + 1]; // prettier-ignore
    let Bl = BBUF[2 * b], Bh = BBUF[2 * b + 1]; // prettier-ignore
    let Cl = BBUF[2 * c], Ch = BBUF[2 * c + 1]; // prettier-ignore
    let Dl = BBUF[2 * d], Dh = BBUF[2 * d + 1]; // prettier-ignore
    // v[a] = (v[a] + v[b] + x) | 0;
    const ll = add3L(Al, Bl, Xl);
    Ah = add3H(ll, Ah, Bh, Xh);
    Al = ll | 0;
    // v[d] = rotr(v[d] ^ v[a], 16)
    let xh = Dh ^ Ah, xl = Dl ^ Al; // prettier-ignore
    Dh = rotrSH(xh, xl, 16);
    Dl = rotrSL(xh, xl, 16);
    // v[c] = (v[c] + v[d]) | 0;
    ({ h: Ch, l: Cl } = add(Ch, Cl, Dh, Dl));
    // v[b] = rotr(v[b] ^ v[c], 63)
    xh = Bh ^ Ch;
    xl = Bl ^ Cl;
    Bh = rotrBH(xh, xl, 63);
    Bl = rotrBL(xh, xl, 63);
    BBUF[2 * a] = Al;
    BBUF[2 * a + 1] = Ah;
    BBUF[2 * b] = Bl;
    BBUF[2 * b + 1] = Bh;
    BBUF[2 * c] = Cl;
    BBUF[2 * c + 1] = Ch;
    BBUF[2 * d] = Dl;
    BBUF[2 * d + 1] = Dh;
}
function checkBlake2Opts(outputLen, opts = {}, keyLen, saltLen, persLen) {
    anumber(keyLen);
    // RFC 7693 §2.1 requires digest length nn in 1..keyLen (keyLen doubles as
    // the per-variant max for both key and digest lengths: 64 for b, 32 for s).
    if (outputLen <= 0 || outputLen > keyLen)
        throw new Error('"dkLen" must be 1..' + keyLen + ', got ' + outputLen);
    const { key, salt, personalization } = opts;
    // This API uses `undefined` for the RFC 7693 `kk = 0` case, so a provided key must be non-empty.
    if (key !== undefined && (key.length < 1 || key.length > keyLen))
        throw new Error('"key" expected to be undefined or of length=1..' + keyLen);
    if (salt !== undefined)
        utils_abytes(salt, saltLen, 'salt');
    if (personalization !== undefined)
        utils_abytes(personalization, persLen, 'personalization');
}
/** Internal base class for BLAKE2. */
class _BLAKE2 {
    buffer;
    buffer32;
    finished = false;
    destroyed = false;
    length = 0;
    pos = 0;
    blockLen;
    outputLen;
    canXOF = false;
    constructor(blockLen, outputLen) {
        anumber(blockLen);
        anumber(outputLen);
        this.blockLen = blockLen;
        this.outputLen = outputLen;
        this.buffer = new Uint8Array(blockLen);
        this.buffer32 = u32(this.buffer);
    }
    update(data) {
        utils_aexists(this);
        utils_abytes(data);
        // Main difference with other hashes: there is flag for last block,
        // so we cannot process current block before we know that there
        // is the next one. This significantly complicates logic and reduces ability
        // to do zero-copy processing
        const { blockLen, buffer, buffer32 } = this;
        const len = data.length;
        const offset = data.byteOffset;
        const buf = data.buffer;
        for (let pos = 0; pos < len;) {
            // If buffer is full and we still have input (don't process last block, same as blake2s)
            if (this.pos === blockLen) {
                swap32IfBE(buffer32);
                this.compress(buffer32, 0, false);
                swap32IfBE(buffer32);
                this.pos = 0;
            }
            const take = Math.min(blockLen - this.pos, len - pos);
            const dataOffset = offset + pos;
            // Zero-copy only for full, 4-byte-aligned, non-final blocks.
            if (take === blockLen && !(dataOffset % 4) && pos + take < len) {
                const data32 = new Uint32Array(buf, dataOffset, Math.floor((len - pos) / 4));
                swap32IfBE(data32);
                for (let pos32 = 0; pos + blockLen < len; pos32 += buffer32.length, pos += blockLen) {
                    this.length += blockLen;
                    this.compress(data32, pos32, false);
                }
                swap32IfBE(data32);
                continue;
            }
            // When the whole input is buffered in one go (common for short messages), passing `data`
            // directly avoids allocating a subarray view.
            buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
            this.pos += take;
            this.length += take;
            pos += take;
        }
        return this;
    }
    digestInto(out) {
        utils_aexists(this);
        utils_aoutput(out, this);
        // Reject unaligned views explicitly instead of hiding them behind a full scratch copy.
        if (out.byteOffset & 3)
            throw new RangeError('"output" expected 4-byte aligned byteOffset, got ' + out.byteOffset);
        const { pos, buffer32 } = this;
        this.finished = true;
        // Padding
        this.buffer.fill(0, pos);
        swap32IfBE(buffer32);
        this.compress(buffer32, 0, true);
        swap32IfBE(buffer32);
        const state = this.get();
        // digest() passes our own `buffer` as `out`; reuse its cached u32 view instead of allocating.
        const out32 = out === this.buffer ? buffer32 : u32(out);
        const full = Math.floor(this.outputLen / 4);
        for (let i = 0; i < full; i++)
            out32[i] = swap8IfBE(state[i]);
        const tail = this.outputLen % 4;
        if (!tail)
            return;
        const off = full * 4;
        const word = state[full];
        for (let i = 0; i < tail; i++)
            out[off + i] = word >>> (8 * i);
    }
    digest() {
        const { buffer, outputLen } = this;
        this.digestInto(buffer);
        // Return a copy so callers do not alias the instance scratch buffer used during finalization.
        const res = buffer.slice(0, outputLen);
        this.destroy();
        return res;
    }
    _cloneInto(to) {
        const { buffer, length, finished, destroyed, outputLen, pos } = this;
        // Recreate only `dkLen`; key/salt/personalization are already absorbed into the copied state.
        to ||= new this.constructor({ dkLen: outputLen });
        to.set(...this.get());
        // Last-block-aware lazy compression keeps the pending block live even when full.
        to.buffer.set(buffer);
        to.destroyed = destroyed;
        to.finished = finished;
        to.length = length;
        to.pos = pos;
        // @ts-ignore
        to.outputLen = outputLen;
        return to;
    }
    clone() {
        return this._cloneInto();
    }
}
/** Internal blake2b hash class with state stored as LE u32 low/high halves. */
class _BLAKE2b extends _BLAKE2 {
    // Same IV words as SHA-512 / BLAKE2b, encoded as LE u32 low/high halves.
    v0l = B2B_IV[0] | 0;
    v0h = B2B_IV[1] | 0;
    v1l = B2B_IV[2] | 0;
    v1h = B2B_IV[3] | 0;
    v2l = B2B_IV[4] | 0;
    v2h = B2B_IV[5] | 0;
    v3l = B2B_IV[6] | 0;
    v3h = B2B_IV[7] | 0;
    v4l = B2B_IV[8] | 0;
    v4h = B2B_IV[9] | 0;
    v5l = B2B_IV[10] | 0;
    v5h = B2B_IV[11] | 0;
    v6l = B2B_IV[12] | 0;
    v6h = B2B_IV[13] | 0;
    v7l = B2B_IV[14] | 0;
    v7h = B2B_IV[15] | 0;
    constructor(opts = {}) {
        opts = checkOpts({}, opts);
        const olen = opts.dkLen === undefined ? 64 : opts.dkLen;
        super(128, olen);
        checkBlake2Opts(olen, opts, 64, 16, 16);
        let { key, personalization, salt } = opts;
        let keyLength = 0;
        if (key !== undefined) {
            utils_abytes(key, undefined, 'key');
            keyLength = key.length;
        }
        // RFC 7693 §2.5: xor `p[0] = 0x0101kknn` into the low 32 bits of `h[0]`;
        // the high 32 bits stay at `IV[0]`.
        this.v0l ^= this.outputLen | (keyLength << 8) | (0x01 << 16) | (0x01 << 24);
        if (salt !== undefined) {
            utils_abytes(salt, undefined, 'salt');
            // Copy: u32() would throw on views with byteOffset not divisible by 4.
            const slt = u32(copyBytes(salt));
            this.v4l ^= swap8IfBE(slt[0]);
            this.v4h ^= swap8IfBE(slt[1]);
            this.v5l ^= swap8IfBE(slt[2]);
            this.v5h ^= swap8IfBE(slt[3]);
        }
        if (personalization !== undefined) {
            utils_abytes(personalization, undefined, 'personalization');
            // Copy: u32() would throw on views with byteOffset not divisible by 4.
            const pers = u32(copyBytes(personalization));
            this.v6l ^= swap8IfBE(pers[0]);
            this.v6h ^= swap8IfBE(pers[1]);
            this.v7l ^= swap8IfBE(pers[2]);
            this.v7h ^= swap8IfBE(pers[3]);
        }
        if (key !== undefined) {
            // Pad to blockLen and update
            const tmp = new Uint8Array(this.blockLen);
            tmp.set(key);
            this.update(tmp);
            // The padded copy holds key material; buffer/state keep what they need.
            clean(tmp);
        }
    }
    // prettier-ignore
    get() {
        let { v0l, v0h, v1l, v1h, v2l, v2h, v3l, v3h, v4l, v4h, v5l, v5h, v6l, v6h, v7l, v7h } = this;
        return [v0l, v0h, v1l, v1h, v2l, v2h, v3l, v3h, v4l, v4h, v5l, v5h, v6l, v6h, v7l, v7h];
    }
    // prettier-ignore
    set(v0l, v0h, v1l, v1h, v2l, v2h, v3l, v3h, v4l, v4h, v5l, v5h, v6l, v6h, v7l, v7h) {
        this.v0l = v0l | 0;
        this.v0h = v0h | 0;
        this.v1l = v1l | 0;
        this.v1h = v1h | 0;
        this.v2l = v2l | 0;
        this.v2h = v2h | 0;
        this.v3l = v3l | 0;
        this.v3h = v3h | 0;
        this.v4l = v4l | 0;
        this.v4h = v4h | 0;
        this.v5l = v5l | 0;
        this.v5h = v5h | 0;
        this.v6l = v6l | 0;
        this.v6h = v6h | 0;
        this.v7l = v7l | 0;
        this.v7h = v7h | 0;
    }
    compress(msg, offset, isLast) {
        // First half from state. Direct writes: get() would allocate an array +
        // closure per block.
        // prettier-ignore
        const { v0l, v0h, v1l, v1h, v2l, v2h, v3l, v3h, v4l, v4h, v5l, v5h, v6l, v6h, v7l, v7h } = this;
        // prettier-ignore
        {
            BBUF[0] = v0l;
            BBUF[1] = v0h;
            BBUF[2] = v1l;
            BBUF[3] = v1h;
            BBUF[4] = v2l;
            BBUF[5] = v2h;
            BBUF[6] = v3l;
            BBUF[7] = v3h;
            BBUF[8] = v4l;
            BBUF[9] = v4h;
            BBUF[10] = v5l;
            BBUF[11] = v5h;
            BBUF[12] = v6l;
            BBUF[13] = v6h;
            BBUF[14] = v7l;
            BBUF[15] = v7h;
        }
        BBUF.set(B2B_IV, 16); // Second half from IV.
        const l = fromNumL(this.length);
        const h = fromNumH(this.length);
        BBUF[24] = B2B_IV[8] ^ l; // Low word of the offset.
        BBUF[25] = B2B_IV[9] ^ h; // High word.
        // Invert all bits for last block
        if (isLast) {
            BBUF[28] = ~BBUF[28];
            BBUF[29] = ~BBUF[29];
        }
        let j = 0;
        const s = BSIGMA;
        // SIGMA selects 64-bit message words; multiply by 2 because `msg` stores
        // each word as [low32, high32].
        for (let i = 0; i < 12; i++) {
            G1b(0, 4, 8, 12, msg, offset + 2 * s[j++]);
            G2b(0, 4, 8, 12, msg, offset + 2 * s[j++]);
            G1b(1, 5, 9, 13, msg, offset + 2 * s[j++]);
            G2b(1, 5, 9, 13, msg, offset + 2 * s[j++]);
            G1b(2, 6, 10, 14, msg, offset + 2 * s[j++]);
            G2b(2, 6, 10, 14, msg, offset + 2 * s[j++]);
            G1b(3, 7, 11, 15, msg, offset + 2 * s[j++]);
            G2b(3, 7, 11, 15, msg, offset + 2 * s[j++]);
            G1b(0, 5, 10, 15, msg, offset + 2 * s[j++]);
            G2b(0, 5, 10, 15, msg, offset + 2 * s[j++]);
            G1b(1, 6, 11, 12, msg, offset + 2 * s[j++]);
            G2b(1, 6, 11, 12, msg, offset + 2 * s[j++]);
            G1b(2, 7, 8, 13, msg, offset + 2 * s[j++]);
            G2b(2, 7, 8, 13, msg, offset + 2 * s[j++]);
            G1b(3, 4, 9, 14, msg, offset + 2 * s[j++]);
            G2b(3, 4, 9, 14, msg, offset + 2 * s[j++]);
        }
        this.v0l ^= BBUF[0] ^ BBUF[16];
        this.v0h ^= BBUF[1] ^ BBUF[17];
        this.v1l ^= BBUF[2] ^ BBUF[18];
        this.v1h ^= BBUF[3] ^ BBUF[19];
        this.v2l ^= BBUF[4] ^ BBUF[20];
        this.v2h ^= BBUF[5] ^ BBUF[21];
        this.v3l ^= BBUF[6] ^ BBUF[22];
        this.v3h ^= BBUF[7] ^ BBUF[23];
        this.v4l ^= BBUF[8] ^ BBUF[24];
        this.v4h ^= BBUF[9] ^ BBUF[25];
        this.v5l ^= BBUF[10] ^ BBUF[26];
        this.v5h ^= BBUF[11] ^ BBUF[27];
        this.v6l ^= BBUF[12] ^ BBUF[28];
        this.v6h ^= BBUF[13] ^ BBUF[29];
        this.v7l ^= BBUF[14] ^ BBUF[30];
        this.v7h ^= BBUF[15] ^ BBUF[31];
        clean(BBUF);
    }
    destroy() {
        this.destroyed = true;
        clean(this.buffer32);
        this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
/**
 * Blake2b hash function. 64-bit. 1.5x slower than blake2s in JS.
 * @param msg - message that would be hashed
 * @param opts - Optional output, MAC, salt, and personalization settings.
 *   `dkLen` must be 1..64 bytes; `salt` and `personalization`, if present,
 *   must be 16 bytes each. See {@link Blake2Opts}.
 * @returns Digest bytes.
 * @example
 * Hash a message with Blake2b.
 * ```ts
 * blake2b(new Uint8Array([97, 98, 99]));
 * ```
 * @example
 * Hash a message with Blake2b while selecting output, MAC, salt, and personalization settings.
 * ```ts
 * blake2b(new Uint8Array([97, 98, 99]), {
 *   dkLen: 32,
 *   key: new Uint8Array(32),
 *   salt: new Uint8Array(16),
 *   personalization: new Uint8Array(16),
 * });
 * ```
 */
const blake2_blake2b = /* @__PURE__ */ utils_createHasher((opts) => new _BLAKE2b(opts));
/**
 * BLAKE2-compress core method.
 * Runs only the round function over a caller-supplied local vector; callers initialize `v0..v15`
 * and apply the final `h[i] ^= v[i] ^ v[i + 8]` fold themselves.
 * @param s - flattened sigma schedule bytes
 * @param offset - starting word offset inside `msg`, not a byte offset
 * @param msg - message words
 * @param rounds - round count to execute
 * @param v0 - state word 0
 * @param v1 - state word 1
 * @param v2 - state word 2
 * @param v3 - state word 3
 * @param v4 - state word 4
 * @param v5 - state word 5
 * @param v6 - state word 6
 * @param v7 - state word 7
 * @param v8 - state word 8
 * @param v9 - state word 9
 * @param v10 - state word 10
 * @param v11 - state word 11
 * @param v12 - state word 12
 * @param v13 - state word 13
 * @param v14 - state word 14
 * @param v15 - state word 15
 * @returns Updated compression state words.
 * @example
 * Run the BLAKE2 compression core on zeroed state and message words.
 * ```ts
 * import { _compress } from '@noble/hashes/blake2.js';
 * const state = _compress(
 *   new Uint8Array(16),
 *   0,
 *   new Uint32Array(16),
 *   1,
 *   0, 0, 0, 0, 0, 0, 0, 0,
 *   0, 0, 0, 0, 0, 0, 0, 0
 * );
 * state.v0;
 * ```
 */
// prettier-ignore
function _compress(s, offset, msg, rounds, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15) {
    let j = 0;
    for (let i = 0; i < rounds; i++) {
        ({ a: v0, b: v4, c: v8, d: v12 } = G1s(v0, v4, v8, v12, msg[offset + s[j++]]));
        ({ a: v0, b: v4, c: v8, d: v12 } = G2s(v0, v4, v8, v12, msg[offset + s[j++]]));
        ({ a: v1, b: v5, c: v9, d: v13 } = G1s(v1, v5, v9, v13, msg[offset + s[j++]]));
        ({ a: v1, b: v5, c: v9, d: v13 } = G2s(v1, v5, v9, v13, msg[offset + s[j++]]));
        ({ a: v2, b: v6, c: v10, d: v14 } = G1s(v2, v6, v10, v14, msg[offset + s[j++]]));
        ({ a: v2, b: v6, c: v10, d: v14 } = G2s(v2, v6, v10, v14, msg[offset + s[j++]]));
        ({ a: v3, b: v7, c: v11, d: v15 } = G1s(v3, v7, v11, v15, msg[offset + s[j++]]));
        ({ a: v3, b: v7, c: v11, d: v15 } = G2s(v3, v7, v11, v15, msg[offset + s[j++]]));
        ({ a: v0, b: v5, c: v10, d: v15 } = G1s(v0, v5, v10, v15, msg[offset + s[j++]]));
        ({ a: v0, b: v5, c: v10, d: v15 } = G2s(v0, v5, v10, v15, msg[offset + s[j++]]));
        ({ a: v1, b: v6, c: v11, d: v12 } = G1s(v1, v6, v11, v12, msg[offset + s[j++]]));
        ({ a: v1, b: v6, c: v11, d: v12 } = G2s(v1, v6, v11, v12, msg[offset + s[j++]]));
        ({ a: v2, b: v7, c: v8, d: v13 } = G1s(v2, v7, v8, v13, msg[offset + s[j++]]));
        ({ a: v2, b: v7, c: v8, d: v13 } = G2s(v2, v7, v8, v13, msg[offset + s[j++]]));
        ({ a: v3, b: v4, c: v9, d: v14 } = G1s(v3, v4, v9, v14, msg[offset + s[j++]]));
        ({ a: v3, b: v4, c: v9, d: v14 } = G2s(v3, v4, v9, v14, msg[offset + s[j++]]));
    }
    return { v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15 };
}
// Blake2s reuses the SHA-256 IV words as-is.
const B2S_IV = /* @__PURE__ */ SHA256_IV.slice();
/** Internal blake2s hash class. */
class _BLAKE2s extends _BLAKE2 {
    // Internal state, same as SHA-256
    v0 = B2S_IV[0] | 0;
    v1 = B2S_IV[1] | 0;
    v2 = B2S_IV[2] | 0;
    v3 = B2S_IV[3] | 0;
    v4 = B2S_IV[4] | 0;
    v5 = B2S_IV[5] | 0;
    v6 = B2S_IV[6] | 0;
    v7 = B2S_IV[7] | 0;
    constructor(opts = {}) {
        opts = checkOpts({}, opts);
        const olen = opts.dkLen === undefined ? 32 : opts.dkLen;
        super(64, olen);
        checkBlake2Opts(olen, opts, 32, 8, 8);
        let { key, personalization, salt } = opts;
        let keyLength = 0;
        if (key !== undefined) {
            utils_abytes(key, undefined, 'key');
            keyLength = key.length;
        }
        // RFC 7693 §2.5: xor `p[0] = 0x0101kknn` directly into `h[0]`, since
        // BLAKE2s stores each state word as one `u32`.
        this.v0 ^= this.outputLen | (keyLength << 8) | (0x01 << 16) | (0x01 << 24);
        if (salt !== undefined) {
            utils_abytes(salt, undefined, 'salt');
            // Copy: u32() would throw on views with byteOffset not divisible by 4.
            const slt = u32(copyBytes(salt));
            this.v4 ^= swap8IfBE(slt[0]);
            this.v5 ^= swap8IfBE(slt[1]);
        }
        if (personalization !== undefined) {
            utils_abytes(personalization, undefined, 'personalization');
            // Copy: u32() would throw on views with byteOffset not divisible by 4.
            const pers = u32(copyBytes(personalization));
            this.v6 ^= swap8IfBE(pers[0]);
            this.v7 ^= swap8IfBE(pers[1]);
        }
        if (key !== undefined) {
            // Pad to blockLen and update
            const tmp = new Uint8Array(this.blockLen);
            tmp.set(key);
            this.update(tmp);
            // The padded copy holds key material; buffer/state keep what they need.
            clean(tmp);
        }
    }
    get() {
        const { v0, v1, v2, v3, v4, v5, v6, v7 } = this;
        return [v0, v1, v2, v3, v4, v5, v6, v7];
    }
    // prettier-ignore
    set(v0, v1, v2, v3, v4, v5, v6, v7) {
        this.v0 = v0 | 0;
        this.v1 = v1 | 0;
        this.v2 = v2 | 0;
        this.v3 = v3 | 0;
        this.v4 = v4 | 0;
        this.v5 = v5 | 0;
        this.v6 = v6 | 0;
        this.v7 = v7 | 0;
    }
    compress(msg, offset, isLast) {
        const l = fromNumL(this.length);
        const h = fromNumH(this.length);
        // Seed v8..v15 from the IV, xor the low/high 32-bit byte counter into
        // v12/v13, and invert v14 on the final block.
        // prettier-ignore
        const { v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15 } = _compress(BSIGMA, offset, msg, 10, this.v0, this.v1, this.v2, this.v3, this.v4, this.v5, this.v6, this.v7, B2S_IV[0], B2S_IV[1], B2S_IV[2], B2S_IV[3], l ^ B2S_IV[4], h ^ B2S_IV[5], isLast ? ~B2S_IV[6] : B2S_IV[6], B2S_IV[7]);
        this.v0 ^= v0 ^ v8;
        this.v1 ^= v1 ^ v9;
        this.v2 ^= v2 ^ v10;
        this.v3 ^= v3 ^ v11;
        this.v4 ^= v4 ^ v12;
        this.v5 ^= v5 ^ v13;
        this.v6 ^= v6 ^ v14;
        this.v7 ^= v7 ^ v15;
    }
    destroy() {
        this.destroyed = true;
        clean(this.buffer32);
        this.set(0, 0, 0, 0, 0, 0, 0, 0);
    }
}
/**
 * Blake2s hash function. Focuses on 8-bit to 32-bit platforms. 1.5x faster than blake2b in JS.
 * @param msg - message that would be hashed
 * @param opts - Optional output, MAC, salt, and personalization settings.
 *   `dkLen` must be 1..32 bytes; `salt` and `personalization`, if present,
 *   must be 8 bytes each. See {@link Blake2Opts}.
 * @returns Digest bytes.
 * @example
 * Hash a message with Blake2s.
 * ```ts
 * blake2s(new Uint8Array([97, 98, 99]));
 * ```
 * @example
 * Hash a message with Blake2s while selecting output, MAC, salt, and personalization settings.
 * ```ts
 * blake2s(new Uint8Array([97, 98, 99]), {
 *   dkLen: 16,
 *   key: new Uint8Array(32),
 *   salt: new Uint8Array(8),
 *   personalization: new Uint8Array(8),
 * });
 * ```
 */
const blake2s = /* @__PURE__ */ (/* unused pure expression or super */ null && (createHasher((opts) => new _BLAKE2s(opts))));

;// CONCATENATED MODULE: ./src/integrity/minisign.ts
/**
 * The minisign format, both directions, for `build` (secret key in, signature out) and `verify`
 * (public key and signature in). Layouts from jedisct1/minisign src/minisign.h; node:crypto
 * Ed25519 plus BLAKE2b-256 from @noble/hashes for the secret key's checksum.
 *
 * Every file is lines of `untrusted comment: …` / base64 / (signatures) `trusted comment: …` /
 * base64:
 * - public key: base64("Ed" ‖ keynum (8) ‖ pk (32))
 * - secret key: base64("Ed" ‖ kdf "Sc" or 0,0 ‖ chk "B2" ‖ salt (32) ‖ opslimit LE (8) ‖
 *   memlimit LE (8) ‖ keynum (8) ‖ sk (64) ‖ chk (32)), where keynum‖sk‖chk is XORed with
 *   scrypt(password) for "Sc", sk = Ed25519 seed ‖ public key, chk = BLAKE2b-256("Ed" ‖ keynum ‖ sk)
 * - signature: base64(alg ‖ keynum ‖ Ed25519(message) (64)), then the trusted comment, then
 *   base64(Ed25519(signature ‖ trusted comment)). alg "ED" signs the BLAKE2b-512 of the file,
 *   legacy "Ed" the file itself.
 * The key id is the keynum read as a little-endian u64 and printed `%" PRIX64` (upper-case hex
 * without leading zeros), as minisign -G writes it into the public key's comment and minisign -V
 * names it on a key mismatch.
 */



const OPTION = 'minisign-private-key';
const PUBLIC_OPTION = 'minisign-public-key';
/** minisign.h COMMENT_PREFIX, TRUSTED_COMMENT_PREFIX */
const UNTRUSTED_PREFIX = 'untrusted comment: ';
const TRUSTED_PREFIX = 'trusted comment: ';
/** minisign.h SIGALG, SIGALG_HASHED, KDFALG, CHKALG */
const ALG_LEGACY = 'Ed';
const ALG_HASHED = 'ED';
const SIG_ALG = Buffer.from(ALG_LEGACY, 'latin1');
const KDF_SCRYPT = Buffer.from('Sc', 'latin1');
const KDF_NONE = Buffer.from([0, 0]);
const CHK_ALG = Buffer.from('B2', 'latin1');
const KEYNUM_BYTES = 8;
const PK_BYTES = 32;
const SIG_BYTES = 64;
/** byte offsets in the decoded secret key (SeckeyStruct) */
const SK = {
    sigAlg: 0,
    kdfAlg: 2,
    chkAlg: 4,
    salt: 6,
    ops: 38,
    mem: 46,
    keynum: 54,
    sk: 62,
    chk: 126,
    end: 158
};
const KEYNUM_SK_BYTES = SK.end - SK.keynum; // 104
/** byte offsets in the decoded public key (PubkeyStruct) and signature (SigStruct) */
const PK = { sigAlg: 0, keynum: 2, pk: 2 + KEYNUM_BYTES, end: 2 + KEYNUM_BYTES + PK_BYTES };
const minisign_SIG = { sigAlg: 0, keynum: 2, sig: 2 + KEYNUM_BYTES, end: 2 + KEYNUM_BYTES + SIG_BYTES };
/** RFC 8410: PKCS#8 prefix of a raw Ed25519 seed, SubjectPublicKeyInfo prefix of a public key */
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The key id as minisign prints it: `%" PRIX64` of the little-endian keynum. */
function keyId(keynum) {
    return keynum.readBigUInt64LE(0).toString(16).toUpperCase();
}
/** The lines of a minisign file, CR dropped, blank lines kept out. */
function linesOf(text) {
    return text
        .replace(/\r/g, '')
        .split('\n')
        .filter(l => l.trim() !== '');
}
function decode(line) {
    const s = line?.trim() ?? '';
    return BASE64.test(s) ? Buffer.from(s, 'base64') : Buffer.alloc(0);
}
/** A public key given inline (the base64 line, as `minisign -P` takes it) rather than as a path. */
const looksInlinePublicKey = (s) => /^[A-Za-z0-9+/=]{56}$/.test(s.trim()) || s.trimStart().startsWith(UNTRUSTED_PREFIX);
/** Parse a public key file (comment + base64) or its base64 line alone. */
function parsePublicKey(text) {
    const lines = linesOf(text);
    const raw = decode(lines[0]?.startsWith(UNTRUSTED_PREFIX) ? lines[1] : lines[0]);
    if (raw.length !== PK.end || !raw.subarray(PK.sigAlg, PK.keynum).equals(SIG_ALG)) {
        throw (0,errors/* optionError */.mp)(PUBLIC_OPTION, 'not a minisign public key');
    }
    const keynum = Buffer.from(raw.subarray(PK.keynum, PK.pk));
    const key = (0,external_node_crypto_.createPublicKey)({
        key: Buffer.concat([ED25519_SPKI, raw.subarray(PK.pk, PK.end)]),
        format: 'der',
        type: 'spki'
    });
    return { keyId: keyId(keynum), keynum, key };
}
/** A public key file as minisign -G writes it. */
function publicKeyFile(keynum, publicKey) {
    const raw = Buffer.concat([SIG_ALG, keynum, publicKey]);
    return `${UNTRUSTED_PREFIX}minisign public key ${keyId(keynum)}\n${raw.toString('base64')}\n`;
}
/** An unencrypted secret key file (as minisign -G -W writes it, with its checksum filled in). */
function secretKeyFile(keynum, seed, comment = 'minisign secret key') {
    const privateKey = createPrivateKey({
        key: Buffer.concat([ED25519_PKCS8, seed]),
        format: 'der',
        type: 'pkcs8'
    });
    const pk = Buffer.from(privateKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    const sk = Buffer.concat([seed, pk]);
    const raw = Buffer.alloc(SK.end);
    SIG_ALG.copy(raw, SK.sigAlg);
    KDF_NONE.copy(raw, SK.kdfAlg);
    CHK_ALG.copy(raw, SK.chkAlg);
    keynum.copy(raw, SK.keynum);
    sk.copy(raw, SK.sk);
    Buffer.from(blake2b(Buffer.concat([SIG_ALG, keynum, sk]), { dkLen: 32 })).copy(raw, SK.chk);
    return `${UNTRUSTED_PREFIX}${comment}\n${raw.toString('base64')}\n`;
}
/** libsodium crypto_pwhash_scryptsalsa208sha256's choice of N, r, p from opslimit and memlimit. */
function scryptParams(opslimit, memlimit) {
    const ops = Math.max(opslimit, 32768);
    const r = 8;
    let logN = 1;
    if (ops < memlimit / 32) {
        const maxN = ops / (r * 4);
        while (logN < 63 && 2 ** logN <= maxN / 2)
            logN++;
        return { N: 2 ** logN, r, p: 1 };
    }
    const maxN = memlimit / (r * 128);
    while (logN < 63 && 2 ** logN <= maxN / 2)
        logN++;
    const maxrp = Math.min(Math.floor(ops / 4 / 2 ** logN), 0x3fffffff);
    return { N: 2 ** logN, r, p: Math.max(1, Math.floor(maxrp / r)) };
}
function scryptAsync(password, salt, len, o) {
    return new Promise((resolve, reject) => (0,external_node_crypto_.scrypt)(password, salt, len, { ...o, maxmem: 128 * o.N * o.r * o.p + 64 * 1024 * 1024 }, (err, key) => err ? reject(err) : resolve(key)));
}
const readU64 = (b, at) => Number(b.readBigUInt64LE(at));
/** The decoded secret key, its algorithms checked; every failure names the option, never the key. */
function decodeSecretKey(text) {
    const raw = decode(linesOf(text).find(l => !l.startsWith(UNTRUSTED_PREFIX.trim())));
    if (raw.length === PK.end && raw.subarray(PK.sigAlg, PK.keynum).equals(SIG_ALG)) {
        throw (0,errors/* optionError */.mp)(OPTION, `this is a minisign public key; give the secret key (minisign.key)`);
    }
    if (raw.length !== SK.end || !raw.subarray(SK.sigAlg, SK.kdfAlg).equals(SIG_ALG)) {
        throw (0,errors/* optionError */.mp)(OPTION, `not a minisign secret key (expected the content of a file made by minisign -G)`);
    }
    if (!raw.subarray(SK.chkAlg, SK.salt).equals(CHK_ALG)) {
        throw (0,errors/* optionError */.mp)(OPTION, `unsupported checksum algorithm in the key`);
    }
    return raw;
}
/** Parse (and decrypt) a minisign secret key. */
async function loadMinisignKey(text, password) {
    const raw = decodeSecretKey(text);
    const kdf = raw.subarray(SK.kdfAlg, SK.chkAlg);
    const block = Buffer.from(raw.subarray(SK.keynum, SK.end));
    if (kdf.equals(KDF_SCRYPT)) {
        if (password === undefined) {
            throw (0,errors/* optionError */.mp)('minisign-password', 'required: the key in --minisign-private-key is encrypted (made without -W)');
        }
        const params = scryptParams(readU64(raw, SK.ops), readU64(raw, SK.mem));
        if (params.N > 2 ** 24 || params.p > 16) {
            throw (0,errors/* optionError */.mp)(OPTION, `the key's scrypt cost is too large`);
        }
        const stream = await scryptAsync(password, raw.subarray(SK.salt, SK.ops), KEYNUM_SK_BYTES, params);
        for (let i = 0; i < block.length; i++)
            block[i] ^= stream[i];
        stream.fill(0);
    }
    else if (!kdf.equals(KDF_NONE)) {
        throw (0,errors/* optionError */.mp)(OPTION, `unsupported key derivation function in the key`);
    }
    const keynum = Buffer.from(block.subarray(0, SK.sk - SK.keynum));
    const sk = block.subarray(SK.sk - SK.keynum, SK.chk - SK.keynum);
    const chk = block.subarray(SK.chk - SK.keynum);
    const expect = Buffer.from(blake2_blake2b(Buffer.concat([SIG_ALG, keynum, sk]), { dkLen: 32 }));
    // minisign -W (0.11) stores a zero checksum; the public half below still proves the key
    const chkOk = (0,external_node_crypto_.timingSafeEqual)(expect, chk) || (kdf.equals(KDF_NONE) && chk.every(b => b === 0));
    let privateKey;
    try {
        privateKey = (0,external_node_crypto_.createPrivateKey)({
            key: Buffer.concat([ED25519_PKCS8, sk.subarray(0, 32)]),
            format: 'der',
            type: 'pkcs8'
        });
    }
    catch {
        privateKey = undefined;
    }
    const pub = privateKey?.export({ format: 'jwk' }).x;
    const pubOk = pub !== undefined && Buffer.from(pub, 'base64url').equals(sk.subarray(32));
    block.fill(0);
    if (!chkOk || !pubOk || !privateKey) {
        if (kdf.equals(KDF_SCRYPT))
            throw (0,errors/* optionError */.mp)('minisign-password', 'wrong password for the minisign key');
        throw (0,errors/* optionError */.mp)(OPTION, 'the key is damaged (its checksum does not match)');
    }
    return { keyId: keyId(keynum), keynum, privateKey };
}
function blake2b512(data) {
    return (0,external_node_crypto_.createHash)('blake2b512').update(data).digest();
}
/** What the global signature signs: the signature followed by the trusted comment's bytes. */
const globalMessage = (signature, trustedComment) => Buffer.concat([signature, Buffer.from(trustedComment, 'utf8')]);
/** Read a signature file as minisign -V does (four lines in order); a string says what is wrong. */
function parseSignature(text) {
    const [untrusted, sigLine, trusted, globalLine] = linesOf(text);
    const sig = decode(sigLine);
    const globalSignature = decode(globalLine);
    if (!untrusted?.startsWith(UNTRUSTED_PREFIX) ||
        sig.length !== minisign_SIG.end ||
        !trusted?.startsWith(TRUSTED_PREFIX) ||
        globalSignature.length !== SIG_BYTES) {
        return 'is not a minisign signature';
    }
    const alg = sig.toString('latin1', minisign_SIG.sigAlg, minisign_SIG.keynum);
    if (alg !== ALG_LEGACY && alg !== ALG_HASHED)
        return `has an unknown minisign algorithm "${alg}"`;
    const keynum = Buffer.from(sig.subarray(minisign_SIG.keynum, minisign_SIG.sig));
    return {
        alg,
        keyId: keyId(keynum),
        keynum,
        signature: Buffer.from(sig.subarray(minisign_SIG.sig, minisign_SIG.end)),
        trustedComment: trusted.slice(TRUSTED_PREFIX.length),
        globalSignature
    };
}
/** A prehashed ("ED") minisign signature file for a BLAKE2b-512 `prehash` of the file `name`. */
function minisignSignature(key, prehash, name, timestamp) {
    const safe = name.replace(/[\r\n\t]/g, '_');
    const trusted = `timestamp:${timestamp}\tfile:${safe}\thashed`;
    const sig = (0,external_node_crypto_.sign)(null, prehash, key.privateKey);
    const global = (0,external_node_crypto_.sign)(null, globalMessage(sig, trusted), key.privateKey);
    return (`${UNTRUSTED_PREFIX}signature from isoforge, minisign key ${key.keyId}\n` +
        `${Buffer.concat([Buffer.from(ALG_HASHED, 'latin1'), key.keynum, sig]).toString('base64')}\n` +
        `${TRUSTED_PREFIX}${trusted}\n` +
        `${global.toString('base64')}\n`);
}

// EXTERNAL MODULE: ./src/integrity/pgp-packet.ts
var pgp_packet = __nccwpck_require__(965);
;// CONCATENATED MODULE: ./src/integrity/index.ts
/**
 * Integrity: digests while writing, checksum files, manifest, implanted MD5, signatures.
 * The pipeline calls prepareIntegrity() before the image is written (options checked, keys read,
 * decrypted and validated there, so a bad key fails before any output) and publish() after: every
 * sidecar is written to a temporary file first and renamed into place only when all are ready.
 */













const CHECKSUM_NAMES = ['sha256', 'sha512'];
/** The checksum files asked for (`--checksums`), each once; an unknown name is refused. */
function checksumsOf(config) {
    const sums = [];
    for (const c of config.checksums) {
        const n = String(c).trim().toLowerCase();
        if (!CHECKSUM_NAMES.includes(n)) {
            throw (0,errors/* optionError */.mp)('checksums', `"${c}" is not one of ${CHECKSUM_NAMES.join(', ')}`);
        }
        if (!sums.includes(n))
            sums.push(n);
    }
    return sums;
}
/** Where each sidecar of the image `output` goes (one spelling, for publish and the checks). */
const sidecarPath = {
    manifest: (output) => `${output}.manifest.json`,
    checksums: (output, alg) => external_node_path_.join(external_node_path_.dirname(output), SUMS_FILE[alg]),
    signature: (signed, kind) => `${signed}${kind === 'openpgp' ? '.asc' : '.minisig'}`
};
/**
 * Every sidecar path a build with `config` may write (the manifest, checksum files, signatures of
 * the image and of each checksum file), so they are checked before anything is written.
 */
function sidecarTargets(config) {
    const output = external_node_path_.resolve(config.output);
    const kinds = [];
    if (config.gpgPrivateKey !== undefined)
        kinds.push('openpgp');
    if (config.minisignPrivateKey !== undefined)
        kinds.push('minisign');
    const signed = [output];
    const out = [];
    if (config.manifest)
        out.push({ path: sidecarPath.manifest(output), what: 'manifest' });
    for (const alg of checksumsOf(config)) {
        const file = sidecarPath.checksums(output, alg);
        out.push({ path: file, what: 'checksum file' });
        signed.push(file);
    }
    for (const file of signed)
        for (const k of kinds)
            out.push({ path: sidecarPath.signature(file, k), what: 'signature' });
    return out;
}
function checkOptions(config, log) {
    const sums = checksumsOf(config);
    const format = config.checksumFormat;
    if (format !== 'gnu' && format !== 'bsd') {
        throw (0,errors/* optionError */.mp)('checksum-format', `"${String(format)}" is not one of gnu, bsd`);
    }
    if (config.gpgPassphrase !== undefined && config.gpgPrivateKey === undefined)
        log.warn('--gpg-passphrase is given without --gpg-private-key; nothing is signed with OpenPGP', '--gpg-passphrase');
    if (config.minisignPassword !== undefined && config.minisignPrivateKey === undefined)
        log.warn('--minisign-password is given without --minisign-private-key; nothing is signed with minisign', '--minisign-password');
    return { sums, format };
}
/** Temporary files beside their targets, renamed into place together (or all removed). */
class Staging {
    files = [];
    async add(target, content) {
        const tmp = (0,temporaries/* temporaryPath */.l5)(target);
        this.files.push({ tmp, target });
        (0,temporaries/* trackTemporary */.hN)(tmp);
        try {
            await external_node_fs_.promises.writeFile(tmp, content, { flag: 'wx', mode: 0o644 });
        }
        catch (e) {
            throw (0,errors/* fsError */.yi)(e, target, 'cannot write');
        }
    }
    async commit() {
        for (const f of this.files) {
            try {
                await external_node_fs_.promises.rename(f.tmp, f.target);
            }
            catch (e) {
                throw (0,errors/* fsError */.yi)(e, f.target, 'cannot write');
            }
        }
        this.files.length = 0;
    }
    async abort() {
        await Promise.all(this.files.map(f => external_node_fs_.promises.rm(f.tmp, { force: true }).catch(() => undefined)));
        this.files.length = 0;
    }
}
async function readIfExists(file) {
    try {
        return await readSmallText(file, {
            limit: LIMITS.checksumFile,
            what: 'cannot read',
            kind: 'a checksum file'
        });
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return undefined;
        throw (0,errors/* fsError */.yi)(e, file, 'cannot read');
    }
}
async function exists(file) {
    return external_node_fs_.promises.stat(file).then(() => true, () => false);
}
async function prepareIntegrity(config, log) {
    const { sums, format } = checkOptions(config, log);
    const imageDigests = sums.includes('sha512') ? ['sha256', 'sha512'] : ['sha256'];
    let pgp;
    let pgpSign;
    if (config.gpgPrivateKey !== undefined) {
        // openpgp.js is loaded only when a key is given (it adds ~50 ms and ~17 MB to every start)
        const module = await Promise.all(/* import() */[__nccwpck_require__.e(74), __nccwpck_require__.e(411)]).then(__nccwpck_require__.bind(__nccwpck_require__, 792));
        pgpSign = module.openPgpSign;
        pgp = await module.loadOpenPgpKey(config.gpgPrivateKey, config.gpgPassphrase);
        log.info(`OpenPGP key ${pgp.fingerprint} (signing key ${pgp.signingFingerprint})`);
    }
    let mini;
    if (config.minisignPrivateKey !== undefined) {
        log.debug('minisign: deriving the key from its password (scrypt, ~1 GiB, several seconds)');
        mini = await loadMinisignKey(config.minisignPrivateKey, config.minisignPassword);
        log.info(`minisign key ${mini.keyId}`);
    }
    const implant = config.implantMd5;
    const md5 = implant ? new Md5Tap() : undefined;
    const signDate = () => new Date();
    // what the signatures need of the image's bytes. minisign: a BLAKE2b-512 prehash, made by a hash
    // worker of its own while writing (or, with implant-md5, by the re-read). OpenPGP v4: the SHA-256
    // of the image followed by the signature's hashed part, which is the image digest continued (by
    // the hash worker, or the re-read's hash), so the signature costs no pass of its own.
    const blake = mini && implant ? (0,external_node_crypto_.createHash)('blake2b512') : undefined;
    const signTaps = blake ? [blake] : [];
    const raw = pgp?.raw;
    let imageSig;
    const continuations = raw
        ? () => {
            imageSig = { head: (0,pgp_packet/* signatureHead */.rG)(raw, signDate()) };
            return [(0,pgp_packet/* signatureSuffix */.s3)(imageSig.head)];
        }
        : undefined;
    const pgpJob = continuations && { algorithm: 'sha256', continueWith: continuations };
    const miniJob = mini ? { algorithm: 'blake2b512' } : undefined;
    const finish = md5
        ? async (tmp, plan, written) => {
            const r = md5.result();
            await implantIsoMd5(tmp, r);
            // the second read, in this mode only: the image digests must cover the implanted bytes
            const hashes = new Map(imageDigests.map(d => [d, (0,external_node_crypto_.createHash)(d)]));
            const total = plan.imageSize;
            const progress = written.onProgress;
            progress?.({ phase: 're-read', done: 0, total });
            const reread = await hashFile(tmp, [...hashes.values(), ...signTaps], written.direct, done => progress?.({ phase: 're-read', done, total }));
            const [suffix] = continuations?.() ?? [];
            if (suffix)
                imageSig.digest = hashes.get('sha256').copy().update(suffix).digest();
            log.info(`implanted MD5 ${r.md5} (checkisomd5), covering ${r.covered} bytes; image re-read for its digests` +
                (reread.direct ? ' (around the page cache)' : ''));
            return Object.fromEntries([...hashes].map(([k, h]) => [k, h.digest('hex')]));
        }
        : undefined;
    return {
        digests: implant ? [] : imageDigests,
        taps: md5 ? [md5] : signTaps,
        finish,
        digestJobs: implant ? [] : [pgpJob, miniJob].filter((j) => !!j),
        // per-file SHA-256 only feed the manifest: without one, the files are not hashed
        fileDigests: config.manifest,
        async publish(result) {
            const staging = new Staging();
            const signatures = [];
            const checksumPaths = [];
            const name = external_node_path_.basename(result.output);
            try {
                const manifest = buildManifest(result, { md5Implanted: implant });
                let manifestPath;
                let entryCount = 0;
                if (config.manifest) {
                    manifestPath = sidecarPath.manifest(result.output);
                    // written as it is made: the text of a large tree's manifest is never held whole
                    const chunks = manifestChunks(manifest, undefined, n => (entryCount = n));
                    await staging.add(manifestPath, chunks);
                }
                const imageDigest = imageSig?.digest ?? (pgpJob && result.jobs.get(pgpJob)?.continued[0]);
                const signBytes = async (subject, target, content) => {
                    if (pgp && pgpSign) {
                        const sig = !content && raw && imageSig && imageDigest
                            ? (0,pgp_packet/* signatureFromDigest */.h8)(raw, imageSig.head, imageDigest)
                            : await pgpSign(pgp, content ?? { file: target }, signDate());
                        const file = sidecarPath.signature(target, 'openpgp');
                        await staging.add(file, sig);
                        signatures.push({ kind: 'openpgp', subject, path: file, keyId: pgp.fingerprint });
                    }
                    if (mini) {
                        const h = content
                            ? blake2b512(content)
                            : (blake?.digest() ?? (miniJob && result.jobs.get(miniJob)?.digest));
                        if (!h)
                            throw new Error('internal: the BLAKE2b-512 of the image was not computed');
                        const sig = minisignSignature(mini, h, external_node_path_.basename(target), result.epoch);
                        const file = sidecarPath.signature(target, 'minisign');
                        await staging.add(file, sig);
                        signatures.push({ kind: 'minisign', subject, path: file, keyId: mini.keyId });
                    }
                };
                await signBytes(result.output, result.output, undefined);
                for (const alg of sums) {
                    const hex = result.digests[alg];
                    if (!hex)
                        throw new Error(`${alg} of the image was not computed`);
                    const file = sidecarPath.checksums(result.output, alg);
                    const text = mergeChecksumFile(await readIfExists(file), alg, hex, name, format);
                    await staging.add(file, text);
                    checksumPaths.push(file);
                    await signBytes(file, file, Buffer.from(text, 'utf8'));
                }
                for (const file of [result.output, ...checksumPaths]) {
                    for (const [kind, given] of [
                        ['openpgp', pgp],
                        ['minisign', mini]
                    ]) {
                        const sig = sidecarPath.signature(file, kind);
                        if (!given && (await exists(sig))) {
                            log.warn(`${sig} no longer matches ${external_node_path_.basename(file)} (this build did not sign it)`, sig);
                        }
                    }
                }
                await staging.commit();
                // the callers list what was written (CLI lines, action summary): details only under --debug
                if (manifestPath)
                    log.debug(`manifest ${manifestPath} (${entryCount} entries)`);
                for (const p of checksumPaths)
                    log.debug(`${external_node_path_.basename(p)}: ${name} ${format === 'bsd' ? '(BSD format)' : ''}`.trim());
                for (const s of signatures)
                    log.debug(`${s.kind} signature ${s.path} (key ${s.keyId})`);
                return { manifest, manifestPath, checksumPaths, signatures };
            }
            catch (e) {
                await staging.abort();
                // a build that failed publishes nothing: the image goes too
                await external_node_fs_.promises.rm(result.output, { force: true }).catch(() => undefined);
                throw e;
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/image/overlay.ts
/**
 * Editing a tree before it is planned (a remaster): removing paths, and laying another tree (an
 * overlay folder's scan) over it. A file replaces the file or link of the same path and folders
 * merge; a file where the base has a folder (or a folder where it has a file) is an error naming
 * the path: silently dropping a whole folder for a file, or a file for a folder, is more likely a
 * mistake than a wish, and `--remove` says it when it is one.
 */


/** Take `node` (and, for a folder, everything below it) out of its hard-link groups. */
function unlink(node) {
    const drop = (n) => {
        if (n.kind === 'file' && n.linkGroup)
            n.linkGroup.members = n.linkGroup.members.filter(m => m !== n);
    };
    if (node.kind === 'dir')
        walk(node, drop);
    else
        drop(node);
}
/** Remove the node at image path `p` (a file, link or whole folder); a missing path is an error. */
function removePath(root, p, option, where) {
    const node = p === '' ? undefined : lookup(root, p);
    const slash = p.lastIndexOf('/');
    const parent = slash < 0 ? root : lookup(root, p.slice(0, slash));
    if (!node || parent?.kind !== 'dir')
        throw (0,errors/* optionError */.mp)(option, `/${p} does not exist in ${where}`, { subject: p });
    unlink(node);
    parent.children.splice(parent.children.indexOf(node), 1);
}
const kindName = (n) => (n.kind === 'dir' ? 'a folder' : n.kind === 'file' ? 'a file' : 'a link');
/** Lay `top`'s children over `base`'s (same paths: both trees' folders are at the same paths). */
function overlayTree(base, top, topName, baseName) {
    for (const t of top.children) {
        const i = base.children.findIndex(b => b.name === t.name);
        const b = i < 0 ? undefined : base.children[i];
        if (!b)
            base.children.push(t);
        else if (b.kind === 'dir' && t.kind === 'dir')
            overlayTree(b, t, topName, baseName);
        else if (b.kind === 'dir' || t.kind === 'dir') {
            throw new errors/* IsoforgeError */.P1(`/${t.path}: ${kindName(t)} in ${topName} but ${kindName(b)} in ${baseName}; remove it from one (--remove /${t.path})`, { subject: t.path });
        }
        else {
            unlink(b);
            base.children[i] = t;
        }
    }
    base.children.sort((x, y) => compareNames(x.name, y.name));
}

;// CONCATENATED MODULE: ./src/read/eltorito.ts
/** The El Torito part of the reader: boot record → catalog → entries, each checked against the image. */


function platformName(id) {
    if (id === PLATFORM_X86)
        return 'bios';
    if (id === PLATFORM_EFI)
        return 'uefi';
    return `0x${id.toString(16).padStart(2, '0')}`;
}
/**
 * Read the catalog at `catalogLba`. `pathOf` names the file whose data starts at a block.
 * Never throws for a bad catalog: it reports problems (the structure check fails on them).
 */
async function readElTorito(src, catalogLba, pathOf) {
    const out = { catalogLba, entries: [], problems: [] };
    if (!src.inside(catalogLba * SECTOR, SECTOR)) {
        out.problems.push(`El Torito: the boot catalog at block ${catalogLba} lies past the end of the image`);
        return out;
    }
    const buf = await src.read(catalogLba * SECTOR, SECTOR, 'El Torito boot catalog');
    let catalog;
    try {
        catalog = parseBootCatalog(buf);
    }
    catch (e) {
        out.problems.push(`El Torito: ${e instanceof Error ? e.message : String(e)}`);
        return out;
    }
    if (!catalog.validation.checksumOk)
        out.problems.push('El Torito: the validation entry checksum is wrong');
    catalog.entries.forEach((e, i) => {
        const platform = platformName(e.platform);
        // a UEFI entry with count 0 means "to the end of the medium" (UEFI spec, El Torito section)
        const bytes = Math.max(1, e.sectorCount) * VIRTUAL_SECTOR;
        const inside = src.inside(e.lba * SECTOR, bytes);
        if (!inside) {
            out.problems.push(`El Torito: boot entry ${i + 1} (${platform}) at block ${e.lba} (${e.sectorCount} sectors) lies past the end of the image`);
        }
        out.entries.push({
            platform,
            path: pathOf(e.lba) ?? `lba:${e.lba}`,
            emulation: MEDIA_NAMES[e.media] ?? `media-${e.media}`,
            loadSize: e.sectorCount,
            lba: e.lba,
            bootable: e.bootable,
            inside
        });
    });
    return out;
}

;// CONCATENATED MODULE: ./src/read/file-keys.ts
/**
 * The files of a tree by their data, each file's first block and size, for comparing trees: 8 bytes
 * a file in one typed array as the walk adds them; two trees hold the same files when the sorted
 * arrays are byte for byte the same (a native sort and a memcmp, where a sort with a comparator and a
 * loop over every file ran mostly uncompiled: 10-40 ms for the bench image's 20,001 files).
 */
/** The size a key holds for a file of 4 GiB - 1 or more (a multi-extent file), whose size is then in `wide`. */
const WIDE = 0xffffffff;
class FileKeys {
    /** per file its key, two 32-bit words: the size (or WIDE) and the block, one BigUint64 to sort */
    words = new Uint32Array(2 * 1024);
    /** files with data */
    count = 0;
    /** (block, size) of each file of WIDE bytes or more */
    wide = [];
    add(block, size) {
        if (2 * this.count === this.words.length) {
            const more = new Uint32Array(2 * this.words.length);
            more.set(this.words);
            this.words = more;
        }
        const narrow = size < WIDE;
        this.words[2 * this.count] = narrow ? size : WIDE;
        this.words[2 * this.count + 1] = block;
        this.count++;
        if (!narrow)
            this.wide.push(block, size);
    }
    /**
     * True when `other` holds the same (block, size) pairs, in any order. The keys of the smaller files
     * are exact; those of WIDE bytes or more share the key (block, WIDE) and are compared by their pairs.
     */
    same(other) {
        return (this.count === other.count && this.sorted().equals(other.sorted()) && samePairs(this.wide, other.wide));
    }
    /** The keys sorted (as one unsigned 64-bit number each), as bytes. */
    sorted() {
        const keys = new BigUint64Array(this.words.buffer, 0, this.count).slice().sort();
        return Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength);
    }
}
/** (block, size) pairs, the same in any order. */
function samePairs(a, b) {
    const pairs = (k) => Array.from({ length: k.length / 2 }, (_, i) => [k[2 * i], k[2 * i + 1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const [pa, pb] = [pairs(a), pairs(b)];
    return pa.length === pb.length && pa.every((p, i) => p[0] === pb[i][0] && p[1] === pb[i][1]);
}

;// CONCATENATED MODULE: ./src/read/partitions.ts
/**
 * MBR and GPT of a hybrid image, read with the parsers of src/boot (mbr.ts, gpt.ts), each
 * partition checked against the image size.
 */


/** GPT structures are looked for in this much of the head and the tail of the image. */
const GPT_WINDOW = 1024 * 1024;
const hex2 = (n) => `0x${n.toString(16).padStart(2, '0')}`;
async function readPartitions(src) {
    const out = { partitions: [], problems: [], notes: [] };
    const sectors = Math.floor(src.size / MBR_SECTOR);
    const head = await src.read(0, Math.min(src.size, GPT_WINDOW), 'system area');
    const mbr = parseMbr(head.subarray(0, MBR_SECTOR));
    if (mbr.signatureOk) {
        for (const p of mbr.partitions) {
            out.partitions.push({
                table: 'mbr',
                number: p.index,
                type: hex2(p.type),
                start: p.startLba,
                sectors: p.sectors,
                ...(p.bootable ? { bootable: true } : {})
            });
            // a protective partition may claim the whole (or more than the) disk: UEFI 5.2.3
            if (p.type !== MBR_TYPE_GPT_PROTECTIVE && p.startLba + p.sectors > sectors) {
                out.problems.push(`MBR partition ${p.index} (sectors ${p.startLba}+${p.sectors}) lies past the end of the image (${sectors} sectors)`);
            }
        }
    }
    const hasGpt = head.toString('latin1', MBR_SECTOR, MBR_SECTOR + 8) === GPT_SIGNATURE;
    if (!hasGpt)
        return out;
    const tailStart = Math.max(0, src.size - GPT_WINDOW);
    const tail = await src.read(tailStart, src.size - tailStart, 'end of the image');
    // parseGpt reads synchronously: serve it from the head and tail windows (short reads elsewhere)
    const read = (offset, length) => {
        if (offset >= 0 && offset + length <= head.length)
            return head.subarray(offset, offset + length);
        if (offset >= tailStart && offset + length <= src.size) {
            return tail.subarray(offset - tailStart, offset - tailStart + length);
        }
        return Buffer.alloc(0);
    };
    const gpt = parseGpt(read, src.size);
    for (const p of gpt.problems) {
        if (/CRC|signature|outside the image|short read|too small|invalid|more than/.test(p)) {
            out.problems.push(`GPT ${p}`);
        }
        else
            out.notes.push(`GPT ${p}`);
    }
    for (const p of gpt.partitions) {
        out.partitions.push({
            table: 'gpt',
            number: p.index,
            type: p.typeGuid,
            ...(p.name ? { name: p.name } : {}),
            start: p.firstLba,
            sectors: p.lastLba - p.firstLba + 1
        });
        if (p.lastLba >= sectors) {
            out.problems.push(`GPT partition ${p.index} (LBAs ${p.firstLba}-${p.lastLba}) lies past the end of the image`);
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/read/source.ts
/**
 * Positional, bounds-checked reads from an image file. Every address the reader follows comes from
 * the image (hostile), so every read is checked against the image size and a per-read cap before
 * a buffer is allocated.
 */



/** The largest single structure read into memory (a directory, a path table, a boot catalog). */
const MAX_STRUCTURE_READ = 64 * 1024 * 1024;
/** File data is hashed in chunks of this size. */
const source_CHUNK = 1024 * 1024;
/**
 * Reads up to this size (directories, path tables, boot records) are made at once on the calling
 * thread: from the page cache a few microseconds each, where a read through libuv's pool costs a
 * hand-off each way (2,000 reads of 2-4 KiB, load 5 on 2 cores: 620-700 ms through the pool,
 * 7.5-108 ms at once; the tree walk of the bench's 2 GiB image, 1,002 directories twice, was most
 * of verify's first second). Larger reads (the image pass's windows) still overlap the hashing.
 */
const READ_AT_ONCE = 1024 * 1024;
const named = (what) => (typeof what === 'string' ? what : what());
/** An image file: positional reads through its handle, or on its descriptor when synchronous. */
class FileBackend {
    handle;
    constructor(handle) {
        this.handle = handle;
    }
    read(buf, offset, length, position) {
        return this.handle.read(buf, offset, length, position);
    }
    readSync(buf, offset, length, position) {
        return (0,external_node_fs_.readSync)(this.handle.fd, buf, offset, length, position);
    }
    close() {
        return this.handle.close();
    }
    get fd() {
        return this.handle.fd;
    }
}
/** An image held in memory (tests, fuzzing): the same reads, no file. */
class BufferBackend {
    data;
    constructor(data) {
        this.data = data;
    }
    async read(buf, offset, length, position) {
        return { bytesRead: this.readSync(buf, offset, length, position) };
    }
    readSync(buf, offset, length, position) {
        const n = Math.max(0, Math.min(length, this.data.length - position));
        this.data.copy(buf, offset, position, position + n);
        return n;
    }
    async close() { }
}
class ImageSource {
    handle;
    path;
    size;
    constructor(handle, path, size) {
        this.handle = handle;
        this.path = path;
        this.size = size;
    }
    /** An image in memory; `name` stands for its path in messages. */
    static fromBuffer(data, name) {
        return new ImageSource(new BufferBackend(data), name, data.length);
    }
    static async open(path) {
        let handle;
        try {
            // O_NONBLOCK: a FIFO without a writer opens at once (and is then refused) instead of hanging
            handle = await external_node_fs_.promises.open(path, external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NONBLOCK ?? 0));
        }
        catch (e) {
            throw (0,errors/* fsError */.yi)(e, path, 'image');
        }
        try {
            const st = await handle.stat();
            if (!st.isFile())
                throw new errors/* IsoforgeError */.P1(`image ${path}: not a regular file`, { subject: path });
            return new ImageSource(new FileBackend(handle), path, st.size);
        }
        catch (e) {
            await handle.close();
            throw (0,errors/* fsError */.yi)(e, path, 'image');
        }
    }
    async close() {
        await this.handle.close();
    }
    /** The descriptor of an image opened from a file (a remaster reads its files through it). */
    get fd() {
        return this.handle.fd;
    }
    /** An error about the image's content, naming the image. */
    fail(what) {
        return new errors/* IsoforgeError */.P1(`image ${this.path}: ${what}`, { subject: this.path, code: 'EBADISO' });
    }
    /** True when [offset, offset+length) lies inside the image. */
    inside(offset, length) {
        return (Number.isSafeInteger(offset) &&
            Number.isSafeInteger(length) &&
            offset >= 0 &&
            length >= 0 &&
            offset + length <= this.size);
    }
    /** Read exactly `length` bytes at `offset`; `what` names the structure for the error message. */
    async read(offset, length, what) {
        return this.fill(this.structureBuffer(length, what), offset, what);
    }
    /** `read` on this thread (the tree walk: many small reads, where a promise each costs more). */
    readSync(offset, length, what) {
        return this.fillSync(this.structureBuffer(length, what), offset, what);
    }
    /** Fill `buf` with the image's bytes at `offset` (inside the image); resolves to `buf`. */
    async fill(buf, offset, what) {
        // a structure's read at once on this thread: a hand-off to libuv's pool each costs more
        if (buf.length <= READ_AT_ONCE)
            return this.fillSync(buf, offset, what);
        this.checkInside(buf, offset, what);
        for (let done = 0; done < buf.length;) {
            const { bytesRead } = await this.handle.read(buf, done, buf.length - done, offset + done);
            done += this.counted(bytesRead, what);
        }
        return buf;
    }
    /** `fill` on this thread, into a buffer the caller reuses (the tree walk's directories). */
    fillSync(buf, offset, what) {
        this.checkInside(buf, offset, what);
        for (let done = 0; done < buf.length;) {
            const n = this.handle.readSync(buf, done, buf.length - done, offset + done);
            done += this.counted(n, what);
        }
        return buf;
    }
    /** A zeroed buffer for a structure of `length` bytes, refused past the per-read cap. */
    structureBuffer(length, what) {
        if (length > MAX_STRUCTURE_READ) {
            throw this.fail(`${what} claims ${length} bytes (more than ${MAX_STRUCTURE_READ})`);
        }
        return Buffer.alloc(length);
    }
    checkInside(buf, offset, what) {
        if (!this.inside(offset, buf.length)) {
            throw this.fail(`${named(what)} at byte ${offset} (${buf.length} bytes) lies past the end of the image (${this.size} bytes)`);
        }
    }
    /** A read's byte count; none means the image ended early. */
    counted(bytesRead, what) {
        if (bytesRead === 0)
            throw this.fail(`${named(what)}: the image ended while reading (truncated?)`);
        return bytesRead;
    }
    /** Read `count` 2048-byte blocks at block `lba`. */
    readBlocks(lba, count, what) {
        return this.read(lba * SECTOR, count * SECTOR, what);
    }
    /** Stream [offset, offset+length) in chunks (file data); the range must be inside the image. */
    async *stream(offset, length, what, signal) {
        if (!this.inside(offset, length)) {
            throw this.fail(`${what}: data at byte ${offset} (${length} bytes) lies past the end of the image (${this.size} bytes)`);
        }
        const buf = Buffer.alloc(Math.min(source_CHUNK, Math.max(1, length)));
        let done = 0;
        while (done < length) {
            signal?.throwIfAborted();
            const n = Math.min(buf.length, length - done);
            const { bytesRead } = await this.handle.read(buf, 0, n, offset + done);
            if (bytesRead === 0)
                throw this.fail(`${what}: the image ended while reading (truncated?)`);
            yield buf.subarray(0, bytesRead);
            done += bytesRead;
        }
    }
}

;// CONCATENATED MODULE: ./src/read/names.ts
/** File identifiers of the ISO 9660 and Joliet trees as names, read in place ([start, end) of `id`). */

/** ECMA-119 7.5.1: "NAME.EXT;1" → "NAME.EXT" (and "NAME." → "NAME"). */
function isoName(id, start = 0, end = id.length) {
    let s = id.toString('latin1', start, end);
    const semi = s.lastIndexOf(';');
    if (semi >= 0)
        s = s.slice(0, semi);
    if (s.endsWith('.'))
        s = s.slice(0, -1);
    return s;
}
/** Joliet: UCS-2 BE (decodeUtf16BE: every code unit kept, an odd last byte dropped), version suffix (";" and digits) removed. */
function jolietName(id, start = 0, end = id.length) {
    let s = decodeUtf16BE(id, start, end - start);
    const semi = s.lastIndexOf(';');
    if (semi >= 0 && semi + 1 < s.length && allDigits(s, semi + 1))
        s = s.slice(0, semi);
    return s;
}
/** True when every character of `s` from `from` on is 0-9. */
function allDigits(s, from) {
    for (let i = from; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x30 || c > 0x39)
            return false;
    }
    return true;
}

;// CONCATENATED MODULE: ./src/read/system-use.ts
/**
 * A directory record's system use (SUSP, IEEE P1281) as the tree walk needs it: its areas (the
 * record's own and its CE continuation areas, SUSP 5.1, bounded) and what their Rock Ridge entries
 * (RRIP 1.12) say, decoded in place. One reader and one result object serve every record of a tree:
 * no entry, subarray or decoded object is made per record, which was most of the walk's garbage.
 */


class SystemUseReader {
    src;
    limits;
    label;
    charge;
    /** SUSP 5.3: bytes to skip in every area but the root "." record's (SP) */
    skip = 0;
    attrs = {
        relocatedHere: false,
        mode: undefined,
        links: undefined,
        mtime: undefined,
        name: undefined,
        target: undefined,
        relocated: undefined
    };
    /** the areas of the record read last: [areaStart[i], areaEnd[i]) of areaBuf[i] */
    areaBuf = [];
    areaStart = [];
    areaEnd = [];
    px = { mode: 0, nlink: 0, uid: 0, gid: 0, serial: undefined };
    /** the NM pieces of the record read now: how many, their bytes, the first in place, all when more */
    nm = {
        count: 0,
        bytes: 0,
        first: Buffer.alloc(0),
        from: 0,
        to: 0,
        parts: undefined
    };
    constructor(src, limits, label, 
    /** counts `bytes` of continuation areas against the image's budget (throws past it) */
    charge) {
        this.src = src;
        this.limits = limits;
        this.label = label;
        this.charge = charge;
    }
    /**
     * Decode the Rock Ridge entries of the system use area [start, end) of `buf` and of its
     * continuation areas into `attrs` (the same object each time). The continuation chain is followed
     * whole before any entry is decoded (its bounds are checked first). `where` names the record's
     * directory in an error.
     */
    read(buf, start, end, dirExtent, where) {
        return this.decode(this.areas(buf, start, end, dirExtent, false), where, false);
    }
    /** The PX mode of the root "." record (its first PX entry), whose area [start, end) of `buf` holds SP. */
    rootMode(buf, start, end, dirExtent) {
        return this.decode(this.areas(buf, start, end, dirExtent, true), () => '', true).mode;
    }
    /** The entries of the `areas` read last into `attrs`; `rootDot`: its first PX entry alone. */
    decode(areas, where, rootDot) {
        const a = this.attrs;
        a.relocatedHere = false;
        a.mode = a.links = a.mtime = a.name = a.target = a.relocated = undefined;
        const nm = this.nm;
        nm.count = nm.bytes = 0;
        nm.parts = undefined;
        let sl;
        for (let i = 0; i < areas; i++) {
            const b = this.areaBuf[i];
            const areaEnd = this.areaEnd[i];
            for (let off = this.areaStart[i], len; (len = suspEntryLength(b, off, areaEnd)) > 0; off += len) {
                const d = off + SUSP.data;
                const e = off + len;
                const sig = sigAt(b, off);
                if (rootDot) {
                    if (sig !== SIG.PX)
                        continue;
                    if (decodePXAt(b, d, e, this.px))
                        a.mode = this.px.mode;
                    return a;
                }
                switch (sig) {
                    case SIG.RE:
                        a.relocatedHere = true;
                        return a;
                    case SIG.NM:
                        this.namePart(b, nmPartAt(b, d, e), e, where);
                        break;
                    case SIG.PX:
                        if (decodePXAt(b, d, e, this.px)) {
                            a.mode = this.px.mode;
                            // one link is no hard link: nothing to keep per file (most files of a big tree)
                            a.links = this.px.nlink > 1 ? { count: this.px.nlink, serial: this.px.serial } : undefined;
                        }
                        break;
                    case SIG.TF:
                        a.mtime = tfModifyAt(b, d, e) ?? a.mtime;
                        break;
                    case SIG.SL:
                        sl ??= { parts: [], partial: '' };
                        decodeSLAt(b, d, e, sl);
                        if (sl.parts.join('/').length + sl.partial.length > this.limits.name)
                            throw this.src.fail(`${where()}: a symbolic link target longer than ${this.limits.name} bytes`);
                        break;
                    case SIG.CL:
                        a.relocated = decodeCLAt(b, d, e) ?? a.relocated;
                        break;
                }
            }
        }
        if (nm.count > 0)
            a.name = nm.parts
                ? Buffer.concat(nm.parts).toString('utf8')
                : nm.first.toString('utf8', nm.from, nm.to);
        if (sl) {
            if (sl.partial)
                sl.parts.push(sl.partial);
            a.target = slTarget(sl.parts);
        }
        return a;
    }
    /** One NM entry's piece [from, to) of `b` (from < 0: a "." or ".." NM, skipped) added to the name. */
    namePart(b, from, to, where) {
        if (from < 0)
            return;
        const nm = this.nm;
        nm.bytes += to - from;
        if (nm.bytes > this.limits.name)
            throw this.src.fail(`${where()}: a Rock Ridge name longer than ${this.limits.name} bytes`);
        // most names are one piece, decoded in place; pieces are joined as bytes (UTF-8 may span two)
        if (nm.count++ === 0) {
            nm.first = b;
            nm.from = from;
            nm.to = to;
        }
        else
            (nm.parts ??= [nm.first.subarray(nm.from, nm.to)]).push(b.subarray(from, to));
    }
    /** The record's areas into areaBuf/areaStart/areaEnd, following CE (SUSP 5.1), bounded; returns their count. */
    areas(buf, start, end, dirExtent, isRootDot) {
        let b = buf;
        let from = Math.min(start + (isRootDot ? 0 : this.skip), end);
        let to = end;
        let total = end - start;
        let seen;
        for (let hop = 0;; hop++) {
            this.areaBuf[hop] = b;
            this.areaStart[hop] = from;
            this.areaEnd[hop] = to;
            let ce;
            for (let off = from, len; (len = suspEntryLength(b, off, to)) > 0; off += len)
                if (sigAt(b, off) === SIG.CE)
                    ce = decodeCEAt(b, off + SUSP.data, off + len) ?? ce;
            if (!ce || ce.length === 0)
                return hop + 1;
            const where = `${this.label} directory at block ${dirExtent}: continuation area at block ${ce.block}`;
            if (hop >= this.limits.ceHops)
                throw this.src.fail(`${where}: more than ${this.limits.ceHops} continuation areas for one record`);
            const key = `${ce.block}:${ce.offset}`;
            seen ??= new Set();
            if (seen.has(key))
                throw this.src.fail(`${where}: the continuation chain cycles`);
            seen.add(key);
            total += ce.length;
            if (total > this.limits.suspBytes)
                throw this.src.fail(`${where}: more than ${this.limits.suspBytes} bytes of system use for one record`);
            if (ce.offset >= SECTOR)
                throw this.src.fail(`${where}: offset ${ce.offset} is not inside the block`);
            this.charge(ce.length, where);
            b = this.src.readSync(ce.block * SECTOR + ce.offset, ce.length, where);
            from = 0;
            to = b.length;
        }
    }
}

;// CONCATENATED MODULE: ./src/read/tree.ts
/**
 * Walk one directory hierarchy (ISO 9660 with or without Rock Ridge, or Joliet) with the shared
 * codecs of src/image. Hostile input is bounded: each directory is read once (a second visit is a
 * loop), depth, entry count, name length, extents per file, CE hops and SUSP bytes are capped.
 * Synchronous, as the folder scan is: a walk is thousands of small reads and records, where the
 * promise API's overhead was a third of its time; nothing else runs on this thread meanwhile.
 */









const tree_LIMITS = {
    /** directory records (all trees together) */
    entries: 500_000,
    depth: 255,
    /** one directory's extent */
    dirBytes: 16 * 1024 * 1024,
    /** bytes of one name (NM pieces joined) or symlink target */
    name: 4096,
    /** extents of one multi-extent file */
    extents: 4096,
    /** CE continuation areas followed for one record */
    ceHops: 32,
    /** SUSP bytes of one record including its continuation areas */
    suspBytes: 64 * 1024
};
/** The children of every file and link: one empty array, frozen (a push is a bug, and throws). */
const NO_CHILDREN = [];
Object.freeze(NO_CHILDREN);
/** A sink that keeps nothing: the files' keys alone (TreeResult.fileKeys). */
const KEYS_ONLY = { add: () => undefined, at: () => undefined };
/** All directories and continuation areas together are never more than the image (plus slack). */
function metadataLimit(imageSize) {
    return imageSize + 16 * 1024 * 1024;
}
class TreeReader {
    src;
    budget;
    joliet;
    label;
    sinkFor;
    dirs = new Map();
    problems = [];
    susp = false;
    su;
    /** the record read last (every record of the walk is read into it) */
    rec = newRecordView();
    constructor(src, budget, joliet, label, 
    /** where the files go instead of the tree, by the tree's namespace (none: the tree keeps them) */
    sinkFor) {
        this.src = src;
        this.budget = budget;
        this.joliet = joliet;
        this.label = label;
        this.sinkFor = sinkFor;
        this.su = new SystemUseReader(src, tree_LIMITS, label, (bytes, where) => this.charge(bytes, where));
    }
    fileKeys = new FileKeys();
    sink;
    dataEnd = 0;
    /** the directories to read, in the walk's order (breadth first) */
    queue = [];
    read(rootRecord, epoch) {
        const rec = this.rec;
        if (!this.parse(rootRecord, 0, rootRecord.length, rec, 'root directory record'))
            throw this.src.fail(`${this.label}: empty root directory record`);
        if (!(rec.flags & FLAG_DIRECTORY))
            throw this.src.fail(`${this.label}: the root record is not a directory`);
        const root = {
            name: '',
            path: '',
            kind: 'dir',
            size: 0,
            extents: [],
            mtime: bytes_readRecordDate(rootRecord, rec.dateAt) || epoch,
            children: []
        };
        const [extent, size] = [rec.extent, rec.size];
        // SUSP 5.3: the SP entry sits at the start of the root's "." record
        if (!this.joliet) {
            const first = this.src.readSync(extent * SECTOR, Math.min(SECTOR, size), `${this.label} root directory`);
            const dot = this.parse(first, 0, first.length, rec, 'root "." record') > 0;
            const skip = dot ? spSkipAt(first, rec.suStart, rec.suEnd) : undefined;
            if (skip !== undefined) {
                this.susp = true;
                this.su.skip = skip;
                const mode = this.su.rootMode(first, rec.suStart, rec.suEnd, extent);
                if (mode !== undefined)
                    root.mode = mode;
            }
        }
        const namespace = this.joliet ? 'joliet' : this.susp ? 'rockridge' : 'iso9660';
        this.sink = this.sinkFor?.(namespace);
        this.queue.push({ node: root, extent, size, depth: 0 });
        for (let i = 0; i < this.queue.length; i++)
            this.readDir(this.queue[i]);
        const { dirs, problems, fileKeys, sink, dataEnd } = this;
        return { root, namespace, dirs, problems, fileKeys, dataEnd, ...(sink ? { sink } : {}) };
    }
    /**
     * The record at `off` into `v`: its length, 0 at padding. `what` names the record in an error (a
     * directory's record by its byte: the text is made only then, a text per record costs the walk's time).
     */
    parse(buf, off, end, v, what) {
        try {
            return viewDirRecord(buf, off, end, v);
        }
        catch (e) {
            if (e instanceof RecordError || e instanceof RangeError) {
                const record = typeof what === 'string' ? what : `directory ${(0,src_text/* quoted */.TL)(`/${what.node.path}`)} record at byte ${off}`;
                throw this.src.fail(`${this.label} ${record}: ${e.message}`);
            }
            throw e;
        }
    }
    /** The directory `p` in a message. */
    where(p) {
        return `${this.label} directory ${(0,src_text/* quoted */.TL)(`/${p.node.path}`)} at block ${p.extent}`;
    }
    readDir(p) {
        let whereText;
        /** the directory in a message, made only for one */
        const where = () => (whereText ??= this.where(p));
        if (p.depth > tree_LIMITS.depth)
            throw this.src.fail(`${where()}: deeper than ${tree_LIMITS.depth} levels`);
        if (this.dirs.has(p.extent)) {
            throw this.src.fail(`${where()}: directory loop (block ${p.extent} is also ${(0,src_text/* quoted */.TL)(`/${this.dirs.get(p.extent)}`)})`);
        }
        this.dirs.set(p.extent, p.node.path);
        if (p.size < 2 * MIN_DIR_RECORD || p.size > tree_LIMITS.dirBytes)
            throw this.src.fail(`${where()}: size ${p.size} is not sane`);
        this.charge(Math.ceil(p.size / SECTOR) * SECTOR, where);
        const buf = this.src.fillSync(this.dirBuffer(Math.ceil(p.size / SECTOR) * SECTOR), p.extent * SECTOR, where);
        const names = new Set();
        /** the paths of its entries begin with this (one string a path, not two) */
        const prefix = p.node.path ? `${p.node.path}/` : '';
        /** this folder's files and links, when they go to the sink (once each file is whole) */
        const files = [];
        const rec = this.rec;
        // the record before: its node (when it made one), flags and identifier (in `buf`)
        let prev;
        let prevFlags = 0;
        let prevId = 0;
        let prevIdLength = 0;
        let index = 0;
        for (let sector = 0; sector < p.size; sector += SECTOR) {
            const end = Math.min(sector + SECTOR, p.size);
            for (let off = sector, len; (len = this.parse(buf, off, end, rec, p)) > 0; off += len) {
                if (++this.budget.entries > tree_LIMITS.entries)
                    throw this.src.fail(`more than ${tree_LIMITS.entries} directory records`);
                const dotLike = rec.idLength === 1 && buf[rec.idStart] <= 1;
                if (index++ < 2) {
                    const want = index === 1 ? 0 : 1;
                    if (rec.idLength !== 1 || buf[rec.idStart] !== want) {
                        this.problems.push(`${where()}: record ${index} is not "${want ? '..' : '.'}"`);
                    }
                    else if (want === 0 && rec.extent !== p.extent) {
                        this.problems.push(`${where()}: "." points to block ${rec.extent}`);
                    }
                    continue;
                }
                if (dotLike) {
                    this.problems.push(`${where()}: a second "." or ".." record`);
                    continue;
                }
                // ECMA-119 9.1.6: a multi-extent file continues in the next record with the same identifier
                if (prev && prevFlags & FLAG_MULTI_EXTENT) {
                    if (buf.compare(buf, prevId, prevId + prevIdLength, rec.idStart, rec.idStart + rec.idLength) !== 0)
                        throw this.src.fail(`${where()}: a multi-extent file ${(0,src_text/* quoted */.TL)(prev.name)} has no continuation`);
                    if (prev.extents.length >= tree_LIMITS.extents)
                        throw this.src.fail(`${where()}: ${(0,src_text/* quoted */.TL)(prev.name)} has more than ${tree_LIMITS.extents} extents`);
                    this.addExtent(prev, rec.extent, rec.size, where);
                }
                else {
                    prev = this.entry(buf, rec, p, prefix, where);
                    if (!prev)
                        continue;
                    const known = names.size;
                    if (names.add(prev.name).size === known)
                        this.problems.push(`${where()}: the name ${(0,src_text/* quoted */.TL)(prev.name)} appears twice`);
                    if (this.sink && prev.kind !== 'dir')
                        files.push(prev);
                    else
                        p.node.children.push(prev);
                }
                prevFlags = rec.flags;
                prevId = rec.idStart;
                prevIdLength = rec.idLength;
            }
        }
        if (prev && prevFlags & FLAG_MULTI_EXTENT)
            throw this.src.fail(`${where()}: the multi-extent file ${(0,src_text/* quoted */.TL)(prev.name)} ends without its last extent`);
        const made = this.sink ? files : p.node.children;
        for (let i = 0; i < made.length; i++)
            if (made[i].kind === 'file' && made[i].size > 0)
                this.fileKeys.add(made[i].extents[0].lba, made[i].size);
        if (files.length > 0)
            this.sink?.add(p.node, files);
    }
    /**
     * `bytes` of the buffer every directory is read into in turn (a buffer each was a new ArrayBuffer
     * per directory); nothing read from it is kept but copies (names, numbers).
     */
    dirBuffer(bytes) {
        if (this.dirBytes.length < bytes)
            this.dirBytes = Buffer.allocUnsafe(Math.max(bytes, 2 * this.dirBytes.length));
        return this.dirBytes.subarray(0, bytes);
    }
    dirBytes = Buffer.allocUnsafe(64 * 1024);
    addExtent(node, extent, size, where) {
        if (size > 0 && !this.src.inside(extent * SECTOR, size)) {
            throw this.src.fail(`${where()}: ${(0,src_text/* quoted */.TL)(node.name)} has data at block ${extent} (${size} bytes) past the end of the image`);
        }
        const e = { lba: extent, size };
        this.dataEnd = Math.max(this.dataEnd, extent * SECTOR + size);
        // most files have one extent: an array of one (a push onto [] reserves room for 17)
        if (node.extents.length === 0)
            node.extents = [e];
        else
            node.extents.push(e);
        node.size += size;
    }
    charge(bytes, where) {
        this.budget.bytes += bytes;
        if (this.budget.bytes > metadataLimit(this.src.size)) {
            throw this.src.fail(`${named(where)}: directories overlap (more directory data than the image holds)`);
        }
    }
    /** One record (not "." or ".." nor a continuation) of `buf`: a node, or undefined when Rock Ridge hides it (RE). */
    entry(buf, rec, p, prefix, where) {
        const rr = this.susp ? this.su.read(buf, rec.suStart, rec.suEnd, p.extent, where) : undefined;
        if (rr?.relocatedHere)
            return undefined; // RRIP 4.1.5.3: relocated directory, shown where its CL is
        const name = rr?.name ??
            (this.joliet
                ? jolietName(buf, rec.idStart, rec.idStart + rec.idLength)
                : isoName(buf, rec.idStart, rec.idStart + rec.idLength));
        if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
            throw this.src.fail(`${where()}: an entry has the invalid name ${(0,src_text/* quoted */.TL)(name)}`);
        }
        const mode = rr?.mode;
        const relocated = rr?.relocated;
        const isDir = relocated !== undefined || (rec.flags & FLAG_DIRECTORY) !== 0;
        const isLink = !isDir && (rr?.target !== undefined || (mode !== undefined && (mode & S_IFMT) === S_IFLNK));
        const node = {
            name,
            path: prefix + name,
            kind: isDir ? 'dir' : isLink ? 'symlink' : 'file',
            size: 0,
            extents: [],
            mode,
            links: rr?.links,
            mtime: rr?.mtime ?? bytes_readRecordDate(buf, rec.dateAt),
            children: isDir ? [] : NO_CHILDREN
        };
        if (isLink) {
            node.target = rr?.target ?? '';
        }
        else if (isDir) {
            if (mode !== undefined && (mode & S_IFMT) !== S_IFDIR && (mode & S_IFMT) !== 0) {
                this.problems.push(`${where()}: ${(0,src_text/* quoted */.TL)(name)} is a directory whose PX mode says otherwise`);
            }
            let extent = rec.extent;
            let size = rec.size;
            if (relocated !== undefined) {
                // RRIP 4.1.5.1: the directory lives at the CL block; its size is in its own "." record
                const first = this.src.readSync(relocated * SECTOR, SECTOR, `${where()}: relocated directory ${(0,src_text/* quoted */.TL)(name)}`);
                const dot = newRecordView();
                if (!this.parse(first, 0, SECTOR, dot, `relocated directory ${(0,src_text/* quoted */.TL)(name)}`))
                    throw this.src.fail(`${where()}: relocated directory ${(0,src_text/* quoted */.TL)(name)} at block ${relocated} is empty`);
                extent = relocated;
                size = dot.size;
            }
            this.queue.push({ node, extent, size, depth: p.depth + 1 });
        }
        else {
            this.addExtent(node, rec.extent, rec.size, where);
        }
        return node;
    }
}

;// CONCATENATED MODULE: ./src/read/image.ts
/**
 * Read any ISO 9660 image: volume descriptors, path tables, the trees (ISO 9660 / Rock Ridge,
 * Joliet), El Torito, MBR/GPT and the implanted MD5. Fatal damage (nothing sensible can be read)
 * throws a one-line IsoforgeError; inconsistencies are collected in `problems`, which fail the
 * structure check of verify.
 */











/** ECMA-119 6.2: the volume descriptor set starts at block 16. */
const FIRST_DESCRIPTOR = VD_SET_LBA;
/** More descriptors than this before a terminator is not an image anyone made. */
const MAX_DESCRIPTORS = 64;
/**
 * Open and read the structures of an image. The caller closes `source` (or uses withImage).
 * `files`: a sink for the files of the tree the manifest describes (`tree`), which then holds its
 * directories alone (a remaster makes its nodes as the walk goes). `opts`: ReadOptions.
 */
async function readImage(path, files, opts = {}) {
    const src = await ImageSource.open(path);
    try {
        return await readStructures(src, files?.(src), opts);
    }
    catch (e) {
        await src.close();
        throw e;
    }
}
async function withImage(path, fn) {
    const img = await readImage(path);
    try {
        return await fn(img);
    }
    finally {
        await img.source.close();
    }
}
/** Read the structures of an open image (a file or ImageSource.fromBuffer); `files` as readImage's. */
async function readStructures(src, files, opts = {}) {
    const problems = [];
    if (src.size < (FIRST_DESCRIPTOR + 2) * SECTOR) {
        throw src.fail(`${src.size} bytes is too small for an ISO 9660 image (truncated?)`);
    }
    let pvdSector;
    let pvd;
    let jolietVd;
    let catalogLba;
    let terminated = false;
    for (let i = 0; i < MAX_DESCRIPTORS; i++) {
        const lba = FIRST_DESCRIPTOR + i;
        if (!src.inside(lba * SECTOR, SECTOR))
            break;
        const b = await src.read(lba * SECTOR, SECTOR, `volume descriptor at block ${lba}`);
        if (b.toString('latin1', 1, 6) !== STANDARD_ID) {
            if (i === 0)
                throw src.fail('not an ISO 9660 image (no CD001 volume descriptor at block 16)');
            problems.push(`volume descriptor set: block ${lba} is not a descriptor and no terminator came before it`);
            break;
        }
        const type = b[0];
        if (type === VD_TYPE_TERMINATOR) {
            terminated = true;
            break;
        }
        if (type === VD_TYPE_BOOT) {
            const br = parseBootRecord(b);
            if (br && catalogLba === undefined)
                catalogLba = br.catalogLba;
        }
        else if (type === VD_TYPE_PRIMARY && !pvd) {
            pvd = parseVolumeDescriptor(b);
            pvdSector = b;
        }
        else if (type === VD_TYPE_SUPPLEMENTARY && !jolietVd) {
            const svd = parseVolumeDescriptor(b);
            if (svd.joliet)
                jolietVd = svd;
        }
    }
    if (!pvd || !pvdSector)
        throw src.fail('no primary volume descriptor');
    if (!terminated)
        problems.push('volume descriptor set: no terminator');
    if (pvd.logicalBlockSize !== SECTOR) {
        throw src.fail(`logical block size ${pvd.logicalBlockSize} (only 2048 is supported)`);
    }
    const volumeBlocks = pvd.volumeSpaceSize;
    if (volumeBlocks * SECTOR > src.size) {
        throw src.fail(`the volume is ${volumeBlocks * SECTOR} bytes but the file has only ${src.size} (truncated?)`);
    }
    if (volumeBlocks < FIRST_DESCRIPTOR + 2)
        throw src.fail(`volume space size ${volumeBlocks} blocks is too small`);
    const budget = { entries: 0, bytes: 0 };
    const epoch = pvd.created ?? 0;
    // the primary is the tree with Rock Ridge, or without a Joliet tree
    const toPrimary = (ns) => (ns === 'rockridge' || !jolietVd ? files : undefined);
    const primary = new TreeReader(src, budget, false, 'ISO 9660', toPrimary).read(pvd.rootRecord, epoch);
    problems.push(...primary.problems);
    await checkPathTables(src, pvd, primary, 'ISO 9660', problems);
    let joliet;
    if (jolietVd && !(opts.joliet === 'unused' && primary.namespace === 'rockridge')) {
        // with Rock Ridge, the Joliet tree is only compared with it: its files' keys are enough
        const sink = primary.namespace === 'rockridge' ? KEYS_ONLY : files;
        joliet = new TreeReader(src, budget, true, 'Joliet', () => sink).read(jolietVd.rootRecord, epoch);
        problems.push(...joliet.problems);
        await checkPathTables(src, jolietVd, joliet, 'Joliet', problems);
        compareTrees(primary, joliet, problems);
    }
    const tree = primary.namespace === 'rockridge' ? primary : (joliet ?? primary);
    let boot;
    let named = tree.sink;
    // the tree's files by block, made when first asked (for a boot image's path, mostly)
    const fileAt = (lba) => (named ??= filesByBlock(tree.root)).at(lba);
    if (catalogLba !== undefined) {
        boot = await readElTorito(src, catalogLba, lba => fileAt(lba)?.path);
        problems.push(...boot.problems);
    }
    const parts = await readPartitions(src);
    problems.push(...parts.problems);
    if (boot) {
        // a boot image outside the tree (an appended ESP): name the smallest partition holding it,
        // `partition:N`, as the writer's manifest does
        for (const e of boot.entries) {
            const sector = e.lba * (SECTOR / MBR_SECTOR);
            // a file of the tree that a partition is exactly (an ESP stored once, Debian's layout); the
            // GPT's number first, as the hybrid layout numbers its appended partitions
            const at = fileAt(e.lba);
            const size = at?.path === e.path ? at.size : undefined;
            if (size !== undefined) {
                const same = [...parts.partitions]
                    .sort(gptFirst)
                    .find(q => q.type !== mbrTypeText(MBR_TYPE_GPT_PROTECTIVE) &&
                    q.start === sector &&
                    q.sectors === Math.ceil(size / MBR_SECTOR));
                if (same)
                    e.partition = same.number;
            }
            if (!e.path.startsWith('lba:'))
                continue;
            const holders = parts.partitions
                .filter(q => q.type !== mbrTypeText(MBR_TYPE_GPT_PROTECTIVE) &&
                sector >= q.start &&
                sector < q.start + q.sectors)
                .sort((a, b) => a.sectors - b.sectors);
            if (holders.length > 0)
                e.path = `partition:${holders[0].number}`;
        }
    }
    return {
        path: src.path,
        size: src.size,
        pvd,
        jolietVd,
        volumeBlocks,
        primary,
        joliet,
        tree,
        boot,
        partitions: parts.partitions,
        md5: parseImplantedMd5(pvdSector),
        problems,
        notes: parts.notes,
        source: src,
        fileAt
    };
}
/** The files of a tree by the block their data starts at (the first in the walk's order). */
function filesByBlock(root) {
    const byLba = new Map();
    forEachNode(root, n => {
        if (n.kind === 'file' && n.extents.length > 0 && n.size > 0 && !byLba.has(n.extents[0].lba))
            byLba.set(n.extents[0].lba, n);
    });
    return { at: lba => byLba.get(lba) };
}
const gptFirst = (a, b) => a.table === b.table ? 0 : a.table === 'gpt' ? -1 : 1;
/**
 * Empty the image's trees and their files' keys (a remaster that has made the build's nodes from
 * them): a tree of many files is then held once while the image is written, not three times. The
 * rest stays as read.
 */
function releaseTrees(img) {
    for (const t of [img.primary, img.joliet])
        if (t) {
            t.root.children = [];
            t.fileKeys = undefined;
        }
}
function forEachNode(root, fn) {
    const stack = [root];
    while (stack.length > 0) {
        const n = stack.pop();
        fn(n);
        for (let i = n.children.length - 1; i >= 0; i--)
            stack.push(n.children[i]);
    }
}
/** ECMA-119 9.4: both path tables list exactly the directories of the tree, with valid parents. */
async function checkPathTables(src, vd, tree, label, problems) {
    const size = vd.pathTableSize;
    const read = async (lba, big) => {
        const what = `${label} ${big ? 'M' : 'L'} path table at block ${lba}`;
        if (!src.inside(lba * SECTOR, size)) {
            problems.push(`${what} (${size} bytes) lies past the end of the image`);
            return undefined;
        }
        try {
            return parsePathTable(await src.read(lba * SECTOR, size, what), big, tree.dirs.size + 1);
        }
        catch (e) {
            if (e instanceof RangeError) {
                problems.push(`${what}: ${e.message}`);
                return undefined;
            }
            throw e;
        }
    };
    const l = await read(vd.lPathTable, false);
    const m = await read(vd.mPathTable, true);
    for (const [t, name] of [
        [l, 'L'],
        [m, 'M']
    ]) {
        if (!t)
            continue;
        const where = `${label} ${name} path table`;
        if (t.length !== tree.dirs.size) {
            problems.push(`${where} lists ${t.length} directories, the tree has ${tree.dirs.size}`);
            continue;
        }
        for (let i = 0; i < t.length; i++) {
            const e = t[i];
            if (!tree.dirs.has(e.extent)) {
                problems.push(`${where}: entry ${i + 1} points to block ${e.extent}, which is no directory of the tree`);
                break;
            }
            if (e.parent < 1 || e.parent > i + 1) {
                problems.push(`${where}: entry ${i + 1} has parent ${e.parent}`);
                break;
            }
        }
    }
    if (l && m && l.length === m.length) {
        const differ = l.findIndex((e, i) => e.extent !== m[i].extent || e.parent !== m[i].parent || !e.id.equals(m[i].id));
        if (differ >= 0)
            problems.push(`${label} L and M path tables disagree at entry ${differ + 1}`);
    }
}
/** The Joliet tree should hold the same files (same data) as the ISO 9660 tree. */
function compareTrees(a, b, problems) {
    const [fa, fb] = [a.fileKeys ?? new FileKeys(), b.fileKeys ?? new FileKeys()];
    if (!fa.same(fb)) {
        problems.push(`the Joliet tree (${fb.count} files with data) disagrees with the ISO 9660 tree (${fa.count})`);
    }
}

;// CONCATENATED MODULE: ./src/read/replay-boot.ts
/**
 * A remaster's boot replay: the source image's boot setup as the boot options a user could have
 * typed (the same values `inspect --as-options` prints), so that the build boots as the source
 * did. Its El Torito entries in order become `--boot` entries (an image of the tree, or an
 * appended partition); the partitions after the ISO volume become appended partitions whose bytes
 * are the source image's range; the MBR boot code (bytes 0-431) is kept with the kind its boot
 * address (bytes 432-439) says; the layout is hybrid when the source had an MBR partition table.
 * What the options cannot say (an Apple partition map, unless dropped, a platform other than
 * BIOS/UEFI, an entry pointing to no file and no appended partition) is an error naming it.
 */








/**
 * Apple Partition Map (Inside Macintosh: Devices, 3-12): a driver descriptor map ('ER' and the
 * block size, big-endian, at byte 2) in block 0, and the map's first entry ('PM') in block 1.
 */
const APM = { ddm: 'ER', blockSize: 2, entry: 'PM', largestBlock: SECTOR };
function hasApm(head) {
    if (head.toString('latin1', 0, 2) !== APM.ddm)
        return false;
    const size = head.readUInt16BE(APM.blockSize);
    if (size < MBR_SECTOR || size > APM.largestBlock || head.length < size + 2)
        return false;
    return head.toString('latin1', size, size + 2) === APM.entry;
}
/** A GPT entry over HFS+ data (xorriso -hfsplus writes one beside its APM). */
const isHfsPlus = (p) => p.table === 'gpt' && p.type === GPT_TYPE_HFS_PLUS;
/**
 * The source image's Apple boot structures in words, undefined when it has no APM: the map and the
 * HFS+ file system it points to (xorriso -hfsplus, always with grub-mkrescue), with the GPT entries
 * that cover the HFS+ data. Neither is replayed: `--replay-boot without-apm` drops them.
 */
function appleText(img, head) {
    if (!hasApm(head))
        return undefined;
    const hfs = img.partitions
        .filter(isHfsPlus)
        .map(p => `GPT partition ${p.number}${p.name ? ` ${(0,src_text/* shown */.SP)(p.name)}` : ''}`);
    return `the Apple partition map (APM) and its HFS+ file system${hfs.length ? ` (${hfs.join(', ')})` : ''}`;
}
/** xorriso names the GPT entries that only cover padding Gap0, Gap1… (libisofs system_area.c). */
const XORRISO_GAP_NAME = /^Gap\d+$/;
/** Sectors (512 bytes) per ISO 9660 block. */
const replay_boot_SECTORS_PER_BLOCK = SECTOR / MBR_SECTOR;
const cannot = (img, what, ways = 'give boot options, or --replay-boot false') => (0,errors/* optionError */.mp)('replay-boot', `cannot replay ${what} of ${img.path}; ${ways}`);
/**
 * The partitions after the tree's data (xorriso's -append_partition): the GPT's entries when there
 * is a GPT (Ubuntu, archiso, -appended_part_as_gpt), else the MBR's (memtest86+). Not "after the
 * volume": xorriso's volume space size counts the appended partitions too. `dataEnd`: the first
 * 512-byte sector after every file of the tree.
 */
function appendedRanges(img, image, dataEnd) {
    const gpt = img.partitions.filter(p => p.table === 'gpt');
    const table = gpt.length > 0 ? gpt : img.partitions.filter(p => p.table === 'mbr');
    const after = (p) => p.start >= dataEnd &&
        p.sectors > 0 &&
        p.type !== mbrTypeText(MBR_TYPE_GPT_PROTECTIVE) &&
        !XORRISO_GAP_NAME.test(p.name ?? '');
    return table.filter(after).map(p => {
        if (p.number < FIRST_APPENDED || p.number > LAST_APPENDED)
            throw cannot(img, `${p.table} partition ${p.number} after the volume (appended partitions are 2-4)`);
        return {
            number: p.number,
            type: p.type,
            image,
            offset: p.start * MBR_SECTOR,
            length: p.sectors * MBR_SECTOR
        };
    });
}
/** Whether the BIOS image at `lba` carries a boot info table, and GRUB2 boot info, for its place. */
async function patched(img, lba, size) {
    const head = await img.source.read(lba * SECTOR, Math.min(size, GRUB2_BOOT_INFO.end), 'boot image');
    const info = head.length >= BOOT_INFO_TABLE.end ? parseBootInfoTable(head) : undefined;
    const table = info !== undefined && info.pvdLba === VD_SET_LBA && info.fileLba === lba;
    const grub2 = head.length >= GRUB2_BOOT_INFO.end && readGrub2BootInfo(head) === grub2BootInfoFor(lba);
    return { table, grub2 };
}
/** The reader's emulation name (`floppy-1.44M`) as --boot's (`floppy`). */
const replay_boot_emulationOf = (e) => e.emulation.startsWith('floppy') ? 'floppy' : e.emulation === 'hard-disk' ? 'hard-disk' : 'none';
/** The first appended partition number neither `taken` nor GPT entry 1 (the ISO 9660 data). */
function freePartition(taken) {
    for (let n = FIRST_APPENDED; n <= LAST_APPENDED; n++)
        if (!taken.has(n))
            return n;
    return undefined;
}
/**
 * The UEFI entries whose image, a file of the tree, is stored once as an appended partition
 * (`image=PATH partition=N`), by entry: one that a partition of the source is exactly (the
 * reader's BootEntryInfo.partition: Debian's -isohybrid-gpt-basdat, grub-mkrescue) keeps its
 * number; a hybrid source with no partition for its UEFI image and none appended (iPXE) has its
 * first one become the first free number, so that the image boots from a disk under UEFI too.
 */
function inTreePartitions(img, files, ranges, hybrid) {
    const taken = new Set(ranges.map(r => r.number));
    const out = new Map();
    const uefi = (img.boot?.entries ?? []).filter(e => e.platform === 'uefi' && replay_boot_emulationOf(e) === 'none' && files.has(e.path));
    for (const e of uefi) {
        if (e.partition === undefined)
            continue;
        const n = e.partition >= FIRST_APPENDED && e.partition <= LAST_APPENDED && !taken.has(e.partition)
            ? e.partition
            : freePartition(taken);
        if (n === undefined)
            continue;
        taken.add(n);
        out.set(e, n);
    }
    const first = freePartition(taken);
    if (hybrid && out.size === 0 && ranges.length === 0 && uefi.length > 0 && first !== undefined)
        out.set(uefi[0], first);
    return out;
}
/** One catalog entry as a `--boot` text; `partition`: its tree image is that appended partition too. */
async function entryText(img, e, i, files, ranges, partition) {
    const which = `boot entry ${i + 1} (${e.platform}, ${e.path})`;
    if (e.platform !== 'bios' && e.platform !== 'uefi')
        throw cannot(img, `${which}: platform ${e.platform}`);
    const emulation = replay_boot_emulationOf(e);
    const size = files.get(e.path);
    const keys = [`platform=${e.platform}`];
    if (size !== undefined) {
        if (/\s/.test(e.path))
            throw cannot(img, `${which}: a path with white space in a --boot entry`);
        keys.push(`image=${e.path}`);
        if (partition !== undefined)
            keys.push(`partition=${partition}`);
    }
    else {
        const range = ranges.find(r => r.offset === e.lba * SECTOR);
        if (!range)
            throw cannot(img, `${which}: its image is no file of the tree and no appended partition`);
        keys.push(`partition=${range.number}`);
    }
    if (emulation !== 'none')
        keys.push(`emulation=${emulation}`);
    if (e.loadSize > 0)
        keys.push(`load-size=${e.loadSize}`);
    if (size !== undefined && e.platform === 'bios' && emulation === 'none') {
        const found = await patched(img, e.lba, size);
        keys.push(`info-table=${found.table}`, `grub2-boot-info=${found.grub2}`);
    }
    return keys.join(' ');
}
/** The MBR kind whose boot address (bytes 432-439) the source's MBR holds for its BIOS image. */
function mbrKindOf(head, lba) {
    if (lba === undefined)
        return 'auto';
    const address = head.readBigUInt64LE(MBR_BOOT_ADDRESS_OFFSET);
    if (address === mbrBootAddress('grub2', lba))
        return 'grub2';
    if (address === mbrBootAddress('isohybrid', lba))
        return 'isohybrid';
    return 'auto';
}
/**
 * The source image's boot setup as boot options; undefined when it has no El Torito catalog.
 * `image`: the source image as the build reads it (the appended partitions' bytes). An Apple
 * partition map is an error, unless `dropApm` is given (`--replay-boot without-apm`, `inspect
 * --as-options`): then it and its HFS+ file system are left out and `dropApm` is told what they are.
 */
async function replayBoot(img, image, dropApm) {
    const boot = img.boot;
    if (!boot || boot.entries.length === 0)
        return undefined;
    const head = await img.source.read(0, Math.min(img.size, 2 * SECTOR), 'system area');
    const apple = appleText(img, head);
    if (apple) {
        const ways = 'give --replay-boot without-apm (drops it), boot options, or --replay-boot false';
        if (!dropApm)
            throw cannot(img, apple, ways);
        dropApm(apple);
        // its HFS+ entries go with it wherever they lie (grub-mkrescue's is inside the tree's data)
        img = { ...img, partitions: img.partitions.filter(p => !isHfsPlus(p)) };
    }
    // the entries' images that are files of the tree, with their sizes
    const files = new Map();
    for (const e of boot.entries) {
        const f = img.fileAt(e.lba);
        if (f?.path === e.path)
            files.set(f.path, f.size);
    }
    const catalog = img.fileAt(boot.catalogLba)?.path;
    const dataEnd = Math.max((boot.catalogLba + 1) * replay_boot_SECTORS_PER_BLOCK, Math.ceil(img.tree.dataEnd / MBR_SECTOR));
    const ranges = appendedRanges(img, image, dataEnd);
    const mbr = img.partitions.some(p => p.table === 'mbr');
    const inTree = inTreePartitions(img, files, ranges, mbr);
    const texts = [];
    for (const [i, e] of boot.entries.entries())
        texts.push(await entryText(img, e, i, files, ranges, inTree.get(e)));
    // the MBR code starts the first BIOS no-emulation image of the tree, else the first emulated one
    const biosImages = boot.entries.filter(e => e.platform === 'bios' && files.has(e.path));
    const biosImage = biosImages.find(e => e.emulation === 'none') ?? biosImages[0];
    const code = head.subarray(0, MBR_CODE_BYTES);
    const keepCode = mbr && biosImage !== undefined && code.some(b => b !== 0);
    return {
        biosBoot: [],
        uefiBoot: [],
        boot: texts,
        appendPartition: [],
        appendedRanges: ranges,
        bootCatalog: catalog ?? 'boot.catalog',
        bootCatalogHide: catalog === undefined,
        hybrid: mbr,
        mbrTemplate: undefined,
        mbrCode: keepCode ? Buffer.from(code) : undefined,
        mbrKind: keepCode ? mbrKindOf(head, biosImage.lba) : 'auto'
    };
}
/** What a replay would have set, in a few words (the log line of a replay not done). */
function bootSummary(img) {
    const entries = img.boot?.entries ?? [];
    const parts = img.partitions.map(p => `${p.table} ${p.number}`);
    return [
        `${entries.length} El Torito entr${entries.length === 1 ? 'y' : 'ies'}${entries.length ? ` (${entries.map(e => `${(0,src_text/* shown */.SP)(e.platform)} ${(0,src_text/* shown */.SP)(e.path)}`).join(', ')})` : ''}`,
        ...(parts.length ? [`partitions ${parts.join(', ')}`] : [])
    ].join(', ');
}

;// CONCATENATED MODULE: ./src/read/source-image.ts
/**
 * A remaster's base tree: an image read back (src/read/image.ts, hostile-safe) turned into the
 * same tree nodes the folder scan makes, each file's data its extents in the image. Rock Ridge
 * names, modes, symbolic links and dates where the image has them; Joliet names where it has no
 * Rock Ridge; plain ISO 9660 names last (the reader chose the tree). Files that share their data
 * (hard links, which writers store once) become one link group, so the writer stores them once too.
 */




/** Permissions of an image without Rock Ridge (a read-only medium's, as Linux shows them). */
const PLAIN_FILE_MODE = S_IFREG | 0o444;
const PLAIN_DIR_MODE = S_IFDIR | 0o555;
/** The permission bits of a PX mode under the node's own type (a hostile PX cannot change it). */
function modeOf(n, type, plain) {
    return n.mode === undefined ? plain : type | (n.mode & ~S_IFMT & 0o7777);
}
/*
 * The image's nodes, made small as the folder scan's are: its ScannedDir (a folder with no native
 * path) and ScannedSymlink, and its ScannedFile whose data source, made when asked for, is the
 * image at its one extent's offset (or at its extents, when it has several).
 */
class ImageFileNode extends ScannedFile {
    image;
    at;
    block;
    constructor(parent, name, mode, mtime, size, image, 
    /** the byte offset of its one extent in the image, or its extents */
    at, 
    /** the block of its first extent, as the reader found it */
    block) {
        super(parent, name, mode, mtime, size);
        this.image = image;
        this.at = at;
        this.block = block;
    }
    get data() {
        if (this.replaced)
            return this.replaced;
        const extents = typeof this.at === 'number' ? [{ offset: this.at, length: this.size }] : this.at;
        return { type: 'image', image: this.image, extents };
    }
    set data(d) {
        this.replaced = d;
    }
}
/**
 * The reader's sink for the image's files (readImage): each folder's files and links become scan
 * nodes as the walk reads them, so the reader's nodes for them die young instead of surviving the
 * walk beside these (a 20,000-file tree grew V8's young generation to 32 MB). `tree` then joins
 * them under the folders the reader kept.
 */
class ImageNodes {
    image;
    dirs = new Map();
    /** at's answers (a few blocks: the boot entries' and the catalog's) */
    found = new Map();
    made = false;
    constructor(image) {
        this.image = image;
    }
    add(dir, files) {
        const to = this.dirOf(dir);
        for (const c of files) {
            if (c.kind === 'symlink') {
                to.children.push(new ScannedSymlink(to, c.name, c.mtime, c.target ?? ''));
                continue;
            }
            const f = fileNode(to, c, this.image);
            to.children.push(f);
        }
    }
    /** By a walk over the files in the order added, asked for a few blocks: no map of every file. */
    at(lba) {
        if (!this.found.has(lba))
            this.found.set(lba, this.firstAt(lba));
        return this.found.get(lba);
    }
    firstAt(lba) {
        for (const d of this.dirs.values())
            for (const c of d.children)
                if (c instanceof ImageFileNode && c.size > 0 && c.block === lba)
                    return c;
        return undefined;
    }
    /**
     * The image's tree as scan nodes, in name order. `epoch`: every date, as the scan does; `skip`:
     * the blocks of files left out (the old boot catalog, which the build regenerates).
     */
    tree(img, epoch, skip) {
        if (img.tree.sink !== this || this.made)
            throw new Error('internal: the image was not read into these nodes, or they were joined already');
        this.made = true;
        const root = this.dirOf(img.tree.root);
        if (epoch !== undefined)
            root.mtime = epoch;
        const res = { root, files: 0, dirs: 1, symlinks: 0, bytes: 0 };
        const shared = new LinkGroups();
        const visit = (from, to) => {
            const sub = new Map(from.children.map(d => [this.dirOf(d), d]));
            const kids = [...to.children, ...sub.keys()].sort((a, b) => compareNames(a.name, b.name));
            kids.forEach((c, i) => {
                if (i > 0 && kids[i - 1].name === c.name)
                    throw img.source.fail(`the name ${(0,src_text/* quoted */.TL)(`/${c.path}`)} appears twice in its folder`);
            });
            to.children.length = 0;
            for (const c of kids) {
                if (c instanceof ImageFileNode && c.size > 0 && skip.has(c.block))
                    continue;
                if (epoch !== undefined)
                    c.mtime = epoch;
                if (c instanceof ScannedDir) {
                    res.dirs++;
                    visit(sub.get(c), c);
                }
                else if (c instanceof ImageFileNode) {
                    shared.add(c);
                    res.files++;
                    res.bytes += c.size;
                }
                else
                    res.symlinks++;
                to.children.push(c);
            }
        };
        visit(img.tree.root, root);
        // made once: the reader's folders are not held while the image is written
        this.dirs.clear();
        return res;
    }
    dirOf(n) {
        let d = this.dirs.get(n);
        if (!d) {
            d = new ScannedDir(n.name, n.path, '', modeOf(n, S_IFDIR, PLAIN_DIR_MODE), n.mtime, false);
            this.dirs.set(n, d);
        }
        return d;
    }
}
function fileNode(parent, n, image) {
    const extents = n.extents.filter(e => e.size > 0).map(e => ({ offset: e.lba * SECTOR, length: e.size }));
    const at = extents.length === 1 ? extents[0].offset : extents;
    const mode = modeOf(n, S_IFREG, PLAIN_FILE_MODE);
    const block = n.extents.length > 0 ? n.extents[0].lba : 0;
    return new ImageFileNode(parent, n.name, mode, n.mtime, n.size, image, at, block);
}
/**
 * Files whose data starts at the same block with the same size are one file under several names.
 * The first file of each block is found by the block (a number: no key text made per file, which
 * would survive the young generation); another size at that block by `block:size`.
 */
class LinkGroups {
    byBlock = new Map();
    bySize = new Map();
    add(f) {
        if (f.size === 0)
            return;
        let first = this.byBlock.get(f.block);
        if (!first) {
            this.byBlock.set(f.block, f);
            return;
        }
        const key = `${f.block}:${f.size}`;
        if (first.size !== f.size) {
            first = this.bySize.get(key);
            if (!first) {
                this.bySize.set(key, f);
                return;
            }
        }
        const g = (first.linkGroup ??= { key: `image:${key}`, members: [first] });
        g.members.push(f);
        f.linkGroup = g;
    }
}

;// CONCATENATED MODULE: ./src/read/remaster.ts
/**
 * A remaster's tree source: the source image opened once (read only) and read back, its tree as
 * scan nodes (source-image.ts) minus `--remove`'s paths, with the overlay folder's scan laid over
 * it; its files are read from the image at their extents while the new image is written, and a
 * change of the image meanwhile fails the build before the output is renamed into place.
 */














/** Refuse an output that is the source image itself (the same file, by any name or link). */
async function checkNotInput(input, inputPath, outputs) {
    for (const out of outputs) {
        let st;
        try {
            st = await external_node_fs_.promises.stat(out);
        }
        catch {
            continue; // missing: a new file
        }
        if (st.dev === input.dev && st.ino === input.ino)
            throw new errors/* IsoforgeError */.P1(`output ${out}: is the source image ${inputPath}; write the remaster elsewhere`, {
                subject: out
            });
    }
}
/** The image path `--remove` names: image paths are often written from the root (`/boot/x`). */
function removedPath(p) {
    return imagePathFromUser(p.replace(/^\/+/, ''), 'remove');
}
/**
 * Open `config.sourceImage` and make the remaster's tree source. `outputs`: every path the build
 * writes (none may be the source image). The caller closes it.
 */
async function openRemaster(config, outputs, log) {
    const inPath = config.sourceImage;
    // the image's files become the build's nodes as the reader walks its tree
    let nodes;
    // with Rock Ridge, the image's Joliet tree is not read: the output's Joliet names are made anew
    const img = await readImage(inPath, src => (nodes = new ImageNodes({ path: inPath, fd: src.fd, size: src.size })), { joliet: 'unused' });
    try {
        const fd = img.source.fd;
        const opened = (0,external_node_fs_.fstatSync)(fd);
        await checkNotInput(opened, inPath, outputs);
        // the old boot catalog is regenerated (at its path, when the boot is replayed)
        const skip = new Set(img.boot ? [img.boot.catalogLba] : []);
        const removals = (config.remove ?? []).map(removedPath);
        for (const n of img.notes)
            log.debug(`source image ${inPath}: ${n}`);
        return {
            img,
            scan: async ({ epoch, platform }) => {
                const base = nodes.tree(img, epoch, skip);
                // the build's nodes are made: the reader's (its folders) need not be held while it writes
                releaseTrees(img);
                for (const p of removals)
                    removePath(base.root, p, 'remove', `the source image ${inPath}`);
                if (config.source)
                    await overlay(base, config.source, { epoch, log, platform }, inPath);
                return base;
            },
            unchanged: async () => {
                let now;
                try {
                    now = (0,external_node_fs_.fstatSync)(fd);
                }
                catch (e) {
                    throw (0,errors/* fsError */.yi)(e, inPath, 'source image');
                }
                if (now.size !== opened.size || now.mtimeMs !== opened.mtimeMs)
                    throw new errors/* IsoforgeError */.P1(`source image ${inPath}: changed during the build (${opened.size} bytes, now ${now.size}, modified since); the output is not written`, { subject: inPath });
            },
            close: () => img.source.close()
        };
    }
    catch (e) {
        await img.source.close();
        throw e;
    }
}
/** Lay the overlay folder's scan over the image's tree (overlay.ts says what meets what). */
async function overlay(base, folder, o, inPath) {
    const top = await scanTree({ source: folder, epoch: o.epoch, log: o.log, platform: o.platform });
    overlayTree(base.root, top.root, `the overlay ${folder}`, `the source image ${inPath}`);
    base.files += top.files;
    base.dirs += top.dirs - 1;
    base.symlinks += top.symlinks;
    base.bytes += top.bytes;
}
/**
 * The PVD ids a remaster keeps from its source image unless given: the volume id and the five
 * others (system, volume set, publisher, preparer, application), each checked as if given.
 */
const remaster_fits = (key, text) => {
    try {
        checkLabel(LABEL_OPTIONS[key], text, ID_LENGTH[key]);
        return true;
    }
    catch {
        return false;
    }
};
function keptIds(config, img) {
    const given = new Set(config.labelsGiven ?? []);
    const labels = { volumeId: config.volumeId, ...config.ids };
    for (const key of Object.keys(LABEL_OPTIONS)) {
        if (given.has(key))
            continue;
        const kept = img.pvd[key].replace(/ +$/, '');
        if (!remaster_fits(key, kept))
            throw (0,errors/* optionError */.mp)(LABEL_OPTIONS[key], `${(0,src_text/* shown */.SP)(kept)} of the source image ${img.path} cannot be kept (not printable ASCII of at most ${ID_LENGTH[key]} bytes without a trailing space); give one`);
        if (key === 'volumeId' && kept === '')
            continue;
        labels[key] = kept;
    }
    const { volumeId, ...ids } = labels;
    return { volumeId, ids };
}
/** The boot options given (any of them replaces the replay), by their schema names. */
function bootOptionsGiven(config) {
    const given = [
        ['bios-boot', config.biosBoot.length > 0],
        ['uefi-boot', config.uefiBoot.length > 0],
        ['boot', config.boot.length > 0],
        ['append-partition', config.appendPartition.length > 0],
        ['mbr-template', config.mbrTemplate !== undefined]
    ];
    return given.filter(([, on]) => on).map(([name]) => name);
}
/**
 * The build's options for a remaster: the ids kept from the source image, and its boot setup
 * replayed unless boot options are given or `replay-boot` is false (the log says what is dropped);
 * `without-apm` drops an Apple partition map and its HFS+ (a warning names them) instead of failing.
 * A given --mbr-kind or --boot-catalog wins over the replayed one.
 */
async function remasterConfig(config, img, log) {
    const given = bootOptionsGiven(config);
    const ids = keptIds(config, img);
    if (config.replayBoot === 'false' || given.length > 0) {
        if (img.boot || img.partitions.length > 0)
            log.info(`${img.path}: its boot setup is not replayed (${given.length > 0 ? `${given.map(errors/* cliFlag */.vM).join(', ')} given` : '--replay-boot false'}); dropped: ${bootSummary(img)}`);
        return { ...config, ...ids };
    }
    const image = { path: img.path, fd: img.source.fd, size: img.size };
    const dropApm = (apple) => log.warn(`--replay-boot without-apm: dropped ${apple} of ${img.path}; the rest of its boot setup is replayed`, img.path);
    const boot = await replayBoot(img, image, config.replayBoot === 'without-apm' ? dropApm : undefined);
    if (!boot)
        return { ...config, ...ids };
    return {
        ...config,
        ...ids,
        ...boot,
        mbrKind: config.mbrKind !== 'auto' ? config.mbrKind : boot.mbrKind,
        ...(config.bootCatalogGiven
            ? { bootCatalog: config.bootCatalog, bootCatalogHide: config.bootCatalogHide }
            : {})
    };
}
/**
 * The paths a remaster writes, checked as a build's are (outside the overlay folder, when there is
 * one; no device, FIFO or folder replaced). `source` in the result names the source image.
 */
async function checkRemasterPaths(config, sidecars, platform) {
    if (config.source)
        await checkPaths(config.source, config.output, platform, sidecars);
    else
        for (const t of [{ path: config.output, what: 'output' }, ...sidecars])
            await checkTarget(t, platform);
    return { source: config.sourceImage, output: external_node_path_.resolve(config.output) };
}

;// CONCATENATED MODULE: ./src/pipeline.ts
/**
 * The whole build, as the CLI and the action both run it:
 * config → output paths checked (the image and every sidecar; nothing written yet) → boot
 * extensions → integrity plan (keys checked before anything is written) → missing output folders
 * made → image (one pass, hashes tapped) → sidecars (manifest, checksums, signatures).
 * A build that fails leaves nothing: no image, no sidecar, and no folder that it made.
 */








async function runBuild(given, ctx) {
    const sidecars = [...sidecarTargets(given), ...(ctx.laterTargets ?? [])];
    if (!given.sourceImage)
        return build(given, ctx, sidecars);
    // a remaster: the source image read (its ids and boot setup become options), then as any build
    const outputs = [given.output, ...sidecars.map(t => t.path)];
    const remaster = await inTimed(ctx.log, 'read the source image', () => openRemaster(given, outputs, ctx.log));
    try {
        return await build(await remasterConfig(given, remaster.img, ctx.log), ctx, sidecars, remaster);
    }
    finally {
        await remaster.close();
    }
}
async function build(config, ctx, sidecars, remaster) {
    const started = Date.now();
    const { log } = ctx;
    // the options first, then the paths
    checkLabels(labelsOf(config));
    const checked = remaster
        ? await checkRemasterPaths(config, sidecars, process.platform)
        : await checkPaths(config.source, config.output, process.platform, sidecars);
    const extensions = await createBootExtensions(config, log);
    const integrity = await prepareIntegrity(config, log);
    const folders = await CreatedFolders.make([config.output, ...sidecars.map(t => t.path)].map(p => external_node_path_.dirname(external_node_path_.resolve(p))));
    for (const d of folders.paths)
        log.debug(`created ${d}`);
    try {
        // buildImage reports its own phases (scan, write) through the logger's groups
        const image = await buildImage({
            source: checked.source,
            tree: remaster,
            output: config.output,
            volumeId: config.volumeId,
            ids: config.ids,
            checked,
            joliet: config.joliet,
            rockRidge: config.rockRidge,
            epoch: config.epoch,
            extensions,
            log,
            digests: integrity.digests,
            fileDigests: integrity.fileDigests,
            taps: integrity.taps,
            finish: integrity.finish,
            digestJobs: integrity.digestJobs,
            directIo: config.directIo,
            signal: ctx.signal,
            onProgress: ctx.onProgress
        });
        const published = await inGroup(log, 'sign', async () => {
            ctx.onProgress?.({ phase: 'sign', done: 0 });
            const s = await integrity.publish(image);
            ctx.onProgress?.({ phase: 'sign', done: 0, total: 0 });
            return s;
        });
        return { config, image, sidecars: published, elapsed: Date.now() - started };
    }
    catch (e) {
        await folders.remove();
        throw e;
    }
}

;// CONCATENATED MODULE: ./src/progress.ts
/**
 * Progress: what the library reports (ProgressEvent, through RunContext.onProgress) and the one
 * helper that shows it, for the CLI and the action alike. Pure: the clock and the printer are
 * given, so the tests drive it with a fake clock.
 * - on a TTY: one line per phase, updated in place (\r), left standing when the phase ends;
 * - otherwise (CI logs): a plain line at most every LINE_EVERY_MS and at each of MILESTONES.
 * Each line: the phase, percent of its bytes, MiB/s and an ETA, all from bytes in the phase (not
 * files, and not the time before it: the scan and the plan of a tree of small files take seconds
 * while no byte is written, which made the first ETA of the old printers 30-100× too long). The
 * rate is that of the last RATE_WINDOW_MS, because a write starts slower than it goes on: its
 * first bytes are the directory records and path tables, made on the main thread (150,000 small
 * files: 26 MiB of them in 1.9 s, then the files at ~50 MiB/s). No ETA until the phase has run
 * ETA_AFTER_MS and done ETA_AFTER_SHARE of its bytes; a phase's last line gives its average rate
 * and its time.
 */

/** Not on a TTY: a line at most this often… */
const LINE_EVERY_MS = 10_000;
/** …and whenever a phase passes one of these shares of its bytes. */
const MILESTONES = [0.25, 0.5, 0.75];
/** On a TTY: the line is redrawn at most this often. */
const TTY_EVERY_MS = 250;
/** An ETA only once the phase has run this long… */
const ETA_AFTER_MS = 3000;
/** …and done this share of its bytes. */
const ETA_AFTER_SHARE = 0.05;
/** A rate only once the phase has run this long… */
const RATE_AFTER_MS = 50;
/** …over (about) the last this many milliseconds. */
const RATE_WINDOW_MS = 1500;
/** ECMA-48 EL (erase in line), from the cursor to the end. */
const ERASE_LINE = '\x1b[K';
/**
 * The text of one progress line for `e`, `elapsedMs` into its phase; `recentRate` (bytes/s) that
 * of the last moments, else the average since the phase began is shown.
 */
function progressLine(e, elapsedMs, recentRate) {
    const parts = [e.phase];
    const ended = e.total !== undefined && e.done >= e.total;
    if (e.total === undefined || e.phase === 'scan') {
        if (e.files !== undefined)
            parts.push(`${e.files} files`);
        if (e.done > 0 || e.files !== undefined)
            parts.push(formatBytes(e.done));
    }
    else if (e.total > 0) {
        const pct = Math.min(100, Math.floor((100 * e.done) / e.total));
        parts.push(`${pct}% of ${formatBytes(e.total)}`);
        if (elapsedMs >= RATE_AFTER_MS) {
            const rate = ended || recentRate === undefined ? e.done / (elapsedMs / 1000) : recentRate;
            parts.push(`${(rate / 2 ** 20).toFixed(1)} MiB/s`);
            const share = e.done / e.total;
            if (!ended && elapsedMs >= ETA_AFTER_MS && share >= ETA_AFTER_SHARE && rate > 0)
                parts.push(`ETA ${formatDuration((e.total - e.done) / rate)}`);
        }
    }
    if (ended)
        parts.push(formatDuration(elapsedMs / 1000).replace(/^0 s$/, '<1 s'));
    return parts.join('  ');
}
/** Bytes/s over the samples of the last RATE_WINDOW_MS, after adding (t, done); undefined at first. */
function recentRate(samples, t, done) {
    samples.push({ t, done });
    while (samples.length > 2 && samples[1].t <= t - RATE_WINDOW_MS)
        samples.shift();
    const first = samples[0];
    return t > first.t ? ((done - first.done) * 1000) / (t - first.t) : undefined;
}
/** Shows the ProgressEvents of a run on one output (see the file's comment). */
class Progress {
    out;
    state;
    /** a TTY line is on screen and not yet ended with a newline */
    open = false;
    now;
    constructor(out) {
        this.out = out;
        this.now = out.now ?? (() => performance.now());
    }
    /** The sink to hand the library (RunContext.onProgress). */
    sink = e => this.report(e);
    report(e) {
        const t = this.now();
        let s = this.state;
        if (!s || s.name !== e.phase) {
            this.close();
            s = this.state = {
                name: e.phase,
                started: t,
                samples: [],
                lastPrint: t,
                milestone: 0,
                last: e,
                ended: false
            };
        }
        if (s.ended)
            return;
        s.last = e;
        const rate = recentRate(s.samples, t, e.done);
        const ended = e.total !== undefined && e.done >= e.total;
        const elapsed = t - s.started;
        if (this.out.tty) {
            if (ended || t - s.lastPrint >= TTY_EVERY_MS || !this.open) {
                this.draw(progressLine(e, elapsed, rate));
                s.lastPrint = t;
            }
            if (ended)
                this.newline();
        }
        else if (!ended) {
            let passed = false;
            const share = e.total ? e.done / e.total : 0;
            while (s.milestone < MILESTONES.length && share >= MILESTONES[s.milestone]) {
                s.milestone++;
                passed = true;
            }
            if (passed || t - s.lastPrint >= LINE_EVERY_MS) {
                this.out.print(progressLine(e, elapsed, rate));
                s.lastPrint = t;
            }
        }
        s.ended = ended;
    }
    /** Another line is about to go to the same stream: the updating line is erased first. */
    interrupt() {
        if (!this.open)
            return;
        this.out.print(`\r${ERASE_LINE}`);
        this.open = false;
    }
    /** The run is over (or failed): an updating line is left standing, ended by a newline. */
    end() {
        this.close();
        this.state = undefined;
    }
    close() {
        const s = this.state;
        if (this.out.tty && s && !s.ended && !this.open)
            this.draw(progressLine(s.last, this.now() - s.started));
        this.newline();
    }
    draw(line) {
        this.out.print(`\r${line}${ERASE_LINE}`);
        this.open = true;
    }
    newline() {
        if (!this.open)
            return;
        this.out.print('\n');
        this.open = false;
    }
}

;// CONCATENATED MODULE: ./src/cli/help.ts
/** --help text, generated from the option schema. */


const COMMANDS = {
    build: 'build an ISO image from a directory',
    verify: 'check an image: structure, boot entries, manifest, checksums, signatures, QEMU boot',
    inspect: 'print what an image holds (volume, boot entries, partitions, tree); --json for the manifest',
    extract: 'write the files of an image (or of some paths in it) into a folder, never outside it'
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
    lines.push('', 'Run `isoforge <command> --help` for the options of a command.', 'Global: --debug (stack traces; time of each build phase), --quiet, --help, --version');
    return lines.join('\n');
}
function commandHelp(command) {
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
                throw (0,errors/* optionError */.mp)(name, `takes no value`);
            }
            out[name] =
                value === undefined || value.toLowerCase() === 'true';
            continue;
        }
        const spec = byName.get(name);
        if (!spec)
            throw (0,errors/* optionError */.mp)(name, `unknown option (see --help)`);
        if (value === undefined) {
            const next = argv[i + 1];
            if ((spec.type === 'boolean' || extendsBoolean(spec)) &&
                (next === undefined || next.startsWith('--'))) {
                value = 'true';
            }
            else if (next === undefined) {
                throw (0,errors/* optionError */.mp)(name, `needs a value`);
            }
            else {
                value = next;
                i++;
            }
        }
        if (spec.type === 'list' && out.raw.has(name))
            value = `${out.raw.get(name)}\n${value}`;
        else if (out.raw.has(name))
            throw (0,errors/* optionError */.mp)(name, `given twice`);
        out.raw.set(name, value);
    }
    return out;
}
/** A word where an option was expected. */
function unexpectedArgument(arg) {
    return new errors/* IsoforgeError */.P1(`unexpected argument "${arg}" (options are --name value)`, { subject: arg });
}
/**
 * The flags of a command that takes options only (build, extract), with the specs they were checked
 * against; undefined when --help was asked for (the help is printed).
 */
function optionsOnly(command, argv, stdout) {
    const specs = optionsFor(command, 'cli');
    const args = parseArgs(argv, specs);
    if (args.help) {
        stdout(commandHelp(command) + '\n');
        return undefined;
    }
    if (args.positional.length)
        throw unexpectedArgument(args.positional[0]);
    return { specs, args };
}

;// CONCATENATED MODULE: ./src/cli/io.ts

/** `progress`: its updating line is erased before any other line goes to stderr. */
function stderrLogger(io, quiet, debug, progress) {
    const line = (s) => {
        progress?.interrupt();
        io.stderr(s);
    };
    return {
        info: m => {
            if (!quiet)
                line((0,src_text/* safeLine */.om)(m) + '\n');
        },
        warn: m => line(`warning: ${(0,src_text/* safeLine */.om)(m)}\n`),
        debug: m => {
            if (debug)
                line(`debug: ${(0,src_text/* safeLine */.om)(m)}\n`);
        },
        // with --debug, each phase's wall time and the process's CPU time (all threads) in it
        group: debug ? (name, fn) => timed(line, name, fn) : undefined,
        timed: debug ? (name, fn) => timed(line, name, fn) : undefined
    };
}
async function timed(print, name, fn) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    try {
        return await fn();
    }
    finally {
        const used = process.cpuUsage(cpu);
        const ms = (n) => n.toFixed(0);
        print(`debug: ${name}: ${ms(performance.now() - t)} ms, ${ms((used.user + used.system) / 1000)} ms of CPU\n`);
    }
}

;// CONCATENATED MODULE: ./src/cli/build.ts
/** `isoforge build --source DIR --output FILE [options]`: build, print the image's path and a summary. */








async function buildCommand(argv, io) {
    const parsed = optionsOnly('build', argv, io.stdout);
    if (!parsed)
        return 0;
    const { specs, args } = parsed;
    const config = toBuildConfig(resolveOptions(specs, args.raw, io.env));
    // on a TTY an updating line, otherwise (a CI log) a line now and then; none under --quiet
    const progress = args.quiet
        ? undefined
        : new Progress({ tty: io.isTTY, print: io.isTTY ? s => io.stderr(s) : s => io.stderr(`${s}\n`) });
    const log = stderrLogger(io, args.quiet, args.debug, progress);
    log.debug(`start-up: ${(process.uptime() * 1000).toFixed(0)} ms (Node and isoforge loaded)`);
    const r = await runBuild(config, { log, signal: io.signal, onProgress: progress?.sink }).finally(() => progress?.end());
    io.stdout(`${r.image.output}\n`);
    printSummary(r, log);
    // the gate step the action runs too: a failure keeps the image on disk and says where
    const failed = gateVerdict(r.image, { maxSize: config.maxSize });
    if (failed)
        throw failed;
    return 0;
}
/** What was written, one line each, on stderr (silent under --quiet). */
function printSummary(r, log) {
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
}

;// CONCATENATED MODULE: ./src/read/extract-plan.ts
/**
 * What `extract` will write, decided before the first byte is: the chosen entries of the image's
 * tree in order (parents before children), each name checked for the host, collisions inside a
 * folder refused, hard links grouped, and the data bounded. A refused entry stops here, so a
 * hostile image leaves the output folder as it was.
 */



/**
 * File data written by one extract is at most this: distinct files never hold more than the image,
 * so more means entries share extents (a hostile image filling the disk from one extent).
 */
function dataLimit(imageSize) {
    return 2 * imageSize + 64 * 1024 * 1024;
}
/** The one-line refusal of an entry, naming its path in the image. */
function refused(img, node, why) {
    const at = `/${node.path}`;
    return new errors/* IsoforgeError */.P1(`image ${img.path}: refused entry ${(0,src_text/* quoted */.TL)(at)}: ${why}`, {
        subject: at,
        code: 'EREFUSED'
    });
}
/** A --path value → the components of an image path ('' and '.' dropped; '..' is refused). */
function imagePathParts(input) {
    const parts = input.split('/').filter(p => p !== '' && p !== '.');
    if (parts.includes('..'))
        throw (0,errors/* optionError */.mp)('path', `${(0,src_text/* quoted */.TL)(input)}: ".." is not allowed in an image path`);
    return parts;
}
/**
 * The nodes chosen by `paths` (all of the tree when none): 'whole' for a chosen subtree, 'way'
 * for the folders leading to one (created, their other children left out).
 */
function extract_plan_select(root, paths) {
    const chosen = new Map();
    if (paths.length === 0) {
        chosen.set(root, 'whole');
        return chosen;
    }
    for (const input of paths) {
        let n = root;
        const way = [];
        for (const part of imagePathParts(input)) {
            if (n.kind === 'symlink')
                throw (0,errors/* optionError */.mp)('path', `${(0,src_text/* quoted */.TL)(input)} passes through the symbolic link ${(0,src_text/* quoted */.TL)(`/${n.path}`)}`);
            const next = n.children.find(c => c.name === part);
            if (!next)
                throw (0,errors/* optionError */.mp)('path', `${(0,src_text/* quoted */.TL)(input)} is not in the image`);
            way.push(n);
            n = next;
        }
        for (const w of way)
            if (!chosen.has(w))
                chosen.set(w, 'way');
        chosen.set(n, 'whole');
    }
    return chosen;
}
/** Why a child of one folder may not be written as named, or undefined. */
function nameProblem(name, platform) {
    // the reader refuses these already; checked again where the name becomes a path
    if (name === '' || name === '.' || name === '..')
        return 'the name is empty, "." or ".."';
    if (name.includes('/') || name.includes('\0'))
        return 'the name holds "/" or NUL';
    return hostNameProblem(name, platform);
}
/** The hard-link key of a file: Rock Ridge PX serial with more than one link, and the same data. */
function linkKey(n) {
    if (n.kind !== 'file' || !n.links || n.links.count < 2 || n.links.serial === undefined)
        return undefined;
    return `${n.links.serial}@${n.extents.map(e => `${e.lba}+${e.size}`).join(',')}`;
}
/** The steps of an extract of `paths` (all when empty) from `img`'s tree; throws on a refused entry. */
function planExtract(img, paths, platform) {
    const chosen = extract_plan_select(img.tree.root, paths);
    const steps = [];
    const links = new Map();
    let bytes = 0;
    const visit = (dir, parts, whole) => {
        const seen = new Map();
        for (const c of dir.children) {
            const mark = whole ? 'whole' : chosen.get(c);
            if (!mark)
                continue;
            const problem = nameProblem(c.name, platform);
            if (problem)
                throw refused(img, c, problem);
            const key = collisionKey(c.name, platform);
            const other = seen.get(key);
            if (other) {
                throw refused(img, c, other.name === c.name
                    ? 'a second entry of this name in its folder'
                    : `its name and ${(0,src_text/* quoted */.TL)(other.name)} are one name on this file system`);
            }
            seen.set(key, c);
            const step = { node: c, parts: [...parts, c.name] };
            const k = linkKey(c);
            const first = k === undefined ? undefined : links.get(k);
            if (first)
                step.linkTo = first;
            else if (k !== undefined)
                links.set(k, step);
            if (c.kind === 'file' && !first) {
                bytes += c.size;
                if (bytes > dataLimit(img.size))
                    throw refused(img, c, 'files overlap (more file data than the image holds)');
            }
            steps.push(step);
            if (c.kind === 'dir')
                visit(c, step.parts, mark === 'whole');
        }
    };
    visit(img.tree.root, [], chosen.get(img.tree.root) === 'whole');
    return { steps, bytes };
}

;// CONCATENATED MODULE: ./src/read/extract.ts
/**
 * `extract`: an image's tree (or chosen paths) written under a folder, as a careful tar does it.
 *
 * - Names: Rock Ridge, else Joliet, else plain ISO 9660 (`;1` and a trailing `.` dropped).
 * - Nothing is created outside the output folder: every entry is planned and checked first
 *   (extract-plan.ts: names, collisions, `..`), then every target is looked at with lstat before
 *   the first byte is written; folders are made one component at a time, files are created with
 *   O_EXCL|O_NOFOLLOW, and no symbolic link is ever followed, whether the extract made it or
 *   found it in the folder. A refused entry or an existing file (without `overwrite`) stops the
 *   extract before anything is written; an I/O failure later (a full disk) leaves what was
 *   written, as tar does. Only the output folder itself may be a link (the user's own path).
 *   Node has no openat(2): another process swapping a folder inside the output folder for a link
 *   while the extract runs is not guarded against (the last component is: O_NOFOLLOW, lstat).
 * - `overwrite`: an existing file or symbolic link in an entry's place is removed (never written
 *   through) and the entry made anew; a folder in a file's place is never removed.
 * - The output folder's own mode and date are left alone. A Rock Ridge device, FIFO or socket is
 *   written as an empty regular file (nothing is made with mknod).
 * - Modes: Rock Ridge's permission bits; setuid, setgid and sticky are dropped (said once). With
 *   no Rock Ridge, 0644 for files and 0755 for folders. Dates: each entry's modification time,
 *   set after its content; folders' modes and dates last, deepest first.
 * - Hard links: files with the same Rock Ridge PX serial number, a link count above one and the
 *   same extents are written once and linked; files that merely share extents are copies.
 * - Data is streamed (1 MiB at a time); chunks of zeros are skipped and the file's length set at
 *   the end, so zero tails and holes stay sparse where the file system can.
 */








/** Permission bits kept; setuid, setgid and sticky (0o7000) are not. */
const PERMISSION_BITS = 0o777;
const SPECIAL_BITS = 0o7000;
/** Modes where the image has no Rock Ridge. */
const extract_PLAIN_FILE_MODE = 0o644;
const extract_PLAIN_DIR_MODE = 0o755;
/** Folders are made private while they are filled; their own mode comes last. */
const FILLING_DIR_MODE = 0o700;
const NEW_FILE_MODE = 0o600;
const extract_ZEROS = Buffer.alloc(1024 * 1024);
/** What is at `p` now, never following a link (a link is 'other'). */
async function look(p) {
    try {
        const st = await external_node_fs_.promises.lstat(p);
        return { found: st.isDirectory() ? 'dir' : 'other', st };
    }
    catch (e) {
        const code = e.code;
        // ENOTDIR: a parent is a file that overwrite replaces by a folder first
        if (code === 'ENOENT' || code === 'ENOTDIR')
            return { found: 'absent' };
        throw (0,errors/* fsError */.yi)(e, p, 'extract');
    }
}
const hostPath = (out, s) => external_node_path_.join(out, ...s.parts);
/** The output folder: made when missing (its parents too: the user's path); its real path. */
async function outputFolder(output) {
    let existed = true;
    try {
        const st = await external_node_fs_.promises.stat(output);
        if (!st.isDirectory())
            throw (0,errors/* optionError */.mp)('output', `${output} exists and is not a folder`);
    }
    catch (e) {
        if (e instanceof errors/* IsoforgeError */.P1)
            throw e;
        if (e.code !== 'ENOENT')
            throw (0,errors/* fsError */.yi)(e, output, 'output folder');
        existed = false;
    }
    return { dir: output, existed };
}
/** Each step's target before anything is written: what refuses, what `overwrite` replaces. */
async function preflight(img, steps, out, overwrite) {
    const replace = new Set();
    for (const s of steps) {
        const p = hostPath(out, s);
        const { found, st } = await look(p);
        if (found === 'absent')
            continue;
        if (s.node.kind === 'dir' && found === 'dir')
            continue;
        if (found === 'dir')
            throw refused(img, s.node, `${p} is a folder (never replaced)`);
        const what = st?.isSymbolicLink() ? 'a symbolic link, never followed' : 'a file';
        if (!overwrite)
            throw new errors/* IsoforgeError */.P1(`${p} exists: ${what} (--overwrite true replaces it)`, { subject: p });
        replace.add(s);
    }
    return replace;
}
/** Run `fn` on host path `p`; an fs failure becomes one line naming the path. */
async function io(p, fn) {
    try {
        return await fn();
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, p, 'extract');
    }
}
/** The mode to give a node: its permission bits (Rock Ridge) or the plain default. */
function extract_modeOf(w, n) {
    if (n.mode === undefined)
        return n.kind === 'dir' ? extract_PLAIN_DIR_MODE : extract_PLAIN_FILE_MODE;
    if (n.mode & SPECIAL_BITS)
        w.special++;
    return n.mode & PERMISSION_BITS;
}
/** A name already there when the plan said it was free: two entries met on this file system. */
function collided(w, e, n, p) {
    const code = e.code;
    if (code === 'EEXIST' || code === 'ELOOP' || code === 'EISDIR')
        return refused(w.img, n, `${p} appeared while extracting (two entries are one name here)`);
    return (0,errors/* fsError */.yi)(e, p, 'extract');
}
async function makeDir(w, s, p) {
    try {
        await external_node_fs_.promises.mkdir(p, FILLING_DIR_MODE);
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw (0,errors/* fsError */.yi)(e, p, 'extract');
    }
    // made or merged: it must be a real folder now (lstat: a link in its place is not one)
    if ((await look(p)).found !== 'dir')
        throw refused(w.img, s.node, `${p} is not a folder`);
}
async function writeFile(w, n, p) {
    let fh;
    try {
        fh = await external_node_fs_.promises.open(p, createExclusiveFlags(), NEW_FILE_MODE);
    }
    catch (e) {
        throw collided(w, e, n, p);
    }
    try {
        let pos = 0;
        for (const x of n.extents) {
            if (x.size === 0)
                continue;
            for await (const chunk of w.img.source.stream(x.lba * SECTOR, x.size, `file ${(0,src_text/* quoted */.TL)(`/${n.path}`)}`, w.signal)) {
                // a chunk of zeros is a hole: skipped, the length set at the end
                if (!chunk.equals(extract_ZEROS.subarray(0, chunk.length)))
                    await io(p, () => fh.write(chunk, 0, chunk.length, pos));
                pos += chunk.length;
            }
        }
        await io(p, () => fh.truncate(pos));
        await io(p, () => fh.chmod(extract_modeOf(w, n)));
        await io(p, () => fh.utimes(n.mtime, n.mtime));
    }
    finally {
        await fh.close();
    }
}
async function writeSymlink(w, n, p) {
    try {
        await external_node_fs_.promises.symlink(n.target ?? '', p);
    }
    catch (e) {
        if (symlinkNotPermitted(e.code, w.platform)) {
            w.log.warn(`extract: the symbolic link ${(0,src_text/* quoted */.TL)(`/${n.path}`)} was left out (not permitted here)`, p);
            return false;
        }
        throw collided(w, e, n, p);
    }
    await io(p, () => external_node_fs_.promises.lutimes(p, n.mtime, n.mtime));
    return true;
}
/** Write the steps in order, then the folders' modes and dates, deepest first. */
async function writeSteps(w, steps, replace, o) {
    const dirs = [];
    for (const s of steps) {
        w.signal?.throwIfAborted();
        const p = hostPath(w.out, s);
        // replaced: the old file or link is removed, never written through
        if (replace.has(s))
            await io(p, () => external_node_fs_.promises.unlink(p));
        const n = s.node;
        if (n.kind === 'dir') {
            await makeDir(w, s, p);
            dirs.push({ node: n, p });
            o.dirs++;
        }
        else if (n.kind === 'symlink') {
            if (await writeSymlink(w, n, p))
                o.symlinks++;
        }
        else if (s.linkTo) {
            const first = hostPath(w.out, s.linkTo);
            await external_node_fs_.promises.link(first, p).catch((e) => {
                throw collided(w, e, n, p);
            });
            o.hardlinks++;
        }
        else {
            await writeFile(w, n, p);
            o.files++;
            o.bytes += n.size;
        }
    }
    for (const d of dirs.reverse()) {
        await io(d.p, () => external_node_fs_.promises.chmod(d.p, extract_modeOf(w, d.node)));
        await io(d.p, () => external_node_fs_.promises.utimes(d.p, d.node.mtime, d.node.mtime));
    }
}
/** Extract `cfg.paths` (all when empty) of `cfg.image` under `cfg.output`. */
async function runExtract(cfg, ctx) {
    const started = performance.now();
    const platform = cfg.platform ?? process.platform;
    return withImage(cfg.image, async (img) => {
        const plan = planExtract(img, cfg.paths, platform);
        const folder = await outputFolder(cfg.output);
        const replace = folder.existed
            ? await preflight(img, plan.steps, folder.dir, cfg.overwrite)
            : new Set();
        if (!folder.existed)
            await io(folder.dir, () => external_node_fs_.promises.mkdir(folder.dir, { recursive: true }));
        const out = await io(folder.dir, () => external_node_fs_.promises.realpath(folder.dir));
        ctx.log.debug(`extract: ${plan.steps.length} entries, ${plan.bytes} bytes from the ${img.tree.namespace} tree`);
        const w = { img, out, log: ctx.log, signal: ctx.signal, platform, special: 0 };
        const o = {
            output: out,
            namespace: img.tree.namespace,
            files: 0,
            dirs: 0,
            symlinks: 0,
            hardlinks: 0,
            bytes: 0,
            elapsed: 0
        };
        await writeSteps(w, plan.steps, replace, o);
        if (w.special > 0)
            ctx.log.warn(`extract: ${w.special} entries had setuid, setgid or sticky bits; written without them`);
        o.elapsed = performance.now() - started;
        return o;
    });
}

;// CONCATENATED MODULE: ./src/cli/extract.ts
/** `isoforge extract --image IMAGE --output DIR [--path PATH …] [--overwrite true]`: the image's tree as files. */







async function extractCommand(argv, io) {
    const parsed = optionsOnly('extract', argv, io.stdout);
    if (!parsed)
        return 0;
    const { specs, args } = parsed;
    const v = optionReader('extract', resolveOptions(specs, args.raw, io.env));
    const image = v.text('image');
    if (!image)
        throw (0,errors/* optionError */.mp)('image', 'required (the ISO image to extract from)');
    const output = v.text('output');
    if (!output)
        throw (0,errors/* optionError */.mp)('output', 'required (the folder to extract into)');
    const cfg = {
        image,
        output,
        paths: v.items('path'),
        overwrite: v.flag('overwrite')
    };
    const log = stderrLogger(io, args.quiet, args.debug);
    const r = await runExtract(cfg, { log, signal: io.signal });
    io.stdout(`${r.output}\n`);
    log.info(`  ${r.files} files (${formatBytes(r.bytes)}), ${r.dirs} folders, ${r.symlinks} symlinks, ${r.hardlinks} hard links from the ${r.namespace} tree, ${(r.elapsed / 1000).toFixed(2)} s`);
    return 0;
}

;// CONCATENATED MODULE: ./src/read/as-options.ts
/**
 * `inspect IMAGE --as-options [--output DIR]`: the build flags that reproduce an image's layout over
 * its extracted tree (as `xorriso -report_el_torito as_mkisofs` does for xorriso). One code path
 * with the remaster: the flags are replayBoot's option values (read/replay-boot.ts) and the PVD's
 * ids. The parts that are bytes, not flags (the MBR boot code, the appended partitions), are named
 * as the byte ranges of IMAGE to cut out, or, given DIR, written there (mbr-code.bin,
 * partition-N.img) and named by their paths.
 */








/** A value quoted for a POSIX shell when it needs it. */
function shellQuote(s) {
    return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
/** The flags, one a line, each line but the last continued with a backslash. */
const flagLines = (flags) => flags.map(([f, v]) => `--${f} ${shellQuote(v)}`).join(' \\\n') + '\n';
/** Write bytes [offset, offset + length) of the image to `file`, streamed (1 MiB at a time). */
async function writeRange(image, r, file) {
    const fh = await external_node_fs_.promises.open(file, 'wx').catch((e) => {
        throw (0,errors/* fsError */.yi)(e, file, 'cannot write');
    });
    try {
        for await (const c of imageChunks(image, [r], r.length))
            await fh.write(c);
    }
    finally {
        await fh.close();
    }
}
/**
 * The image's ids, the tree's extensions and its boot setup as build flags. What no flag can say
 * of the boot setup (an Apple partition map and its HFS+: isoforge writes none) is left out and
 * passed to `leftOut`. An empty id is not printed: an empty value is no value (as an action's
 * unset input), so a build from the flags has the default there (application-id: ISOFORGE).
 */
async function asOptions(img, dir, leftOut) {
    const image = { path: img.path, fd: img.source.fd, size: img.size };
    const flags = [];
    for (const key of Object.keys(LABEL_OPTIONS)) {
        const text = img.pvd[key].replace(/ +$/, '');
        if (text !== '')
            flags.push([LABEL_OPTIONS[key], text]);
    }
    flags.push(['rock-ridge', String(img.primary.namespace === 'rockridge')]);
    flags.push(['joliet', String(img.joliet !== undefined)]);
    const boot = await replayBoot(img, image, leftOut);
    if (!boot)
        return flags;
    if (dir !== undefined)
        await external_node_fs_.promises.mkdir(dir, { recursive: true });
    const place = async (name, r) => {
        if (dir === undefined)
            return rangeBytes({ ...r, image });
        const file = external_node_path_.join(dir, name);
        await writeRange(image, r, file);
        return file;
    };
    flags.push(['boot-catalog', boot.bootCatalog]);
    if (boot.bootCatalogHide)
        flags.push(['boot-catalog-hide', 'true']);
    flags.push(['hybrid', String(boot.hybrid)]);
    for (const r of boot.appendedRanges ?? []) {
        const file = await place(`partition-${r.number}.img`, r);
        flags.push(['append-partition', `${r.number} ${r.type} ${file}`]);
    }
    for (const e of boot.boot)
        flags.push(['boot', e]);
    if (boot.mbrCode) {
        const code = { offset: 0, length: MBR_CODE_BYTES };
        flags.push(['mbr-template', await place('mbr-code.bin', code)]);
        flags.push(['mbr-kind', boot.mbrKind]);
    }
    return flags;
}

;// CONCATENATED MODULE: ./src/read/image-pass.ts
/**
 * One read of the image for verify's checksums and manifest together: the image is read once, in
 * order, in windows; a worker computes the image's digests of each window (the checksum file's
 * lines) while this thread computes the SHA-256 of every file's extents that lie in it (the
 * manifest's). Before, each check read the whole image itself, on two threads at once.
 *
 * Only files whose extents lie inside the image in increasing, non-overlapping order are hashed in
 * the pass; any other (hostile, or an odd multi-extent file) is left to readManifest, which hashes
 * it on its own and reports what is wrong with it. If the files together hold more data than the
 * image could (overlapping extents, hostile), none is hashed here: readManifest refuses them.
 */





/** A page of memory and of the page cache. */
const PAGE = 4096;
/** Windows in turn: one being read, one being hashed, one spare. */
const WINDOWS = 3;
/**
 * The windows start this far into the shared buffer. The kernel copies a read from the page cache
 * with `rep movsb`, which on this machine's AMD EPYC runs ~5x slower when the destination lies 1 to
 * 31 bytes past the source modulo 4 KiB (measured: a destination at the source's page offset, or
 * 32 bytes or more past it, is fast). A large SharedArrayBuffer starts 16 bytes past a page (glibc
 * puts its chunk header first), and the windows read whole pages of the image, so at offset 0 every
 * read was 16 bytes past: 0.46-0.75 s of CPU per GiB, against 0.10-0.15 s 2,048 bytes further on.
 */
const WINDOW_PAGE_OFFSET = 2048;
/** A file's data as a key: files that share extents (hard links, deduplicated data) share it. */
function extentKey(n) {
    const x = n.extents;
    // most files have one extent: no array of texts to join
    return x.length === 1 ? `${x[0].lba}+${x[0].size}` : x.map(e => `${e.lba}+${e.size}`).join(',');
}
/**
 * The most file data the image's files may hold before they are judged overlapping (hostile):
 * distinct files never hold more than the image.
 */
function fileDataLimit(img) {
    return 2 * img.size + 64 * 1024 * 1024;
}
/** Pieces sort as one number each, block × 2^21 + index: blocks are 32-bit fields (ECMA-119 9.1.3). */
const INDEX_BITS = 2 ** 21;
/** The pieces of the files the pass can hash, by start; empty files' digests are known at once. */
function filePieces(img, files) {
    const pieces = [];
    const seen = new Set();
    let total = 0;
    const empty = (0,external_node_crypto_.createHash)('sha256').digest('hex');
    forEachNode(img.tree.root, n => {
        if (n.kind !== 'file')
            return;
        const key = extentKey(n);
        if (seen.has(key))
            return;
        seen.add(key);
        total += n.size;
        let count = 0;
        let end = 0;
        for (const x of n.extents) {
            if (x.size === 0)
                continue;
            const start = x.lba * SECTOR;
            // in the image, in increasing order, not overlapping: else readManifest hashes it alone
            if (!img.source.inside(start, x.size) || start < end)
                return;
            end = start + x.size;
            count++;
        }
        if (count === 0)
            files.set(key, empty);
        let i = 0;
        for (const x of n.extents)
            if (x.size > 0)
                pieces.push({ key, start: x.lba * SECTOR, end: x.lba * SECTOR + x.size, last: ++i === count });
    });
    if (total > fileDataLimit(img))
        return [];
    // a tree's walk is not the data's order: sort by block, a numeric sort of packed numbers (no
    // comparator called 300,000 times for 20,000 files); more pieces than the index holds cannot be
    // (the walk allows 500,000 records), but would sort by comparator
    if (pieces.length >= INDEX_BITS)
        return pieces.sort((a, b) => a.start - b.start);
    const order = new Float64Array(pieces.length);
    for (let i = 0; i < pieces.length; i++)
        order[i] = (pieces[i].start / SECTOR) * INDEX_BITS + i;
    order.sort();
    return Array.from(order, v => pieces[v % INDEX_BITS]);
}
/**
 * The worker of a pass for `algorithms` (none: no worker), started before the image's trees are
 * read so that its start-up (~85 ms of a thread's CPU) overlaps the walk instead of following it.
 */
function startPassWorker(algorithms) {
    return algorithms.length > 0 ? new HashWorker(algorithms) : undefined;
}
/**
 * Read the image once: its digests for `algorithms` (none: no worker) and the SHA-256 of its files
 * (`files`: false hashes none).
 */
async function hashImageOnce(img, algorithms, opts = {}) {
    const files = new Map();
    const pieces = opts.files === false ? [] : filePieces(img, files);
    const size = opts.windowSize ?? io_tuning/* WINDOW */.jf;
    // a window size not a multiple of the page moves each window's offset: keep it a page's half off
    const stride = Math.ceil(size / PAGE) * PAGE;
    const sab = new SharedArrayBuffer(stride * WINDOWS + WINDOW_PAGE_OFFSET);
    const wins = Array.from({ length: WINDOWS }, (_, k) => Buffer.from(sab, WINDOW_PAGE_OFFSET + k * stride, size));
    const busy = [];
    const worker = opts.worker ?? (algorithms.length > 0 ? new HashWorker(algorithms) : undefined);
    const hashes = new Map();
    let active = [];
    let next = 0;
    const count = Math.ceil(img.size / size);
    // each promise gets a handler at once: one may fail while another is awaited (it is awaited later)
    const handled = (p) => (p.catch(() => undefined), p);
    const fill = (k) => {
        const len = Math.min(size, img.size - k * size);
        return handled(img.source.fill(wins[k % WINDOWS].subarray(0, len), k * size, 'image'));
    };
    let reading = count > 0 ? fill(0) : undefined;
    try {
        for (let k = 0; k < count; k++) {
            opts.signal?.throwIfAborted();
            const win = await reading;
            if (k + 1 < count) {
                await busy[(k + 1) % WINDOWS];
                reading = fill(k + 1);
            }
            if (worker)
                busy[k % WINDOWS] = handled(worker.submit(sab, win.byteOffset, win.length, []));
            const ws = k * size;
            const we = ws + win.length;
            while (next < pieces.length && pieces[next].start < we)
                active.push(pieces[next++]);
            for (const p of active) {
                let h = hashes.get(p.key);
                if (!h)
                    hashes.set(p.key, (h = (0,external_node_crypto_.createHash)('sha256')));
                h.update(win.subarray(Math.max(p.start, ws) - ws, Math.min(p.end, we) - ws));
                if (p.last && p.end <= we) {
                    files.set(p.key, h.digest('hex'));
                    hashes.delete(p.key);
                }
            }
            active = active.filter(p => p.end > we);
        }
        await Promise.all(busy);
        return { digests: worker ? (await worker.finish()).digests : {}, files };
    }
    finally {
        await Promise.all(busy.map(b => b?.catch(() => undefined)));
        await reading?.catch(() => undefined);
        await worker?.close();
    }
}

;// CONCATENATED MODULE: ./src/read/manifest.ts
/** The manifest of an image as read back: the same schema the builder writes (src/manifest.ts). */










/** Modes shown when the image has no Rock Ridge (what Linux shows for plain ISO 9660). */
const DEFAULT_DIR_MODE = S_IFDIR | 0o555;
const DEFAULT_FILE_MODE = S_IFREG | 0o444;
/** SHA-256 of a file's data, extent by extent. */
async function hashNode(img, n, signal) {
    const h = (0,external_node_crypto_.createHash)('sha256');
    for (const e of n.extents) {
        if (e.size === 0)
            continue;
        for await (const chunk of img.source.stream(e.lba * SECTOR, e.size, `file ${(0,src_text/* quoted */.TL)(`/${n.path}`)}`, signal)) {
            h.update(chunk);
        }
    }
    return h.digest('hex');
}
async function readManifest(img, opts = {}) {
    const nodes = [];
    forEachNode(img.tree.root, n => {
        if (n !== img.tree.root)
            nodes.push(n);
    });
    const cache = new Map();
    // distinct files never hold more data than the image; overlapping extents are hostile
    const limit = fileDataLimit(img);
    let hashed = 0;
    const entries = [];
    for (const n of nodes) {
        const mode = n.mode ?? (n.kind === 'dir' ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE);
        const e = {
            path: n.path,
            type: n.kind,
            size: n.kind === 'file' ? n.size : 0,
            mode: modeString(mode)
        };
        if (n.kind === 'symlink')
            e.target = n.target ?? '';
        if (n.kind === 'file') {
            if (opts.hash !== false) {
                const key = extentKey(n);
                let digest = opts.digests?.get(key) ?? cache.get(key);
                if (digest === undefined) {
                    hashed += n.size;
                    if (hashed > limit) {
                        throw img.source.fail(`file ${(0,src_text/* quoted */.TL)(`/${n.path}`)}: files overlap (more file data than the image holds)`);
                    }
                    digest = await hashNode(img, n, opts.signal);
                    cache.set(key, digest);
                }
                e.sha256 = digest;
            }
            if (n.size > 0)
                e.lba = n.extents[0].lba;
        }
        entries.push(e);
    }
    entries.sort((a, b) => compareNames(a.path, b.path));
    return {
        schema: MANIFEST_SCHEMA,
        tool: { name: 'isoforge', version: VERSION },
        volumeId: img.pvd.volumeId,
        ids: {
            systemId: img.pvd.systemId,
            volumeSetId: img.pvd.volumeSetId,
            publisherId: img.pvd.publisherId,
            preparerId: img.pvd.preparerId,
            applicationId: img.pvd.applicationId
        },
        epoch: img.pvd.created ?? 0,
        image: {
            name: external_node_path_.basename(img.path),
            size: img.size,
            ...(img.md5 ? { md5Implanted: true } : {})
        },
        boot: (img.boot?.entries ?? []).map(({ bootable: _b, inside: _i, ...rest }) => rest),
        partitions: img.partitions,
        entries
    };
}

;// CONCATENATED MODULE: ./src/cli/inspect.ts
/** `isoforge inspect IMAGE [--json]`: what an image holds, readable or as the manifest JSON. */









function report(img, m) {
    const out = [];
    const date = img.pvd.created !== undefined ? new Date(img.pvd.created * 1000).toISOString() : 'none';
    out.push(`image       ${(0,src_text/* safeLine */.om)(img.path)} (${formatBytes(img.size)}, ${img.size} bytes)`);
    out.push(`volume      ${(0,src_text/* quoted */.TL)(img.pvd.volumeId)}, ${img.volumeBlocks} blocks of 2048, created ${date}`);
    const ids = [
        ['system', img.pvd.systemId],
        ['volume set', img.pvd.volumeSetId],
        ['publisher', img.pvd.publisherId],
        ['preparer', img.pvd.preparerId],
        ['application', img.pvd.applicationId],
        ['Joliet id', img.jolietVd?.volumeId]
    ];
    for (const [what, text] of ids)
        if (text)
            out.push(`${what.padEnd(11)} ${(0,src_text/* quoted */.TL)(text)}`);
    const ns = [img.tree.namespace === 'rockridge' ? 'ISO 9660 + Rock Ridge' : 'ISO 9660'];
    if (img.joliet)
        ns.push('Joliet');
    out.push(`trees       ${ns.join(', ')} (listing from ${img.tree.namespace})`);
    if (img.boot) {
        out.push(`El Torito   catalog at block ${img.boot.catalogLba}`);
        for (const b of img.boot.entries) {
            out.push(`  boot      ${(0,src_text/* shown */.SP)(b.platform).padEnd(5)} ${(0,src_text/* shown */.SP)(b.path)}  block ${b.lba}, ${b.loadSize} sectors, emulation ${b.emulation}${b.bootable ? '' : ' (not bootable)'}`);
        }
    }
    else
        out.push('El Torito   none');
    for (const p of img.partitions) {
        out.push(`partition   ${p.table} ${p.number} ${(0,src_text/* shown */.SP)(p.type)}${p.name ? ` ${(0,src_text/* quoted */.TL)(p.name)}` : ''} start ${p.start} sectors ${p.sectors}${p.bootable ? ' bootable' : ''}`);
    }
    if (img.md5)
        out.push(`MD5         implanted ${img.md5.md5} (verify checks it)`);
    for (const n of img.notes)
        out.push(`note        ${(0,src_text/* safeLine */.om)(n)}`);
    for (const p of img.problems)
        out.push(`PROBLEM     ${(0,src_text/* safeLine */.om)(p)}`);
    out.push('', 'tree:');
    for (const e of m.entries) {
        const size = e.type === 'file' ? String(e.size).padStart(12) : ''.padStart(12);
        const p = (0,src_text/* shown */.SP)(e.path);
        const name = e.type === 'dir' ? `${p}/` : e.type === 'symlink' ? `${p} -> ${(0,src_text/* shown */.SP)(e.target ?? '')}` : p;
        out.push(`  ${(0,src_text/* shown */.SP)(e.mode)} ${size}  ${name}`);
    }
    return out.join('\n') + '\n';
}
const USAGE = 'isoforge inspect IMAGE [--json | --as-options [--output DIR]]';
/** `--as-options` and `--output DIR` (inspect's own flags; the rest goes to parseArgs). */
function asOptionsArgs(argv) {
    const rest = [];
    let as = false;
    let output;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === '--as-options')
            as = true;
        else if (argv[i] === '--output' || argv[i].startsWith('--output=')) {
            output = argv[i].includes('=') ? argv[i].slice('--output='.length) : argv[++i];
            if (!output)
                throw (0,errors/* optionError */.mp)('output', 'give the folder to write the byte ranges to');
        }
        else
            rest.push(argv[i]);
    }
    if (output !== undefined && !as)
        throw (0,errors/* optionError */.mp)('output', 'inspect takes --output with --as-options only');
    return { rest, asOptions: as, output };
}
async function inspectCommand(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
        io.stdout(commandHelp('inspect') + '\n');
        return 0;
    }
    const { rest, asOptions: as, output } = asOptionsArgs(argv);
    const args = parseArgs(rest, [], true);
    if (args.positional.length !== 1) {
        throw new errors/* IsoforgeError */.P1(`inspect: give exactly one IMAGE (${USAGE})`, { subject: 'inspect' });
    }
    if (as) {
        const flags = await withImage(args.positional[0], img => asOptions(img, output, what => stderrLogger(io, true, false).warn(`${img.path}: ${what} left out (isoforge writes none); the flags give the rest of its boot setup`)));
        io.stdout(flagLines(flags));
        return 0;
    }
    await withImage(args.positional[0], async (img) => {
        const m = await readManifest(img, { hash: args.json, signal: io.signal });
        io.stdout(args.json ? (0,src_text/* jsonText */.s$)(m) + '\n' : report(img, m));
    });
    return 0;
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/read/accel.ts
/**
 * Which QEMU accelerator a boot test uses: KVM when /dev/kvm is there, ours to open, and a tiny
 * guest actually runs under it within a few seconds; TCG otherwise, saying why. A present /dev/kvm
 * is not enough: on nested hosts a KVM guest can hang in SeaBIOS forever, so the probe boots a
 * one-sector program under KVM with a hard time limit. The decision is a pure function of the
 * facts (`chooseAccel`) so that it can be tested with any of them simulated.
 */





/** Whether the facts so far call for the KVM probe. */
function needsProbe(f) {
    if (f.request === 'tcg' || f.request === 'kvm')
        return false;
    return f.platform === 'linux' && f.arch === 'x64' && f.device === 'ok';
}
function chooseAccel(f) {
    if (f.request === 'tcg')
        return { accel: 'tcg', why: 'ISOFORGE_QEMU_ACCEL=tcg' };
    if (f.request === 'kvm')
        return { accel: 'kvm', why: 'ISOFORGE_QEMU_ACCEL=kvm' };
    if (f.platform !== 'linux')
        return { accel: 'tcg', why: `no KVM on ${f.platform}` };
    if (f.arch !== 'x64')
        return { accel: 'tcg', why: `no KVM for x86_64 guests on ${f.arch}` };
    if (f.device === 'missing')
        return { accel: 'tcg', why: '/dev/kvm does not exist' };
    if (f.device === 'denied')
        return { accel: 'tcg', why: '/dev/kvm is not accessible (not in the kvm group?)' };
    if (!f.probe)
        return { accel: 'tcg', why: 'KVM not probed' };
    if (!f.probe.ok)
        return { accel: 'tcg', why: `KVM probe: ${f.probe.detail}` };
    return { accel: 'kvm', why: `KVM probe: ${f.probe.detail}` };
}
const KVM_DEVICE = '/dev/kvm';
async function kvmDevice() {
    try {
        await external_node_fs_.promises.access(KVM_DEVICE, external_node_fs_.constants.R_OK | external_node_fs_.constants.W_OK);
        return 'ok';
    }
    catch (e) {
        return e.code === 'ENOENT' ? 'missing' : 'denied';
    }
}
/** What the probe program prints on COM1. */
const PROBE_MARKER = 'isoforge-kvm-probe-ok';
/** How long the probe may take before QEMU is killed. */
const PROBE_MS = 6000;
/**
 * A working KVM guest is at its boot sector well within a second; one that takes longer than
 * this is on a KVM that is not healthy (seen here: 5.9 s, and the next guest hung after SeaBIOS).
 */
const PROBE_HEALTHY_MS = 2500;
const COM1 = 0x3f8;
/**
 * The probe: one 512-byte MBR (signature 0x55AA at 510) that writes PROBE_MARKER to COM1 one
 * `mov al, c; out dx, al` at a time (QEMU's UART needs no set-up), then `cli; hlt` forever.
 */
function probeSector() {
    const code = [0xba, COM1 & 0xff, COM1 >> 8]; // mov dx, 0x3F8
    for (const c of Buffer.from(`${PROBE_MARKER}\r\n`, 'latin1'))
        code.push(0xb0, c, 0xee); // mov al, c; out dx, al
    code.push(0xfa, 0xf4, 0xeb, 0xfd); // cli; hlt; jmp $-1 (back to hlt)
    const sector = Buffer.alloc(MBR_SECTOR);
    Buffer.from(code).copy(sector);
    sector.writeUInt16LE(BOOT_SIGNATURE.value, BOOT_SIGNATURE.offset);
    return sector;
}
/**
 * Boot the probe sector under KVM and wait at most `ms` for its marker. Never hangs: QEMU is
 * killed (its whole process group) when the time is up.
 */
async function probeKvm(qemu, ms = PROBE_MS) {
    const dir = await external_node_fs_.promises.mkdtemp(external_node_path_.join((0,external_node_os_namespaceObject.tmpdir)(), 'isoforge-kvm-'));
    const disk = external_node_path_.join(dir, 'probe.img');
    const started = Date.now();
    try {
        await external_node_fs_.promises.writeFile(disk, probeSector());
        const args = ['-accel', 'kvm', '-display', 'none', '-monitor', 'none', '-serial', 'stdio'];
        args.push('-parallel', 'none', '-net', 'none', '-no-reboot', '-m', '16');
        args.push('-drive', `file=${disk.replace(/,/g, ',,')},format=raw,if=ide,snapshot=on`);
        const child = (0,external_node_child_process_namespaceObject.spawn)(qemu, args, {
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: process.platform !== 'win32'
        });
        let out = '';
        let err = '';
        child.stdout.setEncoding('latin1');
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (s) => {
            err = (err + s).slice(-4096); // its last line says why it failed
        });
        const outcome = await new Promise(resolve => {
            const timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms / 1000} s` }), ms);
            const end = (r) => {
                clearTimeout(timer);
                resolve(r);
            };
            child.stdout.on('data', (s) => {
                out += s;
                if (!out.includes(PROBE_MARKER))
                    return;
                const took = Date.now() - started;
                if (took <= PROBE_HEALTHY_MS)
                    end({ ok: true, detail: `guest ran in ${took} ms` });
                else
                    end({
                        ok: false,
                        detail: `guest took ${took} ms (a working KVM answers within ${PROBE_HEALTHY_MS} ms)`
                    });
            });
            child.once('error', e => end({ ok: false, detail: `cannot run ${qemu}: ${e.message}` }));
            child.once('exit', (code, signal) => {
                const why = err.trim().split('\n').pop() ?? '';
                end({ ok: false, detail: `QEMU exited (${signal ?? `code ${code}`})${why ? `: ${why}` : ''}` });
            });
        });
        await stop(child);
        return outcome;
    }
    finally {
        await external_node_fs_.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
}
/** Kill a detached child's process group and wait (at most 5 s) for it to go. */
async function stop(child) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
        return;
    const gone = new Promise(resolve => child.once('exit', () => resolve()));
    try {
        if (process.platform !== 'win32')
            process.kill(-child.pid, 'SIGKILL');
        else
            child.kill('SIGKILL');
    }
    catch {
        child.kill('SIGKILL');
    }
    let timer;
    await Promise.race([gone, new Promise(res => (timer = setTimeout(res, 5000)))]);
    clearTimeout(timer);
}
const decided = new Map();
/** The accelerator for this process' boot tests with `qemu` (probed once, then remembered). */
function detectAccel(qemu, env = process.env) {
    const key = `${qemu}\0${env.ISOFORGE_QEMU_ACCEL ?? ''}`;
    let choice = decided.get(key);
    if (choice)
        return choice;
    choice = (async () => {
        const facts = {
            platform: process.platform,
            arch: process.arch,
            device: await kvmDevice(),
            request: env.ISOFORGE_QEMU_ACCEL
        };
        if (needsProbe(facts))
            facts.probe = await probeKvm(qemu);
        return chooseAccel(facts);
    })();
    decided.set(key, choice);
    return choice;
}

;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
;// CONCATENATED MODULE: ./src/read/screen.ts
/**
 * The text SeaBIOS's screen mirror (src/sercon.c) sends, turned back into the lines a person saw.
 * The mirror writes characters lazily and moves the terminal's cursor with `ESC [ row ; col H`
 * when its idea of the cursor and the VGA BIOS's differ — also in the middle of a word, when a
 * timer tick flushes a character before the VGA BIOS has moved the cursor past it (a move back
 * onto the character, then forward again). So a cursor move within the current row only moves
 * the column (later characters overwrite), and only a move to another row starts a new line.
 */
/** Text rows of the mirrored screen (BIOS mode 3: 80 x 25); the bottom row scrolls. */
const ROWS = 25;
/** ESC c (reset), CSI sequences (ESC [ params letter), CR, LF, runs of plain text. */
const TOKENS = /\x1bc|\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+|\x1b/g;
function screenText(raw) {
    const lines = [];
    let line = [];
    let row = 0;
    let col = 0;
    const endLine = () => {
        lines.push(line.join('').trimEnd());
        line = [];
    };
    for (const m of raw.matchAll(TOKENS)) {
        const [tok, params, op] = m;
        if (tok === '\x1bc' || (op === 'J' && params === '2')) {
            // reset or clear screen: what follows starts on a fresh line, top left
            if (line.length)
                endLine();
            row = 0;
            col = 0;
        }
        else if (op === 'H' || op === 'f') {
            const [r = 1, c = 1] = params.split(';').map(p => Number(p) || 1);
            if (r - 1 !== row)
                endLine();
            row = r - 1;
            col = c - 1;
        }
        else if (op !== undefined || tok === '\x1b') {
            // colours, line wrap and the rest change nothing of the text
        }
        else if (tok === '\r') {
            col = 0;
        }
        else if (tok === '\n') {
            endLine();
            row = Math.min(row + 1, ROWS - 1);
        }
        else {
            for (const ch of tok) {
                while (line.length < col)
                    line.push(' ');
                line[col++] = ch;
            }
        }
    }
    if (line.length)
        endLine();
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/read/qemu.ts
/**
 * Boot an image headless in QEMU with SeaBIOS or OVMF, as a CD or as a disk, under KVM or TCG,
 * and wait for a marker on the serial console or, under SeaBIOS, on the screen. Used by the boot
 * tests and `verify --boot-test`. The image is never modified (CD read-only, disk with a
 * throw-away snapshot).
 *
 * The screen: boot loaders print menus and messages (ISOLINUX's SAY, menu titles) on the screen
 * only. SeaBIOS can mirror the screen's text to a serial port (its "sercon", src/sercon.c), turned
 * on by the fw_cfg file `etc/sercon-port` holding the port's I/O address as a little-endian
 * integer (QEMU's -nographic makes SeaBIOS add it for COM1 itself, src/fw/paravirt.c). We point it
 * at COM2, a second serial port written to a file of its own, so that COM1 stays exactly what the
 * guest wrote there (no interleaving of the two) and the screen is searched separately. OVMF
 * copies its console to COM1 already.
 */








const QEMU = 'qemu-system-x86_64';
/** Where distributions install the combined OVMF image (code and variables in one file). */
const OVMF_CANDIDATES = [
    '/usr/share/ovmf/OVMF.fd',
    '/usr/share/OVMF/OVMF.fd',
    '/usr/share/qemu/OVMF.fd',
    '/usr/share/edk2/ovmf/OVMF.fd',
    '/usr/share/edk2-ovmf/x64/OVMF.fd',
    '/usr/share/edk2/x64/OVMF.fd',
    '/opt/homebrew/share/qemu/edk2-x86_64-code.fd',
    '/usr/local/share/qemu/edk2-x86_64-code.fd'
];
const POLL_MS = 100;
/** SeaBIOS's fw_cfg file naming the port its screen mirror writes to (SeaBIOS src/sercon.c). */
const SERCON_FW_CFG = 'etc/sercon-port';
/**
 * A KVM run that shows no sign of life this long is given up and run again under TCG: on nested
 * hosts a KVM guest can hang in SeaBIOS even after the probe ran. The sign of life is SeaBIOS's
 * "Booting from" on the screen, or under OVMF any output on COM1.
 */
const KVM_STALL_MS = 6000;
const SEABIOS_BOOTING = 'Booting from';
/** COM2's I/O address: QEMU's second -serial is the second ISA serial port (PC/AT map). */
const COM2 = 0x2f8;
/** Serial output kept in the result at most (the marker is searched in all of it). */
const MAX_SERIAL = 1024 * 1024;
function onPath(name, env) {
    const dirs = (env.PATH ?? env.Path ?? '').split(external_node_path_.delimiter).filter(Boolean);
    const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
    for (const d of dirs)
        for (const e of exts)
            if ((0,external_node_fs_.existsSync)(external_node_path_.join(d, name + e)))
                return external_node_path_.join(d, name + e);
    return undefined;
}
/** Find QEMU and OVMF (ISOFORGE_QEMU / ISOFORGE_OVMF override); `missing` names what is not there. */
function findQemu(env = process.env) {
    const missing = [];
    const qemu = env.ISOFORGE_QEMU && (0,external_node_fs_.existsSync)(env.ISOFORGE_QEMU) ? env.ISOFORGE_QEMU : onPath(QEMU, env);
    if (!qemu)
        missing.push(QEMU);
    const ovmf = [env.ISOFORGE_OVMF, ...OVMF_CANDIDATES].find((p) => typeof p === 'string' && p !== '' && (0,external_node_fs_.existsSync)(p));
    if (!ovmf)
        missing.push('OVMF (ovmf package: OVMF.fd)');
    return { qemu, ovmf, missing };
}
/** The QEMU command line for a run. */
function qemuCommand(r, qemu, ovmf, files) {
    const q = (v) => v.replace(/,/g, ',,'); // QEMU option syntax: a comma in a value is doubled
    const drive = r.media === 'cd'
        ? `file=${q(r.image)},format=raw,media=cdrom,readonly=on,if=ide`
        : `file=${q(r.image)},format=raw,if=ide,snapshot=on`;
    const cmd = [qemu, '-accel', r.accel ?? 'tcg', '-display', 'none', '-serial', `file:${files.serial}`];
    if (r.firmware === 'bios' && files.screen && files.sercon)
        cmd.push('-serial', `file:${files.screen}`, '-fw_cfg', `name=${SERCON_FW_CFG},file=${q(files.sercon)}`);
    cmd.push('-monitor', 'none', '-parallel', 'none', '-no-reboot', '-net', 'none', '-m', String(r.memoryMiB ?? defaultValue('verify', 'boot-memory')), '-drive', drive);
    if (r.firmware === 'uefi')
        cmd.push('-bios', ovmf);
    return cmd;
}
/**
 * A file QEMU appends to, read as it grows (the last MAX_SERIAL characters kept). A character
 * whose bytes QEMU has not all written yet waits in the decoder for the next read.
 */
class GrowingFile {
    file;
    text = '';
    offset = 0;
    decoder;
    constructor(file, encoding) {
        this.file = file;
        this.decoder = new external_node_string_decoder_namespaceObject.StringDecoder(encoding);
    }
    async read() {
        const fh = await external_node_fs_.promises.open(this.file, 'r');
        try {
            for (;;) {
                const b = Buffer.alloc(64 * 1024);
                const { bytesRead } = await fh.read(b, 0, b.length, this.offset);
                if (bytesRead === 0)
                    break;
                this.offset += bytesRead;
                this.text += this.decoder.write(b.subarray(0, bytesRead));
                if (this.text.length > 2 * MAX_SERIAL)
                    this.text = this.text.slice(-MAX_SERIAL);
            }
        }
        finally {
            await fh.close();
        }
    }
}
/** "TCG" or "KVM", with why when known: a timeout names it, so a slow TCG boot is told from a hang. */
function accelLabel(accel, why) {
    return `${accel.toUpperCase()}${why ? `; ${why}` : ''}`;
}
/** QEMU started in its own process group, with what it said on stderr and how it ended. */
function startQemu(command) {
    const child = (0,external_node_child_process_namespaceObject.spawn)(command[0], command.slice(1), {
        stdio: ['ignore', 'ignore', 'pipe'],
        // own process group so that everything QEMU started goes with it
        detached: process.platform !== 'win32'
    });
    const state = { stderr: '' };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s) => {
        if (state.stderr.length < 64 * 1024)
            state.stderr += s;
    });
    child.once('exit', (code, signal) => (state.exited = { code, signal }));
    child.once('error', e => (state.spawnError = e));
    return { child, state };
}
/** The first line of QEMU's stderr that is not a warning (QEMU warns about the fw_cfg name). */
function firstError(stderr) {
    const lines = stderr.trim().split('\n').filter(Boolean);
    return lines.find(l => !/: warning: /.test(l)) ?? lines[0] ?? '';
}
/** The console files of a run in `tmp` (COM1 at `serialLog` when given), created empty. */
async function consoleFiles(r, tmp) {
    const files = { serial: r.serialLog ?? external_node_path_.join(tmp, 'serial.log') };
    if (r.firmware === 'bios' && r.screen !== false) {
        files.screen = external_node_path_.join(tmp, 'screen.log');
        files.sercon = external_node_path_.join(tmp, 'sercon-port');
        const port = Buffer.alloc(2);
        port.writeUInt16LE(COM2); // SeaBIOS romfile_loadint: a 1, 2, 4 or 8-byte little-endian integer
        await external_node_fs_.promises.writeFile(files.sercon, port);
        await external_node_fs_.promises.writeFile(files.screen, '');
    }
    await external_node_fs_.promises.writeFile(files.serial, '');
    return files;
}
/** After each read of the consoles: how the run ended, or undefined while it goes on. */
function verdict(w) {
    const { r, accel, serial, screen, state } = w;
    if (serial.text.includes(r.marker))
        return { reason: 'marker seen on the serial console', seenOn: 'serial console' };
    if (screen && screenText(screen.text).includes(r.marker))
        return { reason: 'marker seen on the screen', seenOn: 'screen' };
    if (state.spawnError)
        return { reason: `cannot run ${r.qemu ?? QEMU}: ${state.spawnError.message}` };
    if (state.exited) {
        const how = state.exited.signal ? `signal ${state.exited.signal}` : `code ${state.exited.code}`;
        const err = firstError(state.stderr);
        // QEMU can abort under a broken KVM (kvm_buf_set_msrs): TCG decides
        if (accel === 'kvm')
            return { reason: `QEMU (KVM) exited (${how})${err ? `: ${err}` : ''}`, stalled: true };
        return {
            reason: `QEMU (${accelLabel(accel)}) exited (${how}) before the marker${err ? `: ${err}` : ''}`
        };
    }
    if (r.signal?.aborted)
        return { reason: 'aborted' };
    const elapsed = Date.now() - w.started;
    const alive = screen ? screen.text.includes(SEABIOS_BOOTING) : serial.text.length > 0;
    if (accel === 'kvm' && !alive && elapsed >= KVM_STALL_MS) {
        const sign = screen ? `"${SEABIOS_BOOTING}"` : 'output';
        return { reason: `KVM stalled: no ${sign} within ${KVM_STALL_MS / 1000} s`, stalled: true };
    }
    if (elapsed >= r.timeoutMs) {
        const where = screen ? 'on the serial console or the screen' : 'on the serial console';
        const secs = Math.round(r.timeoutMs / 1000);
        // a guest can also hang under KVM after SeaBIOS (seen on nested hosts): a KVM run that found
        // no marker is run again under TCG, so a broken KVM never fails an image that boots
        if (accel === 'kvm')
            return { reason: `KVM run found no marker within ${secs} s`, stalled: true };
        return { reason: `no "${r.marker}" ${where} within ${secs} s (${accelLabel(accel, r.accelWhy)})` };
    }
    return undefined;
}
async function bootImage(r) {
    const started = Date.now();
    const accel = r.accel ?? 'tcg';
    const found = r.qemu && (r.firmware === 'bios' || r.ovmf) ? undefined : findQemu();
    const qemu = r.qemu ?? found?.qemu;
    const ovmf = r.ovmf ?? found?.ovmf;
    const fail = (reason) => ({
        ok: false,
        elapsedMs: Date.now() - started,
        serial: '',
        screen: '',
        accel,
        reason,
        command: []
    });
    if (!qemu)
        return fail(`${QEMU} not found (install qemu-system-x86)`);
    if (r.firmware === 'uefi' && !ovmf)
        return fail('OVMF firmware not found (install ovmf)');
    if (!(0,external_node_fs_.existsSync)(r.image))
        return fail(`${r.image}: does not exist`);
    const tmp = await external_node_fs_.promises.mkdtemp(external_node_path_.join((0,external_node_os_namespaceObject.tmpdir)(), 'isoforge-qemu-'));
    const files = await consoleFiles(r, tmp);
    const command = qemuCommand(r, qemu, ovmf, files);
    const { child, state } = startQemu(command);
    const onAbort = () => void stop(child);
    r.signal?.addEventListener('abort', onAbort, { once: true });
    const w = {
        r: { ...r, qemu },
        accel,
        started,
        serial: new GrowingFile(files.serial, 'latin1'),
        // SeaBIOS's mirror writes code page 437 as UTF-8
        screen: files.screen ? new GrowingFile(files.screen, 'utf8') : undefined,
        state
    };
    let end;
    let elapsedMs;
    try {
        for (;;) {
            await w.serial.read();
            await w.screen?.read();
            const v = verdict(w);
            if (v) {
                end = v;
                break;
            }
            await new Promise(res => setTimeout(res, POLL_MS));
        }
    }
    finally {
        // the time to the marker, not to the process' end
        elapsedMs = Date.now() - started;
        await stop(child);
        r.signal?.removeEventListener('abort', onAbort);
    }
    try {
        // what QEMU wrote before it went
        await w.serial.read();
        await w.screen?.read();
    }
    finally {
        await external_node_fs_.promises.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
    if (end.stalled)
        return bootImage({ ...r, accel: 'tcg', accelWhy: end.reason });
    return {
        ok: end.seenOn !== undefined,
        elapsedMs,
        serial: w.serial.text.slice(-MAX_SERIAL),
        screen: w.screen ? screenText(w.screen.text).slice(-MAX_SERIAL) : '',
        seenOn: end.seenOn,
        accel,
        accelWhy: r.accelWhy,
        reason: end.reason,
        command
    };
}

;// CONCATENATED MODULE: ./src/read/boottest.ts
/**
 * verify's boot-test: each firmware × media in QEMU, passing when the marker shows on COM1 or (under
 * SeaBIOS) on the screen; KVM when a probe shows it works, TCG otherwise (see accel.ts).
 */






const TAIL_LINES = 20;
const SCREEN_TAIL_LINES = 10;
/** Where the screen's text starts in a kept log and in the tail. */
const SCREEN_HEADER = '--- screen (text mirrored by SeaBIOS) ---';
function lastLines(text, n) {
    return text
        .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
        .replace(/\r/g, '')
        .split('\n')
        .filter((l, i, all) => l.trim() !== '' || (i > 0 && all[i - 1].trim() !== ''))
        .slice(-n)
        .join('\n')
        .trim();
}
/** The report's tail: the serial console's last lines, then the screen's. */
function tail(r) {
    const serial = lastLines(r.serial, TAIL_LINES);
    const screen = lastLines(r.screen, SCREEN_TAIL_LINES);
    return screen ? `${serial}${serial ? '\n' : ''}${SCREEN_HEADER}\n${screen}` : serial;
}
/** On Linux, install QEMU and OVMF with apt when we may (root or passwordless sudo). */
function tryInstall(log) {
    if (process.platform !== 'linux')
        return 'not Linux';
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const sudo = !root && (0,external_node_child_process_namespaceObject.spawnSync)('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
    if (!root && !sudo)
        return 'not root and no passwordless sudo';
    const pre = root ? [] : ['sudo', '-n'];
    const cmd = (args) => {
        const all = [...pre, ...args];
        log.info(`boot-test: running ${all.join(' ')}`);
        return (0,external_node_child_process_namespaceObject.spawnSync)(all[0], all.slice(1), {
            stdio: 'ignore',
            env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
            timeout: 15 * 60 * 1000
        }).status;
    };
    cmd(['apt-get', 'update']);
    if (cmd(['apt-get', 'install', '-y', 'qemu-system-x86', 'ovmf']) !== 0)
        return 'apt-get install failed';
    return undefined;
}
async function runBootTests(image, firmwares, media, marker, limits, ctx) {
    let found = findQemu();
    const needed = (f) => !f.qemu || (firmwares.includes('uefi') && !f.ovmf);
    if (needed(found)) {
        const why = tryInstall(ctx.log);
        found = findQemu();
        if (needed(found)) {
            const missing = found.missing.join(' and ');
            return firmwares.flatMap(f => media.map(m => ({
                name: `boot-test ${f} ${m}`,
                ok: false,
                detail: `${missing} missing (could not install: ${why ?? 'still not found after apt-get'})`,
                tail: ''
            })));
        }
    }
    let accel = await detectAccel(found.qemu);
    ctx.log.info(`boot-test: QEMU accelerator ${accelLabel(accel.accel, accel.why)}`);
    const dir = await external_node_fs_.promises.mkdtemp(external_node_path_.join((0,external_node_os_namespaceObject.tmpdir)(), 'isoforge-serial-'));
    const out = [];
    for (const f of firmwares) {
        for (const m of media) {
            ctx.signal?.throwIfAborted();
            const name = `boot-test ${f} ${m}`;
            const serialLog = external_node_path_.join(dir, `${external_node_path_.basename(image)}.${f}-${m}.serial.log`);
            const r = await bootImage({
                firmware: f,
                media: m,
                image,
                marker,
                timeoutMs: limits.timeoutSeconds * 1000,
                memoryMiB: limits.memoryMiB,
                serialLog,
                signal: ctx.signal,
                qemu: found.qemu,
                ovmf: found.ovmf,
                accel: accel.accel,
                accelWhy: accel.why
            });
            // the kept log holds what was seen: COM1, then the screen
            if (r.screen)
                await external_node_fs_.promises.appendFile(serialLog, `\n${SCREEN_HEADER}\n${r.screen}`);
            const secs = (r.elapsedMs / 1000).toFixed(1);
            const how = accelLabel(r.accel, r.accelWhy);
            // a KVM run that stalled and went on under TCG: the next ones start under TCG
            if (r.accel !== accel.accel && r.accelWhy)
                accel = { accel: r.accel, why: r.accelWhy };
            out.push({
                name,
                ok: r.ok,
                detail: r.ok ? `marker seen after ${secs} s on the ${r.seenOn} (${how})` : `${r.reason} (${secs} s)`,
                serialLog,
                tail: tail(r),
                accel: r.accel
            });
        }
    }
    // the full serial logs are kept for a failure (the CLI prints where, the action uploads them);
    // when every boot passed, the last lines in the report are enough and nothing is left in /tmp
    if (out.every(r => r.ok)) {
        await external_node_fs_.promises.rm(dir, { recursive: true, force: true });
        for (const r of out)
            r.serialLog = undefined;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/read/expect-boot.ts
function matches(expect, e) {
    const [platform, kind] = expect.split(':');
    if (e.platform !== platform)
        return false;
    if (kind === undefined)
        return true;
    if (kind === 'partition')
        return e.path.startsWith('partition:') || e.partition !== undefined;
    if (kind === 'floppy')
        return e.emulation.startsWith('floppy');
    return e.emulation === kind;
}
/** An entry as the check's line shows it: `bios b/floppy.img (floppy-1.44M)`. */
const describeEntry = (e, shown) => `${e.platform} ${shown(e.path)}${e.partition === undefined ? '' : ` = partition:${e.partition}`}${e.emulation === 'none' ? '' : ` (${e.emulation})`}`;
/** The check's outcome: each expectation needs an entry that matches it and lies inside the image. */
function checkExpectBoot(expect, entries, shown) {
    const found = entries.map(e => describeEntry(e, shown)).join(', ') || 'no boot catalog';
    const missing = expect.filter(x => !entries.some(e => matches(x, e)));
    if (missing.length > 0)
        return { ok: false, detail: `no El Torito ${missing.join(', ')} entry (found: ${found})` };
    const wanted = entries.filter(e => expect.some(x => matches(x, e)));
    const bad = wanted.find(e => !e.inside);
    if (bad)
        return { ok: false, detail: `the ${bad.platform} boot image lies outside the image` };
    return { ok: true, detail: wanted.map(e => describeEntry(e, shown)).join(', ') };
}

;// CONCATENATED MODULE: ./src/read/checks.ts
/** The file-level checks of verify: manifest comparison and checksum files. */






/** A manifest file from disk, checked for the parts the comparison needs. */
async function loadManifest(file, option = '--manifest-file') {
    const text = await readSmallText(file, { limit: LIMITS.manifest, what: option, kind: 'a manifest' });
    return parseManifest(text, file);
}
/**
 * Differences between the manifest expected and the one read from the image, one line each,
 * naming the path. `modes` compares permission bits (only meaningful with Rock Ridge).
 */
function compareManifests(want, got, modes) {
    const diffs = [];
    const have = new Map(got.entries.map(e => [e.path, e]));
    for (const w of want.entries) {
        const g = have.get(w.path);
        if (!g) {
            diffs.push(`${(0,src_text/* shown */.SP)(w.path)}: missing from the image`);
            continue;
        }
        have.delete(w.path);
        if (g.type !== w.type) {
            diffs.push(`${(0,src_text/* shown */.SP)(w.path)}: is a ${g.type}, the manifest says ${w.type}`);
            continue;
        }
        if (w.type === 'file') {
            if (g.size !== w.size)
                diffs.push(`${(0,src_text/* shown */.SP)(w.path)}: ${g.size} bytes, the manifest says ${w.size}`);
            else if (w.sha256 && g.sha256 !== w.sha256)
                diffs.push(`${(0,src_text/* shown */.SP)(w.path)}: content differs (SHA-256 ${g.sha256})`);
        }
        if (w.type === 'symlink' && w.target !== undefined && g.target !== w.target) {
            diffs.push(`${(0,src_text/* shown */.SP)(w.path)}: links to ${(0,src_text/* quoted */.TL)(g.target ?? '')}, the manifest says ${(0,src_text/* quoted */.TL)(w.target)}`);
        }
        if (modes && w.mode && g.mode !== w.mode)
            diffs.push(`${(0,src_text/* shown */.SP)(w.path)}: mode ${(0,src_text/* shown */.SP)(g.mode)}, the manifest says ${(0,src_text/* shown */.SP)(w.mode)}`);
    }
    for (const p of have.keys())
        diffs.push(`${(0,src_text/* shown */.SP)(p)}: in the image but not in the manifest`);
    diffs.push(...compareLabels(want, got));
    const wantBoot = want.boot?.map(b => b.platform).sort() ?? [];
    const gotBoot = got.boot.map(b => b.platform).sort();
    if (wantBoot.join(',') !== gotBoot.join(',')) {
        diffs.push(`boot entries ${(0,src_text/* shown */.SP)(gotBoot.join(',')) || 'none'}, the manifest says ${(0,src_text/* shown */.SP)(wantBoot.join(',')) || 'none'}`);
    }
    return diffs;
}
/** The volume's texts, where the manifest has them (ids are absent from older manifests). */
function compareLabels(want, got) {
    const pairs = [['volumeId', got.volumeId, want.volumeId]];
    for (const [k, v] of Object.entries(got.ids ?? {})) {
        pairs.push([k, v, want.ids?.[k]]);
    }
    return pairs
        .filter(([, g, w]) => w !== undefined && g !== w)
        .map(([k, g, w]) => `${k} ${(0,src_text/* quoted */.TL)(g)}, the manifest says ${(0,src_text/* quoted */.TL)(w ?? '')}`);
}
const BSD_LINE = /^(SHA256|SHA512) \((.+)\) = ([0-9a-fA-F]+)$/;
const GNU_LINE = /^\\?([0-9a-fA-F]{64}|[0-9a-fA-F]{128}) [ *](.+)$/;
/** GNU (`hex  name`, `hex *name`) and BSD (`SHA256 (name) = hex`) lines; other lines are ignored. */
function parseChecksums(text) {
    const out = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trimEnd();
        const bsd = BSD_LINE.exec(line);
        if (bsd) {
            const algorithm = bsd[1] === 'SHA256' ? 'sha256' : 'sha512';
            if (bsd[3].length === (algorithm === 'sha256' ? 64 : 128)) {
                out.push({ algorithm, name: bsd[2], hex: bsd[3].toLowerCase() });
            }
            continue;
        }
        const gnu = GNU_LINE.exec(line);
        if (gnu) {
            out.push({
                algorithm: gnu[1].length === 64 ? 'sha256' : 'sha512',
                hex: gnu[1].toLowerCase(),
                name: gnu[2]
            });
        }
    }
    return out;
}
async function digestImage(src, algorithm, signal) {
    const h = (0,external_node_crypto_.createHash)(algorithm);
    for await (const chunk of src.stream(0, src.size, 'image', signal))
        h.update(chunk);
    return h.digest('hex');
}
const readChecksumFile = (file) => readSmallText(file, { limit: LIMITS.checksumFile, what: '--checksums-file', kind: 'a checksum file' });
/** The lines of a checksum file that name the image (by its base name; `/` or `\\` before it). */
function linesFor(text, image) {
    const base = external_node_path_.basename(image);
    return parseChecksums(text).filter(l => external_node_path_.posix.basename(l.name.replace(/\\/g, '/')) === base);
}
/** The algorithms of the checksum file's lines for the image; none when the file cannot be read. */
async function checksumAlgorithms(file, image) {
    try {
        return [...new Set(linesFor(await readChecksumFile(file), image).map(l => l.algorithm))];
    }
    catch {
        return [];
    }
}
/**
 * Start hashing the image for the checksum file's lines in a worker thread, so that verify's other
 * checks (the manifest's per-file hashes) run meanwhile on this one. Resolves to undefined when
 * the file cannot be read or the worker fails: checkChecksums then reports or hashes as usual.
 */
async function prehashForChecksums(src, file, signal) {
    const algorithms = await checksumAlgorithms(file, src.path);
    if (algorithms.length === 0 || signal?.aborted)
        return undefined;
    let worker;
    const stop = () => void worker?.close();
    signal?.addEventListener('abort', stop, { once: true });
    try {
        worker = new HashWorker(algorithms);
        await worker.hashFile(src.path, src.size);
        return (await worker.finish()).digests;
    }
    catch {
        return undefined;
    }
    finally {
        signal?.removeEventListener('abort', stop);
        await worker?.close();
    }
}
/** Check the line of a SHA256SUMS/SHA512SUMS file that names the image. */
async function checkChecksums(src, file, signal, 
/** digests already made (prehashForChecksums); the others are made here */
made) {
    const text = await readChecksumFile(file);
    const base = external_node_path_.basename(src.path);
    const lines = linesFor(text, src.path);
    if (lines.length === 0)
        return { ok: false, detail: `${external_node_path_.basename(file)} has no line for ${base}` };
    const digests = new Map();
    for (const l of lines) {
        let d = digests.get(l.algorithm);
        if (d === undefined) {
            d = made?.[l.algorithm] ?? (await digestImage(src, l.algorithm, signal));
            digests.set(l.algorithm, d);
        }
        if (d !== l.hex) {
            return {
                ok: false,
                detail: `${l.algorithm.toUpperCase()} of ${base} is ${d}, ${external_node_path_.basename(file)} says ${l.hex}`
            };
        }
    }
    const algs = [...digests.keys()].map(a => a.toUpperCase()).join(' and ');
    return { ok: true, detail: `${algs} of ${base} match ${external_node_path_.basename(file)}` };
}

;// CONCATENATED MODULE: ./src/read/md5.ts
/**
 * The MD5 that implantisomd5 writes into the PVD's application use field, checked the way
 * checkisomd5 does (rhinstaller/isomd5sum; see shared notes integrity-and-signing §3): MD5 of the
 * image from byte 0 to volume size − SKIPSECTORS×2048, with the 512-byte field read as spaces.
 */



/** ECMA-119 8.4: the PVD is at block 16; its application use field at byte 883, 512 bytes. */
const PVD_LBA = VD_SET_LBA;
/** Recompute the implanted MD5; `volumeBlocks` from the PVD. */
async function checkImplantedMd5(src, implanted, volumeBlocks, signal) {
    const length = (volumeBlocks - implanted.skipSectors) * SECTOR;
    if (length <= 0 || !src.inside(0, length)) {
        return { ok: false, detail: `the implanted MD5 covers ${length} bytes, not inside the image` };
    }
    const fieldStart = PVD_LBA * SECTOR + PVD.applicationUse;
    const fieldEnd = fieldStart + PVD.applicationUseLength;
    const h = (0,external_node_crypto_.createHash)('md5');
    let pos = 0;
    for await (const chunk of src.stream(0, length, 'implanted MD5', signal)) {
        const a = Math.max(fieldStart, pos);
        const b = Math.min(fieldEnd, pos + chunk.length);
        if (a < b) {
            const copy = Buffer.from(chunk);
            copy.fill(0x20, a - pos, b - pos);
            h.update(copy);
        }
        else
            h.update(chunk);
        pos += chunk.length;
    }
    const got = h.digest('hex');
    return got === implanted.md5
        ? { ok: true, detail: `implanted MD5 ${got} matches` }
        : { ok: false, detail: `implanted MD5 ${implanted.md5} but the image has ${got}` };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(75);
;// CONCATENATED MODULE: ./src/read/signature.ts
/**
 * Detached signatures of the image: OpenPGP (openpgp.js v6, streamed) and minisign (node:crypto
 * Ed25519; its file formats and key id are src/integrity/minisign.ts, shared with build).
 */






/** A key given inline or as a path to a file holding it (a regular file of at most `limit`). */
async function keyText(value, option, looksInline, limit = LIMITS.openPgpKey) {
    if (looksInline(value))
        return value;
    return readSmallText(value, { limit, what: option, kind: 'a public key' });
}
async function readSignatureFile(file) {
    return readSmallFile(file, { limit: LIMITS.signature, what: '--signature', kind: 'a signature' });
}
async function verifyOpenPgp(image, keyValue, signatureFile) {
    const armored = await keyText(keyValue, '--gpg-public-key', s => s.includes('-----BEGIN PGP'));
    // loaded only here: the CLI's other commands start without it
    const openpgp = await __nccwpck_require__.e(/* import() */ 74).then(__nccwpck_require__.bind(__nccwpck_require__, 74));
    let keys;
    try {
        keys = await openpgp.readKeys({ armoredKeys: armored });
    }
    catch (e) {
        throw (0,errors/* optionError */.mp)('gpg-public-key', `not an OpenPGP public key (${oneLineMessage(e)})`);
    }
    const sigBytes = await readSignatureFile(signatureFile);
    let signature;
    try {
        const text = sigBytes.toString('latin1');
        signature = text.includes('-----BEGIN PGP SIGNATURE')
            ? await openpgp.readSignature({ armoredSignature: text })
            : await openpgp.readSignature({ binarySignature: new Uint8Array(sigBytes) });
    }
    catch (e) {
        return { ok: false, detail: `${signatureFile} is not an OpenPGP signature (${oneLineMessage(e)})` };
    }
    const message = await openpgp.createMessage({
        binary: external_node_stream_.Readable.toWeb((0,external_node_fs_.createReadStream)(image))
    });
    const res = await openpgp.verify({ message, signature, verificationKeys: keys, format: 'binary' });
    // the data must be read through for a streamed message before `verified` settles
    const reader = res.data.getReader();
    for (;;) {
        const { done } = await reader.read();
        if (done)
            break;
    }
    const fingerprints = keys.map(k => k.getFingerprint().toUpperCase());
    for (const s of res.signatures) {
        try {
            await s.verified;
            return { ok: true, detail: `good OpenPGP signature by key ${s.keyID.toHex().toUpperCase()}` };
        }
        catch (e) {
            return { ok: false, detail: `bad OpenPGP signature: ${oneLineMessage(e)}` };
        }
    }
    return { ok: false, detail: `no signature by ${fingerprints.join(', ')}` };
}
/** The legacy form needs the whole file in memory: refuse beyond this (as minisign does). */
const MAX_LEGACY_BYTES = 1024 * 1024 * 1024;
async function verifyMinisign(image, keyValue, signatureFile) {
    const text = await keyText(keyValue, '--minisign-public-key', looksInlinePublicKey, LIMITS.minisignKey);
    const pub = parsePublicKey(text);
    const sig = parseSignature((await readSignatureFile(signatureFile)).toString('utf8'));
    if (typeof sig === 'string')
        return { ok: false, detail: `${signatureFile} ${sig}` };
    if (!sig.keynum.equals(pub.keynum)) {
        return { ok: false, detail: `signed by key ${sig.keyId}, not by the given key ${pub.keyId}` };
    }
    let message;
    if (sig.alg === ALG_HASHED) {
        const h = (0,external_node_crypto_.createHash)('blake2b512');
        for await (const chunk of (0,external_node_fs_.createReadStream)(image))
            h.update(chunk);
        message = h.digest();
    }
    else {
        const st = await external_node_fs_.promises.stat(image);
        if (st.size > MAX_LEGACY_BYTES)
            return { ok: false, detail: 'legacy minisign signature over a file above 1 GiB' };
        message = await external_node_fs_.promises.readFile(image);
    }
    if (!(0,external_node_crypto_.verify)(null, message, pub.key, sig.signature))
        return { ok: false, detail: `bad minisign signature (key ${pub.keyId})` };
    if (!(0,external_node_crypto_.verify)(null, globalMessage(sig.signature, sig.trustedComment), pub.key, sig.globalSignature)) {
        return { ok: false, detail: 'the minisign trusted comment signature is bad' };
    }
    return { ok: true, detail: `good minisign signature by key ${pub.keyId}` };
}
function oneLineMessage(e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

;// CONCATENATED MODULE: ./src/read/verify.ts
/**
 * `verify`: read an image (hostile-safe) and run the checks asked for. The library API the CLI and
 * the verify action share. Each check yields one row: name, pass/fail, reason.
 */















/** Bounds of boot-memory, in MiB: less does not start SeaBIOS or OVMF, more than 64 GiB is a typo. */
const MIN_BOOT_MEMORY_MIB = 64;
const MAX_BOOT_MEMORY_MIB = 65536;
/** `values`: resolved values (src/options.ts); one not given is the schema's default. */
function toVerifyConfig(values) {
    const o = optionReader('verify', values);
    const image = o.text('image');
    if (!image)
        throw (0,errors/* optionError */.mp)('image', 'required (the ISO image to verify)');
    const bootTest = o.items('boot-test');
    const bootMarker = o.text('boot-marker');
    if (bootTest.length > 0 && !bootMarker) {
        throw (0,errors/* optionError */.mp)('boot-marker', 'required with --boot-test (text the boot prints on the serial console or the screen)');
    }
    const gpgPublicKey = o.text('gpg-public-key');
    const minisignPublicKey = o.text('minisign-public-key');
    const signature = o.text('signature');
    if (signature && !gpgPublicKey && !minisignPublicKey) {
        throw (0,errors/* optionError */.mp)('signature', 'needs --gpg-public-key or --minisign-public-key');
    }
    if (signature && gpgPublicKey && minisignPublicKey) {
        throw (0,errors/* optionError */.mp)('signature', 'ambiguous with both --gpg-public-key and --minisign-public-key (leave it out: <image>.asc and <image>.minisig are used)');
    }
    const manifestFile = o.text('manifest-file');
    const media = o.items('boot-media');
    const timeout = o.count('boot-timeout') ?? 0;
    if (timeout < 1)
        throw (0,errors/* optionError */.mp)('boot-timeout', 'must be at least 1 second');
    const memory = o.count('boot-memory') ?? 0;
    if (memory < MIN_BOOT_MEMORY_MIB || memory > MAX_BOOT_MEMORY_MIB)
        throw (0,errors/* optionError */.mp)('boot-memory', `${memory} is not between ${MIN_BOOT_MEMORY_MIB} and ${MAX_BOOT_MEMORY_MIB} MiB`);
    return {
        image,
        expectBoot: [...new Set(o.items('expect-boot'))],
        manifest: o.flag('manifest') || manifestFile !== undefined,
        manifestFile,
        checksumsFile: o.text('checksums-file'),
        gpgPublicKey,
        minisignPublicKey,
        signature,
        maxSize: o.count('max-size'),
        bootTest: [...new Set(bootTest)],
        bootMedia: [
            ...new Set(media.length > 0 ? media : defaultValue('verify', 'boot-media'))
        ],
        bootMarker,
        bootTimeout: timeout,
        bootMemory: memory
    };
}
/** Inputs that must exist, checked before any work (one-line error naming the option). */
async function checkInputs(c) {
    try {
        const st = await external_node_fs_.promises.stat(c.image);
        if (!st.isFile())
            throw new errors/* IsoforgeError */.P1(`--image ${c.image}: not a regular file`, { subject: c.image });
    }
    catch (e) {
        throw (0,errors/* fsError */.yi)(e, c.image, '--image');
    }
    const need = async (file, option) => {
        if (file === undefined)
            return;
        try {
            await external_node_fs_.promises.access(file);
        }
        catch (e) {
            throw (0,errors/* fsError */.yi)(e, file, option);
        }
    };
    await need(c.manifest ? (c.manifestFile ?? `${c.image}.manifest.json`) : undefined, '--manifest-file');
    await need(c.checksumsFile, '--checksums-file');
    if (c.gpgPublicKey)
        await need(c.signature ?? `${c.image}.asc`, '--signature');
    if (c.minisignPublicKey)
        await need(c.signature ?? `${c.image}.minisig`, '--signature');
}
function structureDetail(img) {
    let files = 0;
    let dirs = 0;
    forEachNode(img.tree.root, n => {
        if (n.kind === 'file')
            files++;
        else if (n.kind === 'dir')
            dirs++;
    });
    const parts = [
        `volume ${(0,src_text/* quoted */.TL)(img.pvd.volumeId)}`,
        `${img.volumeBlocks} blocks`,
        `${files} files, ${dirs - 1} directories`,
        img.tree.namespace === 'rockridge'
            ? 'Rock Ridge'
            : img.tree.namespace === 'joliet'
                ? 'Joliet'
                : 'ISO 9660 names',
        img.joliet && img.tree.namespace !== 'joliet' ? 'Joliet' : undefined,
        img.boot ? `El Torito (${img.boot.entries.map(e => e.platform).join(', ') || 'no entries'})` : undefined,
        img.partitions.length ? `${img.partitions.length} partitions` : undefined
    ];
    return parts.filter(Boolean).join(', ');
}
async function runVerify(config, ctx) {
    await checkInputs(config);
    const checks = [];
    const report = { ok: false, image: config.image, checks, serialLogs: [] };
    const add = (name, ok, detail) => {
        checks.push({ name, ok, detail });
        ctx.log.info(`${ok ? 'pass' : 'FAIL'} ${name}: ${detail}`);
    };
    // Guarded: a check that throws on hostile content fails with the reason; others still run.
    const guarded = async (name, fn) => {
        try {
            await fn();
        }
        catch (e) {
            if (e instanceof errors/* IsoforgeError */.P1 && e.code === 'EBADISO')
                add(name, false, (0,errors/* oneLine */.TN)(e));
            else
                throw e;
        }
    };
    // with the manifest and a checksum file, one pass makes both; its worker starts before the walk
    const passAlgorithms = config.manifest && config.checksumsFile
        ? await checksumAlgorithms(config.checksumsFile, config.image)
        : [];
    let passWorker = startPassWorker(passAlgorithms);
    let img;
    try {
        img = await inTimed(ctx.log, 'read the structures', () => readImage(config.image));
    }
    catch (e) {
        await passWorker?.close();
        passWorker = undefined;
        if (!(e instanceof errors/* IsoforgeError */.P1))
            throw e;
        add('structure', false, (0,errors/* oneLine */.TN)(e));
    }
    // without the manifest's check, the image digests for the checksum file are made in a worker
    // thread meanwhile (the implanted MD5 takes this one); stopped if verify ends first. With it, one
    // read of the image makes both (pass)
    const done = new AbortController();
    let pass;
    const prehash = img && config.checksumsFile && !config.manifest
        ? prehashForChecksums(img.source, config.checksumsFile, ctx.signal ? AbortSignal.any([ctx.signal, done.signal]) : done.signal)
        : undefined;
    try {
        if (img) {
            const i = img;
            add('structure', i.problems.length === 0, i.problems.length === 0 ? structureDetail(i) : summarize(i.problems));
            if (i.md5) {
                await guarded('implanted MD5', async () => {
                    const r = await checkImplantedMd5(i.source, i.md5, i.volumeBlocks, ctx.signal);
                    add('implanted MD5', r.ok, r.detail);
                });
            }
        }
        if (config.expectBoot.length > 0) {
            const entries = img?.boot?.entries ?? [];
            if (!img)
                add('expect-boot', false, 'the image could not be read');
            else {
                const r = checkExpectBoot(config.expectBoot, entries, src_text/* shown */.SP);
                add('expect-boot', r.ok, r.detail);
            }
        }
        if (config.manifest) {
            const file = config.manifestFile ?? `${config.image}.manifest.json`;
            const want = await inTimed(ctx.log, 'load the manifest', () => loadManifest(file));
            if (!img)
                add('manifest', false, 'the image could not be read');
            else {
                const i = img;
                await guarded('manifest', async () => {
                    const worker = passWorker;
                    passWorker = undefined; // the pass closes it
                    pass = await inTimed(ctx.log, 'one pass: the digests', () => hashImageOnce(i, passAlgorithms, { signal: ctx.signal, worker }));
                    const files = pass.files;
                    const got = await inTimed(ctx.log, 'the manifest of the image', () => readManifest(i, { signal: ctx.signal, digests: files }));
                    report.manifest = got;
                    const diffs = compareManifests(want, got, i.tree.namespace === 'rockridge');
                    add('manifest', diffs.length === 0, diffs.length === 0 ? `${got.entries.length} entries and their SHA-256 match` : summarize(diffs));
                });
            }
        }
        else if (img) {
            // the manifest without hashes, for the summary
            report.manifest = await readManifest(img, { hash: false });
        }
        if (config.checksumsFile) {
            const file = config.checksumsFile;
            const src = img?.source ?? (await ImageSource.open(config.image));
            try {
                const r = await checkChecksums(src, file, ctx.signal, pass?.digests ?? (await prehash));
                add('checksums', r.ok, r.detail);
            }
            finally {
                if (!img)
                    await src.close();
            }
        }
        if (config.gpgPublicKey) {
            const sig = config.signature ?? `${config.image}.asc`;
            const r = await verifyOpenPgp(config.image, config.gpgPublicKey, sig);
            add('signature (OpenPGP)', r.ok, r.detail);
        }
        if (config.minisignPublicKey) {
            const sig = config.signature ?? `${config.image}.minisig`;
            const r = await verifyMinisign(config.image, config.minisignPublicKey, sig);
            add('signature (minisign)', r.ok, r.detail);
        }
        if (config.maxSize !== undefined) {
            const size = img?.size ?? (await external_node_fs_.promises.stat(config.image)).size;
            add('max-size', size <= config.maxSize, `${size} bytes, limit ${config.maxSize}`);
        }
        if (config.bootTest.length > 0) {
            const results = await runBootTests(config.image, config.bootTest, config.bootMedia, config.bootMarker, { timeoutSeconds: config.bootTimeout, memoryMiB: config.bootMemory }, ctx);
            for (const r of results) {
                add(r.name, r.ok, r.detail);
                report.serialLogs.push({ name: r.name, path: r.serialLog, tail: r.tail, accel: r.accel });
            }
        }
    }
    finally {
        done.abort();
        await passWorker?.close();
        await prehash;
        await img?.source.close();
    }
    report.ok = checks.every(c => c.ok);
    return report;
}
/** The first few problems and how many more. */
function summarize(items, max = 3) {
    const head = items.slice(0, max).join('; ');
    return items.length > max ? `${head}; and ${items.length - max} more` : head;
}

;// CONCATENATED MODULE: ./src/cli/verify.ts
/** `isoforge verify --image IMAGE [checks]`: run the checks, print a table, exit 0 only when all pass. */






function formatReport(r) {
    // details quote image text through shown() already; safeLine is the net that keeps one row each
    const w = Math.max(5, ...r.checks.map(c => c.name.length));
    const lines = [`${'check'.padEnd(w)}  result  detail`];
    for (const c of r.checks)
        lines.push(`${(0,src_text/* safeLine */.om)(c.name).padEnd(w)}  ${c.ok ? 'pass' : 'FAIL'}    ${(0,src_text/* safeLine */.om)(c.detail)}`);
    for (const s of r.serialLogs) {
        const failed = r.checks.some(c => c.name === s.name && !c.ok);
        if (!failed)
            continue;
        lines.push('', `${(0,src_text/* safeLine */.om)(s.name)}: serial console (last lines)${s.path ? `, full log ${(0,src_text/* safeLine */.om)(s.path)}` : ''}:`);
        lines.push(...(s.tail ? (0,src_text/* safeLines */.Bv)(s.tail).map(l => `  | ${l}`) : ['  | (nothing)']));
    }
    lines.push('', `verify: ${r.ok ? 'PASS' : 'FAIL'} ${(0,src_text/* safeLine */.om)(r.image)}`);
    return lines.join('\n') + '\n';
}
async function verifyCommand(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
        io.stdout(commandHelp('verify') + '\n');
        return 0;
    }
    const specs = optionsFor('verify', 'cli');
    const args = parseArgs(argv, specs, true);
    if (args.positional.length > 1 || (args.positional.length === 1 && args.raw.has('image'))) {
        throw unexpectedArgument(args.positional.at(-1));
    }
    if (args.positional.length === 1)
        args.raw.set('image', args.positional[0]);
    const config = toVerifyConfig(resolveOptions(specs, args.raw, io.env));
    const log = stderrLogger(io, true, args.debug);
    log.debug(`start-up: ${(process.uptime() * 1000).toFixed(0)} ms (Node and isoforge loaded)`);
    const report = await runVerify(config, { log, signal: io.signal });
    if (args.json)
        io.stdout((0,src_text/* jsonText */.s$)(report) + '\n');
    else
        io.stdout(formatReport(report));
    const failed = report.checks.find(c => !c.ok);
    if (failed)
        io.stderr(`isoforge: verify failed: ${(0,src_text/* safeLine */.om)(`${failed.name}: ${failed.detail}`)}\n`);
    return report.ok ? 0 : 1;
}

;// CONCATENATED MODULE: ./src/cli/main.ts
/** The `isoforge` command line: dispatch to a command, and the one place that turns errors into exits. */








const main_COMMANDS = {
    build: buildCommand,
    verify: verifyCommand,
    inspect: inspectCommand,
    extract: extractCommand
};
async function dispatch(command, rest, io) {
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
    }
    const run = Object.hasOwn(main_COMMANDS, command) ? main_COMMANDS[command] : undefined;
    if (!run) {
        throw new errors/* IsoforgeError */.P1(`unknown command "${command}" (build, verify, inspect, extract; see --help)`, {
            subject: command
        });
    }
    return await run(rest, io);
}
async function main(argv, io) {
    const [command, ...rest] = argv;
    const debug = argv.includes('--debug');
    try {
        return await dispatch(command, rest, io);
    }
    catch (e) {
        if (debug && e instanceof Error)
            io.stderr(`${e.stack}\n`);
        if (e instanceof Error && e.name === 'AbortError') {
            // build writes atomically; extract leaves what it wrote, as tar does
            io.stderr(`isoforge: interrupted; ${command === 'extract' ? 'what was extracted stays' : 'nothing was written'}\n`);
            return (0,interrupt/* interruptedExitCode */.An)();
        }
        io.stderr(`isoforge: ${(0,errors/* oneLine */.TN)(e)}\n`);
        return e instanceof errors/* IsoforgeError */.P1 ? 1 : 70;
    }
}


/***/ }),

/***/ 916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   P1: () => (/* binding */ IsoforgeError),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   mp: () => (/* binding */ optionError),
/* harmony export */   vM: () => (/* binding */ cliFlag),
/* harmony export */   yi: () => (/* binding */ fsError)
/* harmony export */ });
/* unused harmony export forSurface */
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(992);

/**
 * The one error class of isoforge. Every failure a user can meet is an IsoforgeError that names
 * the path or option at fault in `subject`; the CLI prints `message` on one line, the action passes
 * it to core.setFailed. Anything else that escapes is a bug and is shown with its stack under --debug.
 */
class IsoforgeError extends Error {
    /** The path or option at fault, e.g. `--volume-id` or `/src/a/b.bin`. */
    subject;
    code;
    /** The option at fault by its schema name (`volume-id`), when an option is: see optionError. */
    option;
    /** What is wrong with it, without its name in front. */
    text;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'IsoforgeError';
        this.subject = options.subject;
        this.code = options.code ?? 'EISOFORGE';
        this.option = options.option;
        this.text = options.text ?? message;
    }
}
/**
 * The command line's name of an option (`--volume-id`): the one place the library spells a flag.
 * Messages lead with it; the action names the input instead (forSurface).
 */
const cliFlag = (option) => `--${option}`;
/** An error about an option, named by its schema name; `subject` is the flag unless given. */
function optionError(option, text, o = {}) {
    const subject = o.subject ?? cliFlag(option);
    return new IsoforgeError(`${cliFlag(option)}: ${text}`, { subject, option, text, cause: o.cause });
}
/** An error's message as an edge shows it: the action says `input volume-id:` where the CLI says `--volume-id:`. */
function forSurface(err, surface) {
    if (surface === 'action' && err instanceof IsoforgeError && err.option !== undefined)
        return safeLine(`input ${err.option}: ${err.text}`);
    return oneLine(err);
}
/**
 * Make any thrown value into a one-line message with no raw control characters (line breaks become
 * a space, CR, ESC and the other controls escapes: text from an image can't forge a line).
 */
function oneLine(err) {
    if (err instanceof IsoforgeError)
        return (0,_text_js__WEBPACK_IMPORTED_MODULE_0__/* .safeLine */ .om)(err.message);
    if (err instanceof Error) {
        const e = err;
        return (0,_text_js__WEBPACK_IMPORTED_MODULE_0__/* .safeLine */ .om)(e.code && e.path ? `${e.code}: ${e.path}: ${e.message}` : e.message);
    }
    return (0,_text_js__WEBPACK_IMPORTED_MODULE_0__/* .safeLine */ .om)(String(err));
}
/** Wrap a Node fs error so that it names the path the user gave. */
function fsError(err, path, what) {
    if (err instanceof IsoforgeError)
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
    return new IsoforgeError(`${what} ${path}: ${reason}`, { subject: path, code: e?.code, cause: err });
}


/***/ }),

/***/ 837:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ boundHeapGrowth)
});

// UNUSED EXPORTS: HEAP_GROWING_PERCENT

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: ./src/image/heap-tuning.ts
/**
 * The old generation's growth, bounded for a build of many small files. After each full
 * collection V8 lets the old generation grow to up to 4× what survived, more the faster the
 * program runs between collections. A build allocates per file in the windows in flight (reads,
 * ranges, messages to the workers); what survives two young collections is promoted and dies
 * there, so the old generation filled with it: at 200,000 files 88.5 MB were alive at the end of
 * the write (heap snapshot) in 146 MB used, the last full collection 6 s before. A fixed factor
 * of 1.5 collects it in time: 200,000 → 400,000 files added 766 bytes of RSS per file without it,
 * 206 with it (1.2: 199; 2: 310); 8 full collections of the main heap instead of 4 (35 MB alive,
 * 7–50 ms each) and no more CPU within the noise. The 809 MB tree of 5,000 files: one either way.
 */

/** The factor, as V8's flag spells it: the old generation may grow by 50 % of what survived. */
const HEAP_GROWING_PERCENT = 50;
const FLAG = '--heap-growing-percent';
/**
 * Fix V8's heap growing factor for this process (its workers too: V8's flags are the process's),
 * unless the command line or NODE_OPTIONS set it. The entry points call this first.
 */
function boundHeapGrowth(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
    const given = [...execArgv, ...nodeOptions.split(/\s+/)];
    if (given.some(a => a.startsWith(FLAG) || a.startsWith(FLAG.replace(/-/g, '_'))))
        return;
    (0,external_node_v8_namespaceObject.setFlagsFromString)(`${FLAG}=${HEAP_GROWING_PERCENT}`);
}


/***/ }),

/***/ 887:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CB: () => (/* binding */ WINDOWS),
/* harmony export */   HJ: () => (/* binding */ READ_CONCURRENCY),
/* harmony export */   bE: () => (/* binding */ READ_PART),
/* harmony export */   ek: () => (/* binding */ reserveIoThreads),
/* harmony export */   jf: () => (/* binding */ WINDOW),
/* harmony export */   vG: () => (/* binding */ FillPace)
/* harmony export */ });
/**
 * The writer's I/O tuning: window size and count, how files are read in parts and how many reads
 * are in flight, when the writer's own reads are judged too slow, and the thread pool that carries
 * the reads (sized by both entry points before any file system call).
 */
/**
 * Window size and count: three windows in turn (one filling, one hashing, one writing) of 6 MiB.
 * Against five of 4 MiB, 6 alternating runs of the 2 GiB benchmark tree took 6 % less CPU (4.09 s
 * against 4.37 s median) and 2.38 s against 2.46 s, in 4 MiB less memory: fewer hand-offs per byte.
 */
const WINDOW = 6 * 1024 * 1024;
const WINDOWS = 3;
/** Large files are read in parts of this size, several at once. */
const READ_PART = 2 * 1024 * 1024;
/** File system calls in flight at once (the libuv pool runs them; the entry points size it). */
const READ_CONCURRENCY = 16;
/**
 * Whether the writer's own (synchronous) reads keep up. A window's reads are slow when they took
 * longer (ms) than a fixed 2 ms, 1 ms per MiB (1 GiB/s) and 0.1 ms per read. From memory they take
 * a fifth of that or less (here one file at ~0.35 ms per MiB; 75 small files in 4 MiB, 1.5 ms); a
 * disk read one request at a time takes more. Once 3 of the last 8 windows were slow, the rest is read through
 * the pool, whose many reads in flight a disk serves far faster. A single slow window (the thread
 * was preempted) changes nothing.
 */
class FillPace {
    recent = [];
    /** the reads should go to the pool from now on */
    slow = false;
    record(ms, bytes, reads) {
        this.recent.push(ms > 2 + bytes / (1024 * 1024) + 0.1 * reads);
        if (this.recent.length > 8)
            this.recent.shift();
        if (this.recent.filter(Boolean).length >= 3)
            this.slow = true;
    }
}
/**
 * Size libuv's pool (4 threads by default) for the writer, unless UV_THREADPOOL_SIZE is set: one
 * thread per read in flight on a slow disk, plus the image's writes and the rest of Node's use. The
 * pool starts with the first asynchronous file system call, so the entry points call this first.
 */
function reserveIoThreads() {
    process.env.UV_THREADPOOL_SIZE ??= String(READ_CONCURRENCY + 4);
}


/***/ }),

/***/ 462:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   TM: () => (/* binding */ removeTemporariesSync),
/* harmony export */   hN: () => (/* binding */ trackTemporary),
/* harmony export */   l5: () => (/* binding */ temporaryPath)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/**
 * Temporary files and folders of the running process: how they are named (beside their target)
 * and which exist (the image beside its output, staged sidecars), so that an interrupted run that
 * cannot wait for its own cleanup (a second signal, or one that stays unanswered:
 * src/interrupt.ts) still removes them before it exits. Each step still removes its own on
 * failure; a path already renamed into place is simply gone by then.
 */



const paths = new Set();
/**
 * Where a result is written before it is renamed into place: beside its target (the same file
 * system, so the rename replaces it in one step), hidden, and named by the process and a random
 * part so that builds writing the same target at once do not meet: `.<name>.<pid>.<hex>.tmp`.
 */
function temporaryPath(target) {
    const name = `.${node_path__WEBPACK_IMPORTED_MODULE_2__.basename(target)}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`;
    return node_path__WEBPACK_IMPORTED_MODULE_2__.join(node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(target), name);
}
/** Remember `path` for removeTemporariesSync; the returned function forgets it. */
function trackTemporary(path) {
    paths.add(path);
    return () => void paths.delete(path);
}
/** Remove every tracked temporary now (synchronously: this runs on the way to process.exit). */
function removeTemporariesSync() {
    for (const p of paths) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(p, { recursive: true, force: true });
        }
        catch {
            // nothing more can be done on the way out
        }
    }
    paths.clear();
}


/***/ }),

/***/ 965:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   bM: () => (/* binding */ rawSigner),
/* harmony export */   h8: () => (/* binding */ signatureFromDigest),
/* harmony export */   rG: () => (/* binding */ signatureHead),
/* harmony export */   s3: () => (/* binding */ signatureSuffix)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * A v4 detached binary-document signature (RFC 4880 5.2.3, as gpg 2.2 reads it) made from a
 * SHA-256 state fed while the image is written, so signing the image needs no second read.
 * The key material comes from openpgp.js (already decrypted and validated); node:crypto signs.
 * Supported: RSA (algorithm 1, EMSA-PKCS1-v1_5, RFC 4880 5.2.2) and EdDSA legacy (algorithm 22,
 * Ed25519 over the hash digest, RFC 4880bis 5.2.3). Other key types use openpgp.js streaming.
 */

const PK_RSA = 1; // RFC 4880 9.1
const PK_EDDSA_LEGACY = 22; // RFC 4880bis 9.1
const HASH_SHA256 = 8; // RFC 4880 9.4
const SIG_BINARY = 0x00; // RFC 4880 5.2.1
const SUB_CREATION_TIME = 2; // RFC 4880 5.2.3.4
const SUB_ISSUER = 16; // RFC 4880 5.2.3.5
const SUB_ISSUER_FPR = 33; // RFC 9580 5.2.3.35
const TAG_SIGNATURE = 2; // RFC 4880 4.3
/** RFC 4880 5.2.2: DER DigestInfo prefix of SHA-256 */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** RFC 4880 6.1 CRC-24 */
const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;
const bytes = (p, k) => {
    const v = p[k];
    if (!(v instanceof Uint8Array))
        throw new Error(`key parameter ${k} missing`);
    return Buffer.from(v);
};
const b64u = (b) => b.toString('base64url');
const toBig = (b) => (b.length ? BigInt(`0x${b.toString('hex')}`) : 0n);
const fromBig = (n) => {
    const h = n.toString(16);
    return Buffer.from(h.length % 2 ? `0${h}` : h, 'hex');
};
function modInverse(a, m) {
    let [r0, r1, s0, s1] = [m, ((a % m) + m) % m, 0n, 1n];
    while (r1 !== 0n) {
        const q = r0 / r1;
        [r0, r1] = [r1, r0 - q * r1];
        [s0, s1] = [s1, s0 - q * s1];
    }
    return ((s0 % m) + m) % m;
}
/**
 * A node:crypto signer for the (decrypted) signing key packet, or undefined for an algorithm
 * this module does not handle. The public half is checked against the packet.
 */
function rawSigner(packet) {
    const pub = packet.publicParams;
    const priv = (packet.privateParams ?? undefined);
    const fpr = packet.getFingerprintBytes();
    if (!priv || !fpr || packet.version !== 4)
        return undefined;
    const fingerprint = Buffer.from(fpr);
    const keyId = fingerprint.subarray(12);
    if (packet.algorithm === PK_RSA) {
        const n = bytes(pub, 'n');
        const e = bytes(pub, 'e');
        const d = toBig(bytes(priv, 'd'));
        const p = toBig(bytes(priv, 'p'));
        const q = toBig(bytes(priv, 'q'));
        const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPrivateKey)({
            format: 'jwk',
            key: {
                kty: 'RSA',
                n: b64u(n),
                e: b64u(e),
                d: b64u(fromBig(d)),
                p: b64u(fromBig(p)),
                q: b64u(fromBig(q)),
                dp: b64u(fromBig(d % (p - 1n))),
                dq: b64u(fromBig(d % (q - 1n))),
                qi: b64u(fromBig(modInverse(q, p)))
            }
        });
        const jwkN = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(key).export({ format: 'jwk' }).n;
        if (jwkN === undefined ||
            !Buffer.from(jwkN, 'base64url').equals(Buffer.from(n.subarray(n.findIndex(x => x !== 0)))))
            throw new Error('RSA key parameters are inconsistent');
        return { algorithm: PK_RSA, key, fingerprint, keyId };
    }
    if (packet.algorithm === PK_EDDSA_LEGACY) {
        const seed = bytes(priv, 'seed');
        const q = bytes(pub, 'Q'); // 0x40 ‖ 32-byte public key (RFC 4880bis 13.3)
        const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPrivateKey)({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });
        const x = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(key).export({ format: 'jwk' }).x;
        if (x === undefined || !Buffer.from(x, 'base64url').equals(q.subarray(1)))
            throw new Error('EdDSA key parameters are inconsistent');
        return { algorithm: PK_EDDSA_LEGACY, key, fingerprint, keyId };
    }
    return undefined;
}
function subpacket(type, body) {
    // RFC 4880 5.2.3.1: one-octet length (type + body) below 192
    return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}
/** RFC 4880 3.2 MPI: bit count, then the big-endian value without leading zeros */
function mpi(b) {
    let i = 0;
    while (i < b.length && b[i] === 0)
        i++;
    const v = b.subarray(i);
    const bits = v.length ? (v.length - 1) * 8 + (32 - Math.clz32(v[0])) : 0;
    const head = Buffer.alloc(2);
    head.writeUInt16BE(bits);
    return Buffer.concat([head, v]);
}
/** The hashed part of the signature packet (RFC 4880 5.2.3), fixed once the time is known. */
function signatureHead(s, created) {
    const time = Buffer.alloc(4);
    time.writeUInt32BE(Math.floor(created.getTime() / 1000));
    const hashed = Buffer.concat([
        subpacket(SUB_CREATION_TIME, time),
        subpacket(SUB_ISSUER_FPR, Buffer.concat([Buffer.from([4]), s.fingerprint]))
    ]);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(hashed.length);
    return Buffer.concat([Buffer.from([4, SIG_BINARY, s.algorithm, HASH_SHA256]), len, hashed]);
}
/**
 * What a v4 signature hashes after the signed data (RFC 4880 5.2.4): its hashed part `head`, then
 * 0x04 0xFF and the hashed part's length.
 */
function signatureSuffix(head) {
    const trailer = Buffer.alloc(6);
    trailer.writeUInt8(4, 0);
    trailer.writeUInt8(0xff, 1);
    trailer.writeUInt32BE(head.length, 2);
    return Buffer.concat([head, trailer]);
}
/**
 * The armored detached signature with hashed part `head`, from `digest`: the SHA-256 of the signed
 * bytes followed by signatureSuffix(head). The hash of the bytes can be one that was made anyway
 * (the image's, continued by the hash worker), so signing costs no pass of its own.
 */
function signatureFromDigest(s, head, digest) {
    let mpis;
    if (s.algorithm === PK_RSA) {
        const m = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.privateEncrypt)({ key: s.key, padding: node_crypto__WEBPACK_IMPORTED_MODULE_0__.constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
        mpis = mpi(m);
    }
    else {
        const sig = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.sign)(null, digest, s.key);
        mpis = Buffer.concat([mpi(sig.subarray(0, 32)), mpi(sig.subarray(32))]);
    }
    const unhashed = subpacket(SUB_ISSUER, s.keyId);
    const ulen = Buffer.alloc(2);
    ulen.writeUInt16BE(unhashed.length);
    const body = Buffer.concat([head, ulen, unhashed, digest.subarray(0, 2), mpis]);
    return armor(Buffer.concat([packetHeader(TAG_SIGNATURE, body.length), body]));
}
/** RFC 4880 4.2.2 new-format header */
function packetHeader(tag, length) {
    const first = 0xc0 | tag;
    if (length < 192)
        return Buffer.from([first, length]);
    if (length < 8384)
        return Buffer.from([first, ((length - 192) >> 8) + 192, (length - 192) & 0xff]);
    const b = Buffer.alloc(6);
    b[0] = first;
    b[1] = 0xff;
    b.writeUInt32BE(length, 2);
    return b;
}
function crc24(data) {
    let crc = CRC24_INIT;
    for (const byte of data) {
        crc ^= byte << 16;
        for (let i = 0; i < 8; i++) {
            crc <<= 1;
            if (crc & 0x1000000)
                crc ^= CRC24_POLY;
        }
    }
    return crc & 0xffffff;
}
/** RFC 4880 6.2 ASCII armor */
function armor(data) {
    const b64 = data.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
    const crc = Buffer.from([(crc24(data) >> 16) & 0xff, (crc24(data) >> 8) & 0xff, crc24(data) & 0xff]);
    return `-----BEGIN PGP SIGNATURE-----\n\n${b64}\n=${crc.toString('base64')}\n-----END PGP SIGNATURE-----\n`;
}


/***/ }),

/***/ 476:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   An: () => (/* binding */ interruptedExitCode),
/* harmony export */   cn: () => (/* binding */ endOnSignals)
/* harmony export */ });
/* unused harmony export GRACE_MS */
/* harmony import */ var _image_temporaries_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(462);
/**
 * SIGINT and SIGTERM end any run (build, verify with its boot tests, inspect) promptly: the first
 * aborts the run's signal, so each step stops and removes what it made; if the run has not ended
 * GRACE_MS later, or on a second signal, the tracked temporaries are removed and the process exits
 * at once with 128 + the signal's number. Used by the CLI's and both actions' entries.
 */

/** How long an aborted run may take to end by itself. */
const GRACE_MS = 1500;
const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 };
/** The first signal received, if any (the process's: signals are process-wide). */
let received;
/**
 * The exit code of a run that ended because it was interrupted: 128 + the number of the signal
 * that interrupted it (SIGTERM 143), 130 (SIGINT's) when no signal came (an abort from elsewhere).
 */
function interruptedExitCode() {
    return EXIT_CODE[received ?? 'SIGINT'];
}
function endOnSignals() {
    const controller = new AbortController();
    const force = (code) => {
        (0,_image_temporaries_js__WEBPACK_IMPORTED_MODULE_0__/* .removeTemporariesSync */ .TM)();
        process.exit(code);
    };
    for (const sig of ['SIGINT', 'SIGTERM']) {
        process.on(sig, () => {
            received ??= sig;
            if (controller.signal.aborted)
                force(EXIT_CODE[sig]);
            controller.abort();
            // unref: a run that ends by itself within the grace exits as usual, with its own code
            setTimeout(() => force(EXIT_CODE[sig]), GRACE_MS).unref();
        });
    }
    return controller.signal;
}


/***/ }),

/***/ 992:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bv: () => (/* binding */ safeLines),
/* harmony export */   SP: () => (/* binding */ shown),
/* harmony export */   TL: () => (/* binding */ quoted),
/* harmony export */   om: () => (/* binding */ safeLine),
/* harmony export */   s$: () => (/* binding */ jsonText)
/* harmony export */ });
/**
 * Text taken from an image (names, ids, link targets, partition names) is data, never layout. An
 * image is hostile: a volume id holding LF, CR or ESC must not split a report row, forge a line,
 * move the cursor, or start a GitHub workflow command. Everything a human reads passes here.
 *
 * - `shown(s)` renders one string from an image: C0 and C1 controls, DEL, the Unicode line and
 *   paragraph separators, the bidirectional overrides (which reorder a line on screen) and lone
 *   UTF-16 surrogates become escapes (`\n`, `\x1b`, `\u{2028}`, `\u{d800}`); the backslash itself
 *   is doubled, so every escape is unambiguous.
 * - `quoted(s)` is `shown(s)` in double quotes, with `"` escaped, for messages that quote a name.
 * - `safeLine(s)` makes a message that is already composed (an error, a report row, a log line)
 *   one line with no raw control characters; unlike `shown` it leaves backslashes alone (a Windows
 *   path stays readable), so it is the net under every output, and idempotent on `shown` text.
 * - Both neutralise GitHub's workflow commands: the runner looks for `##[name]…` anywhere in a
 *   line of a step's output and for `::name::…` at a line's start (after blanks); no rendered
 *   string holds a line break, and one that starts with `::` gets `\x3a:`.
 * - `jsonText(value)` is JSON.stringify that also escapes DEL, C1, U+2028/2029 and the bidi
 *   controls (`\u009b`…): the same exact strings, safe to print to a terminal.
 */
const NAMED = {
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\0': '\\0',
    '\x1b': '\\x1b'
};
/**
 * What is never printed raw: C0 (U+0000-U+001F), DEL and C1 (U+007F-U+009F), the line and paragraph
 * separators (U+2028, U+2029), the bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069), the marks (U+200E, U+200F, U+061C) and lone surrogates.
 */
const UNSAFE = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The runner's V1 command prefix (actions/runner ActionCommand.Prefix), found anywhere in a line. */
const V1_COMMAND = /##\[/g;
/** The V2 form (ActionCommand.TryParseV2), which counts only at the start of a line. */
const V2_COMMAND = /^(\s*):(?=:)/;
function escapeOne(c) {
    const named = NAMED[c];
    if (named)
        return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
/** The runner's commands: `::name::` at a line's start (after blanks), `##[name]` anywhere. */
function noCommands(s) {
    return s.replace(V1_COMMAND, '#\\x23[').replace(V2_COMMAND, '$1\\x3a');
}
/** One string from an image, for humans: escapes for what is not printable, `\\` for `\`. */
function shown(s) {
    return noCommands(s.replace(/\\/g, '\\\\').replace(UNSAFE, escapeOne));
}
/** A name from an image in double quotes, `"` inside escaped: `"a\"b\n"`. */
function quoted(s) {
    return `"${shown(s).replace(/"/g, '\\"')}"`;
}
/**
 * A composed message on one line: line breaks (with the blanks around them) become one space,
 * other controls escapes; backslashes stay. `safeLine(shown(x)) === shown(x)`.
 */
function safeLine(s) {
    return noCommands(s.replace(/[ \t]*(?:\r\n|\n)[ \t]*/g, ' ').replace(UNSAFE, escapeOne));
}
/** Lines of a log (a serial console): each made safe, the line structure kept. */
function safeLines(s) {
    return s.split(/\r?\n/).map(l => safeLine(l));
}
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** JSON.stringify whose output holds no raw control or bidi character (strings stay exact). */
function jsonText(value, indent = 2) {
    return JSON.stringify(value, null, indent)
        .replace(JSON_UNSAFE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .replace(V1_COMMAND, '#\\u0023[');
}


/***/ }),

/***/ 339:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("module");

/***/ }),

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 75:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

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
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
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
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
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
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
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
