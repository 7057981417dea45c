//! The BTF type graph: types with implicit ids (1, 2, …; 0 is `void`),
//! interned so that an identical type added twice gets one id, and
//! reservable so that recursive types (through pointers) can refer to an
//! id before its type is known. Also the `.BTF.ext` records as plain data.

use std::collections::HashMap;

/// A BTF type id; 0 is `void`.
pub(crate) type TypeId = u32;

/// The `void` type.
pub(crate) const VOID: TypeId = 0;

/// The largest type id the kernel accepts.
pub(crate) const MAX_TYPE_ID: TypeId = 0xF_FFFF;

/// How an INT's bits are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum IntEncoding {
    Unsigned,
    Signed,
    Char,
    Bool,
}

/// FUNC and VAR linkage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Linkage {
    Static,
    Global,
    Extern,
}

/// A STRUCT or UNION member.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) ty: TypeId,
    pub(crate) bit_offset: u32,
    /// Non-zero for a bitfield of this many bits.
    pub(crate) bitfield_size: u8,
}

/// A FUNC_PROTO parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) ty: TypeId,
}

/// One VAR (or extern FUNC) placed in a DATASEC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SecVar {
    pub(crate) var: TypeId,
    pub(crate) offset: u32,
    pub(crate) size: u32,
}

/// What a type is; names live in [`Type`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Int {
        size: u32,
        encoding: IntEncoding,
        bits: u8,
    },
    Ptr(TypeId),
    Array {
        elem: TypeId,
        index: TypeId,
        len: u32,
    },
    Struct {
        size: u32,
        members: Vec<Member>,
    },
    Union {
        size: u32,
        members: Vec<Member>,
    },
    /// ENUM when every value fits 32 bits and `size <= 4`, else ENUM64.
    Enum {
        size: u32,
        signed: bool,
        values: Vec<(String, i64)>,
    },
    Fwd {
        union: bool,
    },
    Typedef(TypeId),
    Volatile(TypeId),
    Const(TypeId),
    Restrict(TypeId),
    Func {
        proto: TypeId,
        linkage: Linkage,
    },
    FuncProto {
        ret: TypeId,
        params: Vec<Param>,
        variadic: bool,
    },
    Var {
        ty: TypeId,
        linkage: Linkage,
    },
    Datasec {
        size: u32,
        vars: Vec<SecVar>,
    },
    Float {
        size: u32,
    },
    DeclTag {
        target: TypeId,
        component: i32,
    },
    TypeTag(TypeId),
    /// An id reserved with [`Btf::reserve`] and not yet filled in.
    Reserved,
}

impl Kind {
    /// The type ids this type refers to, in encoding order.
    pub(crate) fn refs(&self) -> Vec<TypeId> {
        match self {
            Kind::Ptr(t)
            | Kind::Typedef(t)
            | Kind::Volatile(t)
            | Kind::Const(t)
            | Kind::Restrict(t)
            | Kind::TypeTag(t) => vec![*t],
            Kind::Array { elem, index, .. } => vec![*elem, *index],
            Kind::Struct { members, .. } | Kind::Union { members, .. } => {
                members.iter().map(|m| m.ty).collect()
            }
            Kind::Func { proto, .. } => vec![*proto],
            Kind::FuncProto { ret, params, .. } => std::iter::once(*ret)
                .chain(params.iter().map(|p| p.ty))
                .collect(),
            Kind::Var { ty, .. } => vec![*ty],
            Kind::Datasec { vars, .. } => vars.iter().map(|v| v.var).collect(),
            Kind::DeclTag { target, .. } => vec![*target],
            Kind::Int { .. } | Kind::Enum { .. } | Kind::Fwd { .. } | Kind::Float { .. } => {
                Vec::new()
            }
            Kind::Reserved => Vec::new(),
        }
    }

    /// The same type with every referenced id passed through `map`.
    pub(crate) fn map_refs(&self, map: &mut dyn FnMut(TypeId) -> TypeId) -> Kind {
        let mut kind = self.clone();
        match &mut kind {
            Kind::Ptr(t)
            | Kind::Typedef(t)
            | Kind::Volatile(t)
            | Kind::Const(t)
            | Kind::Restrict(t)
            | Kind::TypeTag(t) => *t = map(*t),
            Kind::Array { elem, index, .. } => {
                *elem = map(*elem);
                *index = map(*index);
            }
            Kind::Struct { members, .. } | Kind::Union { members, .. } => {
                for m in members {
                    m.ty = map(m.ty);
                }
            }
            Kind::Func { proto, .. } => *proto = map(*proto),
            Kind::FuncProto { ret, params, .. } => {
                *ret = map(*ret);
                for p in params {
                    p.ty = map(p.ty);
                }
            }
            Kind::Var { ty, .. } => *ty = map(*ty),
            Kind::Datasec { vars, .. } => {
                for v in vars {
                    v.var = map(v.var);
                }
            }
            Kind::DeclTag { target, .. } => *target = map(*target),
            Kind::Int { .. }
            | Kind::Enum { .. }
            | Kind::Fwd { .. }
            | Kind::Float { .. }
            | Kind::Reserved => {}
        }
        kind
    }
}

