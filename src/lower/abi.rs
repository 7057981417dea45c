//! The calling convention: CLIF signatures from rustc's `FnAbi`, the
//! function prologue (parameters into locals), returns, and every kind of
//! call (direct, through a function pointer, virtual, variadic).

use cranelift_codegen::ir::{
    AbiParam, ArgumentPurpose, Block, InstBuilder, Signature, Value, types,
};
use cranelift_codegen::isa::CallConv;
use cranelift_module::{FuncId, FuncOrDataId, Linkage, Module};
use rustc_abi::{BackendRepr, ExternAbi, Reg, RegKind, Size};
use rustc_middle::mir::{self, Operand};
use rustc_middle::ty::layout::{FnAbiOf, LayoutOf};
use rustc_middle::ty::{self, Instance, InstanceKind, Ty, TyCtxt};
use rustc_span::Spanned;
use rustc_target::callconv::{ArgAbi, CastTarget, FnAbi, PassMode};
use smallvec::{SmallVec, smallvec};

use super::layout_cx::{MonoCx, pointer_ty, scalar_clif_ty};
use super::place::Place;
use super::pointer::Pointer;
use super::value::{Val, mem_flags};
use super::{FunctionCx, analyze};

fn reg_clif_ty(reg: Reg) -> types::Type {
    match (reg.kind, reg.size.bytes()) {
        (RegKind::Integer, 1) => types::I8,
        (RegKind::Integer, 2) => types::I16,
        (RegKind::Integer, 3..=4) => types::I32,
        (RegKind::Integer, 5..=8) => types::I64,
        (RegKind::Integer, 9..=16) => types::I128,
        (RegKind::Float, 4) => types::F32,
        (RegKind::Float, 8) => types::F64,
        _ => types::I64,
    }
}

/// The register pieces of a cast, with their offsets in the value's memory.
fn cast_pieces(cast: &CastTarget) -> SmallVec<[(Size, types::Type); 4]> {
    let mut pieces = SmallVec::new();
    if let Some(rest_offset) = cast.rest_offset {
        if let Some(first) = cast.prefix[0] {
            pieces.push((Size::ZERO, reg_clif_ty(first)));
        }
        pieces.push((rest_offset, reg_clif_ty(cast.rest.unit)));
        return pieces;
    }
    let mut offset = Size::ZERO;
    for reg in cast.prefix.iter().flatten() {
        let ty = reg_clif_ty(*reg);
        pieces.push((offset, ty));
        offset += Size::from_bytes(ty.bytes());
    }
    let unit = cast.rest.unit.size.bytes();
    let total = cast.rest.total.bytes();
    if let Some(count) = total.checked_div(unit) {
        for _ in 0..count {
            let ty = reg_clif_ty(cast.rest.unit);
            pieces.push((offset, ty));
            offset += Size::from_bytes(ty.bytes());
        }
        let rem = total % unit;
        if rem != 0 {
            pieces.push((
                offset,
                reg_clif_ty(Reg {
                    kind: RegKind::Integer,
                    size: Size::from_bytes(rem),
                }),
            ));
        }
    }
    pieces
}

/// Bytes of memory a cast reads or writes.
fn cast_size(cast: &CastTarget) -> u64 {
    cast_pieces(cast)
        .iter()
        .map(|(off, ty)| off.bytes() + u64::from(ty.bytes()))
        .max()
        .unwrap_or(0)
}

fn extended(param: AbiParam, attrs: &rustc_target::callconv::ArgAttributes) -> AbiParam {
    use rustc_target::callconv::ArgExtension;
    match attrs.arg_ext {
        ArgExtension::None => param,
        ArgExtension::Zext => param.uext(),
        ArgExtension::Sext => param.sext(),
    }
}

