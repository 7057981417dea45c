// Global assembly on the host target: a clean compile error at the
// `global_asm!`, not a crash or a missing symbol.
std::arch::global_asm!(".globl answer", "answer: mov eax, 42", "ret"); //~ ERROR global assembly
