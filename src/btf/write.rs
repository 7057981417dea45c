//! Encoding `.BTF` and `.BTF.ext` in either byte order.
//!
//! The rules the kernel and libbpf hold an object to (see the BTF section
//! of the design notes): the 24-byte `.BTF` header with `type_off = 0` and
//! the string table right after the types (no padding between them), a
//! string table that starts with an empty string, a 32-byte `.BTF.ext`
//! header, records sorted by instruction offset within one block per
//! section, and no empty block or sub-section (an empty sub-section is
//! written as `len = 0`).

use std::collections::{BTreeMap, HashMap};

use super::types::{Btf, BtfExt, CoreRelo, IntEncoding, Kind, Linkage, TypeId};

pub(crate) const BTF_MAGIC: u16 = 0xEB9F;
pub(crate) const BTF_HEADER_LEN: u32 = 24;
pub(crate) const BTF_EXT_HEADER_LEN: u32 = 32;
pub(crate) const FUNC_INFO_SIZE: u32 = 8;
pub(crate) const LINE_INFO_SIZE: u32 = 16;
pub(crate) const CORE_RELO_SIZE: u32 = 16;

/// Kind numbers of the encoding.
pub(crate) mod kind {
    pub(crate) const INT: u32 = 1;
    pub(crate) const PTR: u32 = 2;
    pub(crate) const ARRAY: u32 = 3;
    pub(crate) const STRUCT: u32 = 4;
    pub(crate) const UNION: u32 = 5;
    pub(crate) const ENUM: u32 = 6;
    pub(crate) const FWD: u32 = 7;
    pub(crate) const TYPEDEF: u32 = 8;
    pub(crate) const VOLATILE: u32 = 9;
    pub(crate) const CONST: u32 = 10;
    pub(crate) const RESTRICT: u32 = 11;
    pub(crate) const FUNC: u32 = 12;
    pub(crate) const FUNC_PROTO: u32 = 13;
    pub(crate) const VAR: u32 = 14;
    pub(crate) const DATASEC: u32 = 15;
    pub(crate) const FLOAT: u32 = 16;
    pub(crate) const DECL_TAG: u32 = 17;
    pub(crate) const TYPE_TAG: u32 = 18;
    pub(crate) const ENUM64: u32 = 19;
}

/// A string table with deduplication; offset 0 is the empty string.
#[derive(Default)]
struct Strings {
    bytes: Vec<u8>,
    offsets: HashMap<String, u32>,
}

impl Strings {
    fn new() -> Strings {
        Strings {
            bytes: vec![0],
            offsets: HashMap::from([(String::new(), 0)]),
        }
    }

    fn add(&mut self, text: &str) -> Result<u32, String> {
        if let Some(&offset) = self.offsets.get(text) {
            return Ok(offset);
        }
        if text.contains('\0') {
            return Err(format!("BTF string {text:?} contains a NUL byte"));
        }
        let offset = u32::try_from(self.bytes.len())
            .ok()
            .filter(|&o| o <= 0xFF_FFFF)
            .ok_or("the BTF string table exceeds 16 MiB")?;
        self.bytes.extend_from_slice(text.as_bytes());
        self.bytes.push(0);
        self.offsets.insert(text.to_string(), offset);
        Ok(offset)
    }
}

/// Appends `u32`/`u16` words in the target's byte order.
struct Out {
    bytes: Vec<u8>,
    big_endian: bool,
}

impl Out {
    fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        });
    }

    fn u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        });
    }

    fn header_start(&mut self, hdr_len: u32) {
        self.u16(BTF_MAGIC);
        self.bytes.push(1);
        self.bytes.push(0);
        self.u32(hdr_len);
    }
}

fn info(kind: u32, vlen: usize, kflag: bool) -> Result<u32, String> {
    let vlen = u32::try_from(vlen)
        .ok()
        .filter(|&v| v <= 0xFFFF)
        .ok_or_else(|| format!("a BTF type with {vlen} members (at most 65535)"))?;
    Ok(u32::from(kflag) << 31 | kind << 24 | vlen)
}

fn linkage_value(linkage: Linkage) -> u32 {
    match linkage {
        Linkage::Static => 0,
        Linkage::Global => 1,
        Linkage::Extern => 2,
    }
}