fn arg_params<'tcx>(tcx: TyCtxt<'tcx>, arg: &ArgAbi<'tcx, Ty<'tcx>>) -> SmallVec<[AbiParam; 2]> {
    let ptr = pointer_ty(tcx);
    match &arg.mode {
        PassMode::Ignore => smallvec![],
        PassMode::Direct(attrs) => match arg.layout.backend_repr {
            BackendRepr::Scalar(s) => {
                smallvec![extended(AbiParam::new(scalar_clif_ty(tcx, s)), attrs)]
            }
            _ => smallvec![AbiParam::new(ptr)],
        },
        PassMode::Pair(a_attrs, b_attrs) => match arg.layout.backend_repr {
            BackendRepr::ScalarPair(a, b) => smallvec![
                extended(AbiParam::new(scalar_clif_ty(tcx, a)), a_attrs),
                extended(AbiParam::new(scalar_clif_ty(tcx, b)), b_attrs),
            ],
            _ => smallvec![],
        },
        PassMode::Cast { cast, .. } => cast_pieces(cast)
            .into_iter()
            .map(|(_, ty)| AbiParam::new(ty))
            .collect(),
        PassMode::Indirect {
            meta_attrs: Some(_),
            ..
        } => smallvec![AbiParam::new(ptr), AbiParam::new(ptr)],
        PassMode::Indirect { on_stack: true, .. } => {
            let size = arg
                .layout
                .size
                .align_to(tcx.data_layout.pointer_align().abi)
                .bytes() as u32;
            smallvec![AbiParam::special(
                ptr,
                ArgumentPurpose::StructArgument(size)
            )]
        }
        PassMode::Indirect {
            on_stack: false, ..
        } => smallvec![AbiParam::new(ptr)],
    }
}

fn return_params<'tcx>(tcx: TyCtxt<'tcx>, ret: &ArgAbi<'tcx, Ty<'tcx>>) -> Vec<AbiParam> {
    match &ret.mode {
        PassMode::Indirect { .. } | PassMode::Ignore => vec![],
        _ => arg_params(tcx, ret).into_vec(),
    }
}

/// The CLIF signature of a function with the given `FnAbi`.
pub(crate) fn signature_of_fn_abi<'tcx>(
    tcx: TyCtxt<'tcx>,
    call_conv: CallConv,
    fn_abi: &FnAbi<'tcx, Ty<'tcx>>,
) -> Signature {
    let mut params = Vec::new();
    if let PassMode::Indirect { .. } = fn_abi.ret.mode {
        params.push(AbiParam::special(
            pointer_ty(tcx),
            ArgumentPurpose::StructReturn,
        ));
    }
    for arg in fn_abi.args.iter() {
        params.extend(arg_params(tcx, arg));
    }
    Signature {
        params,
        returns: return_params(tcx, &fn_abi.ret),
        call_conv,
    }
}

/// The CLIF signature of a monomorphic function.
pub(crate) fn fn_signature<'tcx>(
    tcx: TyCtxt<'tcx>,
    call_conv: CallConv,
    instance: Instance<'tcx>,
) -> Signature {
    let fn_abi = MonoCx(tcx).fn_abi_of_instance(instance, ty::List::empty());
    signature_of_fn_abi(tcx, call_conv, fn_abi)
}

/// Declares (or finds) `instance` in `module` for calling it.
pub(crate) fn import_function<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut dyn Module,
    instance: Instance<'tcx>,
) -> FuncId {
    let name = tcx.symbol_name(instance).name;
    if let Some(FuncOrDataId::Func(id)) = module.get_name(name) {
        return id;
    }
    let sig = fn_signature(tcx, module.target_config().default_call_conv, instance);
    match module.declare_function(name, Linkage::Import, &sig) {
        Ok(id) => id,
        Err(err) => tcx.dcx().fatal(format!("cannot declare `{name}`: {err}")),
    }
}

/// Rebuilds a value from the block parameters of one argument.
fn param_to_val<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    arg: &ArgAbi<'tcx, Ty<'tcx>>,
    params: &mut impl Iterator<Item = Value>,
) -> Val<'tcx> {
    let mut next = || params.next().unwrap_or_else(|| fx_bug_params());
    match &arg.mode {
        PassMode::Ignore => Val::zst(arg.layout),
        PassMode::Direct(_) => Val::by_val(next(), arg.layout),
        PassMode::Pair(..) => {
            let a = next();
            let b = next();
            Val::by_val_pair(a, b, arg.layout)
        }
        PassMode::Cast { cast, .. } => {
            let values: SmallVec<[Value; 4]> = cast_pieces(cast).iter().map(|_| next()).collect();
            let slot_size = cast_size(cast).max(arg.layout.size.bytes());
            let ptr =
                fx.create_stack_slot(slot_size as u32, arg.layout.align.abi.bytes().max(8) as u32);
            for ((offset, _), v) in cast_pieces(cast).iter().zip(values) {
                ptr.offset_i64(fx, offset.bytes() as i64)
                    .store(fx, v, mem_flags());
            }
            Val::by_ref(ptr, arg.layout)
        }
        PassMode::Indirect {
            meta_attrs: Some(_),
            ..
        } => {
            let ptr = next();
            let meta = next();
            Val::by_ref_unsized(Pointer::new(ptr), meta, arg.layout)
        }
        PassMode::Indirect { .. } => Val::by_ref(Pointer::new(next()), arg.layout),
    }
}

