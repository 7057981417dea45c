// The program whose DWARF the `debuginfo` suite checks. A line ending in
// `// @line NAME` is one the suite looks up by NAME: the call on it must map
// to exactly that line.

#[inline(never)]
fn helper(v: u64) -> u64 {
    v.rotate_left(7) ^ 0x5a5a
}

#[inline(never)]
fn compute(x: u64) -> u64 {
    let y = x.wrapping_mul(3).wrapping_add(1);
    let z = helper(y); // @line helper_call
    z.wrapping_sub(x)
}

fn main() {
    let input = std::hint::black_box(41);
    let value = compute(input); // @line compute_call
    println!("{value}");
}
