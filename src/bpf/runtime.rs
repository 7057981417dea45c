//! Runtime routines the BPF lowering calls instead of compiler_builtins':
//! 128-bit division and remainder. compiler_builtins' `__udivti3` family
//! needs frames larger than the verifier's 512-byte stack, so these are
//! written here as CLIF (a restoring shift-subtract loop of exactly 128
//! steps, which the verifier bounds from its counter, with no branches in
//! its body), compiled through the normal BPF pipeline and added to each
//! object that calls them as local functions.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self, AbiParam, ExternalName, InstBuilder, Signature, UserFuncName, Value, types,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{Linkage, Module};

use super::BpfTarget;
use super::module::BpfModule;

/// One of the division routines, `fn(a: i128, b: i128) -> i128` in this
/// backend's own calling convention. A zero divisor gives an all-ones
/// quotient and the dividend as remainder (Rust checks before dividing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Division {
    Udiv,
    Urem,
    Sdiv,
    Srem,
}

impl Division {
    const ALL: [Division; 4] = [
        Division::Udiv,
        Division::Urem,
        Division::Sdiv,
        Division::Srem,
    ];

    /// The local symbol of the routine in every object that uses it.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Division::Udiv => "__bpf_udiv128",
            Division::Urem => "__bpf_urem128",
            Division::Sdiv => "__bpf_sdiv128",
            Division::Srem => "__bpf_srem128",
        }
    }

    fn signed(self) -> bool {
        matches!(self, Division::Sdiv | Division::Srem)
    }

    fn remainder(self) -> bool {
        matches!(self, Division::Urem | Division::Srem)
    }
}

/// Defines, as local functions of `module`, the routines its functions
/// call. Call it once, after every other function is defined. The
/// routines are always optimised: unoptimised, their spills would take
/// stack from every call chain that divides.
pub(crate) fn define_used(module: &mut BpfModule, target: &BpfTarget) -> Result<(), String> {
    for routine in Division::ALL {
        if !module.references(routine.symbol()) {
            continue;
        }
        let func = build(routine);
        let name = |n: &ExternalName| n.display(None).to_string();
        let compiled = super::compile_function(&func, target, true, &name, &[])
            .map_err(|e| format!("runtime routine `{}`: {}", routine.symbol(), e.message))?;
        let failed = |e| format!("runtime routine `{}`: {e}", routine.symbol());
        let id = module
            .declare_function(routine.symbol(), Linkage::Local, &func.signature)
            .map_err(failed)?;
        module
            .define_compiled(id, None, compiled, Vec::new())
            .map_err(failed)?;
    }
    Ok(())
}

/// The CLIF of `routine`.
fn build(routine: Division) -> ir::Function {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.params = vec![AbiParam::new(types::I128); 2];
    sig.returns = vec![AbiParam::new(types::I128)];
    let mut func = ir::Function::with_name_signature(UserFuncName::testcase(routine.symbol()), sig);
    let mut fcx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fcx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let (a, d) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    // Signed: divide the magnitudes (MIN's magnitude is 2^127 as an
    // unsigned value), then give the quotient the sign of a * d and the
    // remainder the sign of a.
    let (a_sign, d_sign) = if routine.signed() {
        (
            Some(b.ins().sshr_imm(a, 127)),
            Some(b.ins().sshr_imm(d, 127)),
        )
    } else {
        (None, None)
    };
    let a = magnitude(&mut b, a, a_sign);
    let d = magnitude(&mut b, d, d_sign);
    let (q, r) = udivmod(&mut b, a, d);
    let result = if routine.remainder() {
        magnitude(&mut b, r, a_sign)
    } else {
        let sign = a_sign.zip(d_sign).map(|(x, y)| b.ins().bxor(x, y));
        magnitude(&mut b, q, sign)
    };
    b.ins().return_(&[result]);
    b.seal_all_blocks();
    b.finalize();
    func
}

/// `(x ^ sign) - sign`: the magnitude of `x` for a sign mask of all ones
/// or zeros, or `x` given that sign mask negated back.
fn magnitude(b: &mut FunctionBuilder<'_>, x: Value, sign: Option<Value>) -> Value {
    match sign {
        Some(s) => {
            let flipped = b.ins().bxor(x, s);
            b.ins().isub(flipped, s)
        }
        None => x,
    }
}

