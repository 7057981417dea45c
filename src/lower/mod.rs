//! MIR -> CLIF lowering, independent of the machine that follows.
//!
//! One [`FunctionCx`] lowers one monomorphic function: locals become SSA
//! variables or stack slots ([`place`]), statements and rvalues go through
//! [`rvalue`], terminators through [`terminator`], calls and the calling
//! convention through [`abi`]. What the target allows is asked of
//! [`target::TargetInfo`].

pub(crate) mod abi;
mod analyze;
mod cast;
mod constant;
mod core_reloc;
mod discriminant;
mod inline_asm;
mod intrinsics;
mod layout_cx;
mod llvm_intrinsic;
mod memory;
mod num;
mod place;
mod pointer;
mod rvalue;
mod simd;
pub(crate) mod target;
mod terminator;
mod unsize;
mod use_site;
mod value;

use cranelift_codegen::ir::{Block, Function, InstBuilder, TrapCode, Type, UserFuncName};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{FuncId, FuncOrDataId, Module};
use rustc_index::IndexVec;
use rustc_middle::mir::{self, BasicBlock, Body, Local, traversal};
use rustc_middle::ty::layout::{FnAbiOf, HasTyCtxt, LayoutOf, LayoutOfHelpers};
use rustc_middle::ty::{self, Instance, Ty, TyCtxt, TypeFoldable};
use rustc_span::Span;
use rustc_target::callconv::FnAbi;

pub(crate) use self::constant::{alloc_address, codegen_static, read_target_uint};
pub(crate) use self::layout_cx::MonoCx;
use self::place::Place;
use self::value::Val;

/// State of the function being lowered.
pub(crate) struct FunctionCx<'m, 'clif, 'tcx> {
    pub(crate) tcx: TyCtxt<'tcx>,
    pub(crate) module: &'m mut dyn Module,
    pub(crate) target: target::TargetInfo,
    pub(crate) instance: Instance<'tcx>,
    pub(crate) mir: &'tcx Body<'tcx>,
    pub(crate) fn_abi: &'tcx FnAbi<'tcx, Ty<'tcx>>,
    pub(crate) bcx: FunctionBuilder<'clif>,
    pub(crate) ptr_ty: Type,
    block_map: IndexVec<BasicBlock, Block>,
    locals: IndexVec<Local, Place<'tcx>>,
    /// The `#[track_caller]` location argument, if the function has one.
    caller_location: Option<Val<'tcx>>,
    /// Data objects referenced by the function.
    pub(crate) constants: constant::ConstantCx,
    /// Span of the statement being lowered, for diagnostics.
    pub(crate) span: Span,
    /// Source scope of the statement being lowered: whether, and from
    /// where, MIR inlining brought it in.
    scope: mir::SourceScope,
    /// Set when a construct was reported as unsupported; the function is
    /// then not compiled further.
    failed: bool,
    /// Source spans of the function, indexed by the `SourceLoc` given to
    /// the instructions lowered from them.
    spans: Vec<Span>,
    slot_markers: Vec<SlotMarker>,
    /// Whether the body (not the prologue) is being lowered: stack slots
    /// made now are temporaries of the current statement or terminator.
    in_body: bool,
    /// The temporaries of the statement or call being lowered; they die at
    /// its end (MIR consumes every operand within its statement).
    temporaries: Vec<cranelift_codegen::ir::StackSlot>,
    /// The relocated constants of the function, by index.
    core_sites: Vec<crate::btf::core_relo::CoreSite<'tcx>>,
}

/// A lowered function: its id, the spans its `SourceLoc`s index and where
/// its stack slots start and stop holding live data.
pub(crate) struct Lowered<'tcx> {
    pub(crate) func_id: FuncId,
    pub(crate) spans: Vec<Span>,
    pub(crate) slot_markers: Vec<SlotMarker>,
    /// What each relocated constant asks (see [`crate::btf::core_relo`]).
    pub(crate) core_sites: Vec<crate::btf::core_relo::CoreSite<'tcx>>,
}

impl Lowered<'_> {
    /// The span an instruction's source location refers to, if it has one.
    pub(crate) fn span_of(&self, srcloc: cranelift_codegen::ir::SourceLoc) -> Option<Span> {
        if srcloc.is_default() {
            return None;
        }
        self.spans.get(srcloc.bits() as usize).copied()
    }
}

/// A `nop` instruction marking that `slot` starts (`live`) or stops holding
/// data there, from MIR's `StorageLive`/`StorageDead` and from temporaries
/// whose use is over. A slot with markers holds nothing outside the stretches
/// they delimit, so its frame space may be shared; slots without markers are
/// live throughout.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SlotMarker {
    pub(crate) inst: cranelift_codegen::ir::Inst,
    pub(crate) slot: cranelift_codegen::ir::StackSlot,
    pub(crate) live: bool,
}

