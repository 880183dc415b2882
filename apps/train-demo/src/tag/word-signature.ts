/** Endings that mark a part of speech in English, longest first (checked in this order). */
const suffixes = [
  'ing',
  'ion',
  'ity',
  'ness',
  'ment',
  'able',
  'ible',
  'ous',
  'ive',
  'ful',
  'less',
  'ism',
  'ist',
  'ize',
  'ise',
  'est',
  'ed',
  'er',
  'ly',
  'al',
  'ic',
  'en',
  'es',
  "'s",
  's',
  'y',
];

/**
 * The "unknown word signature" of a word (the classic trick of the Berkeley parser and of
 * Collins's taggers): a pseudo-token built from the characters of a word too rare to have an
 * embedding of its own, so the tagger still sees that `Sprayberry` is capitalized, `1,450` a
 * number, `re-elected` hyphenated and `outmoded` ends in `-ed`. Parts, in order:
 * the shape (`num` when it holds a digit and no letter, `punct` with neither, otherwise `Cap`
 * for a capital first letter, `CAPS` for all capitals, `low` otherwise), `-hyph` when it holds a
 * hyphen, `-digit` when it mixes digits and letters, and the first known ending of the lowercased
 * word (`-ing`, `-ed`, `-s`, …).
 *
 * @example
 * wordSignature('outmoded');   // '<unk:low-ed>'
 * wordSignature('Sprayberry'); // '<unk:Cap-y>'
 * wordSignature('1,450');      // '<unk:num>'
 */
export function wordSignature(word: string): string {
  const hasDigit = /\d/.test(word);
  const hasLetter = /[A-Za-z]/.test(word);
  if (!hasLetter) return hasDigit ? '<unk:num>' : '<unk:punct>';
  const letters = word.replace(/[^A-Za-z]/g, '');
  const shape =
    letters === letters.toUpperCase() && letters.length > 1 ? 'CAPS' : /^[^A-Za-z]*[A-Z]/.test(word) ? 'Cap' : 'low';
  const lower = word.toLowerCase();
  const ending = suffixes.find((suffix) => lower.length > suffix.length + 2 && lower.endsWith(suffix));
  return `<unk:${shape}${word.includes('-') ? '-hyph' : ''}${hasDigit ? '-digit' : ''}${ending === undefined ? '' : `-${ending}`}>`;
}

/**
 * Every signature {@link wordSignature} can return, in a fixed order (they get ids after the
 * words, so a vocabulary is the same whatever words the training split holds).
 *
 * @example
 * allWordSignatures().length; // 326
 */
export function allWordSignatures(): string[] {
  const signatures = ['<unk:num>', '<unk:punct>'];
  for (const shape of ['CAPS', 'Cap', 'low']) {
    for (const hyphen of ['', '-hyph']) {
      for (const digit of ['', '-digit']) {
        for (const ending of ['', ...suffixes.map((suffix) => `-${suffix}`)])
          signatures.push(`<unk:${shape}${hyphen}${digit}${ending}>`);
      }
    }
  }
  return signatures;
}
