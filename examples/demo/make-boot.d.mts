/** Types of make-boot.mjs for the TypeScript tests. */
export declare const MARKER: string;
export declare const MBR_CODE_LIMIT: number;
export declare function makeBootProgram(): { bytes: Buffer; codeBytes: number; listing: string };