/// Lowers `instance` into `func`. Returns `None` when an unsupported construct
/// was reported (the error is already emitted).
pub(crate) fn codegen_fn<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut dyn Module,
    instance: Instance<'tcx>,
    func: &mut Function,
) -> Option<Lowered<'tcx>> {
    let symbol_name = tcx.symbol_name(instance).name;
    let func_id = match module.get_name(symbol_name) {
        Some(FuncOrDataId::Func(id)) => id,
        _ => tcx
            .dcx()
            .fatal(format!("function `{symbol_name}` was not declared")),
    };
    let mir = tcx.instance_mir(instance.def);
    let sig = abi::fn_signature(tcx, module.target_config().default_call_conv, instance);
    func.clear();
    func.name = UserFuncName::user(0, func_id.as_u32());
    func.signature = sig;

    let mut fctx = FunctionBuilderContext::new();
    let mut bcx = FunctionBuilder::new(func, &mut fctx);
    let start_block = bcx.create_block();
    let block_map = mir
        .basic_blocks
        .indices()
        .map(|_| bcx.create_block())
        .collect();
    let fn_abi = MonoCx(tcx).fn_abi_of_instance(instance, ty::List::empty());
    let ptr_ty = module.target_config().pointer_type();
    let target = target::TargetInfo::of(tcx);

    let mut fx = FunctionCx {
        tcx,
        module,
        target,
        instance,
        mir,
        fn_abi,
        bcx,
        ptr_ty,
        block_map,
        locals: IndexVec::with_capacity(mir.local_decls.len()),
        caller_location: None,
        constants: constant::ConstantCx::default(),
        span: mir.span,
        scope: mir::OUTERMOST_SOURCE_SCOPE,
        failed: false,
        spans: Vec::new(),
        slot_markers: Vec::new(),
        in_body: false,
        temporaries: Vec::new(),
        core_sites: Vec::new(),
    };
    fx.set_span(mir.span);
    fx.lower_body(start_block);
    fx.bcx.seal_all_blocks();
    fx.bcx.finalize();
    let failed = fx.failed;
    fx.constants.finalize(tcx, fx.module);
    if failed {
        None
    } else {
        Some(Lowered {
            func_id,
            spans: fx.spans,
            slot_markers: fx.slot_markers,
            core_sites: fx.core_sites,
        })
    }
}

impl<'tcx> FunctionCx<'_, '_, 'tcx> {
    fn lower_body(&mut self, start_block: Block) {
        let uninhabited_arg = self.mir.args_iter().any(|arg| {
            self.layout_of(self.monomorphize(self.mir.local_decls[arg].ty))
                .is_uninhabited()
        });
        let vector_by_value = abi::passes_vectors_by_value(self.fn_abi);
        if vector_by_value {
            self.unsupported(format!(
                "a function passing SIMD vectors by value in the `{}` ABI",
                self.fn_abi.conv
            ));
        }
        if uninhabited_arg || vector_by_value {
            self.bcx
                .append_block_params_for_function_params(start_block);
            self.bcx.switch_to_block(start_block);
            self.trap_unreachable();
            return;
        }
        abi::prologue(self, start_block);
        self.in_body = true;

        let reachable = traversal::mono_reachable_as_bitset(self.mir, self.tcx, self.instance);
        for (bb, data) in self.mir.basic_blocks.iter_enumerated() {
            let block = self.block_map[bb];
            self.bcx.switch_to_block(block);
            if !reachable.contains(bb) || data.is_cleanup {
                // Unwinding is not supported (panic=abort); cleanup blocks
                // are never entered.
                self.trap_unreachable();
                continue;
            }
            for stmt in &data.statements {
                self.scope = stmt.source_info.scope;
                self.set_span(stmt.source_info.span);
                rvalue::lower_statement(self, stmt);
                self.end_temporaries();
            }
            self.scope = data.terminator().source_info.scope;
            self.set_span(data.terminator().source_info.span);
            terminator::lower_terminator(self, data.terminator());
            // Calls end their temporaries before branching; those of other
            // terminators stay possibly live, which is merely conservative.
            self.temporaries.clear();
        }
    }

    /// Makes `span` the current span and the source location of the
    /// instructions lowered next.
    fn set_span(&mut self, span: Span) {
        self.span = span;
        if self.spans.last() != Some(&span) {
            self.spans.push(span);
        }
        let index = u32::try_from(self.spans.len() - 1).unwrap_or(u32::MAX - 1);
        self.bcx
            .set_srcloc(cranelift_codegen::ir::SourceLoc::new(index));
    }

    /// Records that the stack slot of `local` starts or stops holding live
    /// data here (see [`SlotMarker`]).
    fn mark_storage(&mut self, local: Local, live: bool) {
        if let Some(slot) = self.locals.get(local).and_then(Place::stack_slot) {
            self.mark_slot(slot, live);
        }
    }

