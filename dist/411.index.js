export const id = 411;
export const ids = [411];
export const modules = {

/***/ 21792:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadOpenPgpKey: () => (/* binding */ loadOpenPgpKey),
/* harmony export */   openPgpSign: () => (/* binding */ openPgpSign)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var openpgp__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(13074);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83916);
/* harmony import */ var _pgp_packet_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(83965);
/**
 * OpenPGP detached signatures with openpgp.js v6. The key is read, decrypted and checked (public
 * only, expired, revoked, an algorithm gpg 2.2 cannot verify) before anything is written.
 * gpg 2.2 verifies v4 EdDSA (curve25519Legacy, algorithm 22) and RSA signatures made by
 * openpgp.js, but rejects RFC 9580 Ed25519/Ed448 (algorithms 27/28) and v6 keys.
 */





const OPTION = '--gpg-private-key';
const GPG22_ADVICE = 'gpg 2.2 (Debian 12) cannot verify it; use a v4 EdDSA key (gpg --quick-gen-key NAME ed25519, ' +
    "or openpgp.js type 'ecc' curve 'curve25519Legacy') or an RSA key";
const fail = (msg, subject = OPTION) => new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .IsoforgeError */ .P1(`${subject}: ${msg}`, { subject });
function algoCheck(info, version, which) {
    if (version >= 5)
        throw fail(`the ${which} is a v${version} (RFC 9580) key; ${GPG22_ADVICE}`);
    if (info.algorithm === 'ed25519' || info.algorithm === 'ed448') {
        throw fail(`the ${which} uses ${info.algorithm} (RFC 9580, algorithm 27/28); ${GPG22_ADVICE}`);
    }
}
async function loadOpenPgpKey(armored, passphrase) {
    let key;
    try {
        key = await openpgp__WEBPACK_IMPORTED_MODULE_2__/* .readKey */ .YZ({ armoredKey: armored.replace(/\r\n/g, '\n') });
    }
    catch {
        throw fail('not an ASCII-armored OpenPGP key (expected the output of gpg --export-secret-keys --armor)');
    }
    if (!key.isPrivate()) {
        throw fail('this is a public key; give the secret key (gpg --export-secret-keys --armor)');
    }
    let priv = key;
    const fingerprint = key.getFingerprint().toUpperCase();
    algoCheck(key.getAlgorithmInfo(), key.keyPacket.version, 'key');
    try {
        await key.verifyPrimaryKey();
    }
    catch (e) {
        const why = /revoked/i.test(e.message)
            ? 'is revoked'
            : /expired/i.test(e.message)
                ? 'has expired'
                : `cannot be used (${e.message})`;
        throw fail(`key ${fingerprint} ${why}`);
    }
    let signing;
    try {
        signing = await priv.getSigningKey();
    }
    catch (e) {
        throw fail(`key ${fingerprint} has no valid signing key (${e.message})`);
    }
    algoCheck(signing.getAlgorithmInfo(), signing.keyPacket.version, 'signing key');
    const packet = signing.keyPacket;
    if ((packet instanceof openpgp__WEBPACK_IMPORTED_MODULE_2__/* .SecretKeyPacket */ .Iv || packet instanceof openpgp__WEBPACK_IMPORTED_MODULE_2__/* .SecretSubkeyPacket */ .Qz) &&
        packet.isDummy()) {
        throw fail(`key ${fingerprint}: the signing key's secret part is not in the export (gnu-dummy stub)`);
    }
    if (!signing.isDecrypted()) {
        if (passphrase === undefined) {
            throw fail('required: the key in --gpg-private-key is protected by a passphrase', '--gpg-passphrase');
        }
        try {
            priv = await openpgp__WEBPACK_IMPORTED_MODULE_2__/* .decryptKey */ .Vw({ privateKey: priv, passphrase });
        }
        catch (e) {
            if (/incorrect|passphrase|checksum|decrypt/i.test(e.message))
                throw fail(`wrong passphrase for key ${fingerprint}`, '--gpg-passphrase');
            throw fail(`key ${fingerprint} cannot be decrypted (${e.message})`);
        }
        signing = await priv.getSigningKey();
    }
    let raw;
    try {
        raw = (0,_pgp_packet_js__WEBPACK_IMPORTED_MODULE_4__/* .rawSigner */ .bM)(signing.keyPacket);
    }
    catch (e) {
        throw fail(`key ${fingerprint} cannot be used (${e.message})`);
    }
    return { fingerprint, signingFingerprint: signing.getFingerprint().toUpperCase(), key: priv, raw };
}
async function collect(stream) {
    if (typeof stream === 'string')
        return stream;
    let out = '';
    const reader = stream.getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            return out;
        out += value;
    }
}
/** ASCII-armored detached signature over `data`, streamed from the file when given a path. */
async function openPgpSign(k, data, date) {
    if (Buffer.isBuffer(data)) {
        const message = await openpgp__WEBPACK_IMPORTED_MODULE_2__/* .createMessage */ .oH({ binary: new Uint8Array(data) });
        return collect(await openpgp__WEBPACK_IMPORTED_MODULE_2__/* .sign */ ._S({ message, signingKeys: k.key, detached: true, date }));
    }
    const web = node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.toWeb((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(data.file, { highWaterMark: 4 * 1024 * 1024 }));
    const message = await openpgp__WEBPACK_IMPORTED_MODULE_2__/* .createMessage */ .oH({ binary: web });
    return collect(await openpgp__WEBPACK_IMPORTED_MODULE_2__/* .sign */ ._S({ message, signingKeys: k.key, detached: true, date }));
}


/***/ })

};
