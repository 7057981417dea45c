// A naked function on the host target: a clean compile error at the
// function, not a crash.
#[unsafe(naked)]
pub extern "C" fn answer() -> u32 { //~ ERROR naked functions
    std::arch::naked_asm!("mov eax, 42", "ret")
}
