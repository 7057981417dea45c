//! Reading and writing enum discriminants for every layout rustc picks:
//! single-variant, directly tagged and niche-encoded.

use cranelift_codegen::ir::InstBuilder;
use cranelift_codegen::ir::condcodes::IntCC;
use rustc_abi::{BackendRepr, Primitive, TagEncoding, VariantIdx, Variants};
use rustc_middle::ty::layout::TyAndLayout;

use super::FunctionCx;
use super::cast::int_to_int;
use super::layout_cx::scalar_clif_ty;
use super::place::Place;
use super::value::Val;

/// Sets the discriminant of `place` to `variant` (fields are written
/// separately).
pub(crate) fn write_discriminant<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    place: Place<'tcx>,
    variant: VariantIdx,
) {
    let layout = place.layout;
    if layout.for_variant(fx, variant).is_uninhabited() {
        return;
    }
    match &layout.variants {
        Variants::Empty | Variants::Single { .. } => {}
        Variants::Multiple {
            tag_encoding: TagEncoding::Direct,
            tag_field,
            ..
        } => {
            let discr = layout
                .ty
                .discriminant_for_variant(fx.tcx, variant)
                .unwrap_or_else(|| fx.bug(format!("discriminant of `{}`", layout.ty)));
            let tag_place = place.field(fx, *tag_field);
            let value = Val::const_int(
                fx,
                tag_place.layout,
                truncate(discr.val, tag_place.layout.size.bits()),
            );
            tag_place.write_val(fx, value);
        }
        Variants::Multiple {
            tag_encoding:
                TagEncoding::Niche {
                    untagged_variant,
                    niche_variants,
                    niche_start,
                },
            tag_field,
            ..
        } => {
            if variant == *untagged_variant {
                return;
            }
            let tag_place = place.field(fx, *tag_field);
            let relative = u128::from(
                variant
                    .as_u32()
                    .wrapping_sub(niche_variants.start().as_u32()),
            );
            let value = relative.wrapping_add(*niche_start);
            let value = Val::const_int(
                fx,
                tag_place.layout,
                truncate(value, tag_place.layout.size.bits()),
            );
            tag_place.write_val(fx, value);
        }
    }
}

fn truncate(value: u128, bits: u64) -> u128 {
    if bits >= 128 {
        value
    } else {
        value & ((1u128 << bits) - 1)
    }
}

/// Reads the discriminant of `val` as a value of layout `out`.
pub(crate) fn read_discriminant<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    val: Val<'tcx>,
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    let layout = val.layout;
    let out_ty = match out.backend_repr {
        BackendRepr::Scalar(s) => scalar_clif_ty(fx.tcx, s),
        _ => fx.bug(format!("discriminant of type `{}`", out.ty)),
    };
    if layout.is_uninhabited() {
        fx.trap_unreachable();
        let dead = fx.bcx.create_block();
        fx.bcx.switch_to_block(dead);
        return Val::const_int(fx, out, 0);
    }
    match &layout.variants {
        Variants::Empty => fx.bug("discriminant of an empty enum".into()),
        Variants::Single { index } => {
            let discr = match layout.ty.discriminant_for_variant(fx.tcx, *index) {
                Some(d) => d.val,
                None => u128::from(index.as_u32()),
            };
            Val::const_int(fx, out, truncate(discr, out.size.bits()))
        }
        Variants::Multiple {
            tag,
            tag_encoding,
            tag_field,
            ..
        } => {
            let tag_val = val.field(fx, *tag_field).load_scalar(fx);
            let tag_ty = fx.bcx.func.dfg.value_type(tag_val);
            match tag_encoding {
                TagEncoding::Direct => {
                    let signed = matches!(tag.primitive(), Primitive::Int(_, true));
                    let v = int_to_int(fx, tag_val, out_ty, signed);
                    Val::by_val(v, out)
                }
                TagEncoding::Niche {
                    untagged_variant,
                    niche_variants,
                    niche_start,
                } => {
                    let start = niche_variants.start().as_u32();
                    let end = niche_variants.end().as_u32();
                    let start_v = fx.iconst_any(tag_ty, *niche_start);
                    let relative = fx.bcx.ins().isub(tag_val, start_v);
                    let span = fx.iconst_any(tag_ty, u128::from(end - start));
                    let is_niche =
                        fx.bcx
                            .ins()
                            .icmp(IntCC::UnsignedLessThanOrEqual, relative, span);
                    let relative = int_to_int(fx, relative, out_ty, false);
                    let index = fx.bcx.ins().iadd_imm(relative, i64::from(start));
                    let untagged = fx.iconst_any(out_ty, u128::from(untagged_variant.as_u32()));
                    let v = fx.bcx.ins().select(is_niche, index, untagged);
                    Val::by_val(v, out)
                }
            }
        }
    }
}
