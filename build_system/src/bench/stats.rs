//! The statistics of repeated measurements: medians, how far the runs of
//! one figure spread, and ratios of runs paired within one bench run.

/// The median of `values` (the mean of the middle two for an even count);
/// `None` for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// `(max - min) / median` of repeated runs; `None` for fewer than two runs
/// or a zero median.
pub fn spread(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = median(values)?;
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    (m > 0.0).then(|| (max - min) / m)
}

/// `ours / theirs`: with as many runs on both sides (taken in turns in one
/// bench run), the median of the per-run ratios, so that a machine slowing
/// down half-way hits both sides alike; otherwise the ratio of the medians.
pub fn paired_ratio(ours: &[f64], theirs: &[f64]) -> Option<f64> {
    if ours.len() > 1 && ours.len() == theirs.len() {
        let ratios: Vec<f64> = ours
            .iter()
            .zip(theirs)
            .filter(|(_, t)| **t > 0.0)
            .map(|(o, t)| o / t)
            .collect();
        return median(&ratios);
    }
    let theirs = median(theirs)?;
    (theirs > 0.0).then(|| median(ours).map(|o| o / theirs))?
}
