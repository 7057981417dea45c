//! CLIF -> eBPF: instruction selection, register allocation, frame layout and
//! encoding for the BPF ISA (cpu v1-v4, either endianness), and the ELF
//! relocatable objects libbpf and aya load.
//!
//! The interface the driver uses is this file: [`compile_function`] turns one
//! lowered function into encoded instructions plus the relocations and facts
//! the object writer and the linker need.

pub(crate) mod asm;
pub(crate) mod builtins;
pub(crate) mod module;
pub(crate) mod object;

mod abi;
mod emit;
mod encode;
mod frame;
mod inst;
mod isel;
mod mid_end;
mod offset_compares;
mod quotient_bounds;
mod regalloc;
pub(crate) mod runtime;
mod slot_occupancy;

use cranelift_codegen::ir::{self, SourceLoc};

/// The BPF instruction-set version the code may use (`-Ctarget-cpu`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cpu {
    /// Base ISA.
    V1,
    /// Adds JLT/JLE/JSLT/JSLE.
    V2,
    /// Adds JMP32, ALU32 everywhere and fetch atomics.
    V3,
    /// Adds sign-extending loads and moves, sdiv/smod, bswap, gotol.
    V4,
}

/// What the lowering targets: ISA version and byte order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BpfTarget {
    pub(crate) cpu: Cpu,
    pub(crate) big_endian: bool,
}

/// How a relocation in the code patches its instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CodeRelocKind {
    /// `call imm` (src=1, BPF-to-BPF) to a function: R_BPF_64_32.
    Call,
    /// `ld_imm64` holding the address of a data object or function: R_BPF_64_64.
    LdImm64,
}

/// A reference from an instruction to a named symbol.
#[derive(Clone, Debug)]
pub(crate) struct CodeReloc {
    /// Byte offset of the instruction from the function's start.
    pub(crate) offset: u32,
    pub(crate) kind: CodeRelocKind,
    pub(crate) symbol: String,
    pub(crate) addend: i64,
}

/// Something in the function the verifier can never accept (an indirect
/// call, for example). It is not an error unless the linker keeps the
/// function: dead code of `core` may contain such things.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    /// Byte offset of the offending instruction.
    pub(crate) offset: u32,
    pub(crate) srcloc: SourceLoc,
    pub(crate) message: String,
}

/// One function, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledFunction {
    /// Encoded instructions, 8 bytes each, in the target's byte order.
    pub(crate) code: Vec<u8>,
    pub(crate) relocs: Vec<CodeReloc>,
    /// CO-RE relocated constants: byte offset of the instruction and the
    /// index of its site among the function's (see [`crate::btf::core_relo`]).
    pub(crate) core_relos: Vec<(u32, u32)>,
    /// Bytes of stack below r10 this function uses.
    pub(crate) frame_size: u32,
    /// Byte offset of an instruction and the source location it came from,
    /// in increasing offset order, one entry where the location changes.
    pub(crate) srclocs: Vec<(u32, SourceLoc)>,
    pub(crate) problems: Vec<Problem>,
}

/// Why a function could not be compiled at all.
#[derive(Clone, Debug)]
pub(crate) struct CompileError {
    pub(crate) srcloc: SourceLoc,
    pub(crate) message: String,
}

/// Compiles `func` for `target`. `symbol_name` resolves the function's
/// external names (callees, data objects) to their symbol names.
///
/// Bounds on quotients and remainders are made explicit before the
/// optional optimisation (`optimize`); instruction selection folds
/// constants, addresses and compares at every level, as the verifier needs
/// that shape even in debug builds.
pub(crate) fn compile_function(
    func: &ir::Function,
    target: &BpfTarget,
    optimize: bool,
    symbol_name: &dyn Fn(&ir::ExternalName) -> String,
    slot_markers: &[crate::lower::SlotMarker],
) -> Result<CompiledFunction, CompileError> {
    let conflicts = frame::slot_conflicts(func, slot_markers);
    let mut bounded = func.clone();
    quotient_bounds::insert(&mut bounded);
    let optimized;
    let func = if optimize {
        optimized = mid_end::optimize(&bounded).map_err(|message| CompileError {
            srcloc: SourceLoc::default(),
            message,
        })?;
        &optimized
    } else {
        &bounded
    };
    let selected = isel::select(func, *target, symbol_name, conflicts)?;
    let output = regalloc::allocate(&selected.vcode).map_err(|e| CompileError {
        srcloc: SourceLoc::default(),
        message: format!("register allocation failed: {e:?}"),
    })?;
    Ok(emit::emit(selected, &output, *target))
}
