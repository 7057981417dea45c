//! The little that lowering needs to know about the target beyond rustc's
//! data layout; grows with what the machine after lowering can accept.

use rustc_middle::ty::TyCtxt;

#[derive(Clone, Copy, Debug)]
pub(crate) struct TargetInfo {
    /// Size of a pointer in bytes.
    pub(crate) pointer_bytes: u64,
}

impl TargetInfo {
    pub(crate) fn of(tcx: TyCtxt<'_>) -> Self {
        TargetInfo {
            pointer_bytes: tcx.data_layout.pointer_size().bytes(),
        }
    }
}