fn fx_bug_params() -> ! {
    // The signature is built from the same FnAbi, so this cannot happen.
    unreachable!("fewer CLIF parameters than the FnAbi describes")
}

/// Turns an argument value into the CLIF values passed for it.
fn val_to_args<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    val: Val<'tcx>,
    arg: &ArgAbi<'tcx, Ty<'tcx>>,
) -> SmallVec<[Value; 2]> {
    match &arg.mode {
        PassMode::Ignore => smallvec![],
        PassMode::Direct(_) => smallvec![val.load_scalar(fx)],
        PassMode::Pair(..) => {
            let (a, b) = val.load_scalar_pair(fx);
            smallvec![a, b]
        }
        PassMode::Cast { cast, .. } => {
            let size = cast_size(cast).max(val.layout.size.bytes());
            let ptr = fx.create_stack_slot(size as u32, val.layout.align.abi.bytes().max(8) as u32);
            Place::for_ptr(ptr, val.layout).write_val(fx, val);
            cast_pieces(cast)
                .iter()
                .map(|&(offset, ty)| {
                    ptr.offset_i64(fx, offset.bytes() as i64)
                        .load(fx, ty, mem_flags())
                })
                .collect()
        }
        PassMode::Indirect {
            meta_attrs: Some(_),
            ..
        } => match val.try_to_ptr() {
            Some((ptr, Some(meta))) => smallvec![ptr.get_addr(fx), meta],
            _ => fx.bug(format!(
                "unsized argument `{}` without metadata",
                val.layout.ty
            )),
        },
        PassMode::Indirect { .. } => {
            // The callee owns indirect arguments: pass a fresh copy.
            let copy = Place::new_stack_slot(fx, val.layout);
            copy.write_val(fx, val);
            let ptr = copy.to_ptr(fx);
            smallvec![ptr.get_addr(fx)]
        }
    }
}

/// Whether `fn_abi` passes a SIMD vector argument or result by value (in
/// vector registers, as the C ABI does), which the backend does not lower.
pub(crate) fn passes_vectors_by_value(fn_abi: &FnAbi<'_, Ty<'_>>) -> bool {
    fn_abi
        .args
        .iter()
        .chain(std::iter::once(&fn_abi.ret))
        .any(|arg| {
            matches!(
                arg.layout.backend_repr,
                BackendRepr::SimdVector { .. } | BackendRepr::SimdScalableVector { .. }
            ) && matches!(arg.mode, PassMode::Direct(_) | PassMode::Cast { .. })
        })
}

