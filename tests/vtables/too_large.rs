//! A type of 4 GiB or more coerced to a trait object: its size does not fit
//! a relative vtable.

pub trait Measure {
    fn first(&self) -> u8;
}

impl Measure for [u8; 1 << 32] {
    fn first(&self) -> u8 {
        self[0]
    }
}

pub fn coerce(big: &[u8; 1 << 32]) -> &dyn Measure {
    big //~ ERROR is too large to be used as `dyn Measure`
}

pub fn small(x: &[u8; 16]) -> &dyn std::fmt::Debug {
    x
}