/// Encodes `btf` and `ext`: the `.BTF` bytes and, when `ext` holds any
/// record, the `.BTF.ext` bytes (which share `.BTF`'s string table).
pub(crate) fn write(
    btf: &Btf,
    ext: &BtfExt,
    big_endian: bool,
) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    let mut strings = Strings::new();
    let mut types = Out {
        bytes: Vec::new(),
        big_endian,
    };
    for (index, ty) in btf.types().iter().enumerate() {
        encode_type(&mut types, &mut strings, &ty.name, &ty.kind)
            .map_err(|e| format!("BTF type {} `{}`: {e}", index + 1, ty.name))?;
    }
    let ext_bytes = encode_ext(ext, &mut strings, big_endian)?;
    let type_len = u32::try_from(types.bytes.len()).map_err(|_| "BTF types exceed 4 GiB")?;
    let str_len = u32::try_from(strings.bytes.len()).map_err(|_| "BTF strings exceed 4 GiB")?;
    let mut out = Out {
        bytes: Vec::with_capacity(24 + types.bytes.len() + strings.bytes.len()),
        big_endian,
    };
    out.header_start(BTF_HEADER_LEN);
    for word in [0, type_len, type_len, str_len] {
        out.u32(word);
    }
    out.bytes.extend_from_slice(&types.bytes);
    out.bytes.extend_from_slice(&strings.bytes);
    Ok((out.bytes, ext_bytes))
}

fn encode_type(
    out: &mut Out,
    strings: &mut Strings,
    name: &str,
    kind: &Kind,
) -> Result<(), String> {
    let name_off = strings.add(name)?;
    out.u32(name_off);
    match kind {
        Kind::Int {
            size,
            encoding,
            bits,
        } => {
            out.u32(info(kind::INT, 0, false)?);
            out.u32(*size);
            let enc = match encoding {
                IntEncoding::Unsigned => 0,
                IntEncoding::Signed => 1,
                IntEncoding::Char => 2,
                IntEncoding::Bool => 4,
            };
            out.u32(enc << 24 | u32::from(*bits));
        }
        Kind::Ptr(t) => simple(out, kind::PTR, *t)?,
        Kind::Typedef(t) => simple(out, kind::TYPEDEF, *t)?,
        Kind::Volatile(t) => simple(out, kind::VOLATILE, *t)?,
        Kind::Const(t) => simple(out, kind::CONST, *t)?,
        Kind::Restrict(t) => simple(out, kind::RESTRICT, *t)?,
        Kind::TypeTag(t) => simple(out, kind::TYPE_TAG, *t)?,
        Kind::Array { elem, index, len } => {
            out.u32(info(kind::ARRAY, 0, false)?);
            out.u32(0);
            out.u32(*elem);
            out.u32(*index);
            out.u32(*len);
        }
        Kind::Struct { size, members } | Kind::Union { size, members } => {
            let k = if matches!(kind, Kind::Struct { .. }) {
                kind::STRUCT
            } else {
                kind::UNION
            };
            let bitfields = members.iter().any(|m| m.bitfield_size != 0);
            out.u32(info(k, members.len(), bitfields)?);
            out.u32(*size);
            for member in members {
                out.u32(strings.add(&member.name)?);
                out.u32(member.ty);
                if bitfields {
                    if member.bit_offset > 0xFF_FFFF {
                        return Err(format!("member `{}` lies beyond 2 MiB", member.name));
                    }
                    out.u32(u32::from(member.bitfield_size) << 24 | member.bit_offset);
                } else {
                    out.u32(member.bit_offset);
                }
            }
        }
        Kind::Enum {
            size,
            signed,
            values,
        } => {
            let fits32 = values
                .iter()
                .all(|&(_, v)| i32::try_from(v).is_ok() || (!*signed && u32::try_from(v).is_ok()));
            if *size <= 4 && fits32 {
                out.u32(info(kind::ENUM, values.len(), *signed)?);
                out.u32(*size);
                for (name, value) in values {
                    out.u32(strings.add(name)?);
                    out.u32(*value as u32);
                }
            } else {
                out.u32(info(kind::ENUM64, values.len(), *signed)?);
                out.u32(*size);
                for (name, value) in values {
                    out.u32(strings.add(name)?);
                    out.u32(*value as u32);
                    out.u32((*value >> 32) as u32);
                }
            }
        }
        Kind::Fwd { union } => {
            out.u32(info(kind::FWD, 0, *union)?);
            out.u32(0);
        }
        Kind::Func { proto, linkage } => {
            out.u32(info(kind::FUNC, linkage_value(*linkage) as usize, false)?);
            out.u32(*proto);
        }
        Kind::FuncProto {
            ret,
            params,
            variadic,
        } => {
            out.u32(info(
                kind::FUNC_PROTO,
                params.len() + usize::from(*variadic),
                false,
            )?);
            out.u32(*ret);
            for param in params {
                out.u32(strings.add(&param.name)?);
                out.u32(param.ty);
            }
            if *variadic {
                out.u32(0);
                out.u32(0);
            }
        }
        Kind::Var { ty, linkage } => {
            out.u32(info(kind::VAR, 0, false)?);
            out.u32(*ty);
            out.u32(linkage_value(*linkage));
        }
        Kind::Datasec { size, vars } => {
            out.u32(info(kind::DATASEC, vars.len(), false)?);
            out.u32(*size);
            for var in vars {
                out.u32(var.var);
                out.u32(var.offset);
                out.u32(var.size);
            }
        }
        Kind::Float { size } => {
            out.u32(info(kind::FLOAT, 0, false)?);
            out.u32(*size);
        }
        Kind::DeclTag { target, component } => {
            out.u32(info(kind::DECL_TAG, 0, false)?);
            out.u32(*target);
            out.u32(*component as u32);
        }
        Kind::Reserved => return Err("reserved but never defined".into()),
    }
    Ok(())
}

