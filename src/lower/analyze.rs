//! Decides which locals live in SSA variables and which need memory: a local
//! needs memory when it is borrowed, projected into (other than through a
//! deref of its own value), dropped in place, or has an aggregate layout.

use rustc_abi::BackendRepr;
use rustc_index::bit_set::DenseBitSet;
use rustc_middle::mir::visit::{MutatingUseContext, NonMutatingUseContext, PlaceContext, Visitor};
use rustc_middle::mir::{Body, Local, Location, Place, ProjectionElem};
use rustc_middle::ty::layout::TyAndLayout;

struct MemoryLocals(DenseBitSet<Local>);

impl<'tcx> Visitor<'tcx> for MemoryLocals {
    fn visit_place(&mut self, place: &Place<'tcx>, context: PlaceContext, location: Location) {
        let projected = place
            .projection
            .first()
            .is_some_and(|elem| !matches!(elem, ProjectionElem::Deref));
        let by_address = matches!(
            context,
            PlaceContext::NonMutatingUse(
                NonMutatingUseContext::SharedBorrow
                    | NonMutatingUseContext::FakeBorrow
                    | NonMutatingUseContext::RawBorrow
                    | NonMutatingUseContext::Inspect
            ) | PlaceContext::MutatingUse(
                MutatingUseContext::Borrow
                    | MutatingUseContext::RawBorrow
                    | MutatingUseContext::Drop
                    | MutatingUseContext::SetDiscriminant
            )
        );
        if projected || (by_address && place.projection.is_empty()) {
            self.0.insert(place.local);
        }
        self.super_place(place, context, location);
    }
}

/// The set of locals that must live in memory. `layouts` gives each local's
/// layout; only scalar and scalar-pair layouts can be SSA.
pub(crate) fn memory_locals<'tcx>(
    body: &Body<'tcx>,
    layouts: &[TyAndLayout<'tcx>],
) -> DenseBitSet<Local> {
    let mut visitor = MemoryLocals(DenseBitSet::new_empty(body.local_decls.len()));
    visitor.visit_body(body);
    for (i, layout) in layouts.iter().enumerate() {
        let ssa_able = matches!(
            layout.backend_repr,
            BackendRepr::Scalar(_) | BackendRepr::ScalarPair(..)
        ) && !layout.is_zst();
        if !ssa_able {
            visitor.0.insert(Local::from_usize(i));
        }
    }
    visitor.0
}
