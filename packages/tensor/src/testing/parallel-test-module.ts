/**
 * The bytes of a tiny WebAssembly module for tests of `ParameterMemory.parallel`, written out by
 * hand (its text form below), so the tests need no compiler. It imports the kernel memory as
 * `env.memory` (shared, up to 65536 pages, as the kernel memory declares) and exports:
 *
 *     (func (export "scale") (param $address i32) (param $count i32) (param $factor f32)
 *       block  loop
 *         local.get $count  i32.eqz  br_if 1
 *         local.get $address  local.get $address  f32.load  local.get $factor  f32.mul  f32.store
 *         local.get $address  i32.const 4  i32.add  local.set $address
 *         local.get $count  i32.const 1  i32.sub  local.set $count
 *         br 0
 *       end  end)
 *     (func (export "trap") (param i32) unreachable)
 *
 * @example
 * const module = kernels.parallel!.register(parallelTestModule());
 */
export function parallelTestModule(): Uint8Array<ArrayBuffer> {
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  const name = (text: string): number[] => [text.length, ...Array.from(text, (char) => char.charCodeAt(0))];
  const scale = [
    0x00, // no locals besides the parameters
    0x02,
    0x40,
    0x03,
    0x40, // block, loop
    0x20,
    0x01,
    0x45,
    0x0d,
    0x01, // count == 0: leave the block
    0x20,
    0x00,
    0x20,
    0x00,
    0x2a,
    0x02,
    0x00,
    0x20,
    0x02,
    0x94,
    0x38,
    0x02,
    0x00, // *address *= factor
    0x20,
    0x00,
    0x41,
    0x04,
    0x6a,
    0x21,
    0x00, // address += 4
    0x20,
    0x01,
    0x41,
    0x01,
    0x6b,
    0x21,
    0x01, // count -= 1
    0x0c,
    0x00,
    0x0b,
    0x0b,
    0x0b, // br loop; end loop, block, function
  ];
  const trap = [0x00, 0x00, 0x0b]; // no locals; unreachable; end
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // types: (i32, i32, f32) -> (), (i32) -> ()
    ...section(1, [0x02, 0x60, 0x03, 0x7f, 0x7f, 0x7d, 0x00, 0x60, 0x01, 0x7f, 0x00]),
    // import env.memory: a shared memory, 1 to 65536 pages
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x03, 0x01, 0x80, 0x80, 0x04]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(7, [0x02, ...name('scale'), 0x00, 0x00, ...name('trap'), 0x00, 0x01]),
    ...section(10, [0x02, scale.length, ...scale, trap.length, ...trap]),
  ]);
}