fn simple(out: &mut Out, k: u32, target: TypeId) -> Result<(), String> {
    out.u32(info(k, 0, false)?);
    out.u32(target);
    Ok(())
}

/// The `.BTF.ext` bytes, `None` when there is no record at all.
fn encode_ext(
    ext: &BtfExt,
    strings: &mut Strings,
    big_endian: bool,
) -> Result<Option<Vec<u8>>, String> {
    if ext.funcs.is_empty() && ext.lines.is_empty() && ext.core_relos.is_empty() {
        return Ok(None);
    }
    // Records grouped by section (sorted by name for a stable output),
    // sorted by offset within a section.
    let mut funcs: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for f in &ext.funcs {
        funcs
            .entry(&f.section)
            .or_default()
            .push((f.insn_off, f.func));
    }
    let mut lines: BTreeMap<&str, Vec<[u32; 4]>> = BTreeMap::new();
    for l in &ext.lines {
        let file = strings.add(&l.file)?;
        let text = strings.add(&l.text)?;
        let line = l.line.min(0x3F_FFFF);
        let col = l.col.min(0x3FF);
        lines
            .entry(&l.section)
            .or_default()
            .push([l.insn_off, file, text, line << 10 | col]);
    }
    let mut body = Out {
        bytes: Vec::new(),
        big_endian,
    };
    let func_len = if funcs.is_empty() {
        0
    } else {
        body.u32(FUNC_INFO_SIZE);
        for (section, mut records) in funcs {
            records.sort();
            body.u32(strings.add(section)?);
            body.u32(count(records.len())?);
            for (off, ty) in records {
                body.u32(off);
                body.u32(ty);
            }
        }
        body.bytes.len()
    };
    let line_start = body.bytes.len();
    if !lines.is_empty() {
        body.u32(LINE_INFO_SIZE);
        for (section, mut records) in lines {
            records.sort_by_key(|r| r[0]);
            body.u32(strings.add(section)?);
            body.u32(count(records.len())?);
            for record in records {
                for word in record {
                    body.u32(word);
                }
            }
        }
    }
    let line_len = body.bytes.len() - line_start;
    let core_start = body.bytes.len();
    encode_core_relos(&mut body, &ext.core_relos, strings)?;
    let core_len = body.bytes.len() - core_start;
    let as_u32 = |n: usize| u32::try_from(n).map_err(|_| "BTF.ext exceeds 4 GiB".to_string());
    let mut out = Out {
        bytes: Vec::new(),
        big_endian,
    };
    out.header_start(BTF_EXT_HEADER_LEN);
    for word in [
        0,
        as_u32(func_len)?,
        as_u32(line_start)?,
        as_u32(line_len)?,
        as_u32(core_start)?,
        as_u32(core_len)?,
    ] {
        out.u32(word);
    }
    out.bytes.extend_from_slice(&body.bytes);
    Ok(Some(out.bytes))
}

/// The core_relo sub-section (nothing when there is no record): one block
/// per section, records sorted by offset.
fn encode_core_relos(
    body: &mut Out,
    relos: &[CoreRelo],
    strings: &mut Strings,
) -> Result<(), String> {
    if relos.is_empty() {
        return Ok(());
    }
    let mut blocks: BTreeMap<&str, Vec<[u32; 4]>> = BTreeMap::new();
    for r in relos {
        let access = strings.add(&r.access.access)?;
        blocks.entry(&r.section).or_default().push([
            r.insn_off,
            r.access.root,
            access,
            r.access.kind,
        ]);
    }
    body.u32(CORE_RELO_SIZE);
    for (section, mut records) in blocks {
        records.sort();
        body.u32(strings.add(section)?);
        body.u32(count(records.len())?);
        for record in records {
            for word in record {
                body.u32(word);
            }
        }
    }
    Ok(())
}

fn count(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "too many BTF.ext records in one section".to_string())
}
