/** Types of demo-build.mjs for the TypeScript tests. */
export declare const MARKER: string;
export declare const DEMO_TREE: string;
export declare const DEMO_EPOCH: number;
export declare const DEMO_VOLUME_ID: string;
export declare const BOOT_PATH: string;
export declare function prepareDemoTree(): { dir: string; source: string; bootFile: string; cleanup(): void };
export declare function demoFlags(source: string, bootFile: string, output: string): Record<string, string>;
