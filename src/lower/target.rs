//! The little that lowering needs to know about the target beyond rustc's
//! data layout: capabilities of the machine after lowering, never which ISA
//! it is.

use rustc_middle::ty::TyCtxt;
use rustc_target::spec::Arch;

#[derive(Clone, Copy, Debug)]
pub(crate) struct TargetInfo {
    /// Size of a pointer in bytes.
    pub(crate) pointer_bytes: u64,
    /// Whether `#[thread_local]` statics exist.
    pub(crate) thread_locals: bool,
    /// Whether memory copies and fills of a known size must be expanded into
    /// loads and stores instead of library calls (the BPF verifier tracks
    /// each access; a call to `memcpy` hides them).
    pub(crate) inline_memory_ops: bool,
    /// Whether the machine lowering wants to know when stack slots hold
    /// live data ([`super::SlotMarker`]), to share frame space between
    /// slots that are never live together.
    pub(crate) slot_lifetimes: bool,
    /// Whether 128-bit division and remainder are calls to compiler_builtins'
    /// `__udivti3` family; otherwise they stay CLIF instructions for the
    /// machine lowering (BPF divides with its own small-frame routines).
    pub(crate) i128_division_libcall: bool,
    /// Whether the C ABI passes integers wider than 64 bits by reference
    /// (and returns them through a return pointer), as BPF's does: runtime
    /// routines such as `__udivti3` are called that way.
    pub(crate) c_wide_ints_by_reference: bool,
    /// Whether accesses to `btf::Relocatable` types and the `btf` crate's
    /// queries become CO-RE relocated constants.
    pub(crate) core_relocations: bool,
    /// Whether `asm!` blocks are assembled (BPF's own assembler,
    /// [`crate::bpf::asm`]); elsewhere they are reported as unsupported.
    pub(crate) inline_asm: bool,
}

impl TargetInfo {
    pub(crate) fn of(tcx: TyCtxt<'_>) -> Self {
        let bpf = tcx.sess.target.arch == Arch::Bpf;
        TargetInfo {
            pointer_bytes: tcx.data_layout.pointer_size().bytes(),
            thread_locals: !bpf,
            inline_memory_ops: bpf,
            slot_lifetimes: bpf,
            i128_division_libcall: !bpf,
            c_wide_ints_by_reference: bpf,
            core_relocations: bpf,
            inline_asm: bpf,
        }
    }
}
