// Source maps in a published package must not point at files the package does not ship. annet
// publishes no maps (the build sets `sourceMap` and `declarationMap` to false: dist is readable
// ES2022 that keeps tsc's comments, and maps of `../src/*.ts` that is not shipped were 39 % of the
// install bytes), so any map found here is a stale one from an earlier build, or a new setting.
import fs from 'node:fs';
import path from 'node:path';

/** Every file under `folder`, as paths relative to it. */
function listFiles(folder, prefix = '') {
  return fs.readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(folder, relative) : [relative];
  });
}

/**
 * The problems with the source maps of the installed package at `packageFolder`: a
 * `sourceMappingURL` comment naming a missing map, and a map whose `sources` entry has no
 * `sourcesContent` and names a file that is not in the package. Returns sentences (empty when fine).
 */
export function findBrokenSourceMaps(packageFolder) {
  const problems = [];
  const files = listFiles(packageFolder);
  for (const file of files.filter((name) => /\.(c|m)?js$|\.d\.(c|m)?ts$/.test(name))) {
    const text = fs.readFileSync(path.join(packageFolder, file), 'utf8');
    const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text);
    if (match === null || match[1].startsWith('data:')) continue;
    const target = path.join(path.dirname(file), match[1]);
    if (!fs.existsSync(path.join(packageFolder, target)))
      problems.push(`${file}: its sourceMappingURL names ${target}, which the package does not contain`);
  }
  for (const file of files.filter((name) => name.endsWith('.map'))) {
    let map;
    try {
      map = JSON.parse(fs.readFileSync(path.join(packageFolder, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not a JSON source map (${error.message})`);
      continue;
    }
    (map.sources ?? []).forEach((source, index) => {
      if (typeof map.sourcesContent?.[index] === 'string') return;
      const target = path.normalize(path.join(path.dirname(file), map.sourceRoot ?? '', source));
      if (target.startsWith('..') || !fs.existsSync(path.join(packageFolder, target))) {
        problems.push(
          `${file}: points at ${source} (${target}), which the package does not contain and the map does not embed (sourcesContent); a stale map from an earlier build? rm -rf dist and rebuild`,
        );
      }
    });
  }
  return problems;
}
