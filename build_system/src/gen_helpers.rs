//! `./y.sh gen-helpers`: writes `library/bpf_builtins/src/helpers.rs`, every
//! kernel helper of the UAPI `bpf.h` (`/usr/include/linux/bpf.h`, from
//! linux-libc-dev) declared with `#[kernel_helper(N)]`. Helper numbers come
//! from the entries of `___BPF_FUNC_MAPPER` (`FN(name, id, ...)`; older
//! headers have `__BPF_FUNC_MAPPER` with `FN(name)`, numbered by
//! position), signatures from the prototype line of each helper's
//! description in the header's doc comment.
//!
//! The parser is written here: the header's helper documentation is a
//! fixed, line-oriented format (the kernel's own `scripts/bpf_doc.py` reads
//! it with two regular expressions) and the build system is std-only; a C
//! parser would not read doc comments anyway.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::paths::Dirs;

/// The header the helpers come from.
pub const UAPI_HEADER: &str = "/usr/include/linux/bpf.h";

/// Where the generated declarations go, relative to the root.
pub fn output_path(dirs: &Dirs) -> PathBuf {
    dirs.root.join("library/bpf_builtins/src/helpers.rs")
}

pub fn main(dirs: &Dirs, args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("gen-helpers takes no arguments (got `{arg}`)"));
    }
    let text = generate(Path::new(UAPI_HEADER))?;
    let out = output_path(dirs);
    std::fs::write(&out, &text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("wrote {} ({} helpers)", out.display(), count(&text));
    Ok(())
}

/// How many helpers `generated` declares.
pub fn count(generated: &str) -> usize {
    generated.matches("#[kernel_helper(").count()
}

/// The text of `helpers.rs` from the header at `header`.
pub fn generate(header: &Path) -> Result<String, String> {
    let source = std::fs::read_to_string(header)
        .map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let helpers = helper_numbers(&source)?;
    let prototypes = prototypes(&source);
    let mut out = String::from(
        "//! Every kernel helper of the UAPI `bpf.h` `./y.sh gen-helpers` read\n\
         //! (`/usr/include/linux/bpf.h`), declared with [`kernel_helper`]: calls\n\
         //! are `call N`. Each carries its C prototype. Pointers to kernel\n\
         //! structures are `c_void` pointers. Generated: do not edit.\n\n\
         #![allow(clippy::missing_safety_doc)]\n\n\
         use core::ffi::{c_char, c_void};\n\n\
         use crate::kernel_helper;\n",
    );
    for (name, id) in helpers {
        if id == 0 {
            // `unspec`: not a helper.
            continue;
        }
        let full = format!("bpf_{name}");
        let proto = prototypes
            .get(&full)
            .ok_or_else(|| format!("{}: no prototype documented for `{full}`", header.display()))?;
        let rust = rust_signature(&full, proto)
            .map_err(|e| format!("{}: `{proto}`: {e}", header.display()))?;
        out.push_str(&format!(
            "\n/// `{proto}`\n#[kernel_helper({id})]\npub fn {rust};\n"
        ));
    }
    Ok(out)
}

/// `(name, number)` of every helper, in order.
fn helper_numbers(source: &str) -> Result<Vec<(String, u32)>, String> {
    let start = ["#define ___BPF_FUNC_MAPPER(", "#define __BPF_FUNC_MAPPER("]
        .iter()
        .find_map(|define| source.find(define))
        .ok_or("no `___BPF_FUNC_MAPPER` or `__BPF_FUNC_MAPPER` definition")?;
    let mut helpers = Vec::new();
    for line in source[start..].lines().skip(1) {
        let entry = line.trim().trim_end_matches('\\').trim();
        let Some(args) = entry
            .strip_prefix("FN(")
            .and_then(|rest| rest.trim_end_matches(',').strip_suffix(')'))
        else {
            break;
        };
        let mut fields = args.split(',').map(str::trim);
        let name = fields.next().unwrap_or_default().to_string();
        let id = match fields.next() {
            Some(id) => id
                .parse()
                .map_err(|_| format!("`{entry}`: helper number `{id}`"))?,
            None => u32::try_from(helpers.len()).map_err(|e| e.to_string())?,
        };
        helpers.push((name, id));
    }
    if helpers.len() < 2 {
        return Err("the helper list is empty".into());
    }
    Ok(helpers)
}

/// Prototype lines of the helper documentation, by function name:
/// ` * long bpf_name(args)` directly below the comment's margin.
fn prototypes(source: &str) -> HashMap<String, String> {
    let Some(start) = source.find("Start of BPF helper function descriptions:") else {
        return HashMap::new();
    };
    let mut found = HashMap::new();
    for line in source[start..].lines() {
        if line.starts_with(" */") {
            break;
        }
        let Some(proto) = line.strip_prefix(" * ") else {
            continue;
        };
        if proto.starts_with(char::is_whitespace) || !proto.ends_with(')') {
            continue;
        }
        let Some(open) = proto.find('(') else {
            continue;
        };
        let name = proto[..open].rsplit([' ', '*']).next().unwrap_or_default();
        if name.starts_with("bpf_") {
            found.insert(name.to_string(), proto.to_string());
        }
    }
    found
}