    /// Records that `slot` starts or stops holding live data here, when the
    /// target wants to know.
    pub(crate) fn mark_slot(&mut self, slot: cranelift_codegen::ir::StackSlot, live: bool) {
        if self.target.slot_lifetimes {
            let inst = self.bcx.ins().nop();
            self.slot_markers.push(SlotMarker { inst, slot, live });
        }
    }

    /// Marks the temporaries made since the last call as dead.
    pub(crate) fn end_temporaries(&mut self) {
        for slot in std::mem::take(&mut self.temporaries) {
            self.mark_slot(slot, false);
        }
    }

    pub(crate) fn block(&self, bb: BasicBlock) -> Block {
        self.block_map[bb]
    }

    pub(crate) fn local_place(&self, local: Local) -> Place<'tcx> {
        self.locals[local]
    }

    pub(crate) fn monomorphize<T: TypeFoldable<TyCtxt<'tcx>> + Copy>(&self, value: T) -> T {
        self.instance.instantiate_mir_and_normalize_erasing_regions(
            self.tcx,
            ty::TypingEnv::fully_monomorphized(),
            ty::EarlyBinder::bind(value),
        )
    }

    pub(crate) fn trap_unreachable(&mut self) {
        self.bcx.ins().trap(TrapCode::user(1).unwrap());
    }

    /// Reports a construct the backend cannot lower, at the user's code
    /// that reaches the current span (see [`use_site`]).
    pub(crate) fn unsupported(&mut self, what: impl Into<String>) {
        let what = what.into();
        use_site::report_unsupported(
            self.tcx,
            self.instance,
            self.mir,
            self.scope,
            self.span,
            format!("{what} is not supported by rustc_codegen_bpf"),
        );
        self.failed = true;
    }

    /// A constant failed to evaluate; the error is already reported.
    pub(crate) fn failed_const(&mut self) {
        self.failed = true;
    }

    /// An internal inconsistency: reported as a fatal error at the current
    /// span rather than a panic.
    pub(crate) fn bug(&self, msg: String) -> ! {
        self.tcx.dcx().span_fatal(
            self.span,
            format!("rustc_codegen_bpf internal error: {msg}"),
        )
    }

    /// The `Location` of the current statement for `#[track_caller]`.
    pub(crate) fn caller_location(&mut self, source_info: mir::SourceInfo) -> Val<'tcx> {
        let tcx = self.tcx;
        self.mir
            .caller_location_span(source_info, self.caller_location, tcx, |span| {
                let loc = tcx.span_as_caller_location(span);
                constant::const_value_to_val(self, loc, tcx.caller_location_ty())
            })
    }
}

/// Whether a pointer to `ty` carries metadata (slice length, vtable): an
/// unsized type whose tail is not an extern type.
pub(crate) fn has_metadata<'tcx>(fx: &FunctionCx<'_, '_, 'tcx>, ty: Ty<'tcx>) -> bool {
    let env = ty::TypingEnv::fully_monomorphized();
    !ty.is_sized(fx.tcx, env)
        && !matches!(
            fx.tcx.struct_tail_for_codegen(ty, env).kind(),
            ty::Foreign(..)
        )
}

impl<'tcx> LayoutOfHelpers<'tcx> for FunctionCx<'_, '_, 'tcx> {
    fn handle_layout_err(&self, err: ty::layout::LayoutError<'tcx>, span: Span, ty: Ty<'tcx>) -> ! {
        let span = if span.is_dummy() { self.span } else { span };
        MonoCx(self.tcx).handle_layout_err(err, span, ty)
    }
}

impl<'tcx> ty::layout::FnAbiOfHelpers<'tcx> for FunctionCx<'_, '_, 'tcx> {
    fn handle_fn_abi_err(
        &self,
        err: ty::layout::FnAbiError<'tcx>,
        span: Span,
        req: ty::layout::FnAbiRequest<'tcx>,
    ) -> ! {
        let span = if span.is_dummy() { self.span } else { span };
        MonoCx(self.tcx).handle_fn_abi_err(err, span, req)
    }
}

impl<'tcx> HasTyCtxt<'tcx> for FunctionCx<'_, '_, 'tcx> {
    fn tcx(&self) -> TyCtxt<'tcx> {
        self.tcx
    }
}

impl rustc_abi::HasDataLayout for FunctionCx<'_, '_, '_> {
    fn data_layout(&self) -> &rustc_abi::TargetDataLayout {
        &self.tcx.data_layout
    }
}

impl<'tcx> ty::layout::HasTypingEnv<'tcx> for FunctionCx<'_, '_, 'tcx> {
    fn typing_env(&self) -> ty::TypingEnv<'tcx> {
        ty::TypingEnv::fully_monomorphized()
    }
}

impl rustc_target::spec::HasTargetSpec for FunctionCx<'_, '_, '_> {
    fn target_spec(&self) -> &rustc_target::spec::Target {
        &self.tcx.sess.target
    }
}
