//! `#[btf::relocatable]`: marks a struct, union or enum as a description
//! of a kernel type whose field accesses are relocated at load time.
//!
//! The item is scanned with `proc_macro` alone (no `syn`): only its kind,
//! name and attributes, and the fields carrying `#[bitfields(...)]`, are
//! needed, and the crate is built for every eBPF test program, where a
//! parser dependency would dominate build time.

extern crate proc_macro;

mod bitfields;

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// `#[btf::relocatable]` or `#[btf::relocatable(name = "kernel_name")]`.
///
/// Adds `#[repr(C)]` unless the item has a `repr` already, and implements
/// `btf::Relocatable` with `BTF_NAME` the given name, else the item's own
/// name. A `___flavor` suffix stays in the name: loaders strip it when
/// they match the type against the kernel's, as they do for C types.
///
/// In a struct, `#[bitfields(name: Type = bits, ...)]` on a field declares
/// C bitfields stored in it (see the `btf` crate's docs): each becomes a
/// zero-sized `btf::Bitfield` field after the storage field.
#[proc_macro_attribute]
pub fn relocatable(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(attr, item) {
        Ok(tokens) => tokens,
        Err((span, message)) => compile_error(span, &message),
    }
}

type Error = (Span, String);

fn expand(attr: TokenStream, item: TokenStream) -> Result<TokenStream, Error> {
    let given_name = parse_name_arg(attr)?;
    let tokens: Vec<TokenTree> = item.into_iter().collect();
    let mut has_repr = false;
    let mut name = None;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1) {
                    let first = g.stream().into_iter().next();
                    has_repr |=
                        matches!(first, Some(TokenTree::Ident(id)) if id.to_string() == "repr");
                    i += 2;
                    continue;
                }
            }
            TokenTree::Ident(id)
                if matches!(id.to_string().as_str(), "struct" | "union" | "enum") =>
            {
                let Some(TokenTree::Ident(n)) = tokens.get(i + 1) else {
                    return Err((id.span(), "expected the type's name".into()));
                };
                if matches!(tokens.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == '<') {
                    return Err((n.span(), "a relocatable type cannot be generic".into()));
                }
                name = Some(n.clone());
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let Some(name) = name else {
        return Err((
            Span::call_site(),
            "#[btf::relocatable] applies to a struct, union or enum".into(),
        ));
    };
    let btf_name = given_name.unwrap_or_else(|| name.to_string());
    let (item, checks) = bitfields::expand(&tokens)?;
    let mut out = TokenStream::new();
    if !has_repr {
        out.extend(parse("#[repr(C)]"));
    }
    out.extend(item);
    out.extend(checks);
    out.extend(parse("unsafe impl ::btf::Relocatable for"));
    out.extend([TokenTree::Ident(name)]);
    let mut body = parse("const BTF_NAME: &'static str =");
    body.extend([
        TokenTree::Literal(Literal::string(&btf_name)),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ]);
    out.extend([TokenTree::Group(Group::new(Delimiter::Brace, body))]);
    Ok(out)
}

/// The `name = "..."` argument, if any.
fn parse_name_arg(attr: TokenStream) -> Result<Option<String>, Error> {
    let tokens: Vec<TokenTree> = attr.into_iter().collect();
    match tokens.as_slice() {
        [] => Ok(None),
        [
            TokenTree::Ident(key),
            TokenTree::Punct(eq),
            TokenTree::Literal(value),
        ] if key.to_string() == "name" && eq.as_char() == '=' => {
            let text = value.to_string();
            let inner = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .filter(|t| is_c_identifier(t))
                .ok_or_else(|| {
                    (
                        value.span(),
                        "the name must be a C identifier in quotes".to_string(),
                    )
                })?;
            Ok(Some(inner.to_string()))
        }
        _ => Err((
            tokens.first().map_or_else(Span::call_site, TokenTree::span),
            "expected `name = \"kernel_name\"`".into(),
        )),
    }
}

fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

pub(crate) fn parse(text: &str) -> TokenStream {
    text.parse().expect("fixed token text")
}

fn compile_error(span: Span, message: &str) -> TokenStream {
    let mut args = TokenStream::from(TokenTree::Literal(Literal::string(message)));
    args = args
        .into_iter()
        .map(|mut t| {
            t.set_span(span);
            t
        })
        .collect();
    let mut out: TokenStream = [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(Punct::new('!', Spacing::Alone)),
    ]
    .into_iter()
    .collect();
    out.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, args))]);
    out.extend([TokenTree::Punct(Punct::new(';', Spacing::Alone))]);
    out
}
