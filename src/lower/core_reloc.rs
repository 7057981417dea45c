//! CO-RE during lowering: projections through pointers to
//! `#[btf::relocatable]` types get relocated offsets (as clang does for
//! `preserve_access_index` types: one relocation for a run of member
//! accesses and constant array indices), and calls of
//! the `btf` crate's query functions (`btf::__private::{field_info,
//! type_info, enum_info}`, found by their diagnostic items) become
//! relocated constants. See [`crate::btf::core_relo`] for how a relocated
//! constant travels to the instruction selector.

use cranelift_codegen::ir::{
    ExternalName, GlobalValueData, InstBuilder, Value, immediates::Imm64, types,
};
use rustc_abi::{FieldsShape, Primitive, TagEncoding, Variants};
use rustc_middle::mir::visit::{PlaceContext, Visitor};
use rustc_middle::mir::{
    self, BasicBlock, Local, Location, Operand, PlaceElem, ProjectionElem, Rvalue, StatementKind,
};
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};
use rustc_middle::ty::{self, Instance, Ty};
use rustc_span::{Span, Spanned, Symbol};

use super::FunctionCx;
use super::place::Place;
use super::pointer::Pointer;
use super::value::Val;
use crate::btf::core_relo::{
    CoreKind, CoreSite, KindClass, btf_member_index, is_relocatable, relocated_constant_name,
};

/// A constant the loader relocates: `local` until then.
/// `access_bytes`: see [`relocated_constant_name`].
fn relocated_constant<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    site: CoreSite<'tcx>,
    local: i64,
    access_bytes: Option<u8>,
) -> Value {
    let index = u32::try_from(fx.core_sites.len()).ok();
    let Some(name) = index.and_then(|index| relocated_constant_name(index, access_bytes)) else {
        fx.tcx
            .dcx()
            .span_fatal(fx.span, "too many CO-RE relocations in one function");
    };
    fx.core_sites.push(site);
    let name = fx.bcx.func.declare_imported_user_function(name);
    let gv = fx.bcx.create_global_value(GlobalValueData::Symbol {
        name: ExternalName::user(name),
        offset: Imm64::new(local),
        colocated: false,
        tls: false,
    });
    fx.bcx.ins().symbol_value(types::I64, gv)
}

/// Most accessors libbpf accepts in one access string
/// (`BPF_CORE_SPEC_MAX_LEN`).
const MAX_ACCESSORS: usize = 64;

/// Projections through relocatable types not yet applied to their base:
/// as clang does for `preserve_access_index` types, a run of member
/// accesses and constant array indices (`(*p).se.vruntime`,
/// `(*p).arr[3].field`) is one access string (`0:1:3:2`) from the first
/// relocatable struct or union, and one relocated offset.
pub(crate) struct Relocating<'tcx> {
    root: Ty<'tcx>,
    /// The address of the root object.
    base: Pointer,
    access: String,
    accessors: usize,
    /// The local byte offset of the current place from `base`.
    local: u64,
    layout: TyAndLayout<'tcx>,
}

/// Whether `ty` is a relocatable struct or union.
fn relocatable_composite<'tcx>(fx: &FunctionCx<'_, '_, 'tcx>, ty: Ty<'tcx>) -> bool {
    matches!(ty.kind(), ty::Adt(def, _) if !def.is_enum()) && is_relocatable(fx.tcx, ty)
}

