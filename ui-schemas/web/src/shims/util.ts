// Node's `util`, as far as antlr4ts and adaptive-expressions use it in the browser.
export const inspect = Object.assign((value: unknown) => String(value), { custom: Symbol.for('nodejs.util.inspect.custom') });
export const promisify = <T>(f: T): T => f;
export const TextEncoder = globalThis.TextEncoder;
export const TextDecoder = globalThis.TextDecoder;
export default { inspect, promisify, TextEncoder, TextDecoder };
