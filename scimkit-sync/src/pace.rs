//! Pacing: how many requests are in flight, adapted to the target's 429s (AIMD), a send rate
//! learned when the 429s say the target enforces one, and the jittered backoff of retries.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// Additive increase, multiplicative decrease, of two things.
///
/// - **Requests in flight.** Each success adds `1 / limit` (one more per window of
///   successes); a 429 halves the limit, at most once per `cooldown`, so that the 429s of one
///   burst (answers to requests sent before the first of them arrived) count once.
/// - **A send rate**, only once the 429s show a rate limit rather than noise: when a second
///   brings thirty 429s and one for every two successes, the rate starts at what a
///   bucket holding a second's worth would have allowed, and each second corrects it: a
///   second with 429s sets it to 95% of that second's successes (what the target let
///   through), a second without raises it 5%. A target that throttles a random tenth of requests never trips it, and
///   its 429s cost only the request that got them: that request waits its `Retry-After`
///   (the client's job) without holding a place in flight.
#[derive(Debug)]
pub(crate) struct Pacer {
    state: Mutex<State>,
    notify: Notify,
    max: f64,
    cooldown: Duration,
}

#[derive(Debug)]
struct State {
    limit: f64,
    in_flight: usize,
    last_decrease: Option<Instant>,
    /// Requests per second, once a rate limit was seen.
    rate: Option<f64>,
    next_send: Option<Instant>,
    window: Window,
}

/// Answers over the current second, and the success rate of the last complete one.
#[derive(Debug)]
struct Window {
    start: Instant,
    ok: u32,
    throttled: u32,
}

impl State {
    /// Starts a new window once the current one is a second old. Under a learned rate, the
    /// second that ended corrects it: with 429s, its successes are what the target allowed
    /// (95% of them is the new rate); without, the rate may grow (5%).
    fn roll(&mut self, now: Instant) {
        let w = &mut self.window;
        let age = now.duration_since(w.start).as_secs_f64();
        if age < 1.0 {
            return;
        }
        let ok_rate = f64::from(w.ok) / age;
        if let Some(r) = self.rate {
            self.rate = Some(if w.throttled > 0 {
                (0.95 * ok_rate).max(1.0)
            } else {
                r * 1.05
            });
        }
        w.start = now;
        w.ok = 0;
        w.throttled = 0;
    }
}

/// A request's place in flight; dropping it frees the place.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        {
            let mut s = self.pacer.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
        }
        self.pacer.notify.notify_one();
    }
}