/// Takes `elem`, a projection of `cur` (a place reached through a
/// pointer), into the pending relocated projection `pending`, starting one
/// when `cur` is a relocatable struct or union in memory. `false` when
/// `elem` does not continue one: the caller applies `pending` (see
/// [`apply`]) and projects as usual.
pub(crate) fn project<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    pending: &mut Option<Relocating<'tcx>>,
    cur: &Place<'tcx>,
    elem: PlaceElem<'tcx>,
) -> bool {
    if !fx.target.core_relocations {
        return false;
    }
    let started;
    let chain = match pending {
        Some(chain) if chain.accessors < MAX_ACCESSORS => chain,
        Some(_) => return false,
        None => {
            let Some(base) = cur.try_memory() else {
                return false;
            };
            if !matches!(elem, ProjectionElem::Field(..))
                || !relocatable_composite(fx, cur.layout.ty)
            {
                return false;
            }
            started = Relocating {
                root: cur.layout.ty,
                base,
                access: "0".into(),
                accessors: 1,
                local: 0,
                layout: cur.layout,
            };
            pending.insert(started)
        }
    };
    let layout = chain.layout;
    let (index, offset, next) = match elem {
        ProjectionElem::Field(field, _) if relocatable_composite(fx, layout.ty) => {
            let next = layout.field(fx, field.index());
            if next.is_zst() {
                return false;
            }
            (
                btf_member_index(&layout.fields, field.index()) as u64,
                layout.fields.offset(field.index()).bytes(),
                next,
            )
        }
        ProjectionElem::Index(local) => match constant_local(fx, local) {
            Some(index) => match array_element(fx, layout, index) {
                Some(element) => element,
                None => return false,
            },
            None => return false,
        },
        ProjectionElem::ConstantIndex {
            offset,
            from_end: false,
            ..
        } => match array_element(fx, layout, offset) {
            Some(element) => element,
            None => return false,
        },
        _ => return false,
    };
    chain.access.push_str(&format!(":{index}"));
    chain.accessors += 1;
    chain.local += offset;
    chain.layout = next;
    true
}

/// Element `index` of `layout` when it is an array of at least `index + 1`
/// elements: the index, its local offset and the element's layout.
fn array_element<'tcx>(
    fx: &FunctionCx<'_, '_, 'tcx>,
    layout: TyAndLayout<'tcx>,
    index: u64,
) -> Option<(u64, u64, TyAndLayout<'tcx>)> {
    let FieldsShape::Array { stride, count } = layout.fields else {
        return None;
    };
    if !matches!(layout.ty.kind(), ty::Array(..)) || index >= count {
        return None;
    }
    let element = layout.field(fx, 0);
    (!element.is_zst()).then(|| (index, stride.bytes() * index, element))
}

/// The value of `local` when the body assigns it a constant integer once
/// and nothing else writes or borrows it (as MIR builds the index of
/// `a[3]`).
fn constant_local(fx: &FunctionCx<'_, '_, '_>, local: Local) -> Option<u64> {
    struct Writes {
        local: Local,
        writes: usize,
    }
    impl<'tcx> Visitor<'tcx> for Writes {
        fn visit_local(&mut self, local: Local, context: PlaceContext, _: Location) {
            if local == self.local && (context.is_mutating_use() || context.is_borrow()) {
                self.writes += 1;
            }
        }
    }
    let mut writes = Writes { local, writes: 0 };
    writes.visit_body(fx.mir);
    if writes.writes != 1 || (local.as_usize() >= 1 && local.as_usize() <= fx.mir.arg_count) {
        return None;
    }
    let constant = fx.mir.basic_blocks.iter().find_map(|block| {
        block
            .statements
            .iter()
            .find_map(|statement| match &statement.kind {
                StatementKind::Assign(assign) => match &**assign {
                    (place, Rvalue::Use(Operand::Constant(constant), _))
                        if place.as_local() == Some(local) =>
                    {
                        Some(constant)
                    }
                    _ => None,
                },
                _ => None,
            })
    })?;
    let value = fx
        .monomorphize(constant.const_)
        .try_eval_target_usize(fx.tcx, ty::TypingEnv::fully_monomorphized())?;
    Some(value)
}

