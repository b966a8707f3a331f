//! Pacing a batch job: an adaptive throttle that halves the batch size and doubles a pause
//! when the server pushes back (429, 5xx, rate-limit 403s: AIMD, as TCP does), and grows back
//! step by step while it does not; and a fixed rate limit (parts per second) as a token
//! bucket in virtual time.

use std::time::Duration;

use tokio::time::Instant;

/// The longest pause the throttle puts between two batch requests.
pub const MAX_PAUSE: Duration = Duration::from_secs(30);
/// The first pause after pushback.
const FIRST_PAUSE: Duration = Duration::from_millis(100);

/// The adaptive part of the pacing: how many parts go in the next request, and how long
/// to wait after the previous one.
#[derive(Debug, Clone)]
pub struct Throttle {
    max: usize,
    size: usize,
    pause: Duration,
    adaptive: bool,
}

impl Throttle {
    /// Starts at `max` parts per request and no pause; `adaptive` false keeps it there.
    pub fn new(max: usize, adaptive: bool) -> Throttle {
        let max = max.max(1);
        Throttle {
            max,
            size: max,
            pause: Duration::ZERO,
            adaptive,
        }
    }

    /// Parts for the next request.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The pause before the next request.
    pub fn pause(&self) -> Duration {
        self.pause
    }

    /// After a request: `pushback` when any of its parts (or the request) was refused for
    /// load or quota. Multiplicative decrease, additive increase.
    pub fn record(&mut self, pushback: bool) {
        if !self.adaptive {
            return;
        }
        if pushback {
            self.size = (self.size / 2).max(1);
            self.pause = (self.pause * 2).clamp(FIRST_PAUSE, MAX_PAUSE);
        } else {
            self.size = (self.size + (self.max / 8).max(1)).min(self.max);
            self.pause /= 2;
            if self.pause < Duration::from_millis(10) {
                self.pause = Duration::ZERO;
            }
        }
    }
}

/// At most `rate` parts per second, spread evenly: each part takes `1/rate` s of a virtual
/// clock; a request of `n` parts starts when the clock allows.
#[derive(Debug, Clone)]
pub struct RateLimit {
    per_part: Duration,
    next_free: Option<Instant>,
}

impl RateLimit {
    /// `rate` parts per second (must be positive and finite).
    pub fn new(rate: f64) -> RateLimit {
        RateLimit {
            per_part: Duration::from_secs_f64(1.0 / rate),
            next_free: None,
        }
    }

    /// Reserves `parts` and returns when they may be sent (now or later).
    pub fn reserve(&mut self, parts: usize, now: Instant) -> Instant {
        let start = self.next_free.map_or(now, |t| t.max(now));
        self.next_free = Some(start + self.per_part * parts as u32);
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aimd_halves_on_pushback_and_grows_back() {
        let mut t = Throttle::new(100, true);
        t.record(true);
        assert_eq!((t.size(), t.pause()), (50, FIRST_PAUSE));
        t.record(true);
        assert_eq!((t.size(), t.pause()), (25, FIRST_PAUSE * 2));
        for _ in 0..10 {
            t.record(true);
        }
        assert_eq!(t.size(), 1);
        assert!(t.pause() <= MAX_PAUSE);
        t.record(false);
        assert_eq!(t.size(), 13);
        for _ in 0..20 {
            t.record(false);
        }
        assert_eq!((t.size(), t.pause()), (100, Duration::ZERO));
        let mut fixed = Throttle::new(10, false);
        fixed.record(true);
        assert_eq!(fixed.size(), 10);
    }

    #[test]
    fn rate_spreads_parts_in_virtual_time() {
        let now = Instant::now();
        let mut r = RateLimit::new(10.0);
        assert_eq!(r.reserve(5, now), now);
        assert_eq!(r.reserve(5, now), now + Duration::from_millis(500));
        assert_eq!(
            r.reserve(1, now + Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
    }
}
