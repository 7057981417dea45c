//! The assembler for BPF inline assembly templates, in the syntax LLVM's
//! BPF backend prints and accepts (what aya-ebpf and C programs write):
//!
//! ```text
//! r1 = r2            w1 = 5             r1 = 0x100000000 ll
//! r1 += r2           w1 s>>= 3          r1 = -r1          r1 = be16 r1
//! r1 = (s8)r2        r0 = *(u32 *)(r1 + 4)   *(u64 *)(r10 - 8) = r1
//! lock *(u64 *)(r1 + 0) += r2          if r1 s> r2 goto +1    goto -3
//! call 5             exit               // a comment
//! ```
//!
//! One instruction per line. Jump offsets count 8-byte slots after the
//! jump, as the instruction encodes them, and must stay inside the block
//! (the slot right after it included). Written by hand: no maintained
//! crate assembles this syntax, and the encoding is the backend's own
//! ([`crate::bpf::encode`]).

use super::{AsmInsn, Program, RegRef};
use crate::bpf::encode::{AluOp, Cond, Insn, Operand2, Size};

/// Opcode of `JSET` (`if r1 & r2 goto`), which [`Cond`] does not model.
const OP_JSET: u8 = 0x40;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A register: which, and whether its 64-bit (`r`) name was used.
    Reg(RegRef, bool),
    Num(i64),
    Word(String),
    Punct(&'static str),
}

/// Operators, longest first so that the tokenizer takes the longest match.
const PUNCTS: &[&str] = &[
    "s>>=", "<<=", ">>=", "s>=", "s<=", "s/=", "s%=", "==", "!=", ">=", "<=", "s>", "s<", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "=", ">", "<", "&", "(", ")", "*", "+", "-",
];

fn tokenize(line: &str, operand_count: usize) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            // `s8`/`s16` are words; `s>` and friends are operators.
            toks.push(Tok::Punct(p));
            rest = &rest[p.len()..];
        } else if let Some(after) = rest
            .strip_prefix("r{")
            .map(|a| (a, true))
            .or_else(|| rest.strip_prefix("w{").map(|a| (a, false)))
        {
            let (after, wide) = after;
            let end = after.find('}').ok_or("unterminated operand reference")?;
            let index: usize = after[..end]
                .parse()
                .map_err(|_| format!("bad operand reference `{}`", &after[..end]))?;
            if index >= operand_count {
                return Err(format!("operand {index} does not exist"));
            }
            toks.push(Tok::Reg(RegRef::Operand(index), wide));
            rest = &after[end + 1..];
        } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let text = &rest[..end];
            let value = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16).map(|v| v as i64),
                None => text.parse::<u64>().map(|v| v as i64),
            }
            .map_err(|_| format!("bad number `{text}`"))?;
            toks.push(Tok::Num(value));
            rest = &rest[end..];
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            toks.push(register(word).unwrap_or_else(|| Tok::Word(word.to_string())));
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            return Err(format!("unexpected `{c}`"));
        }
        rest = rest.trim_start();
    }
    Ok(toks)
}

