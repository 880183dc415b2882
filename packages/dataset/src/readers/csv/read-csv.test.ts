import { AnnetError } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.js';

const iris = [
  'sepal_length,sepal_width,species',
  '5.1,3.5,setosa',
  '7.0,3.2,versicolor',
  '6.3,3.3,virginica',
  '4.9,3.0,setosa',
].join('\n');

describe('readCsv', () => {
  it('reads features and an integer label into tensors (hand-derived)', () => {
    const table = readCsv('x,y,label\n1,2,0\n3,4,1\n', { label: 'label', numClasses: 2 });
    expect(table.columns).toEqual(['x', 'y']);
    expect(table.inputs.dtype).toBe('float32');
    expect(table.inputs.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(table.targets!.dtype).toBe('int32');
    expect(table.targets!.toArray()).toEqual([0, 1]);
    expect(table.droppedRows).toBe(0);
  });

  it('encodes string labels with sorted classes, or the classes given', () => {
    const table = readCsv(iris, { label: 'species', labelType: 'string' });
    expect(table.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(table.targets!.toArray()).toEqual([0, 1, 2, 0]);
    const fixed = readCsv(iris, {
      label: 'species',
      labelType: 'string',
      classes: ['virginica', 'versicolor', 'setosa'],
    });
    expect(fixed.targets!.toArray()).toEqual([2, 1, 0, 2]);
  });

  it('selects and orders feature columns by name or position, with float64 and regression labels', () => {
    const table = readCsv(iris, { columns: ['sepal_width', 0], dtype: 'float64' });
    expect(table.columns).toEqual(['sepal_width', 'sepal_length']);
    expect(table.inputs.toArray()).toEqual([
      [3.5, 5.1],
      [3.2, 7],
      [3.3, 6.3],
      [3, 4.9],
    ]);
    expect(table.targets).toBeUndefined();
    const regression = readCsv(iris, { columns: [0], label: 1, labelType: 'number' });
    expect(regression.targets!.dtype).toBe('float32');
    expect(regression.targets!.toArray()).toEqual(Array.from(Float32Array.from([3.5, 3.2, 3.3, 3])));
  });

  it('reads typed columns: integers and categories (sorted, or listed)', () => {
    const text = 'count,color,size\n3,red,1.5\n4,blue,2\n5,red,2.5\n';
    const table = readCsv(text, { types: { count: 'integer', color: 'category' } });
    expect(table.categories).toEqual({ color: ['blue', 'red'] });
    expect(table.inputs.toArray()).toEqual([
      [3, 1, 1.5],
      [4, 0, 2],
      [5, 1, 2.5],
    ]);
    const listed = readCsv(text, { types: { color: 'category' }, categories: { color: ['red', 'blue'] } });
    expect(listed.inputs.toArray()).toEqual([
      [3, 0, 1.5],
      [4, 1, 2],
      [5, 0, 2.5],
    ]);
    expect(() => readCsv('count\n2.5\n', { types: { count: 'integer' } })).toThrow(
      /input line 2, column 1 \("count"\): expected an integer, got "2.5"/,
    );
    expect(() => readCsv(text, { types: { color: 'category' }, categories: { color: ['red'] } })).toThrow(
      /line 3, column 2 \("color"\): "blue" is not one of the listed categories/,
    );
  });

  it('applies the missing-value policy: error, drop or fill', () => {
    const text = 'a,b,label\n1,,0\n2,3,1\n,4,\nNA,5,1\n';
    expect(() => readCsv(text, { label: 'label', source: 'm.csv' })).toThrow(
      /readCsv: m.csv line 2, column 2 \("b"\): missing value ""; set missing: 'drop' or a fill number/,
    );
    const dropped = readCsv(text, { label: 'label', missing: 'drop', missingValues: ['', 'NA'] });
    expect(dropped.inputs.toArray()).toEqual([[2, 3]]);
    expect(dropped.droppedRows).toBe(3);
    const filled = readCsv('a,b,label\n1,,0\nNA,5,1\n', { label: 'label', missing: -1, missingValues: ['', 'NA'] });
    expect(filled.inputs.toArray()).toEqual([
      [1, -1],
      [-1, 5],
    ]);
    expect(() => readCsv('a,label\n1,\n', { label: 'label', missing: 0 })).toThrow(
      /line 2, column 2 \("label"\): missing label ""/,
    );
  });

  it('fails or drops on NaN in a numeric column, by option', () => {
    const text = 'a,b\n1,2\nNaN,3\n4,nan\n5,6\n';
    expect(() => readCsv(text, { source: 'n.csv' })).toThrow(
      /n.csv line 3, column 1 \("a"\): NaN in a numeric column; set nan: 'drop'/,
    );
    const dropped = readCsv(text, { nan: 'drop' });
    expect(dropped.inputs.toArray()).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(dropped.droppedRows).toBe(2);
    expect(readCsv('a\ninf\n-Infinity\n1e3\n', { infinity: 'keep' }).inputs.toArray()).toEqual([
      [Infinity],
      [-Infinity],
      [1000],
    ]);
    expect(readCsv('a,b\n1,2\nNaN,3\n', { nan: 'keep' }).inputs.toArray()).toEqual([
      [1, 2],
      [NaN, 3],
    ]);
  });

  it('reads files without a header, with given names, and other delimiters', () => {
    expect(readCsv('1;2\n3;4\n', { header: false, delimiter: ';', label: 1 }).targets!.toArray()).toEqual([2, 4]);
    const named = readCsv('1,2\n3,4\n', { header: ['p', 'q'], columns: ['q'] });
    expect(named.columns).toEqual(['q']);
    expect(named.inputs.toArray()).toEqual([[2], [4]]);
  });

  it('decodes UTF-8 bytes, dropping a byte-order mark, and reads quoted numbers and names', () => {
    const bytes = new TextEncoder().encode('\uFEFF"a","b"\n"1","x, ""y"""\n');
    const table = readCsv(bytes, { label: 'b', labelType: 'string' });
    expect(table.columns).toEqual(['a']);
    expect(table.classes).toEqual(['x, "y"']);
    expect(readCsv('\uFEFFa\n1\n').columns).toEqual(['a']);
    expect(() => readCsv(new Uint8Array([0x61, 0x0a, 0xff]), { source: 'bad.csv' })).toThrow(
      /readCsv: bad.csv: the bytes are not valid UTF-8/,
    );
  });

  it('names the line and column of every bad value', () => {
    const problems: [string, object, RegExp][] = [
      ['a,b\n1,2\n3\n', {}, /input line 3: the record has 1 fields, expected 2/],
      ['a,b\n1,two\n', {}, /input line 2, column 2 \("b"\): expected a number, got "two"/],
      ['a,b\n1,  \n', { missingValues: ['NA'] }, /line 2, column 2 \("b"\): expected a number, got "  "/],
      [
        'a,label\n1,cat\n',
        { label: 'label' },
        /line 2, column 2 \("label"\): expected an integer, got "cat"; for class names set labelType: 'string'/,
      ],
      [
        'a,label\n1,0\n1,12\n',
        { label: 'label', numClasses: 10 },
        /line 3, column 2 \("label"\): label 12 is outside the class range \[0, 10\)/,
      ],
      ['a,label\n1,-1\n', { label: 'label', numClasses: 10 }, /label -1 is outside the class range/],
      [
        'a,label\n1,dog\n',
        { label: 'label', labelType: 'string', classes: ['cat'] },
        /label "dog" is not one of the classes \["cat"\]/,
      ],
      ['a,a\n1,2\n', {}, /input line 1: the header names column "a" twice/],
      ['', {}, /input: the input is empty; expected a header line/],
      ['\n\n', { header: false }, /the input holds no records/],
    ];
    for (const [text, options, message] of problems) {
      expect(() => readCsv(text, options)).toThrow(message);
      try {
        readCsv(text, options);
      } catch (error) {
        expect(error).toBeInstanceOf(AnnetError);
      }
    }
  });

  it('rejects options that do not match the columns', () => {
    expect(() => readCsv(iris, { label: 'kind' })).toThrow(
      /label column "kind" is not a column; the columns are \["sepal_length","sepal_width","species"\]/,
    );
    expect(() => readCsv(iris, { columns: [5] })).toThrow(/feature column 5 is not a column/);
    expect(() => readCsv(iris, { label: 'species', columns: ['species'], labelType: 'string' })).toThrow(
      /is both the label and a feature/,
    );
    expect(() => readCsv(iris, { types: { species: 'category' }, label: 'species' })).toThrow(
      /types names "species", which is not a feature column/,
    );
    expect(() => readCsv(iris, { types: { sepal_length: 'text' as never } })).toThrow(
      /expected 'number', 'integer' or 'category'/,
    );
    expect(() => readCsv(iris, { labelType: 'class' as never })).toThrow(/labelType must be/);
    expect(() => readCsv(iris, { missing: 'skip' as never })).toThrow(
      /missing must be 'error', 'drop' or a finite fill number/,
    );
    expect(() => readCsv(iris, { nan: 'skip' as never })).toThrow(/nan must be 'error', 'drop' or 'keep'/);
    expect(() => readCsv(iris, { dtype: 'int32' as never })).toThrow(/dtype must be 'float32' or 'float64'/);
    expect(() => readCsv(iris, { header: 'yes' as never })).toThrow(/header must be true, false or an array/);
    expect(() => readCsv(iris, { numClasses: 0 })).toThrow(/numClasses must be a positive integer/);
  });
});
