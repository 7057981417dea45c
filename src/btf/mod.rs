//! BTF: the type graph, Rust types and signatures described in it, the
//! `.BTF`/`.BTF.ext` encoders and decoders, and merging for the linker.
//!
//! The encoders are written here rather than taken from a crate: the
//! backend must produce exactly the subset the kernel and libbpf accept
//! (header layout, string placement, sanitised names, no empty `.BTF.ext`
//! blocks) in either byte order, which is a few hundred lines, while the
//! BTF crates available are readers or pull in a loader.

pub(crate) mod bitfield;
pub(crate) mod core_relo;
pub(crate) mod from_rustc;
pub(crate) mod kfuncs;
pub(crate) mod merge;
pub(crate) mod names;
pub(crate) mod object;
pub(crate) mod read;
pub(crate) mod types;
pub(crate) mod write;

#[cfg(test)]
mod tests;

use types::{Btf, IntEncoding, Kind, Param, TypeId, VOID};

/// Where an instruction came from in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceLine {
    pub(crate) file: String,
    /// The text of the line.
    pub(crate) text: String,
    pub(crate) line: u32,
    pub(crate) col: u32,
}

/// What BTF knows about one compiled function.
#[derive(Clone, Debug)]
pub(crate) struct FunctionDebug {
    /// The FUNC's name (a valid BTF name).
    pub(crate) name: String,
    /// Its FUNC_PROTO in the module's type table.
    pub(crate) proto: TypeId,
    /// Byte offsets from the function's start with their source lines,
    /// in increasing offset order, the first at offset 0.
    pub(crate) lines: Vec<(u32, SourceLine)>,
    /// CO-RE relocations at byte offsets from the function's start.
    pub(crate) core_relos: Vec<(u32, types::CoreAccess)>,
}

/// A FUNC_PROTO for a function known only by the sizes of its machine
/// arguments and result (in bytes; `None` for no result): unsigned
/// integers, parameters named `argN`.
pub(crate) fn proto_of_sizes(
    btf: &mut Btf,
    params: &[u32],
    ret: Option<u32>,
) -> Result<TypeId, String> {
    let mut int = |size: u32| -> Result<TypeId, String> {
        if !matches!(size, 1 | 2 | 4 | 8 | 16) {
            return Ok(VOID);
        }
        btf.named(
            &format!("u{}", size * 8),
            Kind::Int {
                size,
                encoding: IntEncoding::Unsigned,
                bits: (size * 8) as u8,
            },
        )
    };
    let ret = match ret {
        Some(size) => int(size)?,
        None => VOID,
    };
    let mut list = Vec::with_capacity(params.len());
    for (i, &size) in params.iter().enumerate() {
        let ty = int(size)?;
        list.push(Param {
            name: format!("arg{i}"),
            ty: if ty == VOID {
                // Parameters cannot be `void`; a pointer-sized integer.
                int(8)?
            } else {
                ty
            },
        });
    }
    btf.anon(Kind::FuncProto {
        ret,
        params: list,
        variadic: false,
    })
}