/// Sets up the entry block: parameters become locals, the other locals get
/// their storage, and control passes to MIR's first block.
pub(crate) fn prologue<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, start_block: Block) {
    if fx.fn_abi.c_variadic {
        fx.unsupported("defining a C-variadic function");
    }
    fx.bcx.append_block_params_for_function_params(start_block);
    fx.bcx.switch_to_block(start_block);
    let params: Vec<Value> = fx.bcx.block_params(start_block).to_vec();
    let mut params = params.into_iter();

    let ret_ptr = match fx.fn_abi.ret.mode {
        PassMode::Indirect { .. } => params.next(),
        _ => None,
    };

    // Argument values, in ABI order.
    let mut abi_args = fx.fn_abi.args.iter();
    let mut arg_vals: Vec<(mir::Local, ArgValue<'tcx>)> = Vec::new();
    for local in fx.mir.args_iter() {
        let ty = fx.monomorphize(fx.mir.local_decls[local].ty);
        if Some(local) == fx.mir.spread_arg {
            let ty::Tuple(fields) = ty.kind() else {
                fx.bug(format!("spread argument of type `{ty}`"))
            };
            let parts = fields
                .iter()
                .map(|_| {
                    let abi = abi_args.next().unwrap_or_else(|| fx_bug_params());
                    param_to_val(fx, abi, &mut params)
                })
                .collect();
            arg_vals.push((local, ArgValue::Spread(parts)));
        } else {
            let abi = abi_args.next().unwrap_or_else(|| fx_bug_params());
            let val = param_to_val(fx, abi, &mut params);
            arg_vals.push((
                local,
                ArgValue::Single(val, matches!(abi.mode, PassMode::Indirect { .. })),
            ));
        }
    }
    if fx.instance.def.requires_caller_location(fx.tcx) {
        let abi = abi_args.next().unwrap_or_else(|| fx_bug_params());
        let loc = param_to_val(fx, abi, &mut params);
        fx.caller_location = Some(loc);
    }

    let layouts: Vec<_> = fx
        .mir
        .local_decls
        .iter()
        .map(|decl| fx.layout_of(fx.monomorphize(decl.ty)))
        .collect();
    let in_memory = analyze::memory_locals(fx.mir, &layouts);
    let mut arg_vals = arg_vals.into_iter().peekable();
    for (local, _) in fx.mir.local_decls.iter_enumerated() {
        let layout = layouts[local.as_usize()];
        let sret = ret_ptr.filter(|_| local == mir::RETURN_PLACE);
        let place = if let Some(sret) = sret {
            Place::for_ptr(Pointer::new(sret), layout)
        } else if arg_vals.peek().is_some_and(|(l, _)| *l == local) {
            let (_, arg) = arg_vals.next().unwrap();
            match arg {
                ArgValue::Single(val, true) if in_memory.contains(local) => {
                    match val.try_to_ptr() {
                        Some((ptr, None)) => Place::for_ptr(ptr, layout),
                        // An unsized argument (`unsized_fn_params`) lives
                        // where the caller put it.
                        Some((ptr, Some(meta))) => Place::for_ptr_with_meta(ptr, meta, layout),
                        None => store_new_local(fx, layout, in_memory.contains(local), val),
                    }
                }
                ArgValue::Single(val, _) => {
                    store_new_local(fx, layout, in_memory.contains(local), val)
                }
                ArgValue::Spread(parts) => {
                    let place = Place::new_stack_slot(fx, layout);
                    for (i, part) in parts.into_iter().enumerate() {
                        place
                            .field(fx, rustc_abi::FieldIdx::from_usize(i))
                            .write_val(fx, part);
                    }
                    if in_memory.contains(local) {
                        place
                    } else {
                        let val = place.to_val(fx);
                        store_new_local(fx, layout, false, val)
                    }
                }
            }
        } else if in_memory.contains(local) {
            Place::new_stack_slot(fx, layout)
        } else {
            Place::new_var(fx, layout)
        };
        fx.locals.push(place);
    }
    let first = fx.block(mir::START_BLOCK);
    fx.bcx.ins().jump(first, &[]);
}

enum ArgValue<'tcx> {
    /// The value, and whether it arrived by reference.
    Single(Val<'tcx>, bool),
    Spread(Vec<Val<'tcx>>),
}

fn store_new_local<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    layout: rustc_middle::ty::layout::TyAndLayout<'tcx>,
    in_memory: bool,
    val: Val<'tcx>,
) -> Place<'tcx> {
    let place = if in_memory {
        Place::new_stack_slot(fx, layout)
    } else {
        Place::new_var(fx, layout)
    };
    place.write_val(fx, val);
    place
}

/// `return`: hands the return place's value back per the ABI.
pub(crate) fn lower_return(fx: &mut FunctionCx<'_, '_, '_>) {
    let ret = fx.local_place(mir::RETURN_PLACE);
    let values: SmallVec<[Value; 2]> = match &fx.fn_abi.ret.mode {
        PassMode::Ignore | PassMode::Indirect { .. } => smallvec![],
        _ => {
            let val = ret.to_val(fx);
            let ret_abi = &fx.fn_abi.ret;
            val_to_args(fx, val, ret_abi)
        }
    };
    fx.bcx.ins().return_(&values);
}

/// What a call goes to.
enum Callee {
    Direct(FuncId),
    Indirect(Value),
}

