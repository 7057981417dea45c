//! CO-RE relocation kinds, the `btf::Relocatable` types of the program
//! (found through the trait's diagnostic item), and the external-name
//! namespace by which a lowered function marks its relocated constants.
//!
//! A relocated constant is a CLIF `symbol_value` of a name in
//! [`RELOCATED_CONSTANT_NAMESPACE`]: the name's index selects the
//! function's [`CoreSite`] (what is asked of which type) and the global
//! value's offset is the local answer, which the instruction must hold
//! for libbpf to accept the relocation. A field's byte offset also says
//! how many bytes the field has, so that the instruction selector can put
//! the relocation on the offset of a load or store of exactly that field
//! (what libbpf patches in LDX/ST/STX) instead of materialising it.

use cranelift_codegen::ir::{self, ExternalName, UserExternalName};
use rustc_abi::{FieldIdx, FieldsShape};
use rustc_middle::ty::{self, Ty, TyCtxt};
use rustc_span::Symbol;

/// The `UserExternalName` namespace of relocated constants (the other
/// namespaces are the module's functions and data objects).
const RELOCATED_CONSTANT_NAMESPACE: u32 = 0xC0_8E;

/// Bits of a relocated constant's name index below the site index: the
/// field's byte size (0 when a load or store cannot take the relocation).
const ACCESS_BYTES_BITS: u32 = 4;

/// `enum bpf_core_relo_kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoreKind {
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLshiftU64 = 4,
    FieldRshiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
    EnumvalExists = 10,
    EnumvalValue = 11,
    TypeMatches = 12,
}

/// Which part of a type a relocation kind is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KindClass {
    Field,
    Type,
    Enumerator,
}

impl CoreKind {
    pub(crate) fn from_u32(kind: u32) -> Option<CoreKind> {
        use CoreKind::*;
        [
            FieldByteOffset,
            FieldByteSize,
            FieldExists,
            FieldSigned,
            FieldLshiftU64,
            FieldRshiftU64,
            TypeIdLocal,
            TypeIdTarget,
            TypeExists,
            TypeSize,
            EnumvalExists,
            EnumvalValue,
            TypeMatches,
        ]
        .into_iter()
        .find(|k| *k as u32 == kind)
    }

    pub(crate) fn class(self) -> KindClass {
        use CoreKind::*;
        match self {
            FieldByteOffset | FieldByteSize | FieldExists | FieldSigned | FieldLshiftU64
            | FieldRshiftU64 => KindClass::Field,
            TypeIdLocal | TypeIdTarget | TypeExists | TypeSize | TypeMatches => KindClass::Type,
            EnumvalExists | EnumvalValue => KindClass::Enumerator,
        }
    }
}

/// One relocated constant of a function: relocation `kind` of `access`
/// (colon-separated BTF indices) into `root`.
#[derive(Clone, Debug)]
pub(crate) struct CoreSite<'tcx> {
    pub(crate) root: Ty<'tcx>,
    pub(crate) access: String,
    pub(crate) kind: CoreKind,
}

/// A relocated constant as the instruction selector sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RelocatedConstant {
    /// The index of its [`CoreSite`] among the function's.
    pub(crate) site: u32,
    /// For the byte offset of a field of 1, 2, 4 or 8 bytes, that size: a
    /// load or store of exactly those bytes at `base + offset` may carry
    /// the relocation in its own offset.
    pub(crate) access_bytes: Option<u8>,
}

/// The external name of the relocated constant of site `site` (`None`
/// beyond 2^28 sites in one function).
pub(crate) fn relocated_constant_name(
    site: u32,
    access_bytes: Option<u8>,
) -> Option<UserExternalName> {
    let bytes = u32::from(
        access_bytes
            .filter(|b| matches!(b, 1 | 2 | 4 | 8))
            .unwrap_or(0),
    );
    let index = site
        .checked_shl(ACCESS_BYTES_BITS)
        .filter(|index| index >> ACCESS_BYTES_BITS == site)?;
    Some(UserExternalName::new(
        RELOCATED_CONSTANT_NAMESPACE,
        index | bytes,
    ))
}

/// The relocated constant `name` is, when it is one of `func`.
pub(crate) fn relocated_constant(
    func: &ir::Function,
    name: &ExternalName,
) -> Option<RelocatedConstant> {
    let ExternalName::User(reference) = name else {
        return None;
    };
    let user = func.params.user_named_funcs().get(*reference)?;
    (user.namespace == RELOCATED_CONSTANT_NAMESPACE).then(|| {
        let bytes = (user.index & ((1 << ACCESS_BYTES_BITS) - 1)) as u8;
        RelocatedConstant {
            site: user.index >> ACCESS_BYTES_BITS,
            access_bytes: (bytes != 0).then_some(bytes),
        }
    })
}

