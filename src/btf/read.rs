//! Parsing `.BTF` and `.BTF.ext` (either byte order, told by the magic)
//! back into [`Btf`] and [`BtfExt`], for the linker. Every malformed input
//! is an error naming what is wrong.

use super::types::{
    Btf, BtfExt, CoreAccess, CoreRelo, FuncInfo, IntEncoding, Kind, LineInfo, Linkage, Member,
    Param, SecVar, Type,
};
use super::write::{BTF_MAGIC, CORE_RELO_SIZE, FUNC_INFO_SIZE, LINE_INFO_SIZE, kind};

/// Reads words at increasing offsets.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    big_endian: bool,
    what: &'static str,
}

impl Cursor<'_> {
    fn u32(&mut self) -> Result<u32, String> {
        let word: [u8; 4] = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("{} is truncated", self.what))?;
        self.pos += 4;
        Ok(if self.big_endian {
            u32::from_be_bytes(word)
        } else {
            u32::from_le_bytes(word)
        })
    }
}

/// The byte order of a BTF blob from its magic.
fn byte_order(bytes: &[u8], what: &str) -> Result<bool, String> {
    match bytes.get(..2) {
        Some(m) if u16::from_le_bytes([m[0], m[1]]) == BTF_MAGIC => Ok(false),
        Some(m) if u16::from_be_bytes([m[0], m[1]]) == BTF_MAGIC => Ok(true),
        _ => Err(format!("{what} has no BTF magic")),
    }
}

/// The parsed `.BTF`, keeping the raw string table for `.BTF.ext`.
#[derive(Debug)]
pub(crate) struct ParsedBtf {
    pub(crate) btf: Btf,
    strings: Vec<u8>,
}

impl ParsedBtf {
    fn string(&self, offset: u32) -> Result<String, String> {
        let start = offset as usize;
        let tail = self
            .strings
            .get(start..)
            .ok_or_else(|| format!("BTF string offset {offset} is out of range"))?;
        let end = tail
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| format!("BTF string at {offset} is not terminated"))?;
        String::from_utf8(tail[..end].to_vec())
            .map_err(|_| format!("BTF string at {offset} is not UTF-8"))
    }
}

/// Parses a `.BTF` section.
pub(crate) fn read_btf(bytes: &[u8]) -> Result<ParsedBtf, String> {
    let big_endian = byte_order(bytes, ".BTF")?;
    let mut header = Cursor {
        bytes,
        pos: 4,
        big_endian,
        what: "the .BTF header",
    };
    let hdr_len = header.u32()? as usize;
    let [type_off, type_len, str_off, str_len] =
        [header.u32()?, header.u32()?, header.u32()?, header.u32()?].map(|w| w as usize);
    let section = |off: usize, len: usize, what: &str| {
        bytes
            .get(hdr_len + off..hdr_len + off + len)
            .ok_or_else(|| format!(".BTF {what} lie outside the section"))
    };
    let type_bytes = section(type_off, type_len, "types")?;
    let strings = section(str_off, str_len, "strings")?.to_vec();
    let mut parsed = ParsedBtf {
        btf: Btf::new(),
        strings,
    };
    let mut cur = Cursor {
        bytes: type_bytes,
        pos: 0,
        big_endian,
        what: ".BTF types",
    };
    while cur.pos < type_bytes.len() {
        let id = parsed.btf.len() + 1;
        let ty = read_type(&mut cur, &parsed).map_err(|e| format!("BTF type {id}: {e}"))?;
        parsed.btf.push(ty)?;
    }
    Ok(parsed)
}

