//! An rlib whose trait objects cross into the crates that use it.

use std::fmt::Display;

pub trait Animal {
    fn name(&self) -> String;
    fn legs(&self) -> u32 {
        4
    }
}

pub struct Dog;
pub struct Bird(pub &'static str);

impl Animal for Dog {
    fn name(&self) -> String {
        "dog".into()
    }
}
impl Animal for Bird {
    fn name(&self) -> String {
        format!("bird {}", self.0)
    }
    fn legs(&self) -> u32 {
        2
    }
}

/// Trait objects made here and used by the caller.
pub fn zoo() -> Vec<Box<dyn Animal>> {
    vec![Box::new(Dog), Box::new(Bird("tweety"))]
}

/// Trait objects made by the caller and used here.
pub fn describe(animals: &[&dyn Animal]) -> String {
    animals
        .iter()
        .map(|a| format!("{}:{}", a.name(), a.legs()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub static GREETING: &(dyn Display + Sync) = &"hello from vt_lib";
