//! BTF of Rust types and function signatures, from rustc's types and
//! layouts (offsets and sizes are the layout's, never guessed).
//!
//! - `bool`, `char`, integers: INT with their signedness; floats: FLOAT.
//! - `*const T`, `&T` to a sized `T`: PTR. Pointers to unsized types are
//!   two words (`ptr` plus `len` for slices and `str`, `vtable` for trait
//!   objects) and become a STRUCT of those, the data pointer pointing at
//!   the element (`void` for trait objects and other tails).
//! - `[T; N]`: ARRAY; structs, tuples and closures: STRUCT with the
//!   layout's byte offsets, members in offset order (`_0`, `_1`, … for
//!   unnamed fields); unions: UNION; zero-sized types: STRUCT of size 0.
//! - Fieldless enums whose tag is the whole value: ENUM (ENUM64 beyond 32
//!   bits) with the discriminants.
//! - Enums with data: a UNION of the enum's size with one member per
//!   variant, each a STRUCT `Enum_Variant` of the full size holding that
//!   variant's fields at their offsets and, when the tag is stored
//!   directly, the tag as member `tag`. A niche-encoded tag lives inside
//!   a field of the untagged variant, so it is not listed separately:
//!   every listed member is exactly where the layout puts it.
//! - Function pointers: PTR to FUNC_PROTO.
//! - `#[btf::relocatable]` types keep their kernel name and field names.
//!
//! Recursive types reserve their id before their fields are described,
//! so recursion through pointers refers back to it.

use std::collections::HashMap;

use rustc_abi::{FieldIdx, FieldsShape, Primitive, TagEncoding, VariantIdx, Variants};
use rustc_middle::ty::layout::{LayoutCx, LayoutOf, TyAndLayout};
use rustc_middle::ty::print::with_no_trimmed_paths;
use rustc_middle::ty::{self, Instance, Ty, TyCtxt};
use rustc_target::callconv::{FnAbi, PassMode};

use super::names::{self, Unique};
use super::types::{Btf, IntEncoding, Kind, Member, Param, Type, TypeId, VOID};

/// Converts rustc types of one codegen unit into BTF types of `Btf`,
/// remembering what it converted.
pub(crate) struct RustTypes<'tcx> {
    tcx: TyCtxt<'tcx>,
    cx: LayoutCx<'tcx>,
    cache: HashMap<Ty<'tcx>, TypeId>,
    type_names: Unique,
    func_names: Unique,
}

/// The BTF of one function: its FUNC name and FUNC_PROTO.
pub(crate) struct FunctionType {
    pub(crate) name: String,
    pub(crate) proto: TypeId,
}

