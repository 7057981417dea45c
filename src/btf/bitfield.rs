//! C bitfields of relocatable structs: the zero-sized `btf::Bitfield<T,
//! S, BIT, BITS>` fields that `#[bitfields]` declares right after their
//! storage field (of type `S`), described in BTF as the bitfield members
//! clang emits (type `T`, a bit offset and a width, in a struct with
//! `kind_flag` set), and the local answers of CO-RE field relocations on
//! them, computed as clang and libbpf do (`bpf_core_calc_field_relo`).
//!
//! The `btf` crate computes the same answers for its host fallback; it is
//! a `no_std` crate of eBPF programs and cannot share this code.

use rustc_abi::Endian;
use rustc_middle::ty::{self, Ty, TyCtxt};
use rustc_span::Symbol;

use super::core_relo::CoreKind;

/// A bitfield marker's declaration.
pub(crate) struct Bitfield<'tcx> {
    /// The C type it is declared with (a BTF INT).
    pub(crate) ty: Ty<'tcx>,
    storage_size: u64,
    /// Its first bit within the storage.
    bit: u64,
    /// Its width in bits, 1 to 64.
    pub(crate) bits: u8,
}

/// The bitfield `ty` declares, when it is a `btf::Bitfield` marker.
pub(crate) fn declared<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> Option<Bitfield<'tcx>> {
    let ty::Adt(def, args) = *ty.kind() else {
        return None;
    };
    if tcx.get_diagnostic_item(Symbol::intern("btf_bitfield")) != Some(def.did()) {
        return None;
    }
    let typing_env = ty::TypingEnv::fully_monomorphized();
    let storage = tcx
        .layout_of(typing_env.as_query_input(args.type_at(1)))
        .ok()?;
    let constant = |i: usize| args.const_at(i).try_to_leaf().map(|leaf| leaf.to_u32());
    Some(Bitfield {
        ty: args.type_at(0),
        storage_size: storage.size.bytes(),
        bit: u64::from(constant(2)?),
        bits: u8::try_from(constant(3)?).ok()?,
    })
}

impl<'tcx> Bitfield<'tcx> {
    /// Its first bit in a struct whose byte `marker_offset` holds the
    /// marker: the storage ends there.
    pub(crate) fn bit_offset(&self, marker_offset: u64) -> Result<u64, String> {
        marker_offset
            .checked_sub(self.storage_size)
            .map(|storage| storage * 8 + self.bit)
            .ok_or_else(|| "a `btf::Bitfield` field does not follow its storage".to_string())
    }

    /// The local value of the field relocation `kind` on this bitfield,
    /// whose marker is at byte `marker_offset` of the relocation's root.
    pub(crate) fn local_answer(
        &self,
        tcx: TyCtxt<'tcx>,
        kind: CoreKind,
        marker_offset: u64,
    ) -> Result<i64, String> {
        let bit_offset = self.bit_offset(marker_offset)?;
        let bits = u64::from(self.bits);
        let type_size = tcx
            .layout_of(ty::TypingEnv::fully_monomorphized().as_query_input(self.ty))
            .map_err(|e| format!("the layout of `{}`: {e}", self.ty))?
            .size
            .bytes()
            .max(1);
        // The unit a load reads: the smallest aligned power of two, at
        // least the type's size, that covers the bits.
        let mut size = type_size;
        let mut offset = bit_offset / 8 / size * size;
        while bit_offset + bits - offset * 8 > size * 8 {
            if size >= 8 {
                return Err("a bitfield that no 8-byte load covers".into());
            }
            size *= 2;
            offset = bit_offset / 8 / size * size;
        }
        let start = bit_offset - offset * 8;
        let value = match kind {
            CoreKind::FieldByteOffset => offset,
            CoreKind::FieldByteSize => size,
            CoreKind::FieldExists => 1,
            CoreKind::FieldSigned => u64::from(matches!(self.ty.kind(), ty::Int(_))),
            CoreKind::FieldLshiftU64 if tcx.data_layout.endian == Endian::Big => {
                (8 - size) * 8 + start
            }
            CoreKind::FieldLshiftU64 => 64 - (start + bits),
            CoreKind::FieldRshiftU64 => 64 - bits,
            _ => return Err(format!("{kind:?} is not a field relocation")),
        };
        Ok(value as i64)
    }
}