fn read_type(cur: &mut Cursor<'_>, parsed: &ParsedBtf) -> Result<Type, String> {
    let name = parsed.string(cur.u32()?)?;
    let info = cur.u32()?;
    let size_or_type = cur.u32()?;
    let vlen = (info & 0xFFFF) as usize;
    let kflag = info >> 31 != 0;
    let k = (info >> 24) & 0x1F;
    let members = |cur: &mut Cursor<'_>| -> Result<Vec<Member>, String> {
        (0..vlen)
            .map(|_| {
                let name = parsed.string(cur.u32()?)?;
                let ty = cur.u32()?;
                let offset = cur.u32()?;
                Ok(if kflag {
                    Member {
                        name,
                        ty,
                        bit_offset: offset & 0xFF_FFFF,
                        bitfield_size: (offset >> 24) as u8,
                    }
                } else {
                    Member {
                        name,
                        ty,
                        bit_offset: offset,
                        bitfield_size: 0,
                    }
                })
            })
            .collect()
    };
    let linkage = |value: u32| match value {
        0 => Ok(Linkage::Static),
        1 => Ok(Linkage::Global),
        2 => Ok(Linkage::Extern),
        other => Err(format!("unknown linkage {other}")),
    };
    let kind = match k {
        kind::INT => {
            let word = cur.u32()?;
            let encoding = match word >> 24 {
                0 => IntEncoding::Unsigned,
                1 => IntEncoding::Signed,
                2 => IntEncoding::Char,
                4 => IntEncoding::Bool,
                other => return Err(format!("unknown INT encoding {other}")),
            };
            if word >> 16 & 0xFF != 0 {
                return Err("INT with a bit offset is not supported".into());
            }
            Kind::Int {
                size: size_or_type,
                encoding,
                bits: word as u8,
            }
        }
        kind::PTR => Kind::Ptr(size_or_type),
        kind::TYPEDEF => Kind::Typedef(size_or_type),
        kind::VOLATILE => Kind::Volatile(size_or_type),
        kind::CONST => Kind::Const(size_or_type),
        kind::RESTRICT => Kind::Restrict(size_or_type),
        kind::TYPE_TAG => Kind::TypeTag(size_or_type),
        kind::ARRAY => Kind::Array {
            elem: cur.u32()?,
            index: cur.u32()?,
            len: cur.u32()?,
        },
        kind::STRUCT => Kind::Struct {
            size: size_or_type,
            members: members(cur)?,
        },
        kind::UNION => Kind::Union {
            size: size_or_type,
            members: members(cur)?,
        },
        kind::ENUM => Kind::Enum {
            size: size_or_type,
            signed: kflag,
            values: (0..vlen)
                .map(|_| {
                    let name = parsed.string(cur.u32()?)?;
                    let raw = cur.u32()?;
                    let value = if kflag {
                        i64::from(raw as i32)
                    } else {
                        i64::from(raw)
                    };
                    Ok((name, value))
                })
                .collect::<Result<_, String>>()?,
        },
        kind::ENUM64 => Kind::Enum {
            size: size_or_type,
            signed: kflag,
            values: (0..vlen)
                .map(|_| {
                    let name = parsed.string(cur.u32()?)?;
                    let lo = u64::from(cur.u32()?);
                    let hi = u64::from(cur.u32()?);
                    Ok((name, (hi << 32 | lo) as i64))
                })
                .collect::<Result<_, String>>()?,
        },
        kind::FWD => Kind::Fwd { union: kflag },
        kind::FUNC => Kind::Func {
            proto: size_or_type,
            linkage: linkage(vlen as u32)?,
        },
        kind::FUNC_PROTO => {
            let mut params = Vec::with_capacity(vlen);
            let mut variadic = false;
            for i in 0..vlen {
                let name_off = cur.u32()?;
                let ty = cur.u32()?;
                if i + 1 == vlen && name_off == 0 && ty == 0 {
                    variadic = true;
                } else {
                    params.push(Param {
                        name: parsed.string(name_off)?,
                        ty,
                    });
                }
            }
            Kind::FuncProto {
                ret: size_or_type,
                params,
                variadic,
            }
        }
        kind::VAR => Kind::Var {
            ty: size_or_type,
            linkage: linkage(cur.u32()?)?,
        },
        kind::DATASEC => Kind::Datasec {
            size: size_or_type,
            vars: (0..vlen)
                .map(|_| {
                    Ok(SecVar {
                        var: cur.u32()?,
                        offset: cur.u32()?,
                        size: cur.u32()?,
                    })
                })
                .collect::<Result<_, String>>()?,
        },
        kind::FLOAT => Kind::Float { size: size_or_type },
        kind::DECL_TAG => Kind::DeclTag {
            target: size_or_type,
            component: cur.u32()? as i32,
        },
        other => return Err(format!("unknown BTF kind {other}")),
    };
    Ok(Type { name, kind })
}

