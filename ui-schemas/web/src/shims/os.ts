// Node's `os`: adaptive-expressions' EOL() function is all that asks for it.
export const EOL = '\n';
export default { EOL };
