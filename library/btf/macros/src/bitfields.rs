//! `#[bitfields(name: Type = bits, ...)]` on a field of a relocatable
//! struct: removes the attribute, adds one zero-sized
//! `btf::Bitfield<Type, Storage, first_bit, bits>` field per named
//! bitfield right after the storage field (where the backend and the
//! `btf` crate find the storage: `size_of::<Storage>()` bytes before the
//! marker), and compile-time checks that each bitfield fits its type and
//! all of them their storage.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::{Error, parse};

/// One bitfield of a declaration: `None` as name for `_` (skipped bits).
struct Declared {
    name: Option<Ident>,
    ty: Vec<TokenTree>,
    bits: u32,
    span: Span,
}

/// The item with its bitfield declarations expanded, and the checks to
/// emit after it.
pub(crate) fn expand(item: &[TokenTree]) -> Result<(TokenStream, TokenStream), Error> {
    let mut out = TokenStream::new();
    let mut checks = TokenStream::new();
    let mut kind = None;
    for token in item {
        match token {
            TokenTree::Ident(id) if kind.is_none() => {
                let text = id.to_string();
                if matches!(text.as_str(), "struct" | "union" | "enum") {
                    kind = Some(text);
                }
                out.extend([token.clone()]);
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && kind.is_some() => {
                let body = fields(g.stream(), kind.as_deref() == Some("struct"), &mut checks)?;
                let mut group = Group::new(Delimiter::Brace, body);
                group.set_span(g.span());
                out.extend([TokenTree::Group(group)]);
                kind = Some(String::new());
            }
            _ => out.extend([token.clone()]),
        }
    }
    Ok((out, checks))
}

/// The fields of a struct or union body, bitfield declarations expanded.
fn fields(
    body: TokenStream,
    is_struct: bool,
    checks: &mut TokenStream,
) -> Result<TokenStream, Error> {
    let mut out = TokenStream::new();
    for field in split_top_level(body, ',') {
        let mut kept = Vec::new();
        let mut declared = None;
        let mut i = 0;
        while i < field.len() {
            if let (TokenTree::Punct(hash), Some(TokenTree::Group(attr))) =
                (&field[i], field.get(i + 1))
                && hash.as_char() == '#'
                && attr.delimiter() == Delimiter::Bracket
            {
                let inner: Vec<TokenTree> = attr.stream().into_iter().collect();
                if matches!(inner.first(), Some(TokenTree::Ident(id)) if id.to_string() == "bitfields")
                {
                    if !is_struct {
                        return Err((
                            attr.span(),
                            "bitfields are declared in a struct's fields".into(),
                        ));
                    }
                    let Some(TokenTree::Group(list)) = inner.get(1) else {
                        return Err((
                            attr.span(),
                            "expected `bitfields(name: Type = bits, ...)`".into(),
                        ));
                    };
                    declared = Some(declarations(list.stream())?);
                    i += 2;
                    continue;
                }
            }
            kept.push(field[i].clone());
            i += 1;
        }
        out.extend(kept.iter().cloned());
        out.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
        if let Some(declared) = declared {
            markers(&kept, &declared, &mut out, checks)?;
        }
    }
    Ok(out)
}

/// The marker fields after `storage` (a field's tokens, attributes
/// included) and their checks.
fn markers(
    storage: &[TokenTree],
    declared: &[Declared],
    out: &mut TokenStream,
    checks: &mut TokenStream,
) -> Result<(), Error> {
    // Skip the field's attributes: `vis name: Type` remains.
    let mut at = 0;
    while matches!(storage.get(at), Some(TokenTree::Punct(p)) if p.as_char() == '#') {
        at += 2;
    }
    let rest = &storage[at..];
    let colon = rest
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
        .filter(|&c| c > 0)
        .ok_or_else(|| {
            (
                Span::call_site(),
                "`#[bitfields]` needs a named field".to_string(),
            )
        })?;
    let TokenTree::Ident(storage_name) = &rest[colon - 1] else {
        return Err((
            rest[colon - 1].span(),
            "expected the storage field's name".into(),
        ));
    };
    let vis = &rest[..colon - 1];
    let storage_ty = paren(&rest[colon + 1..]);
    let mut bit = 0u32;
    for field in declared {
        let ty = paren(&field.ty);
        if let Some(name) = &field.name {
            out.extend(vis.iter().cloned());
            out.extend([
                TokenTree::Ident(name.clone()),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            ]);
            out.extend(parse("::btf::Bitfield<"));
            out.extend([ty.clone(), comma(), storage_ty.clone(), comma()]);
            out.extend([
                TokenTree::Literal(Literal::u32_unsuffixed(bit)),
                comma(),
                TokenTree::Literal(Literal::u32_unsuffixed(field.bits)),
            ]);
            out.extend(parse(">,"));
        }
        let what = field
            .name
            .as_ref()
            .map_or_else(|| "`_`".to_string(), |n| format!("`{n}`"));
        let mut check = parse("const _: () = ::btf::__private::assert_bitfield_type::<");
        check.extend([ty.clone()]);
        check.extend(parse(">();"));
        check.extend(assertion(
            &format!("{} <= 8 * ::core::mem::size_of::<", field.bits),
            ty,
            &format!("bitfield {what} is wider than its type"),
            field.span,
        ));
        checks.extend(check);
        bit = bit
            .checked_add(field.bits)
            .ok_or_else(|| (field.span, "too many bits".to_string()))?;
    }
    checks.extend(assertion(
        &format!("{bit} <= 8 * ::core::mem::size_of::<"),
        storage_ty,
        &format!("the bitfields of `{storage_name}` need {bit} bits, more than it holds"),
        storage_name.span(),
    ));
    Ok(())
}

/// `const _: () = assert!(<head> ty >(), "message");` with its tokens at
/// `span`, so that a failure points at the declaration.
fn assertion(head: &str, ty: TokenTree, message: &str, span: Span) -> TokenStream {
    let mut condition = parse(head);
    condition.extend([ty]);
    condition.extend(parse(">()"));
    condition.extend([comma(), TokenTree::Literal(Literal::string(message))]);
    let mut out = parse("const _: () = ::core::assert!");
    out.extend([TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        condition,
    ))]);
    out.extend(parse(";"));
    out.into_iter()
        .map(|mut t| {
            t.set_span(span);
            t
        })
        .collect()
}