/// Lowers a `Call` terminator.
pub(crate) fn lower_call<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    source_info: mir::SourceInfo,
    func: &Operand<'tcx>,
    args: &[Spanned<Operand<'tcx>>],
    destination: mir::Place<'tcx>,
    target: Option<mir::BasicBlock>,
) {
    let fn_ty = fx.monomorphize(func.ty(fx.mir, fx.tcx));
    let fn_sig = fx.tcx.normalize_erasing_late_bound_regions(
        ty::TypingEnv::fully_monomorphized(),
        fn_ty.fn_sig(fx.tcx),
    );

    let instance = match *fn_ty.kind() {
        ty::FnDef(def_id, generic_args) => {
            let instance = Instance::expect_resolve(
                fx.tcx,
                ty::TypingEnv::fully_monomorphized(),
                def_id,
                generic_args,
                source_info.span,
            );
            if super::core_reloc::lower_query(
                fx,
                instance,
                args,
                destination,
                target,
                source_info.span,
            ) {
                return;
            }
            if let InstanceKind::Intrinsic(_) = instance.def {
                let dest = super::rvalue::lower_place(fx, destination);
                match super::intrinsics::lower_intrinsic(
                    fx,
                    instance,
                    args,
                    dest,
                    target,
                    source_info,
                ) {
                    Ok(()) => return,
                    // The intrinsic has a Rust body to fall back on.
                    Err(fallback) => Some(fallback),
                }
            } else if let InstanceKind::DropGlue(_, None) = instance.def {
                // Dropping a type without drop glue does nothing.
                jump_or_trap(fx, target);
                return;
            } else if super::llvm_intrinsic::lower_llvm_intrinsic(
                fx,
                instance,
                args,
                destination,
                target,
            ) {
                return;
            } else {
                Some(instance)
            }
        }
        _ => None,
    };

    // Argument values; a `rust-call` tuple is spread into its fields.
    let mut arg_vals: Vec<Val<'tcx>> = args
        .iter()
        .map(|a| super::rvalue::lower_operand(fx, &a.node))
        .collect();
    if fn_sig.abi() == ExternAbi::RustCall && !args.is_empty() {
        let tuple = arg_vals.pop().unwrap();
        let ty::Tuple(fields) = tuple.layout.ty.kind() else {
            fx.bug(format!("rust-call argument of type `{}`", tuple.layout.ty))
        };
        for i in 0..fields.len() {
            arg_vals.push(tuple.field(fx, rustc_abi::FieldIdx::from_usize(i)));
        }
    }

    let extra_args: Vec<Ty<'tcx>> = if fn_sig.c_variadic() {
        arg_vals[fn_sig.inputs().len()..]
            .iter()
            .map(|v| v.layout.ty)
            .collect()
    } else {
        vec![]
    };
    let extra_args = fx.tcx.mk_type_list(&extra_args);
    let fn_abi = match instance {
        Some(instance) => fx.fn_abi_of_instance(instance, extra_args),
        None => fx.fn_abi_of_fn_ptr(fn_ty.fn_sig(fx.tcx), extra_args),
    };
    if passes_vectors_by_value(fn_abi) {
        fx.unsupported(format!(
            "calling a function that passes SIMD vectors by value in the `{}` ABI",
            fn_abi.conv
        ));
        fx.trap_unreachable();
        return;
    }

    if let Some(instance) = instance
        && instance.def.requires_caller_location(fx.tcx)
    {
        let loc = fx.caller_location(source_info);
        arg_vals.push(loc);
    }

    let callee = match instance {
        Some(Instance {
            def: InstanceKind::Virtual(_, index),
            ..
        }) => {
            let (data, vtable) = super::unsize::receiver_parts(fx, arg_vals[0]);
            arg_vals[0] = Val::by_val(
                data,
                fx.layout_of(Ty::new_mut_ptr(fx.tcx, fx.tcx.types.unit)),
            );
            let fn_ptr = crate::vtable::load_method(fx, vtable, index);
            Callee::Indirect(fn_ptr)
        }
        Some(instance) => Callee::Direct(import_function(fx.tcx, fx.module, instance)),
        None => {
            let fn_ptr = super::rvalue::lower_operand(fx, func).load_scalar(fx);
            Callee::Indirect(fn_ptr)
        }
    };

    let dest = super::rvalue::lower_place(fx, destination);
    emit_call(fx, callee, fn_abi, arg_vals, Some(dest));
    jump_or_trap(fx, target);
}