/// `cur` with the pending relocated projection applied: the root's
/// address plus the relocated offset of the whole access string.
pub(crate) fn apply<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    pending: &mut Option<Relocating<'tcx>>,
    cur: Place<'tcx>,
) -> Place<'tcx> {
    let Some(chain) = pending.take() else {
        return cur;
    };
    let site = CoreSite {
        root: chain.root,
        access: chain.access,
        kind: CoreKind::FieldByteOffset,
    };
    let access_bytes = match chain.layout.size.bytes() {
        bytes @ (1 | 2 | 4 | 8) => Some(bytes as u8),
        _ => None,
    };
    let offset = relocated_constant(fx, site, chain.local as i64, access_bytes);
    Place::for_ptr(chain.base.offset_value(fx, offset), chain.layout)
}

/// The query function `instance` calls, if it is one.
fn query_class(fx: &FunctionCx<'_, '_, '_>, instance: Instance<'_>) -> Option<KindClass> {
    let def_id = instance.def_id();
    [
        ("btf_field_info", KindClass::Field),
        ("btf_type_info", KindClass::Type),
        ("btf_enum_info", KindClass::Enumerator),
    ]
    .into_iter()
    .find(|(item, _)| fx.tcx.get_diagnostic_item(Symbol::intern(item)) == Some(def_id))
    .map(|(_, class)| class)
}

/// Lowers a call of a `btf` query function into a relocated constant;
/// `false` when `instance` is no such function (or the target has no
/// CO-RE relocations: the function's body then runs).
pub(crate) fn lower_query<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    instance: Instance<'tcx>,
    args: &[Spanned<Operand<'tcx>>],
    destination: mir::Place<'tcx>,
    target: Option<BasicBlock>,
    span: Span,
) -> bool {
    if !fx.target.core_relocations {
        return false;
    }
    let Some(class) = query_class(fx, instance) else {
        return false;
    };
    let value = match query(fx, instance, class, args, span) {
        Ok((site, local)) => relocated_constant(fx, site, local, None),
        Err(message) => {
            fx.tcx.dcx().span_err(span, message);
            fx.failed_const();
            fx.bcx.ins().iconst(types::I64, 0)
        }
    };
    let dest = super::rvalue::lower_place(fx, destination);
    dest.write_val(fx, Val::by_val(value, dest.layout));
    super::abi::jump_or_trap(fx, target);
    true
}

/// The site and local answer of a query.
fn query<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    instance: Instance<'tcx>,
    class: KindClass,
    args: &[Spanned<Operand<'tcx>>],
    span: Span,
) -> Result<(CoreSite<'tcx>, i64), String> {
    let root = instance.args.type_at(0);
    let kind = instance
        .args
        .const_at(1)
        .try_to_leaf()
        .and_then(|leaf| u32::try_from(leaf.to_bits_unchecked()).ok())
        .and_then(CoreKind::from_u32)
        .filter(|kind| kind.class() == class)
        .ok_or("unknown CO-RE relocation kind")?;
    let root_layout = fx.layout_of(root);
    match class {
        KindClass::Field => {
            let path = string_argument(fx, args, span)?;
            field_query(fx, root_layout, kind, &path)
        }
        KindClass::Type => {
            let local = match kind {
                CoreKind::TypeSize => root_layout.size.bytes() as i64,
                // The program's own type id is known once linked; libbpf
                // neither checks nor needs it in the instruction.
                CoreKind::TypeIdLocal | CoreKind::TypeIdTarget => 0,
                _ => 1,
            };
            let site = CoreSite {
                root,
                access: "0".into(),
                kind,
            };
            Ok((site, local))
        }
        KindClass::Enumerator => {
            let variant = string_argument(fx, args, span)?;
            enum_query(fx, root_layout, kind, &variant)
        }
    }
}

/// The `&'static str` constant argument of a query.
fn string_argument<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    args: &[Spanned<Operand<'tcx>>],
    span: Span,
) -> Result<String, String> {
    let not_constant = || "the CO-RE query's path must be a string literal".to_string();
    let Some(Operand::Constant(constant)) = args.first().map(|a| &a.node) else {
        return Err(not_constant());
    };
    let const_ = fx.monomorphize(constant.const_);
    let value = const_
        .eval(fx.tcx, ty::TypingEnv::fully_monomorphized(), span)
        .map_err(|_| not_constant())?;
    let bytes = value
        .try_get_slice_bytes_for_diagnostics(fx.tcx)
        .ok_or_else(not_constant)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| not_constant())
}

