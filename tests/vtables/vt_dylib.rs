//! A Rust dylib passing trait objects both ways.

use std::fmt::Debug;

pub trait Counter {
    fn bump(&mut self) -> u64;
}

struct Step(u64, u64);
impl Counter for Step {
    fn bump(&mut self) -> u64 {
        self.0 += self.1;
        self.0
    }
}

pub fn counter(step: u64) -> Box<dyn Counter> {
    Box::new(Step(0, step))
}

pub fn run(c: &mut dyn Counter, times: u32) -> u64 {
    (0..times).map(|_| c.bump()).sum()
}

pub fn debug_all(items: &[&dyn Debug]) -> String {
    format!("{items:?}")
}
