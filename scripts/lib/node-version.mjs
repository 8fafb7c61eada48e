// The Node.js version check both entry points do before anything else.

/**
 * Compares dotted versions numerically: negative when a < b, 0 when equal, positive when a > b.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareVersions(a, b) {
  const left = a
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  const right = b
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Exits with a clear message when this Node.js is older than `minimum`.
 * @param {string} [minimum]
 * @param {string} [current]
 */
export function assertNodeVersion(minimum = '20.19.0', current = process.versions.node) {
  if (compareVersions(current, minimum) >= 0) return;
  console.error(
    `Modelyard needs Node.js ${minimum} or newer; this is Node.js ${current}.\n` +
      'Install a current Node.js 20 or 22 LTS (https://nodejs.org/en/download) and run the command again.',
  );
  process.exit(1);
}
