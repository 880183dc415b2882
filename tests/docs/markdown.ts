/**
 * Fenced code blocks of a Markdown file, for the docs test (`readme-examples.test.ts`).
 *
 * Every ```ts / ```typescript block is an example that is type-checked and run; there is no way to
 * mark one as "not runnable". What a fragment needs but a reader should not have to read goes in a
 * hidden prelude, an HTML comment right before the block (blank lines between are fine):
 *
 *     <!-- prelude
 *     const model = ...;
 *     -->
 *     ```ts
 *     await model.fit(...);
 *     ```
 *
 * Blocks in a few other languages are not run (see NOT_RUN_LANGUAGES): data and output (`json`,
 * `text`, untagged), shell commands (`sh`, `console`) and other languages (`python`). Any other
 * language is refused: an example in JavaScript could not be type-checked, write it in TypeScript.
 */

/** One fenced block. */
export interface CodeBlock {
  /** The info string's first word, lowercased ('' for an untagged fence). */
  readonly language: string;
  /** The whole info string, as written after the fence. */
  readonly info: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The block's text, its common indentation removed. */
  readonly code: string;
  /** The hidden prelude's text, or undefined. */
  readonly prelude?: string;
  /** 1-based line of the prelude's first code line. */
  readonly preludeLine?: number;
}

/** The languages whose blocks are type-checked and run. */
export const RUNNABLE_LANGUAGES = ['ts', 'typescript'];
/**
 * The languages of blocks that are not run: data, output, shell commands, other languages. Any
 * other language (```js, ```tsx, ```ts-skip, ...) is refused, so no block can opt out of the check.
 */
export const NOT_RUN_LANGUAGES = [
  '',
  'text',
  'txt',
  'plaintext',
  'output',
  'sh',
  'bash',
  'shell',
  'console',
  'json',
  'jsonc',
  'json5',
  'yaml',
  'yml',
  'toml',
  'ini',
  'csv',
  'diff',
  'html',
  'xml',
  'svg',
  'python',
  'py',
  'c',
  'wat',
  'markdown',
  'md',
];

function dedent(lines: string[]): string {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(common)).join('\n');
}

/** Every fenced block of `markdown`, with the hidden prelude that precedes it, if any. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let prelude: { text: string; line: number; endsAt: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (/^\s*<!--\s*prelude\b/.test(line)) {
      const start = index;
      const body: string[] = [];
      const rest = line.replace(/^\s*<!--\s*prelude\b/, '');
      if (rest.includes('-->'))
        throw new Error(`line ${index + 1}: a prelude needs its code on the lines between "<!-- prelude" and "-->"`);
      for (index++; index < lines.length && !lines[index].includes('-->'); index++) body.push(lines[index]);
      if (index === lines.length) throw new Error(`line ${start + 1}: the prelude comment is never closed with -->`);
      prelude = { text: dedent(body), line: start + 2, endsAt: index };
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === null) {
      if (prelude !== undefined && line.trim() !== '')
        throw new Error(
          `line ${prelude.line - 1}: a prelude must come right before a \`\`\`ts block (blank lines only in between)`,
        );
      continue;
    }
    const [, indent, marker, infoText] = fence;
    const info = infoText.trim();
    const body: string[] = [];
    const opening = index;
    for (index++; index < lines.length; index++) {
      const closing = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).exec(lines[index]);
      if (closing !== null) break;
      body.push(lines[index].startsWith(indent) ? lines[index].slice(indent.length) : lines[index]);
    }
    if (index === lines.length) throw new Error(`line ${opening + 1}: the code block is never closed`);
    const language = info.split(/\s+/)[0].toLowerCase();
    if (prelude !== undefined) {
      const between = lines.slice(prelude.endsAt + 1, opening);
      if (!between.every((text) => text.trim() === '') || !RUNNABLE_LANGUAGES.includes(language)) {
        throw new Error(
          `line ${prelude.line - 1}: a prelude must come right before a \`\`\`ts block (blank lines only in between)`,
        );
      }
    }
    blocks.push({
      language,
      info,
      line: opening + 1,
      code: dedent(body),
      ...(prelude !== undefined ? { prelude: prelude.text, preludeLine: prelude.line } : {}),
    });
    prelude = undefined;
  }
  if (prelude !== undefined)
    throw new Error(`line ${prelude.line - 1}: a prelude must come right before a \`\`\`ts block`);
  return blocks;
}
