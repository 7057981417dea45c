//! Merging the BTF of several objects: each input's types are imported on
//! demand (only what kept functions and data reach), with their ids
//! remapped, and identical types of different inputs become one.
//!
//! Identity is structural: a type's class is its kind, name, scalar fields
//! and the classes of the types it refers to. A pointer to a named struct,
//! union, enum or forward declaration counts only the pointee's kind and
//! name, which is what breaks the cycles recursive types form (BTF cycles
//! always pass through a pointer). Two different structs of one name that
//! differ only behind such pointers are merged; libbpf's full
//! deduplication would keep them apart, which matters only for types the
//! Rust compiler never produces with equal names.

use std::collections::HashMap;

use super::types::{Btf, Kind, Type, TypeId, VOID};

/// The output type table and the classes seen so far.
#[derive(Default)]
pub(crate) struct Merger {
    out: Btf,
    /// Class key -> class number.
    classes: HashMap<String, u32>,
    /// Class number -> output id.
    by_class: HashMap<u32, TypeId>,
}

/// What has been imported from one input.
#[derive(Default)]
pub(crate) struct Imported {
    ids: HashMap<TypeId, TypeId>,
    classes: HashMap<TypeId, u32>,
    /// Types whose class is being computed (cycle detection).
    open: Vec<TypeId>,
}

impl Merger {
    pub(crate) fn new() -> Merger {
        Merger::default()
    }

    pub(crate) fn finish(self) -> Btf {
        self.out
    }

    /// The output id of `input`'s type `id`, importing it and what it
    /// refers to on first use.
    pub(crate) fn import(
        &mut self,
        input: &Btf,
        seen: &mut Imported,
        id: TypeId,
    ) -> Result<TypeId, String> {
        if id == VOID {
            return Ok(VOID);
        }
        if let Some(&out) = seen.ids.get(&id) {
            return Ok(out);
        }
        let class = self.class(input, seen, id)?;
        if let Some(&out) = self.by_class.get(&class) {
            seen.ids.insert(id, out);
            return Ok(out);
        }
        let ty = lookup(input, id)?;
        let out = self.out.reserve()?;
        seen.ids.insert(id, out);
        self.by_class.insert(class, out);
        let mut error = None;
        let kind = ty
            .kind
            .map_refs(&mut |child| match self.import(input, seen, child) {
                Ok(mapped) => mapped,
                Err(e) => {
                    error.get_or_insert(e);
                    VOID
                }
            });
        if let Some(e) = error {
            return Err(e);
        }
        self.out.fill(
            out,
            Type {
                name: ty.name.clone(),
                kind,
            },
        )?;
        Ok(out)
    }

    /// The structural class of `input`'s type `id`; see the module docs.
    fn class(&mut self, input: &Btf, seen: &mut Imported, id: TypeId) -> Result<u32, String> {
        if let Some(&class) = seen.classes.get(&id) {
            return Ok(class);
        }
        let ty = lookup(input, id)?;
        let key = if seen.open.contains(&id) {
            // A cycle not broken by a named pointee: identify by position.
            format!("cycle:{}:{id}", ty.name)
        } else {
            seen.open.push(id);
            let key = self.key(input, seen, ty);
            seen.open.pop();
            let key = key?;
            let next = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
            let class = *self.classes.entry(key).or_insert(next);
            seen.classes.insert(id, class);
            return Ok(class);
        };
        let next = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
        Ok(*self.classes.entry(key).or_insert(next))
    }

