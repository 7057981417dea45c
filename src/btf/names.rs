//! Rust names made into names the kernel accepts in BTF
//! (`[A-Za-z_][A-Za-z0-9_]*`, shorter than 512 bytes) while staying
//! readable: paths lose their module prefix, punctuation becomes `_`
//! (`core::option::Option<u32>` → `Option_u32_`), references and pointers
//! read as words, numeric member names get a leading `_`.

use std::collections::HashSet;

/// The kernel's limit is "< 512"; stay below it with room for a suffix.
const MAX_LEN: usize = 480;

/// Whether the kernel accepts `name` for a named BTF type, member, FUNC or
/// VAR.
pub(crate) fn is_valid(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() < 512
}

/// A readable identifier for the Rust type or path `text` (as rustc prints
/// it). Never empty.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_alphanumeric() || c == '_' {
            // An identifier: a path segment followed by `::` is dropped.
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            if !after.starts_with("::") {
                push_word(&mut out, word);
            }
            rest = after.strip_prefix("::").unwrap_or(after);
            continue;
        }
        let (replacement, len) = if rest.starts_with("&mut ") {
            ("mut_ref_", 5)
        } else if rest.starts_with("*const ") {
            ("ptr_", 7)
        } else if rest.starts_with("*mut ") {
            ("mut_ptr_", 5)
        } else if c == '&' {
            ("ref_", 1)
        } else if rest.starts_with("::") {
            ("", 2)
        } else {
            ("_", c.len_utf8())
        };
        for piece in replacement.split_inclusive('_') {
            push_separator_aware(&mut out, piece);
        }
        rest = &rest[len..];
    }
    finish(out)
}

/// A member name: Rust field names pass through, tuple and closure fields
/// (`0`, `1`) become `_0`, `_1`.
pub(crate) fn member(name: &str) -> String {
    if is_valid(name) {
        name.to_string()
    } else {
        sanitize(name)
    }
}

/// Appends an identifier, mapping non-ASCII characters to `_`.
fn push_word(out: &mut String, word: &str) {
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            push_separator_aware(out, "_");
        }
    }
}

/// Appends `piece`, a run of separators giving one `_` (and never `___`,
/// which marks a CO-RE flavor suffix).
fn push_separator_aware(out: &mut String, piece: &str) {
    for c in piece.chars() {
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
}

/// Makes `out` a valid name: non-empty, not starting with a digit, short.
fn finish(mut out: String) -> String {
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if out.len() > MAX_LEN {
        let hash = out.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        out.truncate(MAX_LEN);
        out.push_str(&format!("_{hash:016x}"));
    }
    out
}

/// Hands out names unique within one scope (one object's types).
#[derive(Default)]
pub(crate) struct Unique {
    taken: HashSet<String>,
}

impl Unique {
    /// `name`, or `name_N` for the smallest `N` not yet taken.
    pub(crate) fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_end_matches('_');
        (1..)
            .map(|n| format!("{base}_{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_generics_become_identifiers() {
        assert_eq!(sanitize("core::option::Option<u32>"), "Option_u32_");
        assert_eq!(
            sanitize("core::result::Result<(), core::fmt::Error>"),
            "Result_Error_"
        );
        assert_eq!(sanitize("&[u8]"), "ref_u8_");
        assert_eq!(sanitize("&mut Foo"), "mut_ref_Foo");
        assert_eq!(sanitize("*const [i32; 2]"), "ptr_i32_2_");
        assert_eq!(
            sanitize("{closure@src/main.rs:3:9}"),
            "_closure_src_main_rs_3_9_"
        );
        assert_eq!(sanitize("Foo$1"), "Foo_1");
        assert_eq!(sanitize("()"), "_");
        assert_eq!(sanitize(""), "_");
        assert_eq!(sanitize("0"), "_0");
        for name in ["Option_u32_", "ref_u8_", "_0", "_", "Foo_1"] {
            assert!(is_valid(name), "{name}");
        }
        assert!(!sanitize("a<<<<b>>>>").contains("___"));
    }

    #[test]
    fn validity_follows_the_kernel() {
        assert!(is_valid("task_struct"));
        assert!(is_valid("_x1"));
        assert!(!is_valid(""));
        assert!(!is_valid("1x"));
        assert!(!is_valid("core::Foo"));
        assert!(!is_valid("Option<u32>"));
        assert!(!is_valid("Foo$1"));
        assert!(!is_valid(&"a".repeat(512)));
        let long = sanitize(&"a".repeat(2000));
        assert!(is_valid(&long) && long.len() < 512, "{}", long.len());
        assert_ne!(long, sanitize(&"a".repeat(2001)));
    }

    #[test]
    fn members_and_uniqueness() {
        assert_eq!(member("0"), "_0");
        assert_eq!(member("r#type"), "r_type");
        assert_eq!(member("max_entries"), "max_entries");
        let mut unique = Unique::default();
        assert_eq!(unique.claim("Foo".into()), "Foo");
        assert_eq!(unique.claim("Foo".into()), "Foo_1");
        assert_eq!(unique.claim("Foo".into()), "Foo_2");
        assert_eq!(unique.claim("Option_u32_".into()), "Option_u32_");
        assert_eq!(unique.claim("Option_u32_".into()), "Option_u32_1");
    }
}
