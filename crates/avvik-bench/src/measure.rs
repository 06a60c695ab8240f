//! Timing: every figure is a list of samples, shown as its median and its 95th
//! percentile (nearest rank).

use std::time::Instant;

/// Samples in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Samples(pub Vec<f64>);

impl Samples {
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }

    /// The `q` quantile by nearest rank (0 < q ≤ 1).
    pub fn quantile(&self, q: f64) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    }

    pub fn median(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    pub fn p95(&self) -> f64 {
        self.quantile(0.95)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A figure stops repeating once its samples add up to this, with at least
/// [`MIN_REPS`] of them: a slow figure (seconds a call) still gets a median without
/// the run taking an hour.
pub const CAP_MS: f64 = 30_000.0;
pub const MIN_REPS: usize = 5;

/// Runs `f` `warmup` times unmeasured, then up to `reps` times, each timed (see
/// [`CAP_MS`]).
pub fn time<T>(warmup: usize, reps: usize, mut f: impl FnMut(usize) -> T) -> Samples {
    for i in 0..warmup {
        std::hint::black_box(f(i));
    }
    let mut out = Vec::with_capacity(reps);
    let mut total = 0.0;
    for i in 0..reps {
        let started = Instant::now();
        std::hint::black_box(f(warmup + i));
        let ms = started.elapsed().as_secs_f64() * 1e3;
        out.push(ms);
        total += ms;
        if total > CAP_MS && out.len() >= MIN_REPS {
            break;
        }
    }
    Samples(out)
}

/// Times one call and returns its value too.
pub fn once<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed().as_secs_f64() * 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95_by_nearest_rank() {
        let s = Samples((1..=100).map(f64::from).collect());
        assert_eq!(s.median(), 50.5);
        assert_eq!(s.p95(), 95.0);
        assert_eq!(Samples(vec![3.0, 1.0, 2.0]).median(), 2.0);
    }
}