/// Parses a `.BTF.ext` section whose strings live in `btf`.
pub(crate) fn read_ext(bytes: &[u8], btf: &ParsedBtf) -> Result<BtfExt, String> {
    let big_endian = byte_order(bytes, ".BTF.ext")?;
    let mut header = Cursor {
        bytes,
        pos: 4,
        big_endian,
        what: "the .BTF.ext header",
    };
    let hdr_len = header.u32()? as usize;
    let func = (header.u32()? as usize, header.u32()? as usize);
    let line = (header.u32()? as usize, header.u32()? as usize);
    // The 24-byte header of old objects has no core_relo sub-section.
    let core = if hdr_len >= 32 {
        (header.u32()? as usize, header.u32()? as usize)
    } else {
        (0, 0)
    };
    let sub = |(off, len): (usize, usize)| -> Result<&[u8], String> {
        bytes
            .get(hdr_len + off..hdr_len + off + len)
            .ok_or_else(|| ".BTF.ext sub-section lies outside the section".to_string())
    };
    let mut ext = BtfExt::default();
    for_each_record(sub(func)?, big_endian, FUNC_INFO_SIZE, |section, cur| {
        ext.funcs.push(FuncInfo {
            section: btf.string(section)?,
            insn_off: cur.u32()?,
            func: cur.u32()?,
        });
        Ok(())
    })?;
    for_each_record(sub(line)?, big_endian, LINE_INFO_SIZE, |section, cur| {
        let insn_off = cur.u32()?;
        let file = btf.string(cur.u32()?)?;
        let text = btf.string(cur.u32()?)?;
        let line_col = cur.u32()?;
        ext.lines.push(LineInfo {
            section: btf.string(section)?,
            insn_off,
            file,
            text,
            line: line_col >> 10,
            col: line_col & 0x3FF,
        });
        Ok(())
    })?;
    for_each_record(sub(core)?, big_endian, CORE_RELO_SIZE, |section, cur| {
        let insn_off = cur.u32()?;
        let root = cur.u32()?;
        let access = btf.string(cur.u32()?)?;
        let kind = cur.u32()?;
        ext.core_relos.push(CoreRelo {
            section: btf.string(section)?,
            insn_off,
            access: CoreAccess { root, access, kind },
        });
        Ok(())
    })?;
    Ok(ext)
}

/// Walks the blocks of one sub-section, calling `record` with the block's
/// section name offset and a cursor at each record.
fn for_each_record(
    bytes: &[u8],
    big_endian: bool,
    min_size: u32,
    mut record: impl FnMut(u32, &mut Cursor<'_>) -> Result<(), String>,
) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut cur = Cursor {
        bytes,
        pos: 0,
        big_endian,
        what: ".BTF.ext records",
    };
    let rec_size = cur.u32()?;
    if rec_size < min_size {
        return Err(format!(".BTF.ext record size {rec_size} is too small"));
    }
    while cur.pos < bytes.len() {
        let section = cur.u32()?;
        let count = cur.u32()?;
        for _ in 0..count {
            let start = cur.pos;
            record(section, &mut cur)?;
            cur.pos = start + rec_size as usize;
        }
    }
    Ok(())
}
