//! Medians for the benchmarks (`benches/`): a speed is reported as the median of repeated runs,
//! which one slow run on a shared machine moves least.

use std::time::{Duration, Instant};

/// The median of `values` (the upper one of the middle two for an even count). Panics on an
/// empty list: a benchmark that measured nothing has a bug.
pub fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

/// The median wall time of `runs` calls of `f`.
pub fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    median(times)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value_whatever_the_order() {
        assert_eq!(median(vec![5, 1, 3]), 3);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 3.0);
        let mut calls = 0;
        median_time(4, || calls += 1);
        assert_eq!(calls, 4);
    }
}