/// Calls `instance` with `args` (already in ABI order except for the caller
/// location, which is added here), writing the result into `dest`.
pub(crate) fn call_instance<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    instance: Instance<'tcx>,
    mut args: Vec<Val<'tcx>>,
    dest: Option<Place<'tcx>>,
    source_info: mir::SourceInfo,
) {
    let fn_abi = fx.fn_abi_of_instance(instance, ty::List::empty());
    if instance.def.requires_caller_location(fx.tcx) {
        let loc = fx.caller_location(source_info);
        args.push(loc);
    }
    let callee = Callee::Direct(import_function(fx.tcx, fx.module, instance));
    emit_call(fx, callee, fn_abi, args, dest);
}

/// Calls a function pointer whose ABI is `fn_abi`.
pub(crate) fn call_pointer<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    fn_ptr: Value,
    fn_abi: &FnAbi<'tcx, Ty<'tcx>>,
    args: Vec<Val<'tcx>>,
    dest: Option<Place<'tcx>>,
) {
    emit_call(fx, Callee::Indirect(fn_ptr), fn_abi, args, dest);
}

fn emit_call<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    callee: Callee,
    fn_abi: &FnAbi<'tcx, Ty<'tcx>>,
    args: Vec<Val<'tcx>>,
    dest: Option<Place<'tcx>>,
) {
    if args.len() != fn_abi.args.len() {
        fx.bug(format!(
            "call with {} arguments to a function taking {}",
            args.len(),
            fn_abi.args.len()
        ));
    }
    let mut call_args: Vec<Value> = Vec::new();
    // The return slot, when returning through memory.
    let ret_slot = match fn_abi.ret.mode {
        PassMode::Indirect { .. } => {
            let place = match dest {
                Some(d) if d.try_memory().is_some() && d.layout.size == fn_abi.ret.layout.size => d,
                _ => Place::new_stack_slot(fx, fn_abi.ret.layout),
            };
            let addr = place.to_ptr(fx).get_addr(fx);
            call_args.push(addr);
            Some(place)
        }
        _ => None,
    };
    for (val, abi) in args.into_iter().zip(fn_abi.args.iter()) {
        call_args.extend(val_to_args(fx, val, abi));
    }
    let sig = signature_of_fn_abi(fx.tcx, fx.module.target_config().default_call_conv, fn_abi);
    let call = match callee {
        Callee::Direct(id) if !fn_abi.c_variadic => {
            let func_ref = fx.module.declare_func_in_func(id, fx.bcx.func);
            fx.bcx.ins().call(func_ref, &call_args)
        }
        Callee::Direct(id) => {
            // A variadic callee's declaration only has the fixed
            // parameters; call it through its address with this call's full
            // signature (on x86-64 through the `%al`-setting trampoline).
            let callee = if fx.tcx.sess.target.arch == rustc_target::spec::Arch::X86_64 {
                let decl = fx.module.declarations().get_function_decl(id);
                let name = crate::driver::variadic::trampoline_name(decl.linkage_name(id).as_ref());
                let decl_sig = decl.signature.clone();
                fx.module
                    .declare_function(&name, Linkage::Import, &decl_sig)
                    .unwrap_or_else(|e| fx.bug(format!("cannot declare `{name}`: {e}")))
            } else {
                id
            };
            let func_ref = fx.module.declare_func_in_func(callee, fx.bcx.func);
            let addr = fx.bcx.ins().func_addr(fx.ptr_ty, func_ref);
            let sig_ref = fx.bcx.import_signature(sig);
            fx.bcx.ins().call_indirect(sig_ref, addr, &call_args)
        }
        Callee::Indirect(_) if fn_abi.c_variadic && passes_floats_variadically(fx, fn_abi) => {
            fx.unsupported(
                "passing floating-point values to a C-variadic function through a pointer",
            );
            return;
        }
        Callee::Indirect(addr) => {
            let sig_ref = fx.bcx.import_signature(sig);
            fx.bcx.ins().call_indirect(sig_ref, addr, &call_args)
        }
    };
    let results: SmallVec<[Value; 2]> = fx.bcx.inst_results(call).into();
    let ret_layout = fn_abi.ret.layout;
    let result = match &fn_abi.ret.mode {
        PassMode::Ignore => None,
        PassMode::Direct(_) => Some(Val::by_val(results[0], ret_layout)),
        PassMode::Pair(..) => Some(Val::by_val_pair(results[0], results[1], ret_layout)),
        PassMode::Cast { cast, .. } => {
            let size = cast_size(cast).max(ret_layout.size.bytes());
            let ptr = fx.create_stack_slot(size as u32, ret_layout.align.abi.bytes().max(8) as u32);
            for ((offset, _), v) in cast_pieces(cast).iter().zip(results) {
                ptr.offset_i64(fx, offset.bytes() as i64)
                    .store(fx, v, mem_flags());
            }
            Some(Val::by_ref(ptr, ret_layout))
        }
        PassMode::Indirect { .. } => {
            let slot = ret_slot.unwrap_or_else(|| fx.bug("indirect return without slot".into()));
            match dest {
                Some(d) if d.same_storage(&slot) => None,
                _ => Some(slot.to_val(fx)),
            }
        }
    };
    if let (Some(dest), Some(result)) = (dest, result) {
        dest.write_val(fx, result.with_layout(ret_layout));
    }
    // Argument copies and a return slot other than the destination are
    // dead now. (A result without destination is never read.)
    fx.end_temporaries();
}