/// Unsigned 128-bit quotient and remainder, on 64-bit halves.
///
/// Each of the 128 steps shifts the remainder:dividend pair left by one
/// and subtracts the divisor from the remainder when it fits (the bit
/// shifted out of the remainder counts: then it always fits); the
/// dividend's freed low bit takes the quotient bit. The choice is a mask,
/// not a branch, so the verifier walks one path per step.
fn udivmod(b: &mut FunctionBuilder<'_>, n: Value, d: Value) -> (Value, Value) {
    let (n_lo, n_hi) = b.ins().isplit(n);
    let (d_lo, d_hi) = b.ins().isplit(d);
    let steps = b.ins().iconst(types::I64, 128);
    let zero = b.ins().iconst(types::I64, 0);
    let body = b.create_block();
    let done = b.create_block();
    for _ in 0..5 {
        b.append_block_param(body, types::I64);
    }
    for _ in 0..4 {
        b.append_block_param(done, types::I64);
    }
    b.ins().jump(
        body,
        &[
            steps.into(),
            n_lo.into(),
            n_hi.into(),
            zero.into(),
            zero.into(),
        ],
    );

    b.switch_to_block(body);
    let p = b.block_params(body).to_vec();
    let (count, n_lo, n_hi, r_lo, r_hi) = (p[0], p[1], p[2], p[3], p[4]);
    let out = b.ins().ushr_imm(r_hi, 63);
    let r_hi = shift_in(b, r_hi, r_lo);
    let r_lo = shift_in(b, r_lo, n_hi);
    let n_hi = shift_in(b, n_hi, n_lo);
    let n_lo = b.ins().ishl_imm(n_lo, 1);
    let t_lo = b.ins().isub(r_lo, d_lo);
    let borrow_lo = borrow(b, r_lo, d_lo, t_lo);
    let t_hi = b.ins().isub(r_hi, d_hi);
    let t_hi = b.ins().isub(t_hi, borrow_lo);
    let borrow_hi = borrow(b, r_hi, d_hi, t_hi);
    // Subtract when a bit was shifted out or there was no borrow.
    let fits = b.ins().bxor_imm(borrow_hi, 1);
    let take = b.ins().bor(out, fits);
    let mask = b.ins().ineg(take);
    let r_lo = choose(b, mask, t_lo, r_lo);
    let r_hi = choose(b, mask, t_hi, r_hi);
    let n_lo = b.ins().bor(n_lo, take);
    let count = b.ins().iadd_imm(count, -1);
    let more = b.ins().icmp_imm(IntCC::NotEqual, count, 0);
    b.ins().brif(
        more,
        body,
        &[
            count.into(),
            n_lo.into(),
            n_hi.into(),
            r_lo.into(),
            r_hi.into(),
        ],
        done,
        &[n_lo.into(), n_hi.into(), r_lo.into(), r_hi.into()],
    );

    b.switch_to_block(done);
    let p = b.block_params(done).to_vec();
    let q = b.ins().iconcat(p[0], p[1]);
    let r = b.ins().iconcat(p[2], p[3]);
    (q, r)
}

/// `(x << 1) | (below >> 63)`.
fn shift_in(b: &mut FunctionBuilder<'_>, x: Value, below: Value) -> Value {
    let x = b.ins().ishl_imm(x, 1);
    let top = b.ins().ushr_imm(below, 63);
    b.ins().bor(x, top)
}

/// The borrow (0 or 1) out of `diff = x - y - borrow_in`:
/// `((!x & y) | (!(x ^ y) & diff)) >> 63`.
fn borrow(b: &mut FunctionBuilder<'_>, x: Value, y: Value, diff: Value) -> Value {
    let not_x = b.ins().bnot(x);
    let t1 = b.ins().band(not_x, y);
    let same = b.ins().bxor(x, y);
    let same = b.ins().bnot(same);
    let t2 = b.ins().band(same, diff);
    let t = b.ins().bor(t1, t2);
    b.ins().ushr_imm(t, 63)
}

/// `mask ? yes : no` for a mask of all ones or zeros.
fn choose(b: &mut FunctionBuilder<'_>, mask: Value, yes: Value, no: Value) -> Value {
    let diff = b.ins().bxor(yes, no);
    let diff = b.ins().band(diff, mask);
    b.ins().bxor(no, diff)
}
