//! The layout and ABI context used by lowering: everything is fully
//! monomorphic by the time a function reaches the backend, and a layout
//! failure is reported as a rustc error at the offending span.

use rustc_abi::{Float, Integer, Primitive, Scalar};
use rustc_middle::ty::layout::{
    FnAbiError, FnAbiOfHelpers, FnAbiRequest, HasTyCtxt, HasTypingEnv, LayoutError, LayoutOfHelpers,
};
use rustc_middle::ty::{self, Ty, TyCtxt};
use rustc_span::Span;
use rustc_target::spec::{HasTargetSpec, Target};

use cranelift_codegen::ir::{Type, types};

/// A `LayoutOf`/`FnAbiOf` provider for monomorphic types.
#[derive(Clone, Copy)]
pub(crate) struct MonoCx<'tcx>(pub(crate) TyCtxt<'tcx>);

impl<'tcx> LayoutOfHelpers<'tcx> for MonoCx<'tcx> {
    fn handle_layout_err(&self, err: LayoutError<'tcx>, span: Span, ty: Ty<'tcx>) -> ! {
        match err {
            LayoutError::SizeOverflow(_) | LayoutError::ReferencesError(_) => {
                self.0.dcx().span_fatal(span, err.to_string())
            }
            _ => self
                .0
                .dcx()
                .span_fatal(span, format!("cannot compute the layout of `{ty}`: {err}")),
        }
    }
}

impl<'tcx> FnAbiOfHelpers<'tcx> for MonoCx<'tcx> {
    fn handle_fn_abi_err(&self, err: FnAbiError<'tcx>, span: Span, req: FnAbiRequest<'tcx>) -> ! {
        let what = match req {
            FnAbiRequest::OfFnPtr { sig, .. } => format!("function pointer type `{sig}`"),
            FnAbiRequest::OfInstance { instance, .. } => format!("`{instance}`"),
        };
        self.0.dcx().span_fatal(
            span,
            format!("cannot compute the calling convention of {what}: {err:?}"),
        )
    }
}

impl<'tcx> HasTyCtxt<'tcx> for MonoCx<'tcx> {
    fn tcx(&self) -> TyCtxt<'tcx> {
        self.0
    }
}

impl rustc_abi::HasDataLayout for MonoCx<'_> {
    fn data_layout(&self) -> &rustc_abi::TargetDataLayout {
        &self.0.data_layout
    }
}

impl<'tcx> HasTypingEnv<'tcx> for MonoCx<'tcx> {
    fn typing_env(&self) -> ty::TypingEnv<'tcx> {
        ty::TypingEnv::fully_monomorphized()
    }
}

impl HasTargetSpec for MonoCx<'_> {
    fn target_spec(&self) -> &Target {
        &self.0.sess.target
    }
}

/// The integer type as wide as a pointer of the target.
pub(crate) fn pointer_ty(tcx: TyCtxt<'_>) -> Type {
    match tcx.data_layout.pointer_size().bits() {
        32 => types::I32,
        64 => types::I64,
        bits => tcx
            .dcx()
            .fatal(format!("{bits}-bit pointers are not supported")),
    }
}

/// The CLIF type holding a scalar of the given primitive.
pub(crate) fn scalar_clif_ty(tcx: TyCtxt<'_>, scalar: Scalar) -> Type {
    primitive_clif_ty(tcx, scalar.primitive())
}

pub(crate) fn primitive_clif_ty(tcx: TyCtxt<'_>, prim: Primitive) -> Type {
    match prim {
        Primitive::Int(Integer::I8, _) => types::I8,
        Primitive::Int(Integer::I16, _) => types::I16,
        Primitive::Int(Integer::I32, _) => types::I32,
        Primitive::Int(Integer::I64, _) => types::I64,
        Primitive::Int(Integer::I128, _) => types::I128,
        Primitive::Float(Float::F16) => types::F16,
        Primitive::Float(Float::F32) => types::F32,
        Primitive::Float(Float::F64) => types::F64,
        Primitive::Float(Float::F128) => types::F128,
        Primitive::Pointer(_) => pointer_ty(tcx),
    }
}
