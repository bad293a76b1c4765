export declare const requireAll: boolean;
export declare function requireOrSkip(available: boolean, reason: string): string | undefined;
export declare function commandWorks(cmd: string, args?: string[]): boolean;
