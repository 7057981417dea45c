//! Uses the trait objects of `vt_lib` (the link-check tests build that
//! rlib with another layout or another compiler).

extern crate vt_lib;

fn main() {
    for animal in vt_lib::zoo() {
        println!("{} {}", animal.name(), animal.legs());
    }
    println!("{}", vt_lib::GREETING);
}
