import { expect, it } from 'vitest';
import { csvDataset, DataLoader, readCsv, readIdx } from './index.js';

// The README's browser example, line for line (console.log collects shapes here).
it('runs the README browser example: File, Response and a streamed File', async () => {
  const shapes: number[][] = [];
  const console = { log: (shape: readonly number[]) => void shapes.push([...shape]) };

  const picked = new File([Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9)], 'labels.idx'); // in a page: fileInput.files[0]
  const labels = await readIdx(picked, { numClasses: 10 }); // [7, 2, 9]
  const table = await readCsv(new Response('x,y,label\n1,2,0\n3,4,1\n'), { label: 'label', numClasses: 2 }); // in a page: await fetch('/points.csv')
  const rows = csvDataset(() => new File(['x,y,label\n1,2,0\n3,4,1\n'], 'points.csv'), {
    label: 'label',
    numClasses: 2,
  });
  for await (const batch of new DataLoader(rows, { batchSize: 2 })) console.log(batch.inputs.shape); // [2, 2]

  expect(labels.toArray()).toEqual([7, 2, 9]);
  expect(table.inputs.toArray()).toEqual([
    [1, 2],
    [3, 4],
  ]);
  expect(shapes).toEqual([[2, 2]]);
});