    fn key(&mut self, input: &Btf, seen: &mut Imported, ty: &Type) -> Result<String, String> {
        let mut children = Vec::new();
        let pointee = match &ty.kind {
            Kind::Ptr(target) => Some(*target),
            _ => None,
        };
        let named_pointee = pointee
            .and_then(|t| input.get(t))
            .filter(|t| {
                !t.name.is_empty()
                    && matches!(
                        t.kind,
                        Kind::Struct { .. }
                            | Kind::Union { .. }
                            | Kind::Enum { .. }
                            | Kind::Fwd { .. }
                    )
            })
            .map(|t| format!("{}:{}", tag(&t.kind), t.name));
        if named_pointee.is_none() {
            for child in ty.kind.refs() {
                children.push(if child == VOID {
                    "v".to_string()
                } else {
                    self.class(input, seen, child)?.to_string()
                });
            }
        }
        // The scalar fields are those left after blanking the references.
        let scalars = ty.kind.map_refs(&mut |_| VOID);
        Ok(format!(
            "{}|{}|{scalars:?}|{}|{}",
            tag(&ty.kind),
            ty.name,
            named_pointee.unwrap_or_default(),
            children.join(",")
        ))
    }
}

fn lookup(input: &Btf, id: TypeId) -> Result<&Type, String> {
    input
        .get(id)
        .ok_or_else(|| format!("BTF type id {id} is out of range"))
}

fn tag(kind: &Kind) -> &'static str {
    match kind {
        Kind::Struct { .. } => "struct",
        Kind::Union { .. } => "union",
        Kind::Enum { .. } => "enum",
        Kind::Fwd { union: true } => "union",
        Kind::Fwd { union: false } => "struct",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::btf::types::{IntEncoding, Member};

    /// `struct Node { next: *Node, value: u32 }` plus an unrelated `u64`.
    fn list(extra_first: bool) -> (Btf, TypeId) {
        let mut btf = Btf::new();
        if extra_first {
            btf.named(
                "u64",
                Kind::Int {
                    size: 8,
                    encoding: IntEncoding::Unsigned,
                    bits: 64,
                },
            )
            .unwrap();
        }
        let node = btf.reserve().unwrap();
        let ptr = btf.anon(Kind::Ptr(node)).unwrap();
        let u32_ = btf
            .named(
                "u32",
                Kind::Int {
                    size: 4,
                    encoding: IntEncoding::Unsigned,
                    bits: 32,
                },
            )
            .unwrap();
        let member = |name: &str, ty, bit_offset| Member {
            name: name.into(),
            ty,
            bit_offset,
            bitfield_size: 0,
        };
        btf.fill(
            node,
            Type {
                name: "Node".into(),
                kind: Kind::Struct {
                    size: 16,
                    members: vec![member("next", ptr, 0), member("value", u32_, 64)],
                },
            },
        )
        .unwrap();
        (btf, node)
    }

    #[test]
    fn recursive_types_of_two_inputs_become_one() {
        let (a, node_a) = list(false);
        let (b, node_b) = list(true);
        let mut merger = Merger::new();
        let x = merger.import(&a, &mut Imported::default(), node_a).unwrap();
        let y = merger.import(&b, &mut Imported::default(), node_b).unwrap();
        assert_eq!(x, y);
        let out = merger.finish();
        // Node, its pointer and u32; the unused u64 of `b` is not imported.
        assert_eq!(out.len(), 3);
        let Kind::Struct { members, .. } = &out.get(x).unwrap().kind else {
            panic!("not a struct");
        };
        assert_eq!(out.get(members[0].ty).unwrap().kind, Kind::Ptr(x));
    }

    #[test]
    fn different_layouts_stay_apart() {
        let (a, node_a) = list(false);
        let (mut b, node_b) = list(false);
        let mut changed = b.get(node_b).unwrap().clone();
        if let Kind::Struct { size, .. } = &mut changed.kind {
            *size = 24;
        }
        let mut c = Btf::new();
        for (i, ty) in b.types().iter().enumerate() {
            c.push(if i + 1 == node_b as usize {
                changed.clone()
            } else {
                ty.clone()
            })
            .unwrap();
        }
        b = c;
        let mut merger = Merger::new();
        let x = merger.import(&a, &mut Imported::default(), node_a).unwrap();
        let y = merger.import(&b, &mut Imported::default(), node_b).unwrap();
        assert_ne!(x, y);
        assert!(merger.import(&a, &mut Imported::default(), 99).is_err());
    }
}
