//! The kernel side of one group at one opt level: load the group's object,
//! run every function's packets with BPF_PROG_TEST_RUN and compare them
//! with the host's answers.
//!
//! When the backend or the verifier refuses the whole group, the group is
//! rebuilt from halves of its functions (`--cfg subset`), recursively, so
//! that the functions that do compile and verify are still tested and the
//! refusal is pinned on the functions that cause it, each with its own
//! compiler error or verifier log. A time budget bounds this search.

use std::path::Path;
use std::time::Instant;

use super::host::Group;
use super::inputs::Width;
use super::{Object, build_object, group_failure, on_all_cores, packet};
use crate::bpf_objects;
use crate::bpf_sys::Prog;
use crate::report::Outcome;
use crate::rustc::Rustc;

/// XDP_PASS, what the programs return for a packet they answered.
const XDP_PASS: u32 = 2;

/// Mismatches shown per failed test.
const SHOWN_MISMATCHES: usize = 5;

/// Why a build of (part of) a group could not be run: reason, details.
type Refusal = (String, String);

/// One group at one opt level, with everything its runs need.
pub struct Run<'a> {
    pub opt: &'a str,
    pub group: &'a Group,
    /// Operand pairs per function.
    pub cases: &'a [Vec<[u128; 2]>],
    /// All packets sent, function after function, and the host's answers.
    pub questions: &'a [u8],
    pub answers: &'a [u8],
    pub backend: &'a Rustc,
    pub out_dir: &'a Path,
    /// No new subset builds after this instant.
    pub deadline: Instant,
}

