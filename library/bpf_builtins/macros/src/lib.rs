//! The attributes of `bpf_builtins` that turn a bodiless function
//! declaration into a kernel function the eBPF backend calls directly:
//!
//! - `#[kernel_helper(N)] fn name(args) -> ret;` (GCC's
//!   `__attribute__((kernel_helper(N)))`): a kernel helper, `call N`;
//! - `#[kfunc] fn name(args) -> ret;`: the kernel function `name`, called
//!   as a kfunc (an extern in `.ksyms`, resolved by the loader).
//!
//! Both expand to an `unsafe extern "C"` block declaring the function under
//! a reserved link name (`bpf_builtins.helper.N`, `bpf_builtins.kfunc.NAME`)
//! that rustc_codegen_bpf's instruction selection recognises. Written
//! against `proc_macro` alone: the input is one function signature, and
//! the crate is built with a bare `rustc` invocation, without cargo to
//! fetch `syn`/`quote`.

extern crate proc_macro;

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// Declares a kernel helper by number: calls become `call N`.
///
/// ```ignore
/// #[bpf_builtins::kernel_helper(1)]
/// pub fn bpf_map_lookup_elem(map: *mut c_void, key: *const c_void) -> *mut c_void;
/// ```
#[proc_macro_attribute]
pub fn kernel_helper(attr: TokenStream, item: TokenStream) -> TokenStream {
    let id = match helper_number(attr) {
        Ok(id) => id,
        Err((span, message)) => return compile_error(span, message),
    };
    declare(item, |_| format!("bpf_builtins.helper.{id}"))
}

/// Declares a kernel function called as a kfunc, by its kernel name.
///
/// ```ignore
/// #[bpf_builtins::kfunc]
/// pub fn bpf_task_release(task: *mut task_struct);
/// ```
#[proc_macro_attribute]
pub fn kfunc(attr: TokenStream, item: TokenStream) -> TokenStream {
    if let Some(tree) = attr.into_iter().next() {
        return compile_error(tree.span(), "`kfunc` takes no arguments");
    }
    declare(item, |name| format!("bpf_builtins.kfunc.{name}"))
}

/// The helper number of `kernel_helper(N)`: one non-negative integer
/// literal.
fn helper_number(attr: TokenStream) -> Result<u32, (Span, &'static str)> {
    const USAGE: &str = "expected a kernel helper number, e.g. `kernel_helper(1)`";
    let mut trees = attr.into_iter();
    let literal = match trees.next() {
        Some(TokenTree::Literal(literal)) => literal,
        Some(other) => return Err((other.span(), USAGE)),
        None => return Err((Span::call_site(), USAGE)),
    };
    if let Some(extra) = trees.next() {
        return Err((extra.span(), USAGE));
    }
    let text = literal.to_string().replace('_', "");
    let digits = ["u32", "i32", "u64", "i64", "usize"]
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix))
        .unwrap_or(&text);
    digits
        .parse::<u32>()
        .ok()
        .filter(|id| i32::try_from(*id).is_ok())
        .ok_or((literal.span(), USAGE))
}

/// Rewrites the function declaration `item` into an extern declaration
/// whose link name `link_name` computes from the function's name.
fn declare(item: TokenStream, link_name: impl Fn(&str) -> String) -> TokenStream {
    let trees: Vec<TokenTree> = item.into_iter().collect();
    let Some(fn_at) = trees
        .iter()
        .position(|t| matches!(t, TokenTree::Ident(i) if i.to_string() == "fn"))
    else {
        return compile_error(Span::call_site(), "expected a function declaration");
    };
    let Some(TokenTree::Ident(name)) = trees.get(fn_at + 1) else {
        return compile_error(
            trees[fn_at].span(),
            "expected the function's name after `fn`",
        );
    };
    match trees.last() {
        Some(TokenTree::Punct(p)) if p.as_char() == ';' => {}
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            return compile_error(
                g.span(),
                "a kernel function is declared without a body: end the signature with `;`",
            );
        }
        _ => return compile_error(name.span(), "expected `;` after the signature"),
    }
    if trees[fn_at + 2..]
        .iter()
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '<'))
    {
        return compile_error(name.span(), "a kernel function cannot be generic");
    }
    let plain = name.to_string();
    let plain = plain.strip_prefix("r#").unwrap_or(&plain);
    // Everything before `fn` but an ABI (`extern "C"`) stays: attributes,
    // visibility, `unsafe`/`safe`.
    let mut head = Vec::new();
    let mut prefix = trees[..fn_at].iter().peekable();
    while let Some(tree) = prefix.next() {
        if matches!(tree, TokenTree::Ident(i) if i.to_string() == "extern") {
            if matches!(prefix.peek(), Some(TokenTree::Literal(_))) {
                prefix.next();
            }
            continue;
        }
        head.push(tree.clone());
    }
    let mut inner: Vec<TokenTree> = Vec::new();
    inner.extend(attribute("link_name", &link_name(plain)));
    inner.extend(head);
    inner.extend(trees[fn_at..].iter().cloned());

    let mut out: Vec<TokenTree> = Vec::new();
    // The same link name may be declared with other signatures elsewhere.
    out.extend(allow("clashing_extern_declarations"));
    out.push(ident("unsafe"));
    out.push(ident("extern"));
    out.push(TokenTree::Literal(Literal::string("C")));
    out.push(TokenTree::Group(Group::new(
        Delimiter::Brace,
        inner.into_iter().collect(),
    )));
    out.into_iter().collect()
}

fn ident(text: &str) -> TokenTree {
    TokenTree::Ident(Ident::new(text, Span::call_site()))
}

/// `#[name = "value"]`.
fn attribute(name: &str, value: &str) -> Vec<TokenTree> {
    let body: TokenStream = [
        ident(name),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(Literal::string(value)),
    ]
    .into_iter()
    .collect();
    vec![
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, body)),
    ]
}

/// `#[allow(lint)]`.
fn allow(lint: &str) -> Vec<TokenTree> {
    let body: TokenStream = [
        ident("allow"),
        TokenTree::Group(Group::new(
            Delimiter::Parenthesis,
            [ident(lint)].into_iter().collect(),
        )),
    ]
    .into_iter()
    .collect();
    vec![
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, body)),
    ]
}

/// `compile_error!("message")` at `span`.
fn compile_error(span: Span, message: &str) -> TokenStream {
    let mut literal = Literal::string(message);
    literal.set_span(span);
    let mut bang = Punct::new('!', Spacing::Alone);
    bang.set_span(span);
    let mut args = Group::new(
        Delimiter::Parenthesis,
        [TokenTree::Literal(literal)].into_iter().collect(),
    );
    args.set_span(span);
    let mut semi = Punct::new(';', Spacing::Alone);
    semi.set_span(span);
    [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(bang),
        TokenTree::Group(args),
        TokenTree::Punct(semi),
    ]
    .into_iter()
    .collect()
}