/// A named (or anonymous: empty name) type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Type {
    pub(crate) name: String,
    pub(crate) kind: Kind,
}

/// A BTF type table.
#[derive(Clone, Debug, Default)]
pub(crate) struct Btf {
    /// `types[i]` has id `i + 1`.
    types: Vec<Type>,
    interned: HashMap<Type, TypeId>,
}

impl Btf {
    pub(crate) fn new() -> Btf {
        Btf::default()
    }

    /// The id of `ty`, added unless an identical type exists.
    pub(crate) fn add(&mut self, ty: Type) -> Result<TypeId, String> {
        if let Some(&id) = self.interned.get(&ty) {
            return Ok(id);
        }
        let id = self.next_id()?;
        self.interned.insert(ty.clone(), id);
        self.types.push(ty);
        Ok(id)
    }

    /// Adds `ty` without interning: used for types that must stay distinct
    /// (a VAR per symbol, a DATASEC per section).
    pub(crate) fn push(&mut self, ty: Type) -> Result<TypeId, String> {
        let id = self.next_id()?;
        self.types.push(ty);
        Ok(id)
    }

    /// Shorthand for an anonymous type.
    pub(crate) fn anon(&mut self, kind: Kind) -> Result<TypeId, String> {
        self.add(Type {
            name: String::new(),
            kind,
        })
    }

    /// Shorthand for a named type.
    pub(crate) fn named(&mut self, name: &str, kind: Kind) -> Result<TypeId, String> {
        self.add(Type {
            name: name.to_string(),
            kind,
        })
    }

    /// An id whose type [`Btf::fill`] gives later; for recursive types.
    pub(crate) fn reserve(&mut self) -> Result<TypeId, String> {
        self.push(Type {
            name: String::new(),
            kind: Kind::Reserved,
        })
    }

    /// Gives a reserved id its type.
    pub(crate) fn fill(&mut self, id: TypeId, ty: Type) -> Result<(), String> {
        match self.slot(id) {
            Some(slot) if slot.kind == Kind::Reserved => *slot = ty.clone(),
            _ => return Err(format!("BTF type id {id} is not a reserved id")),
        }
        self.interned.entry(ty).or_insert(id);
        Ok(())
    }

    pub(crate) fn get(&self, id: TypeId) -> Option<&Type> {
        self.types.get((id as usize).checked_sub(1)?)
    }

    fn slot(&mut self, id: TypeId) -> Option<&mut Type> {
        self.types.get_mut((id as usize).checked_sub(1)?)
    }

    /// Every type in id order (the first has id 1).
    pub(crate) fn types(&self) -> &[Type] {
        &self.types
    }

    pub(crate) fn len(&self) -> usize {
        self.types.len()
    }

    fn next_id(&self) -> Result<TypeId, String> {
        let id = TypeId::try_from(self.types.len() + 1).unwrap_or(TypeId::MAX);
        if id > MAX_TYPE_ID {
            return Err(format!("more than {MAX_TYPE_ID} BTF types"));
        }
        Ok(id)
    }
}

/// A `.BTF.ext` func_info record: the function whose code starts at
/// `insn_off` (bytes from the start of `section`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FuncInfo {
    pub(crate) section: String,
    pub(crate) insn_off: u32,
    pub(crate) func: TypeId,
}

/// A `.BTF.ext` line_info record: the source line the instruction at
/// `insn_off` (bytes from the start of `section`) comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LineInfo {
    pub(crate) section: String,
    pub(crate) insn_off: u32,
    pub(crate) file: String,
    /// The text of the source line.
    pub(crate) text: String,
    pub(crate) line: u32,
    pub(crate) col: u32,
}

/// What a CO-RE relocation asks of the loader: relocation `kind` of the
/// access `access` (colon-separated indices) into the named type `root`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CoreAccess {
    pub(crate) root: TypeId,
    pub(crate) access: String,
    pub(crate) kind: u32,
}

/// A `.BTF.ext` core_relo record: the instruction at `insn_off` (bytes
/// from the start of `section`) holds the local answer to `access`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CoreRelo {
    pub(crate) section: String,
    pub(crate) insn_off: u32,
    pub(crate) access: CoreAccess,
}

/// The `.BTF.ext` contents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BtfExt {
    pub(crate) funcs: Vec<FuncInfo>,
    pub(crate) lines: Vec<LineInfo>,
    pub(crate) core_relos: Vec<CoreRelo>,
}