impl Run<'_> {
    /// One outcome per function of the group, given the group's object
    /// holding the functions `included`; the others fail as left out.
    pub fn outcomes(&self, object: &Object, included: &[usize]) -> Vec<Outcome> {
        let mut outcomes: Vec<Option<Outcome>> = (0..self.group.ops.len())
            .map(|_| {
                Some(Outcome::Failed(
                    "left out of its group as a known failure".into(),
                    String::new(),
                ))
            })
            .collect();
        for &op in included {
            outcomes[op] = None;
        }
        let all = included.to_vec();
        let refusal = match self.run_built(object, &all) {
            Ok(results) => {
                for (&op, outcome) in all.iter().zip(results) {
                    outcomes[op] = Some(outcome);
                }
                return outcomes.into_iter().map(|o| o.expect("decided")).collect();
            }
            Err(refusal) => refusal,
        };
        // A program that is refused without any function in it puts the
        // blame on no function: the group fails.
        let without = build_object(self.backend, self.out_dir, self.opt, self.group, Some(&[]));
        if let Err((reason, details)) = self.run_built(&without, &[]) {
            return group_failure(self.opt, self.group, &reason, &details);
        }
        let halves = self.build_halves(&all);
        self.try_halves(&all, &halves, refusal, &mut outcomes);
        outcomes
            .into_iter()
            .map(|o| o.expect("every function was decided"))
            .collect()
    }

    /// `ops` together were refused with `refusal`: narrows it down to the
    /// functions at fault by building halves of `ops` on their own.
    fn narrow_down(&self, ops: &[usize], refusal: Refusal, out: &mut [Option<Outcome>]) {
        let (reason, details) = refusal;
        if ops.len() == 1 {
            out[ops[0]] = Some(Outcome::Failed(reason, details));
            return;
        }
        if Instant::now() > self.deadline {
            let reason = format!(
                "{reason} (with {} functions built together; \
                 the time budget did not allow narrowing it down)",
                ops.len()
            );
            for &op in ops {
                out[op] = Some(Outcome::Failed(reason.clone(), details.clone()));
            }
            return;
        }
        let halves = self.build_halves(ops);
        self.try_halves(ops, &halves, (reason, details), out);
    }

    /// Runs the halves of `ops`, built as `halves`, and narrows down the
    /// ones that are refused.
    fn try_halves(
        &self,
        ops: &[usize],
        halves: &[Object],
        refusal: Refusal,
        out: &mut [Option<Outcome>],
    ) {
        let (left, right) = ops.split_at(ops.len() / 2);
        for (half, object) in [left, right].into_iter().zip(halves) {
            match self.run_built(object, half) {
                Ok(outcomes) => {
                    for (&op, outcome) in half.iter().zip(outcomes) {
                        out[op] = Some(outcome);
                    }
                }
                Err(half_refusal) => self.narrow_down(half, half_refusal, out),
            }
        }
        // Refused together, accepted apart (e.g. a size limit): all fail.
        if ops.iter().all(|&op| out[op] == Some(Outcome::Passed)) {
            let (reason, details) = refusal;
            let reason = format!("{reason} (each half on its own is accepted)");
            for &op in ops {
                out[op] = Some(Outcome::Failed(reason.clone(), details.clone()));
            }
        }
    }

    /// Builds both halves of `ops`, on all cores.
    fn build_halves(&self, ops: &[usize]) -> Vec<Object> {
        let (left, right) = ops.split_at(ops.len() / 2);
        on_all_cores(&[left, right], |half| {
            build_object(self.backend, self.out_dir, self.opt, self.group, Some(half))
        })
    }

    /// Loads the object built for `ops` and runs them in it.
    fn run_built(&self, object: &Object, ops: &[usize]) -> Result<Vec<Outcome>, Refusal> {
        match object {
            Ok(object) => self.load_and_run(object, ops),
            Err(refusal) => Err(refusal.clone()),
        }
    }

    /// Loads `object` and runs the functions `ops` in it.
    fn load_and_run(&self, object: &Path, ops: &[usize]) -> Result<Vec<Outcome>, Refusal> {
        let (opt, group) = (self.opt, self.group);
        let label = format!("diff_opt{opt}_{}", group.name);
        let pinned = bpf_objects::load(object, &label).map_err(|(reason, log)| {
            (
                format!("{} at -Copt-level={opt}: {reason}", group.name),
                log,
            )
        })?;
        let prog = pinned
            .program(&group.program())
            .map_err(|e| (e, String::new()))?;
        Ok(on_all_cores(ops, |&op| self.function(&prog, op)))
    }

    /// Runs function `op` on each of its packets and compares.
    fn function(&self, prog: &Prog, op: usize) -> Outcome {
        let first = self.cases[..op].iter().map(Vec::len).sum::<usize>();
        let mut mismatches = Vec::new();
        let mut count = 0;
        for (i, pair) in self.cases[op].iter().enumerate() {
            let at = (first + i) * packet::LEN;
            let question = &self.questions[at..at + packet::LEN];
            let expected = &self.answers[at..at + packet::LEN];
            let difference = match prog.test_run(question, packet::LEN, 1) {
                Err(e) => Some(e),
                Ok(run) if run.retval != XDP_PASS => Some(format!(
                    "the program returned {} instead of XDP_PASS",
                    run.retval
                )),
                Ok(run) if run.data_out != expected => {
                    Some(packet::describe_difference(&run.data_out, expected))
                }
                Ok(_) => None,
            };
            if let Some(difference) = difference {
                count += 1;
                if mismatches.len() < SHOWN_MISMATCHES {
                    mismatches.push(describe_inputs(self.group.width, *pair, &difference));
                }
            }
        }
        if count == 0 {
            return Outcome::Passed;
        }
        Outcome::Failed(
            format!(
                "{count} of {} inputs differ from the host (LLVM)",
                self.cases[op].len()
            ),
            mismatches.join("\n"),
        )
    }
}

/// `a = .., b = ..: <difference>`, the operands as their type prints them.
fn describe_inputs(width: Width, [a, b]: [u128; 2], difference: &str) -> String {
    format!("a = {}, b = {}: {difference}", width.show(a), width.show(b))
}
