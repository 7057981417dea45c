//! `./y.sh bench`: the benchmark harness comparing the backend with LLVM
//! (compile time, BPF instruction counts, vtable sizes). Not built yet.

pub fn main(_args: &[String]) -> i32 {
    eprintln!("bench: the benchmark harness is not built yet");
    1
}