/// Whether a variadic call passes floats after the fixed arguments, which
/// x86-64 only supports when `%al` is set (see `driver::variadic`).
fn passes_floats_variadically<'tcx>(
    fx: &FunctionCx<'_, '_, 'tcx>,
    fn_abi: &FnAbi<'tcx, Ty<'tcx>>,
) -> bool {
    fx.tcx.sess.target.arch == rustc_target::spec::Arch::X86_64
        && fn_abi.args[fn_abi.fixed_count as usize..].iter().any(
            |a| matches!(a.layout.backend_repr, BackendRepr::Scalar(s) if matches!(s.primitive(), rustc_abi::Primitive::Float(_))),
        )
}

pub(crate) fn jump_or_trap(fx: &mut FunctionCx<'_, '_, '_>, target: Option<mir::BasicBlock>) {
    match target {
        Some(bb) => {
            let block = fx.block(bb);
            fx.bcx.ins().jump(block, &[]);
        }
        None => fx.trap_unreachable(),
    }
}

/// Lowers `Drop(place)`: calls the type's drop glue, through the vtable for
/// trait objects.
pub(crate) fn lower_drop<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    source_info: mir::SourceInfo,
    place: Place<'tcx>,
    target: mir::BasicBlock,
) {
    let ty = place.layout.ty;
    let drop_instance = Instance::resolve_drop_glue(fx.tcx, ty);
    if let InstanceKind::DropGlue(_, None) = drop_instance.def {
        jump_or_trap(fx, Some(target));
        return;
    }
    match ty.kind() {
        ty::Dynamic(..) => {
            // drop_in_place::<dyn Trait>: the vtable's drop entry with the
            // data pointer.
            let (ptr, meta) = place.to_ptr_maybe_unsized(fx);
            let vtable = meta.unwrap_or_else(|| fx.bug("dyn place without vtable".into()));
            let data = ptr.get_addr(fx);
            let drop_fn = crate::vtable::load_drop_in_place(fx, vtable);
            let done = fx.bcx.create_block();
            let call_block = fx.bcx.create_block();
            fx.bcx.ins().brif(drop_fn, call_block, &[], done, &[]);
            fx.bcx.switch_to_block(call_block);
            let virtual_drop = Instance {
                def: InstanceKind::Virtual(drop_instance.def_id(), 0),
                args: drop_instance.args,
            };
            let fn_abi = fx.fn_abi_of_instance(virtual_drop, ty::List::empty());
            let arg = Val::by_val(data, fn_abi.args[0].layout);
            call_pointer(fx, drop_fn, fn_abi, vec![arg], None);
            fx.bcx.ins().jump(done, &[]);
            fx.bcx.switch_to_block(done);
        }
        _ => {
            let ptr_ty = Ty::new_mut_ptr(fx.tcx, ty);
            let ptr_layout = fx.layout_of(ptr_ty);
            let (ptr, meta) = place.to_ptr_maybe_unsized(fx);
            let addr = ptr.get_addr(fx);
            let arg = match meta {
                Some(meta) => Val::by_val_pair(addr, meta, ptr_layout),
                None => Val::by_val(addr, ptr_layout),
            };
            call_instance(fx, drop_instance, vec![arg], None, source_info);
        }
    }
    jump_or_trap(fx, Some(target));
}
