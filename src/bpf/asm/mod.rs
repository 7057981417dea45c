//! BPF inline assembly (`asm!`): the operand constraints of one block, the
//! assembler for the template (in the syntax LLVM's BPF backend accepts, see
//! [`parse`]) and the marker that carries a block from the MIR lowering
//! through CLIF to instruction selection.
//!
//! CLIF has no inline assembly, so the lowering emits a call of a marker
//! function whose name holds the block's constraints and normalised
//! template ([`Block::marker_name`]); its arguments are the block's inputs
//! and its results the outputs. Instruction selection recognises the name
//! ([`Block::from_marker`]) and emits one instruction whose registers the
//! allocator picks under the constraints; emission then resolves the
//! assembled instructions ([`Program::resolve`]) with those registers.
//!
//! In the normalised template an operand's register is written `r{N}` (its
//! 64-bit name) or `w{N}` (its 32-bit name), `N` being its operand index.

mod parse;
#[cfg(test)]
mod tests;

use super::encode::Insn;

pub(crate) use parse::parse;

/// The call instruction (`call imm`).
const OP_CALL: u8 = 0x85;

/// Prefix of marker function names.
const MARKER_PREFIX: &str = "rustc_codegen_bpf.asm:";

/// How an `asm!` operand uses its register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    /// `in`: read by the block.
    In,
    /// `out`: written, possibly before every input is read, so it gets a
    /// register of its own.
    Out,
    /// `lateout`: written after every input is read; may share an input's
    /// register.
    LateOut,
    /// `inout` / `inlateout`: read and written in the same register.
    InOut,
}

impl Dir {
    pub(crate) fn is_input(self) -> bool {
        matches!(self, Dir::In | Dir::InOut)
    }

    pub(crate) fn is_output(self) -> bool {
        !matches!(self, Dir::In)
    }
}

/// One register operand of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Operand {
    pub(crate) dir: Dir,
    /// An explicit register (`in("r1")`), or `None` for the `reg`/`wreg`
    /// classes, where the allocator chooses.
    pub(crate) fixed: Option<u8>,
}

/// A register operand of an assembled instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegRef {
    /// A register named in the template (`r0`, `w3`).
    Phys(u8),
    /// The register allocated to operand `N`.
    Operand(usize),
}

/// An instruction with registers still to be chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AsmInsn {
    pub(crate) op: u8,
    pub(crate) dst: RegRef,
    pub(crate) src: RegRef,
    pub(crate) off: i16,
    pub(crate) imm: i32,
}

/// An assembled template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Program {
    pub(crate) insns: Vec<AsmInsn>,
    /// Registers the template names itself and writes.
    pub(crate) written_phys: Vec<u8>,
    /// Registers the template names itself (read or written).
    pub(crate) named_phys: Vec<u8>,
    /// Operands whose register the template writes.
    pub(crate) written_operands: Vec<usize>,
}

impl Program {
    /// The instructions, with `regs[N]` the register of operand `N`.
    pub(crate) fn resolve(&self, regs: &[u8]) -> Vec<Insn> {
        let reg = |r: RegRef| match r {
            RegRef::Phys(n) => n,
            RegRef::Operand(i) => regs.get(i).copied().unwrap_or(0),
        };
        self.insns
            .iter()
            .map(|i| Insn {
                op: i.op,
                dst: reg(i.dst),
                src: reg(i.src),
                off: i.off,
                imm: i.imm,
            })
            .collect()
    }
}

/// One `asm!` block as it travels through CLIF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) operands: Vec<Operand>,
    /// The normalised template.
    pub(crate) template: String,
}

impl Block {
    /// The marker function name for this block. `types` names the CLIF
    /// types of the marker's signature, so that blocks with equal names
    /// have equal signatures.
    pub(crate) fn marker_name(&self, types: &str) -> String {
        let operands: String = self
            .operands
            .iter()
            .map(|o| {
                let dir = match o.dir {
                    Dir::In => 'i',
                    Dir::Out => 'o',
                    Dir::LateOut => 'l',
                    Dir::InOut => 'x',
                };
                let reg = o.fixed.map_or('*', |r| char::from(b'0' + r));
                format!("{dir}{reg}")
            })
            .collect();
        format!("{MARKER_PREFIX}{operands}:{types}:{}", self.template)
    }

    /// The block a marker function name describes, or `None` for any other
    /// function.
    pub(crate) fn from_marker(name: &str) -> Option<Result<Block, String>> {
        let rest = name.strip_prefix(MARKER_PREFIX)?;
        let bad = || format!("malformed inline assembly marker `{name}`");
        let parsed = (|| {
            let (operands, rest) = rest.split_once(':')?;
            let (_types, template) = rest.split_once(':')?;
            let bytes = operands.as_bytes();
            if bytes.len() % 2 != 0 {
                return None;
            }
            let operands = bytes
                .chunks(2)
                .map(|pair| {
                    let dir = match pair[0] {
                        b'i' => Dir::In,
                        b'o' => Dir::Out,
                        b'l' => Dir::LateOut,
                        b'x' => Dir::InOut,
                        _ => return None,
                    };
                    let fixed = match pair[1] {
                        b'*' => None,
                        d @ b'0'..=b'9' => Some(d - b'0'),
                        _ => return None,
                    };
                    Some(Operand { dir, fixed })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Block {
                operands,
                template: template.to_string(),
            })
        })();
        Some(parsed.ok_or_else(bad))
    }

    /// Assembles the template and checks it against the operands: a
    /// register the template names itself must be an explicit operand
    /// (the allocator knows of no other use), and r10 is read-only.
    pub(crate) fn assemble(&self) -> Result<Program, String> {
        let program = parse(&self.template, self.operands.len())?;
        let output = |r: u8| {
            self.operands
                .iter()
                .any(|o| o.fixed == Some(r) && o.dir.is_output())
        };
        for &r in &program.named_phys {
            if r == super::encode::FP {
                continue;
            }
            if !self.operands.iter().any(|o| o.fixed == Some(r)) {
                return Err(format!(
                    "the template uses r{r}, which is not an operand: name it with \
                     `in(\"r{r}\")`, `out(\"r{r}\") _` or similar"
                ));
            }
        }
        for &r in &program.written_phys {
            if r == super::encode::FP {
                return Err("the template writes r10, the read-only frame pointer".into());
            }
            if !output(r) {
                return Err(format!(
                    "the template writes r{r}, which is not an output: declare it with \
                     `out(\"r{r}\") _` or `inout(\"r{r}\")`"
                ));
            }
        }
        if program.insns.iter().any(|i| i.op == OP_CALL)
            && let Some(r) = (0..=5).find(|r| !output(*r))
        {
            return Err(format!(
                "a `call` clobbers r0-r5, but r{r} is not an output: declare it with \
                 `out(\"r{r}\") _`"
            ));
        }
        for &i in &program.written_operands {
            if self.operands.get(i).is_some_and(|o| !o.dir.is_output()) {
                return Err(format!(
                    "the template writes operand {i}, an input only: make it `inout` or \
                     `out`"
                ));
            }
        }
        Ok(program)
    }
}