impl Pacer {
    /// Starts at `initial` requests in flight, never more than `max`.
    pub(crate) fn new(initial: usize, max: usize) -> Self {
        let max = max.max(1) as f64;
        Self {
            state: Mutex::new(State {
                limit: (initial.max(1) as f64).min(max),
                in_flight: 0,
                last_decrease: None,
                rate: None,
                next_send: None,
                window: Window {
                    start: Instant::now(),
                    ok: 0,
                    throttled: 0,
                },
            }),
            notify: Notify::new(),
            max,
            cooldown: Duration::from_secs(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        }
    }

    /// Waits for a place in flight, then for the request's turn under the learned rate.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let slot = {
                let mut s = self.lock();
                if (s.in_flight as f64) < s.limit.floor().max(1.0) {
                    s.in_flight += 1;
                    let now = Instant::now();
                    let slot = match (s.rate, s.next_send) {
                        (Some(r), next) => {
                            let slot = next.map_or(now, |n| n.max(now));
                            s.next_send = Some(slot + Duration::from_secs_f64(1.0 / r));
                            Some(slot)
                        }
                        (None, _) => None,
                    };
                    Some(slot)
                } else {
                    None
                }
            };
            match slot {
                Some(slot) => {
                    let permit = Permit { pacer: self };
                    if let Some(at) = slot {
                        tokio::time::sleep_until(at.into()).await;
                    }
                    return permit;
                }
                None => notified.await,
            }
        }
    }

    /// A request got an answer that is not a 429.
    pub(crate) fn success(&self) {
        let mut s = self.lock();
        let now = Instant::now();
        s.roll(now);
        s.window.ok += 1;
        s.limit = (s.limit + 1.0 / s.limit).min(self.max);
    }

    /// The target answered 429.
    pub(crate) fn throttled(&self) {
        let mut s = self.lock();
        let now = Instant::now();
        s.roll(now);
        s.window.throttled += 1;
        // Thirty 429s and one for every two successes within a second: a random tenth of
        // requests throttled (noise) does not get there (the odds are below one in 10^8); a
        // drained token bucket does within milliseconds. The successes so far came from the
        // bucket's content (commonly a second's worth) and its refill, so `ok / (1 + age)`
        // does not overshoot such a limit.
        let w = &s.window;
        if s.rate.is_none() && w.throttled >= 30 && w.throttled * 2 >= w.ok {
            let age = now.duration_since(w.start).as_secs_f64();
            s.rate = Some((f64::from(w.ok) / (1.0 + age)).max(1.0));
        }
        if s.last_decrease
            .is_none_or(|t| now.duration_since(t) >= self.cooldown)
        {
            s.limit = (s.limit / 2.0).max(1.0);
            s.last_decrease = Some(now);
        }
    }

    /// The current limit (for tests).
    #[cfg(test)]
    pub(crate) fn limit(&self) -> f64 {
        self.lock().limit
    }

    /// The learned rate (for tests).
    #[cfg(test)]
    pub(crate) fn rate(&self) -> Option<f64> {
        self.lock().rate
    }
}

/// Full-jitter exponential backoff: a uniform pick in `[0, min(cap, base × 2^attempt))`.
pub(crate) fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let ceiling = base
        .saturating_mul(1u32 << attempt.min(16))
        .min(cap)
        .as_micros() as u64;
    Duration::from_micros(random() % ceiling.max(1))
}

/// A pseudo-random number for jitter (not for secrets): xorshift over a per-call seed from the
/// standard library's randomly keyed hasher.
fn random() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    let mut x = h.finish() | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn aimd() {
        let p = Pacer::new(8, 32);
        for _ in 0..10 {
            p.success();
        }
        p.throttled();
        let after = p.limit();
        assert!((4.0..5.0).contains(&after), "{after}");
        // A second 429 of the same burst does not halve again, nor is one 429 in ten a rate.
        p.throttled();
        assert_eq!(p.limit(), after);
        assert_eq!(p.rate(), None);
        let a = p.acquire().await;
        let b = p.acquire().await;
        drop((a, b));
    }

    #[tokio::test]
    async fn many_429s_are_a_rate() {
        let p = Pacer::new(8, 32);
        for _ in 0..20 {
            p.success();
        }
        for _ in 0..29 {
            p.throttled();
        }
        assert_eq!(p.rate(), None);
        p.throttled();
        let r = p.rate().unwrap();
        assert!(r >= 1.0, "{r}");
        let t = Instant::now();
        for _ in 0..3 {
            drop(p.acquire().await);
        }
        // Three sends at the learned rate take about two intervals.
        assert!(t.elapsed() >= Duration::from_secs_f64(1.9 / r));
    }

    #[test]
    fn a_random_tenth_throttled_is_not_a_rate() {
        let p = Pacer::new(8, 16);
        for i in 0..2000 {
            if i % 10 == 9 {
                p.throttled();
            } else {
                p.success();
            }
        }
        assert_eq!(p.rate(), None);
        assert!(p.limit() >= 8.0, "{}", p.limit());
    }

    #[test]
    fn backoff_is_bounded() {
        for attempt in 0..40 {
            let d = backoff(attempt, Duration::from_millis(100), Duration::from_secs(5));
            assert!(d < Duration::from_secs(5));
        }
    }
}