/// `name(params) -> ret` of a C prototype.
fn rust_signature(name: &str, proto: &str) -> Result<String, String> {
    let open = proto.find('(').ok_or("no parameter list")?;
    let ret_c = proto[..open]
        .strip_suffix(name)
        .ok_or("the name is not where expected")?;
    let params_c = &proto[open + 1..proto.len() - 1];
    let mut params = Vec::new();
    for (i, param) in params_c.split(',').map(str::trim).enumerate() {
        if param == "void" && i == 0 {
            continue;
        }
        if param == "..." {
            // Named: an unnamed `...` outside an extern block, which the
            // attribute's input is, is being phased out.
            params.push("args: ...".to_string());
            continue;
        }
        let split = param
            .rfind([' ', '*'])
            .ok_or_else(|| format!("parameter `{param}` has no name"))?;
        let (ty, pname) = param.split_at(split + 1);
        params.push(format!("{}: {}", ident(pname), rust_type(ty)?));
    }
    let ret = match rust_type(ret_c)? {
        unit if unit == "()" => String::new(),
        ty => format!(" -> {ty}"),
    };
    Ok(format!("{name}({}){ret}", params.join(", ")))
}

/// A C parameter name as a Rust identifier.
fn ident(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "box", "break", "const", "continue", "crate", "else", "enum", "fn", "for", "gen",
        "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "priv", "pub", "ref",
        "return", "static", "struct", "trait", "type", "unsafe", "use", "where", "while",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// The Rust type of a C type (`const struct bpf_map *`, `u64`, `void`).
fn rust_type(c: &str) -> Result<String, String> {
    let stars = c.matches('*').count();
    let words: Vec<&str> = c.split([' ', '*']).filter(|w| !w.is_empty()).collect();
    let is_const = words.first() == Some(&"const");
    let base: Vec<&str> = words.into_iter().filter(|w| *w != "const").collect();
    let pointee = match base.as_slice() {
        ["void"] if stars > 0 => "c_void",
        ["struct", _] if stars > 0 => "c_void",
        ["char"] => "c_char",
        ["void"] => "()",
        ["u8" | "__u8"] => "u8",
        ["u16" | "__u16" | "__be16"] => "u16",
        ["u32" | "__u32" | "__be32" | "__wsum"] => "u32",
        ["u64" | "__u64" | "unsigned", "long"] | ["u64" | "__u64"] => "u64",
        ["s8" | "__s8"] => "i8",
        ["s16" | "__s16"] => "i16",
        ["s32" | "__s32" | "int"] => "i32",
        ["s64" | "__s64" | "long"] => "i64",
        ["size_t"] => "usize",
        _ => return Err(format!("no Rust type for `{c}`")),
    };
    let mut ty = pointee.to_string();
    for level in 0..stars {
        let constness = if is_const && level == 0 {
            "const"
        } else {
            "mut"
        };
        ty = format!("*{constness} {ty}");
    }
    Ok(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        let proto = "void *bpf_map_lookup_elem(struct bpf_map *map, const void *key)";
        assert_eq!(
            rust_signature("bpf_map_lookup_elem", proto).unwrap(),
            "bpf_map_lookup_elem(map: *mut c_void, key: *const c_void) -> *mut c_void"
        );
        let proto = "long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)";
        assert_eq!(
            rust_signature("bpf_trace_printk", proto).unwrap(),
            "bpf_trace_printk(fmt: *const c_char, fmt_size: u32, args: ...) -> i64"
        );
        assert_eq!(
            rust_signature("bpf_ktime_get_ns", "u64 bpf_ktime_get_ns(void)").unwrap(),
            "bpf_ktime_get_ns() -> u64"
        );
        assert!(rust_signature("bpf_x", "long bpf_x(struct foo bar)").is_err());
    }

    #[test]
    fn numbers_both_forms() {
        let old =
            "#define __BPF_FUNC_MAPPER(FN)\t\\\n\tFN(unspec),\t\\\n\tFN(map_lookup_elem),\t\\\n\n";
        assert_eq!(
            helper_numbers(old).unwrap(),
            vec![("unspec".into(), 0), ("map_lookup_elem".into(), 1)]
        );
        let new = "#define ___BPF_FUNC_MAPPER(FN, ctx...)\t\\\n\tFN(unspec, 0, ##ctx)\t\\\n\tFN(ktime_get_ns, 5, ##ctx)\t\\\n\n";
        assert_eq!(
            helper_numbers(new).unwrap(),
            vec![("unspec".into(), 0), ("ktime_get_ns".into(), 5)]
        );
    }
}
