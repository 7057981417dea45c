//! The host side of the differential suite, built by stock rustc (LLVM).
//!
//! `host_main --list` prints the function table, one function per line:
//! `GROUP_INDEX GROUP_NAME BITS signed|unsigned OP_INDEX OP_NAME`.
//! Without arguments it reads packets (see `packet.rs`) from stdin until its
//! end and writes each one back, answered as the eBPF program answers it.

use std::io::{self, BufWriter, Read, Write};

// `--cfg subset` and the op names are only given to eBPF builds.
#[allow(unexpected_cfgs)]
#[path = "funcs.rs"]
mod funcs;
#[path = "packet.rs"]
mod packet;

use packet::Packet;

fn list() -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for (g, group) in funcs::GROUPS.iter().enumerate() {
        let sign = if group.signed { "signed" } else { "unsigned" };
        for (op, name) in group.ops.iter().enumerate() {
            writeln!(out, "{g} {} {} {sign} {op} {name}", group.name, group.bits)?;
        }
    }
    out.flush()
}

fn answer_all() -> io::Result<()> {
    let mut input = Vec::new();
    io::stdin().lock().read_to_end(&mut input)?;
    if input.len() % packet::LEN != 0 {
        return Err(io::Error::other(format!(
            "input is {} bytes, not a multiple of the {}-byte packet",
            input.len(),
            packet::LEN
        )));
    }
    for chunk in input.chunks_exact_mut(packet::LEN) {
        // SAFETY: `Packet` is `repr(C)`, made of bytes only (alignment 1),
        // and `chunk` is exactly `size_of::<Packet>()` bytes long.
        let p = unsafe { &mut *chunk.as_mut_ptr().cast::<Packet>() };
        p.answer(funcs::eval(p.group, p.op, p.operands()));
    }
    io::stdout().lock().write_all(&input)
}

fn main() {
    let result = match std::env::args().nth(1).as_deref() {
        Some("--list") => list(),
        None => answer_all(),
        Some(other) => Err(io::Error::other(format!("unknown argument `{other}`"))),
    };
    if let Err(e) = result {
        eprintln!("host_main: {e}");
        std::process::exit(1);
    }
}