impl<'tcx> RustTypes<'tcx> {
    pub(crate) fn new(tcx: TyCtxt<'tcx>) -> RustTypes<'tcx> {
        RustTypes {
            tcx,
            cx: LayoutCx::new(tcx, ty::TypingEnv::fully_monomorphized()),
            cache: HashMap::new(),
            type_names: Unique::default(),
            func_names: Unique::default(),
        }
    }

    /// The FUNC name and FUNC_PROTO of `instance`, whose symbol is
    /// `symbol`. Unmangled symbols (`#[no_mangle]` programs) keep their
    /// name, which is what libbpf looks programs up by; others are named
    /// after their Rust path. Parameters are named after the Rust
    /// parameters (`argN` where a pattern has no name).
    pub(crate) fn function(
        &mut self,
        btf: &mut Btf,
        instance: Instance<'tcx>,
        symbol: &str,
    ) -> Result<FunctionType, String> {
        let tcx = self.tcx;
        let mangled = symbol.starts_with("_ZN") || symbol.starts_with("_R");
        let name = if names::is_valid(symbol) && !mangled {
            symbol.to_string()
        } else {
            names::sanitize(&with_no_trimmed_paths!(instance.to_string()))
        };
        let name = self.func_names.claim(name);
        let fn_abi = tcx
            .fn_abi_of_instance(
                ty::TypingEnv::fully_monomorphized().as_query_input((instance, ty::List::empty())),
            )
            .map_err(|e| format!("the calling convention of `{instance}`: {e:?}"))?;
        let mir = tcx.instance_mir(instance.def);
        let mut arg_names = HashMap::new();
        if mir.arg_count == fn_abi.args.len() {
            for info in &mir.var_debug_info {
                if let Some(index) = info.argument_index {
                    arg_names
                        .entry(usize::from(index))
                        .or_insert_with(|| info.name.to_string());
                }
            }
        }
        let proto = self.proto(btf, fn_abi, &arg_names)?;
        Ok(FunctionType { name, proto })
    }

    /// The FUNC_PROTO of the foreign function `instance` (a kfunc
    /// declaration), parameters named as declared.
    pub(crate) fn foreign_proto(
        &mut self,
        btf: &mut Btf,
        instance: Instance<'tcx>,
    ) -> Result<TypeId, String> {
        let tcx = self.tcx;
        let fn_abi = tcx
            .fn_abi_of_instance(
                ty::TypingEnv::fully_monomorphized().as_query_input((instance, ty::List::empty())),
            )
            .map_err(|e| format!("the calling convention of `{instance}`: {e:?}"))?;
        let arg_names = tcx
            .fn_arg_idents(instance.def_id())
            .iter()
            .enumerate()
            .filter_map(|(i, ident)| Some((i + 1, ident.as_ref()?.name.to_string())))
            .collect();
        self.proto(btf, fn_abi, &arg_names)
    }

    /// A FUNC_PROTO from a calling convention; `arg_names` by 1-based
    /// argument index.
    fn proto(
        &mut self,
        btf: &mut Btf,
        fn_abi: &FnAbi<'tcx, Ty<'tcx>>,
        arg_names: &HashMap<usize, String>,
    ) -> Result<TypeId, String> {
        let mut params = Vec::new();
        for (i, arg) in fn_abi.args.iter().enumerate() {
            if matches!(arg.mode, PassMode::Ignore) {
                continue;
            }
            let name = arg_names
                .get(&(i + 1))
                .filter(|n| names::is_valid(n))
                .cloned()
                .unwrap_or_else(|| format!("arg{i}"));
            params.push(Param {
                name,
                ty: self.type_id(btf, arg.layout.ty)?,
            });
        }
        let ret = if matches!(fn_abi.ret.mode, PassMode::Ignore) {
            VOID
        } else {
            self.type_id(btf, fn_abi.ret.layout.ty)?
        };
        btf.anon(Kind::FuncProto {
            ret,
            params,
            variadic: fn_abi.c_variadic,
        })
    }

    /// The BTF type of `ty`.
    pub(crate) fn type_id(&mut self, btf: &mut Btf, ty: Ty<'tcx>) -> Result<TypeId, String> {
        if let Some(&id) = self.cache.get(&ty) {
            return Ok(id);
        }
        let layout = self
            .cx
            .layout_of(ty)
            .map_err(|e| format!("the layout of `{ty}`: {e}"))?;
        let size = u32::try_from(layout.size.bytes())
            .map_err(|_| format!("`{ty}` is larger than 4 GiB"))?;
        let id = match *ty.kind() {
            ty::Bool => btf.named(
                "bool",
                Kind::Int {
                    size: 1,
                    encoding: IntEncoding::Bool,
                    bits: 8,
                },
            )?,
            ty::Char => int(btf, "char", 4, false)?,
            ty::Int(i) => int(btf, i.name_str(), size, true)?,
            ty::Uint(u) => int(btf, u.name_str(), size, false)?,
            ty::Float(f) => btf.named(f.name_str(), Kind::Float { size })?,
            ty::RawPtr(pointee, _) | ty::Ref(_, pointee, _) => {
                self.pointer(btf, ty, pointee, size)?
            }
            ty::FnPtr(..) => {
                let sig = self
                    .tcx
                    .instantiate_bound_regions_with_erased(ty.fn_sig(self.tcx));
                let mut params = Vec::new();
                for (i, input) in sig.inputs().iter().enumerate() {
                    params.push(Param {
                        name: format!("arg{i}"),
                        ty: self.type_id(btf, *input)?,
                    });
                }
                let output = sig.output();
                let ret = if output.is_unit() || output.is_never() {
                    VOID
                } else {
                    self.type_id(btf, output)?
                };
                let proto = btf.anon(Kind::FuncProto {
                    ret,
                    params,
                    variadic: sig.c_variadic(),
                })?;
                btf.anon(Kind::Ptr(proto))?
            }
            ty::Array(elem, _) => {
                let FieldsShape::Array { count, .. } = layout.fields else {
                    return Err(format!("array `{ty}` without an array layout"));
                };
                let len =
                    u32::try_from(count).map_err(|_| format!("`{ty}` has too many elements"))?;
                let elem = match self.type_id(btf, elem)? {
                    VOID => byte(btf)?,
                    elem => elem,
                };
                let index = int(btf, "u32", 4, false)?;
                btf.anon(Kind::Array { elem, index, len })?
            }
            ty::Adt(def, _) if def.is_enum() => self.enumeration(btf, layout, size)?,
            ty::Adt(def, _) if def.is_union() => {
                let id = self.reserve_named(btf, ty)?;
                let members = self.members(btf, layout, |i| {
                    def.non_enum_variant().fields[FieldIdx::from_usize(i)]
                        .name
                        .to_string()
                })?;
                let name = self.type_name(ty);
                btf.fill(
                    id,
                    Type {
                        name,
                        kind: Kind::Union { size, members },
                    },
                )?;
                id
            }
            ty::Adt(def, _) => {
                let id = self.reserve_named(btf, ty)?;
                let members = self.members(btf, layout, |i| {
                    def.non_enum_variant()
                        .fields
                        .get(FieldIdx::from_usize(i))
                        .map_or_else(|| format!("_{i}"), |f| f.name.to_string())
                })?;
                self.fill_struct(btf, id, ty, size, members)?
            }
            _ => match layout.fields {
                FieldsShape::Arbitrary { .. } | FieldsShape::Union(_) => {
                    let id = self.reserve_named(btf, ty)?;
                    let members = self.members(btf, layout, |i| format!("_{i}"))?;
                    self.fill_struct(btf, id, ty, size, members)?
                }
                // Unsized tails, SIMD vectors and other shapes: their bytes.
                _ if size == 0 => self.fill_struct_new(btf, ty, 0, Vec::new())?,
                _ => {
                    let elem = byte(btf)?;
                    let index = int(btf, "u32", 4, false)?;
                    btf.anon(Kind::Array {
                        elem,
                        index,
                        len: size,
                    })?
                }
            },
        };
        self.cache.insert(ty, id);
        Ok(id)
    }

    /// A pointer type: PTR for thin pointers, a two-member STRUCT for wide
    /// ones.
    fn pointer(
        &mut self,
        btf: &mut Btf,
        ty: Ty<'tcx>,
        pointee: Ty<'tcx>,
        size: u32,
    ) -> Result<TypeId, String> {
        let typing_env = ty::TypingEnv::fully_monomorphized();
        if pointee.is_sized(self.tcx, typing_env) {
            let id = btf.reserve()?;
            self.cache.insert(ty, id);
            let target = self.type_id(btf, pointee)?;
            btf.fill(
                id,
                Type {
                    name: String::new(),
                    kind: Kind::Ptr(target),
                },
            )?;
            return Ok(id);
        }
        let void_ptr = btf.anon(Kind::Ptr(VOID))?;
        if size <= 8 {
            return Ok(void_ptr);
        }
        let usize_ = int(btf, "usize", 8, false)?;
        let tail = self.tcx.struct_tail_for_codegen(pointee, typing_env);
        let (data, second_name, second) = match *tail.kind() {
            ty::Slice(elem) if tail == pointee => {
                let elem = self.type_id(btf, elem)?;
                (btf.anon(Kind::Ptr(elem))?, "len", usize_)
            }
            ty::Str if tail == pointee => {
                let elem = byte(btf)?;
                (btf.anon(Kind::Ptr(elem))?, "len", usize_)
            }
            ty::Slice(_) | ty::Str => (void_ptr, "len", usize_),
            _ => (void_ptr, "vtable", void_ptr),
        };
        let members = vec![member("ptr", data, 0), member(second_name, second, 64)];
        self.fill_struct_new(btf, ty, size, members)
    }

    /// An enum; see the module docs for the shape.
    fn enumeration(
        &mut self,
        btf: &mut Btf,
        layout: TyAndLayout<'tcx>,
        size: u32,
    ) -> Result<TypeId, String> {
        let ty = layout.ty;
        let ty::Adt(def, _) = *ty.kind() else {
            return Err(format!("`{ty}` is not an enum"));
        };
        let variant_name = |v: VariantIdx| def.variant(v).name.to_string();
        match &layout.variants {
            Variants::Empty => self.fill_struct_new(btf, ty, size, Vec::new()),
            Variants::Single { index } => {
                let id = self.reserve_named(btf, ty)?;
                let variant = layout.for_variant(&self.cx, *index);
                let fields = &def.variant(*index).fields;
                let members = self.members(btf, variant, |i| {
                    fields
                        .get(FieldIdx::from_usize(i))
                        .map_or_else(|| format!("_{i}"), |f| f.name.to_string())
                })?;
                self.fill_struct(btf, id, ty, size, members)
            }
            Variants::Multiple {
                tag,
                tag_encoding,
                tag_field,
                variants,
            } => {
                let fieldless = def.variants().iter().all(|v| v.fields.is_empty());
                let tag_size = tag.size(&self.cx).bytes();
                if fieldless && *tag_encoding == TagEncoding::Direct && tag_size == u64::from(size)
                {
                    let signed = matches!(tag.primitive(), Primitive::Int(_, true));
                    let bits = tag_size * 8;
                    let values = def
                        .discriminants(self.tcx)
                        .map(|(v, discr)| {
                            let raw = discr.val << (128 - bits);
                            let value = if signed {
                                (raw as i128 >> (128 - bits)) as i64
                            } else {
                                (raw >> (128 - bits)) as i64
                            };
                            (names::member(&variant_name(v)), value)
                        })
                        .collect();
                    let name = self.type_name(ty);
                    return btf.named(
                        &name,
                        Kind::Enum {
                            size,
                            signed,
                            values,
                        },
                    );
                }
                let id = self.reserve_named(btf, ty)?;
                let enum_name = self.type_name(ty);
                let tag_member = match tag_encoding {
                    TagEncoding::Direct => {
                        let tag_ty = layout.field(&self.cx, tag_field.as_usize()).ty;
                        let offset = layout.fields.offset(tag_field.as_usize()).bits();
                        Some(member(
                            "tag",
                            self.type_id(btf, tag_ty)?,
                            bit_offset(offset)?,
                        ))
                    }
                    TagEncoding::Niche { .. } => None,
                };
                let mut union_members = Vec::new();
                for index in variants.indices() {
                    let variant = layout.for_variant(&self.cx, index);
                    let fields = &def.variant(index).fields;
                    let mut members = self.members(btf, variant, |i| {
                        fields
                            .get(FieldIdx::from_usize(i))
                            .map_or_else(|| format!("_{i}"), |f| f.name.to_string())
                    })?;
                    members.extend(tag_member.clone());
                    members.sort_by_key(|m| m.bit_offset);
                    let vname = names::member(&variant_name(index));
                    let struct_name = self.type_names.claim(format!("{enum_name}_{vname}"));
                    let variant_id = btf.add(Type {
                        name: struct_name,
                        kind: Kind::Struct { size, members },
                    })?;
                    union_members.push(member(&vname, variant_id, 0));
                }
                btf.fill(
                    id,
                    Type {
                        name: enum_name,
                        kind: Kind::Union {
                            size,
                            members: union_members,
                        },
                    },
                )?;
                Ok(id)
            }
        }
    }

    /// The fields of `layout` in offset order, named by `name_of(index)`:
    /// the order of [`super::core_relo::btf_member_index`], by byte
    /// offset then field index. A `btf::Bitfield` marker becomes the
    /// bitfield member it declares, in that order too (after its storage,
    /// by its bits), which must keep bit offsets non-decreasing.
    fn members(
        &mut self,
        btf: &mut Btf,
        layout: TyAndLayout<'tcx>,
        name_of: impl Fn(usize) -> String,
    ) -> Result<Vec<Member>, String> {
        let mut order: Vec<usize> = (0..layout.fields.count()).collect();
        order.sort_by_key(|&i| (layout.fields.offset(i), i));
        let mut members = Vec::new();
        for i in order {
            let field = layout.field(&self.cx, i);
            let offset = layout.fields.offset(i);
            let name = names::member(&name_of(i));
            let member = match super::bitfield::declared(self.tcx, field.ty) {
                Some(bitfield) => Member {
                    name,
                    ty: self.type_id(btf, bitfield.ty)?,
                    bit_offset: bit_offset(bitfield.bit_offset(offset.bytes())?)?,
                    bitfield_size: bitfield.bits,
                },
                None => member(
                    &name,
                    self.type_id(btf, field.ty)?,
                    bit_offset(offset.bits())?,
                ),
            };
            if members
                .last()
                .is_some_and(|m: &Member| m.bit_offset > member.bit_offset)
            {
                return Err(format!(
                    "`{}`: bitfield `{}` is declared out of bit order",
                    layout.ty, member.name
                ));
            }
            members.push(member);
        }
        Ok(members)
    }

    /// Reserves the id of the composite `ty` so that pointers inside it can
    /// refer back to it.
    fn reserve_named(&mut self, btf: &mut Btf, ty: Ty<'tcx>) -> Result<TypeId, String> {
        let id = btf.reserve()?;
        self.cache.insert(ty, id);
        Ok(id)
    }

    fn fill_struct(
        &mut self,
        btf: &mut Btf,
        id: TypeId,
        ty: Ty<'tcx>,
        size: u32,
        members: Vec<Member>,
    ) -> Result<TypeId, String> {
        let name = self.type_name(ty);
        btf.fill(
            id,
            Type {
                name,
                kind: Kind::Struct { size, members },
            },
        )?;
        Ok(id)
    }

    fn fill_struct_new(
        &mut self,
        btf: &mut Btf,
        ty: Ty<'tcx>,
        size: u32,
        members: Vec<Member>,
    ) -> Result<TypeId, String> {
        let id = self.reserve_named(btf, ty)?;
        self.fill_struct(btf, id, ty, size, members)
    }

    /// A readable name for `ty`, unique within the unit. A relocatable type
    /// is named what the kernel calls it (`Relocatable::BTF_NAME`), shared
    /// or not: loaders match it by that name.
    fn type_name(&mut self, ty: Ty<'tcx>) -> String {
        if let Some(name) = super::core_relo::relocatable_name(self.tcx, ty) {
            self.type_names.claim(name.clone());
            return name;
        }
        let text = with_no_trimmed_paths!(ty.to_string());
        self.type_names.claim(names::sanitize(&text))
    }
}

fn int(btf: &mut Btf, name: &str, size: u32, signed: bool) -> Result<TypeId, String> {
    btf.named(
        name,
        Kind::Int {
            size,
            encoding: if signed {
                IntEncoding::Signed
            } else {
                IntEncoding::Unsigned
            },
            bits: u8::try_from(size * 8).map_err(|_| format!("a {size}-byte integer"))?,
        },
    )
}

fn byte(btf: &mut Btf) -> Result<TypeId, String> {
    int(btf, "u8", 1, false)
}

fn member(name: &str, ty: TypeId, bit_offset: u32) -> Member {
    Member {
        name: name.to_string(),
        ty,
        bit_offset,
        bitfield_size: 0,
    }
}

fn bit_offset(bits: u64) -> Result<u32, String> {
    u32::try_from(bits).map_err(|_| "a field beyond 512 MiB".to_string())
}