/// `r0`-`r10` and `w0`-`w10`.
fn register(word: &str) -> Option<Tok> {
    let (wide, digits) = match word.as_bytes().first()? {
        b'r' => (true, &word[1..]),
        b'w' => (false, &word[1..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u8 = digits.parse().ok().filter(|n| *n <= 10)?;
    Some(Tok::Reg(RegRef::Phys(n), wide))
}

/// Assembles `template`, whose operand references must be below
/// `operand_count`.
pub(crate) fn parse(template: &str, operand_count: usize) -> Result<Program, String> {
    let mut program = Program {
        insns: Vec::new(),
        written_phys: Vec::new(),
        named_phys: Vec::new(),
        written_operands: Vec::new(),
    };
    // Jumps: (slot of the jump, slot it lands on) to check once the length
    // is known.
    let mut jumps = Vec::new();
    for (n, line) in template.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.contains(';') || line.contains('#') {
            return Err(format!(
                "line {}: `;` and `#` are not accepted; write one instruction per line \
                 and `//` comments",
                n + 1
            ));
        }
        let toks = tokenize(line, operand_count).map_err(|e| format!("line {}: {e}", n + 1))?;
        let mut p = Parser {
            toks: &toks,
            pos: 0,
            program: &mut program,
        };
        let start = p.program.insns.len();
        let jump = p
            .statement()
            .map_err(|e| format!("line {}: {e} in `{line}`", n + 1))?;
        if let Some(off) = jump {
            jumps.push((start, start as i64 + 1 + i64::from(off), n + 1));
        }
    }
    let len = program.insns.len() as i64;
    for (_, dest, line) in jumps {
        if !(0..=len).contains(&dest) {
            return Err(format!(
                "line {line}: the jump leaves the block (only targets inside it or \
                 right after it are allowed)"
            ));
        }
    }
    program.named_phys.sort_unstable();
    program.named_phys.dedup();
    program.written_phys.sort_unstable();
    program.written_phys.dedup();
    program.written_operands.sort_unstable();
    program.written_operands.dedup();
    Ok(program)
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    program: &'a mut Program,
}

/// A register as read from the template: which and its width.
#[derive(Clone, Copy)]
struct R {
    reg: RegRef,
    wide: bool,
}

/// A memory operand `*(ty *)(base + off)`.
struct Mem {
    size: Size,
    signed: bool,
    base: R,
    off: i16,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(format!("expected `{p}`"))
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Word(x)) if x == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn end(&self) -> Result<(), String> {
        match self.peek() {
            None => Ok(()),
            Some(t) => Err(format!("unexpected {t:?} at the end")),
        }
    }

    fn reg(&mut self) -> Result<R, String> {
        match self.next() {
            Some(Tok::Reg(reg, wide)) => {
                if let RegRef::Phys(n) = reg {
                    self.program.named_phys.push(n);
                }
                Ok(R { reg, wide })
            }
            _ => Err("expected a register".into()),
        }
    }

    /// Records that the instruction writes `r`.
    fn written(&mut self, r: R) {
        match r.reg {
            RegRef::Phys(n) => self.program.written_phys.push(n),
            RegRef::Operand(i) => self.program.written_operands.push(i),
        }
    }

    /// A possibly negative number.
    fn num(&mut self) -> Result<i64, String> {
        let neg = self.eat("-");
        if !neg {
            self.eat("+");
        }
        match self.next() {
            Some(Tok::Num(v)) => Ok(if neg { v.wrapping_neg() } else { v }),
            _ => Err("expected a number".into()),
        }
    }

    /// A 32-bit immediate. In a 64-bit operation the instruction
    /// sign-extends it, so only `i32` values mean what they say; a 32-bit
    /// operation also takes `u32` values.
    fn imm32(&mut self, w64: bool) -> Result<i32, String> {
        let v = self.num()?;
        i32::try_from(v)
            .ok()
            .or_else(|| {
                (!w64)
                    .then(|| u32::try_from(v).ok().map(|u| u as i32))
                    .flatten()
            })
            .ok_or_else(|| format!("{v} does not fit the instruction's 32-bit immediate"))
    }

    fn reg_or_imm(&mut self, w64: bool) -> Result<Result<R, i32>, String> {
        if matches!(self.peek(), Some(Tok::Reg(..))) {
            self.reg().map(Ok)
        } else {
            self.imm32(w64).map(Err)
        }
    }

    fn push(&mut self, op: u8, dst: RegRef, src: RegRef, off: i16, imm: i32) {
        self.program.insns.push(AsmInsn {
            op,
            dst,
            src,
            off,
            imm,
        });
    }

    /// Pushes an instruction built by the encoder on placeholder register
    /// numbers, then puts the real register references in.
    fn push_insn(&mut self, insn: Insn, dst: RegRef, src: RegRef) {
        self.push(insn.op, dst, src, insn.off, insn.imm);
    }

    /// One instruction; returns the jump offset of a jump.
    fn statement(&mut self) -> Result<Option<i16>, String> {
        let jump = match self.peek().cloned() {
            Some(Tok::Word(w)) if w == "exit" => {
                self.pos += 1;
                self.push_insn(Insn::exit(), RegRef::Phys(0), RegRef::Phys(0));
                None
            }
            Some(Tok::Word(w)) if w == "call" => {
                self.pos += 1;
                let imm = self.imm32(false)?;
                self.push_insn(Insn::call(0, imm), RegRef::Phys(0), RegRef::Phys(0));
                None
            }
            Some(Tok::Word(w)) if w == "goto" => {
                self.pos += 1;
                let off = self.offset()?;
                self.push_insn(Insn::ja(off), RegRef::Phys(0), RegRef::Phys(0));
                Some(off)
            }
            Some(Tok::Word(w)) if w == "if" => {
                self.pos += 1;
                Some(self.cond_jump()?)
            }
            Some(Tok::Word(w)) if w == "lock" => {
                self.pos += 1;
                self.atomic()?;
                None
            }
            Some(Tok::Punct("*")) => {
                self.store()?;
                None
            }
            Some(Tok::Reg(..)) => {
                self.assignment()?;
                None
            }
            _ => return Err("unknown instruction".into()),
        };
        self.end()?;
        Ok(jump)
    }

    fn offset(&mut self) -> Result<i16, String> {
        if !matches!(self.peek(), Some(Tok::Punct("+" | "-")) | Some(Tok::Num(_))) {
            return Err("expected a jump offset such as `+2` (labels are not supported)".into());
        }
        let v = self.num()?;
        i16::try_from(v).map_err(|_| format!("jump offset {v} out of range"))
    }

    fn cond_jump(&mut self) -> Result<i16, String> {
        let a = self.reg()?;
        let cond = match self.next() {
            Some(Tok::Punct(p)) => match p {
                "==" => Some(Cond::Eq),
                "!=" => Some(Cond::Ne),
                ">" => Some(Cond::Ugt),
                ">=" => Some(Cond::Uge),
                "<" => Some(Cond::Ult),
                "<=" => Some(Cond::Ule),
                "s>" => Some(Cond::Sgt),
                "s>=" => Some(Cond::Sge),
                "s<" => Some(Cond::Slt),
                "s<=" => Some(Cond::Sle),
                "&" => None,
                _ => return Err(format!("unknown comparison `{p}`")),
            },
            _ => return Err("expected a comparison".into()),
        };
        let b = self.reg_or_imm(a.wide)?;
        if let Ok(b) = b
            && b.wide != a.wide
        {
            return Err("both registers of a comparison must have the same width".into());
        }
        if !self.eat_word("goto") {
            return Err("expected `goto`".into());
        }
        let off = self.offset()?;
        let jmp32 = !a.wide;
        let (src, b2) = match b {
            Ok(r) => (r.reg, Operand2::Reg(0)),
            Err(imm) => (RegRef::Phys(0), Operand2::Imm(imm)),
        };
        let insn = match cond {
            Some(cond) => Insn::jcc(jmp32, cond, 0, b2, off),
            None => {
                // JSET shares the shape of the other conditional jumps.
                let mut insn = Insn::jcc(jmp32, Cond::Eq, 0, b2, off);
                insn.op = (insn.op & 0x0f) | OP_JSET;
                insn
            }
        };
        self.push_insn(insn, a.reg, src);
        Ok(off)
    }

    /// `*(ty *)(base + off)`, after the leading `*`.
    fn mem(&mut self) -> Result<Mem, String> {
        self.expect("(")?;
        let ty = match self.next() {
            Some(Tok::Word(w)) => w,
            _ => return Err("expected an access type such as `u32`".into()),
        };
        let (size, signed) = match ty.as_str() {
            "u8" => (Size::B, false),
            "u16" => (Size::H, false),
            "u32" => (Size::W, false),
            "u64" => (Size::DW, false),
            "s8" => (Size::B, true),
            "s16" => (Size::H, true),
            "s32" => (Size::W, true),
            _ => return Err(format!("unknown access type `{ty}`")),
        };
        self.expect("*")?;
        self.expect(")")?;
        self.expect("(")?;
        let base = self.reg()?;
        if !base.wide {
            return Err("a memory base must be a 64-bit register".into());
        }
        let off = if self.eat(")") {
            0
        } else {
            let neg = if self.eat("-") {
                true
            } else {
                self.expect("+")?;
                false
            };
            let v = match self.next() {
                Some(Tok::Num(v)) => v,
                _ => return Err("expected an offset".into()),
            };
            self.expect(")")?;
            let v = if neg { -v } else { v };
            i16::try_from(v).map_err(|_| format!("offset {v} out of range"))?
        };
        Ok(Mem {
            size,
            signed,
            base,
            off,
        })
    }

    fn store(&mut self) -> Result<(), String> {
        self.expect("*")?;
        let m = self.mem()?;
        if m.signed {
            return Err("stores take unsigned access types".into());
        }
        self.expect("=")?;
        match self.reg_or_imm(m.size == Size::DW)? {
            Ok(src) => {
                self.push_insn(Insn::stx(m.size, 0, m.off, 0), m.base.reg, src.reg);
            }
            Err(imm) => {
                self.push_insn(Insn::st(m.size, 0, m.off, imm), m.base.reg, RegRef::Phys(0));
            }
        }
        Ok(())
    }

    fn atomic(&mut self) -> Result<(), String> {
        self.expect("*")?;
        let m = self.mem()?;
        let w64 = match (m.size, m.signed) {
            (Size::W, false) => false,
            (Size::DW, false) => true,
            _ => return Err("atomic operations take `u32` or `u64`".into()),
        };
        let aop = match self.next() {
            Some(Tok::Punct("+=")) => 0x00,
            Some(Tok::Punct("|=")) => 0x40,
            Some(Tok::Punct("&=")) => 0x50,
            Some(Tok::Punct("^=")) => 0xa0,
            _ => return Err("expected `+=`, `|=`, `&=` or `^=`".into()),
        };
        let src = self.reg()?;
        self.push_insn(Insn::atomic(w64, 0, m.off, 0, aop), m.base.reg, src.reg);
        Ok(())
    }

    /// Everything that starts with a destination register.
    fn assignment(&mut self) -> Result<(), String> {
        let dst = self.reg()?;
        self.written(dst);
        let w64 = dst.wide;
        let op = match self.next() {
            Some(Tok::Punct(p)) => p,
            _ => return Err("expected an assignment operator".into()),
        };
        let alu = match op {
            "=" => return self.assign_rhs(dst),
            "+=" => AluOp::Add,
            "-=" => AluOp::Sub,
            "*=" => AluOp::Mul,
            "/=" => AluOp::Div,
            "%=" => AluOp::Mod,
            "&=" => AluOp::And,
            "|=" => AluOp::Or,
            "^=" => AluOp::Xor,
            "<<=" => AluOp::Lsh,
            ">>=" => AluOp::Rsh,
            "s>>=" => AluOp::Arsh,
            "s/=" => AluOp::SDiv,
            "s%=" => AluOp::SMod,
            _ => return Err(format!("unknown operator `{op}`")),
        };
        match self.reg_or_imm(w64)? {
            Ok(src) => {
                if src.wide != w64 {
                    return Err("both registers must have the same width".into());
                }
                self.push_insn(Insn::alu(w64, alu, 0, Operand2::Reg(0)), dst.reg, src.reg);
            }
            Err(imm) => {
                self.push_insn(
                    Insn::alu(w64, alu, 0, Operand2::Imm(imm)),
                    dst.reg,
                    RegRef::Phys(0),
                );
            }
        }
        Ok(())
    }

    /// The right-hand side of `dst = ...`.
    fn assign_rhs(&mut self, dst: R) -> Result<(), String> {
        let w64 = dst.wide;
        match self.peek().cloned() {
            Some(Tok::Punct("*")) => {
                self.pos += 1;
                let m = self.mem()?;
                if m.size == Size::DW && m.signed {
                    return Err("`s64` is not an access type".into());
                }
                if !w64 && m.signed {
                    return Err("sign-extending loads write a 64-bit register".into());
                }
                self.push_insn(
                    Insn::ldx(m.size, m.signed, 0, 0, m.off),
                    dst.reg,
                    m.base.reg,
                );
            }
            Some(Tok::Punct("-")) if matches!(self.toks.get(self.pos + 1), Some(Tok::Reg(..))) => {
                self.pos += 1;
                let src = self.reg()?;
                if src.reg != dst.reg || src.wide != w64 {
                    return Err("negation works in place: write `r1 = -r1`".into());
                }
                self.push_insn(Insn::neg(w64, 0), dst.reg, RegRef::Phys(0));
            }
            Some(Tok::Punct("(")) => {
                self.pos += 1;
                let bits = match self.next() {
                    Some(Tok::Word(w)) if w == "s8" => 8,
                    Some(Tok::Word(w)) if w == "s16" => 16,
                    Some(Tok::Word(w)) if w == "s32" => 32,
                    _ => return Err("expected `s8`, `s16` or `s32`".into()),
                };
                self.expect(")")?;
                let src = self.reg()?;
                if src.wide != w64 {
                    return Err("both registers must have the same width".into());
                }
                self.push_insn(Insn::movsx(w64, 0, 0, bits), dst.reg, src.reg);
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                let (to_be, unconditional, bits) =
                    byte_swap(&w).ok_or_else(|| format!("unknown operation `{w}`"))?;
                let src = self.reg()?;
                if src.reg != dst.reg || !w64 || !src.wide {
                    return Err(format!("`{w}` works in place on a 64-bit register"));
                }
                self.push_insn(
                    Insn::end(0, bits, to_be, unconditional),
                    dst.reg,
                    RegRef::Phys(0),
                );
            }
            Some(Tok::Reg(..)) => {
                let src = self.reg()?;
                if src.wide != w64 {
                    return Err("both registers must have the same width".into());
                }
                self.push_insn(Insn::mov(w64, 0, Operand2::Reg(0)), dst.reg, src.reg);
            }
            _ => {
                let v = self.num()?;
                if self.eat_word("ll") {
                    if !w64 {
                        return Err("`ll` loads a 64-bit register".into());
                    }
                    let [a, b] = Insn::ld_imm64(0, 0, v);
                    self.push_insn(a, dst.reg, RegRef::Phys(0));
                    self.push_insn(b, RegRef::Phys(0), RegRef::Phys(0));
                } else {
                    let imm = i32::try_from(v)
                        .ok()
                        .or_else(|| {
                            (!w64)
                                .then(|| u32::try_from(v).ok().map(|u| u as i32))
                                .flatten()
                        })
                        .ok_or_else(|| format!("{v} does not fit a 32-bit immediate (use `ll`)"))?;
                    self.push_insn(
                        Insn::mov(w64, 0, Operand2::Imm(imm)),
                        dst.reg,
                        RegRef::Phys(0),
                    );
                }
            }
        }
        Ok(())
    }
}

/// `be16`..`le64` (END) and `bswap16`..`bswap64` (cpu v4): to-big-endian,
/// unconditional, bits.
fn byte_swap(word: &str) -> Option<(bool, bool, u8)> {
    let (to_be, unconditional, bits) = if let Some(b) = word.strip_prefix("bswap") {
        (false, true, b)
    } else if let Some(b) = word.strip_prefix("be") {
        (true, false, b)
    } else {
        (false, false, word.strip_prefix("le")?)
    };
    let bits = match bits {
        "16" => 16,
        "32" => 32,
        "64" => 64,
        _ => return None,
    };
    Some((to_be, unconditional, bits))
}