/// The `impl btf::Relocatable` of `ty`, if it has one.
fn relocatable_impl<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> Option<rustc_span::def_id::DefId> {
    let ty::Adt(def, _) = *ty.kind() else {
        return None;
    };
    let trait_id = tcx.get_diagnostic_item(Symbol::intern("btf_relocatable"))?;
    tcx.non_blanket_impls_for_ty(trait_id, ty).find(|&impl_id| {
        let self_ty = tcx.type_of(impl_id).skip_binder();
        matches!(*self_ty.kind(), ty::Adt(d, _) if d.did() == def.did())
    })
}

/// Whether `ty` is a `#[btf::relocatable]` type.
pub(crate) fn is_relocatable<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> bool {
    relocatable_impl(tcx, ty).is_some()
}

/// The BTF name of a relocatable type (`Relocatable::BTF_NAME`).
pub(crate) fn relocatable_name<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> Option<String> {
    let impl_id = relocatable_impl(tcx, ty)?;
    let item = tcx
        .associated_item_def_ids(impl_id)
        .iter()
        .copied()
        .find(|&id| tcx.item_name(id).as_str() == "BTF_NAME")?;
    let value = tcx.const_eval_poly(item).ok()?;
    let bytes = value.try_get_slice_bytes_for_diagnostics(tcx)?;
    String::from_utf8(bytes.to_vec()).ok()
}

/// The index BTF gives field `field` of an aggregate layout: BTF lists
/// members in offset order (see [`super::from_rustc`]), ties in field order.
pub(crate) fn btf_member_index(fields: &FieldsShape<FieldIdx>, field: usize) -> usize {
    let offset = fields.offset(field);
    (0..fields.count())
        .filter(|&i| {
            let o = fields.offset(i);
            o < offset || (o == offset && i < field)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::super::read::{read_btf, read_ext};
    use super::super::types::{Btf, BtfExt, CoreAccess, CoreRelo, Kind, Member};
    use super::super::write::write;
    use super::CoreKind;

    /// core_relo records survive encoding and decoding, sorted by offset
    /// within their section, with their access strings in `.BTF`.
    #[test]
    fn core_relo_records_round_trip() {
        let mut btf = Btf::default();
        let int = btf
            .named(
                "int",
                Kind::Int {
                    size: 4,
                    encoding: super::super::types::IntEncoding::Signed,
                    bits: 32,
                },
            )
            .unwrap();
        let member = |name: &str, bit_offset| Member {
            name: name.into(),
            ty: int,
            bit_offset,
            bitfield_size: 0,
        };
        let task = btf
            .named(
                "task_struct",
                Kind::Struct {
                    size: 8,
                    members: vec![member("pid", 0), member("tgid", 32)],
                },
            )
            .unwrap();
        let relo = |insn_off, access: &str, kind: CoreKind| CoreRelo {
            section: "syscall".into(),
            insn_off,
            access: CoreAccess {
                root: task,
                access: access.into(),
                kind: kind as u32,
            },
        };
        let ext = BtfExt {
            core_relos: vec![
                relo(16, "0:1", CoreKind::FieldByteOffset),
                relo(0, "0", CoreKind::TypeSize),
            ],
            ..BtfExt::default()
        };
        for big_endian in [false, true] {
            let (bytes, ext_bytes) = write(&btf, &ext, big_endian).unwrap();
            let parsed = read_btf(&bytes).unwrap();
            let back = read_ext(&ext_bytes.unwrap(), &parsed).unwrap();
            assert_eq!(
                back.core_relos,
                [ext.core_relos[1].clone(), ext.core_relos[0].clone()]
            );
        }
    }

    #[test]
    fn kinds_have_libbpf_numbers_and_classes() {
        assert_eq!(CoreKind::from_u32(12), Some(CoreKind::TypeMatches));
        assert_eq!(CoreKind::from_u32(13), None);
        assert_eq!(
            CoreKind::from_u32(5).map(CoreKind::class),
            Some(super::KindClass::Field)
        );
        assert_eq!(
            CoreKind::from_u32(11).map(CoreKind::class),
            Some(super::KindClass::Enumerator)
        );
    }
}
