//! A cdylib that uses trait objects internally, loaded with dlopen.

use std::fmt::Write;

trait Op {
    fn apply(&self, x: u64) -> u64;
    fn label(&self) -> &'static str;
}
struct Add(u64);
struct Mul(u64);
struct Xor(u64);
impl Op for Add {
    fn apply(&self, x: u64) -> u64 {
        x.wrapping_add(self.0)
    }
    fn label(&self) -> &'static str {
        "add"
    }
}
impl Op for Mul {
    fn apply(&self, x: u64) -> u64 {
        x.wrapping_mul(self.0)
    }
    fn label(&self) -> &'static str {
        "mul"
    }
}
impl Op for Xor {
    fn apply(&self, x: u64) -> u64 {
        x ^ self.0
    }
    fn label(&self) -> &'static str {
        "xor"
    }
}

static OPS: [&(dyn Op + Sync); 3] = [&Add(7), &Mul(31), &Xor(0x55)];

/// Runs the operations `rounds` times; returns a checksum of the values and
/// of their formatted trace.
#[unsafe(no_mangle)]
pub extern "C" fn vt_run(rounds: u32) -> u64 {
    let mut boxed: Vec<Box<dyn Op>> = vec![Box::new(Mul(3)), Box::new(Add(1))];
    boxed.extend(OPS.iter().map(|o| Box::new(Xor(o.apply(1))) as Box<dyn Op>));
    let mut x = 1u64;
    let mut trace = String::new();
    for _ in 0..rounds {
        for op in OPS.iter().map(|o| *o as &dyn Op).chain(boxed.iter().map(|b| &**b)) {
            x = op.apply(x);
            let _ = write!(trace, "{}{};", op.label(), x % 10);
        }
    }
    x ^ trace.bytes().map(u64::from).sum::<u64>() ^ (trace.len() as u64) << 32
}
