// Node's `assert`, as far as antlr4ts (under adaptive-expressions) uses it in the browser.
function assert(value: unknown, message?: string): asserts value {
  if (!value) throw new Error(message ?? 'assertion failed');
}
assert.ok = assert;
assert.fail = (message?: string): never => { throw new Error(message ?? 'assertion failed'); };
assert.strictEqual = (a: unknown, b: unknown, message?: string): void => assert(a === b, message);
export default assert;
