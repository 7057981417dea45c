//! Links the LLVM-built `plain_lib`.

extern crate plain_lib;

fn main() {
    println!("plain_lib: {}", plain_lib::answer(6, 7));
}
