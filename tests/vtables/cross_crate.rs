//! Trait objects across an rlib and a Rust dylib.

extern crate vt_lib;

struct Cat;
impl vt_lib::Animal for Cat {
    fn name(&self) -> String {
        "cat".into()
    }
}

struct Double(u64);
impl vt_dylib::Counter for Double {
    fn bump(&mut self) -> u64 {
        self.0 *= 2;
        self.0
    }
}

fn main() {
    for a in vt_lib::zoo() {
        println!("{} has {} legs", a.name(), a.legs());
    }
    let zoo = vt_lib::zoo();
    let mut all: Vec<&dyn vt_lib::Animal> = zoo.iter().map(|b| &**b).collect();
    all.push(&Cat);
    println!("{}", vt_lib::describe(&all));
    println!("{}", vt_lib::GREETING);
    let mut c = vt_dylib::counter(3);
    println!("dylib counter {}", vt_dylib::run(&mut *c, 4));
    let mut d = Double(1);
    println!("local counter {}", vt_dylib::run(&mut d, 5));
    println!("{}", vt_dylib::debug_all(&[&1u8, &"two", &Some(3.5f32)]));
}
