//! The little that lowering needs to know about the target: pointer width,
//! byte order, and which constructs the machine after it can accept.

use rustc_abi::Endian;
use rustc_middle::ty::TyCtxt;

#[derive(Clone, Copy, Debug)]
pub(crate) struct TargetInfo {
    /// Size of a pointer in bytes.
    pub(crate) pointer_bytes: u64,
    pub(crate) big_endian: bool,
}

impl TargetInfo {
    pub(crate) fn of(tcx: TyCtxt<'_>) -> Self {
        TargetInfo {
            pointer_bytes: tcx.data_layout.pointer_size().bytes(),
            big_endian: tcx.data_layout.endian == Endian::Big,
        }
    }
}