/// A field query: `path` is field names separated by dots.
fn field_query<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    root: TyAndLayout<'tcx>,
    kind: CoreKind,
    path: &str,
) -> Result<(CoreSite<'tcx>, i64), String> {
    let mut layout = root;
    let mut access = String::from("0");
    let mut offset = 0;
    for name in path.split('.').map(str::trim) {
        let ty::Adt(def, _) = *layout.ty.kind() else {
            return Err(format!("`{}` has no field `{name}`", layout.ty));
        };
        if def.is_enum() {
            return Err(format!("`{}` is an enum, not a struct or union", layout.ty));
        }
        let field = def
            .non_enum_variant()
            .fields
            .iter()
            .position(|f| f.name.as_str() == name)
            .ok_or_else(|| format!("`{}` has no field `{name}`", layout.ty))?;
        access.push_str(&format!(":{}", btf_member_index(&layout.fields, field)));
        offset += layout.fields.offset(field).bytes();
        layout = layout.field(fx, field);
    }
    if let Some(bitfield) = crate::btf::bitfield::declared(fx.tcx, layout.ty) {
        let local = bitfield.local_answer(fx.tcx, kind, offset)?;
        let site = CoreSite {
            root: root.ty,
            access,
            kind,
        };
        return Ok((site, local));
    }
    let size = layout.size.bytes();
    let shift = || {
        if size == 0 || size > 8 {
            Err(format!(
                "`{path}` is {size} bytes; shifts need a field of 1 to 8 bytes"
            ))
        } else {
            Ok(64 - 8 * size as i64)
        }
    };
    let local = match kind {
        CoreKind::FieldByteOffset => offset as i64,
        CoreKind::FieldByteSize => size as i64,
        CoreKind::FieldExists => 1,
        CoreKind::FieldSigned => i64::from(signed(layout)),
        _ => shift()?,
    };
    let site = CoreSite {
        root: root.ty,
        access,
        kind,
    };
    Ok((site, local))
}

/// Whether BTF describes the field as signed: a signed INT or ENUM.
fn signed(layout: TyAndLayout<'_>) -> bool {
    match *layout.ty.kind() {
        ty::Int(_) => true,
        ty::Adt(def, _) if def.is_enum() => match layout.variants {
            Variants::Multiple {
                tag,
                tag_encoding: TagEncoding::Direct,
                ..
            } => matches!(tag.primitive(), Primitive::Int(_, true)),
            _ => false,
        },
        _ => false,
    }
}

/// An enumerator query on a fieldless enum (a BTF ENUM).
fn enum_query<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    root: TyAndLayout<'tcx>,
    kind: CoreKind,
    variant: &str,
) -> Result<(CoreSite<'tcx>, i64), String> {
    let ty = root.ty;
    let not_enum = || format!("`{ty}` is not a fieldless enum with a C representation");
    let ty::Adt(def, _) = *ty.kind() else {
        return Err(not_enum());
    };
    if !def.is_enum() || def.variants().iter().any(|v| !v.fields.is_empty()) {
        return Err(not_enum());
    }
    let (index, discr) = def
        .discriminants(fx.tcx)
        .enumerate()
        .find(|(_, (v, _))| def.variant(*v).name.as_str() == variant)
        .map(|(i, (_, d))| (i, d))
        .ok_or_else(|| format!("`{ty}` has no variant `{variant}`"))?;
    let bits = root.size.bits();
    let local = match kind {
        CoreKind::EnumvalExists => 1,
        // libbpf reads a 32-bit enumerator as signed, a 64-bit one whole.
        _ if bits <= 32 => i64::from(discr.val as u32 as i32),
        _ => discr.val as u64 as i64,
    };
    let site = CoreSite {
        root: ty,
        access: index.to_string(),
        kind,
    };
    Ok((site, local))
}