/// `name: Type = bits, ...`.
fn declarations(list: TokenStream) -> Result<Vec<Declared>, Error> {
    let mut declared = Vec::new();
    for item in split_top_level(list, ',') {
        let expected = || {
            (
                item.first().map_or_else(Span::call_site, TokenTree::span),
                "expected `name: Type = bits`".to_string(),
            )
        };
        let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(colon))) =
            (item.first(), item.get(1))
        else {
            return Err(expected());
        };
        let eq = item
            .iter()
            .rposition(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '='))
            .filter(|&eq| colon.as_char() == ':' && eq > 2 && eq + 2 == item.len())
            .ok_or_else(expected)?;
        let TokenTree::Literal(bits) = &item[eq + 1] else {
            return Err(expected());
        };
        let width = bits
            .to_string()
            .parse::<u32>()
            .ok()
            .filter(|b| (1..=64).contains(b))
            .ok_or_else(|| (bits.span(), "a bitfield is 1 to 64 bits wide".to_string()))?;
        declared.push(Declared {
            name: (name.to_string() != "_").then(|| name.clone()),
            ty: item[2..eq].to_vec(),
            bits: width,
            span: name.span(),
        });
    }
    if declared.is_empty() {
        return Err((
            Span::call_site(),
            "`#[bitfields()]` declares no bitfield".into(),
        ));
    }
    Ok(declared)
}

/// Splits at `sep` outside `<...>` (groups are single tokens already);
/// the `>` of `->` closes nothing. Empty pieces are dropped.
fn split_top_level(tokens: TokenStream, sep: char) -> Vec<Vec<TokenTree>> {
    let mut pieces = vec![Vec::new()];
    let mut depth = 0i32;
    let mut after_dash = false;
    for token in tokens {
        if let TokenTree::Punct(p) = &token {
            match p.as_char() {
                '<' => depth += 1,
                '>' if !after_dash => depth -= 1,
                c if c == sep && depth == 0 => {
                    pieces.push(Vec::new());
                    after_dash = false;
                    continue;
                }
                _ => {}
            }
            after_dash = p.as_char() == '-' && p.spacing() == Spacing::Joint;
        } else {
            after_dash = false;
        }
        if let Some(last) = pieces.last_mut() {
            last.push(token);
        }
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// A type's tokens as one token (an invisible group).
fn paren(tokens: &[TokenTree]) -> TokenTree {
    TokenTree::Group(Group::new(
        Delimiter::None,
        tokens.iter().cloned().collect(),
    ))
}

fn comma() -> TokenTree {
    TokenTree::Punct(Punct::new(',', Spacing::Alone))
}
