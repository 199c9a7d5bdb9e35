//! Opt-in fault injection for testing clients (sync tools) against this server: throttling,
//! a per-tenant rate limit, random 5xx answers and dropped connections, on the SCIM routes of
//! each tenant only (never `/health`).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use scimkit::ScimError;

use crate::tenant::Tenant;

/// Which faults a server injects, and how often: each share is the fraction of a tenant's
/// SCIM requests (0 to 1) answered that way, drawn independently per request. Off by default
/// ([`Faults::default`] injects nothing).
///
/// Read from text as `key=value` pairs joined by `,` (what `scimkit-server --faults` takes):
///
/// | key | value | fault |
/// |---|---|---|
/// | `throttle` | share | `429` with `Retry-After` (Identity Center's `ThrottlingException` body for its tenants), the request not run |
/// | `error` | share | `500` or `503` (even odds), the request not run |
/// | `reset` | share | the connection dropped, half of them before the request runs, half after it ran and committed (the answer is lost) |
/// | `reset-before`, `reset-after` | share | only one of the two kinds of `reset` |
/// | `rate` | requests per second | a token bucket per tenant, holding one second of requests; past it `429` with `Retry-After` |
/// | `retry-after` | seconds | the `Retry-After` of a throttled answer (default 1) |
/// | `seed` | integer | the random draws start from this seed, so a run that sends its requests one at a time is repeatable |
///
/// The shares together may not pass 1. Unknown keys, shares outside `0..=1` and a rate that
/// is not positive are refused.
///
/// ```
/// use scimkit_server::Faults;
///
/// let f: Faults = "throttle=0.1,error=0.02,reset=0.02,rate=50,seed=7".parse()?;
/// assert_eq!(f.throttle, 0.1);
/// assert_eq!((f.reset_before, f.reset_after), (0.01, 0.01));
/// assert_eq!(f.rate, Some(50.0));
/// assert_eq!(f.seed, Some(7));
/// assert!("throttle=2".parse::<Faults>().is_err());
/// assert!("thortle=0.1".parse::<Faults>().is_err());
/// # Ok::<(), scimkit_server::FaultsError>(())
/// ```
///
/// Installed with [`Service::with_faults`](crate::Service::with_faults); the counts of what
/// was injected are [`Service::faults_injected`](crate::Service::faults_injected).
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// The share of requests answered `429` without being run.
    pub throttle: f64,
    /// The share of requests answered `500` or `503` without being run.
    pub error: f64,
    /// The share of requests whose connection is dropped before they run.
    pub reset_before: f64,
    /// The share of requests that run (and commit) and whose connection is then dropped
    /// instead of answering: a client retrying a create sees a conflict or makes a duplicate.
    pub reset_after: f64,
    /// Requests per second each tenant may send (a token bucket holding one second's worth,
    /// at least one request); past it `429` with `Retry-After`. `None`: no limit.
    pub rate: Option<f64>,
    /// The `Retry-After` of a `throttle` answer, in seconds.
    pub retry_after: u64,
    /// The seed of the random draws (one sequence for the whole service, drawn in the order
    /// requests arrive); `None`: a random one.
    pub seed: Option<u64>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            throttle: 0.0,
            error: 0.0,
            reset_before: 0.0,
            reset_after: 0.0,
            rate: None,
            retry_after: 1,
            seed: None,
        }
    }
}

impl Faults {
    /// Whether these faults inject nothing.
    pub fn is_none(&self) -> bool {
        self.throttle <= 0.0
            && self.error <= 0.0
            && self.reset_before <= 0.0
            && self.reset_after <= 0.0
            && self.rate.is_none()
    }

    /// Checks the values: each share in `0..=1`, their sum at most 1, a positive `rate`.
    pub fn check(&self) -> Result<(), FaultsError> {
        for (key, share) in [
            ("throttle", self.throttle),
            ("error", self.error),
            ("reset-before", self.reset_before),
            ("reset-after", self.reset_after),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(FaultsError(format!(
                    "`{key}` is a share of requests, from 0 to 1, not {share}"
                )));
            }
        }
        let sum = self.throttle + self.error + self.reset_before + self.reset_after;
        if sum > 1.0 + 1e-9 {
            return Err(FaultsError(format!(
                "the shares add up to {sum}, more than every request"
            )));
        }
        if let Some(r) = self.rate
            && !(r.is_finite() && r > 0.0)
        {
            return Err(FaultsError(format!(
                "`rate` is requests per second, above 0, not {r}"
            )));
        }
        Ok(())
    }
}

/// Why a [`Faults`] text or value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultsError(String);

impl fmt::Display for FaultsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "faults: {}", self.0)
    }
}

impl std::error::Error for FaultsError {}

impl FromStr for Faults {
    type Err = FaultsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut f = Self::default();
        for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(FaultsError(format!("`{pair}` is not key=value")));
            };
            let (key, value) = (key.trim(), value.trim());
            let share = || {
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=1.0).contains(v))
                    .ok_or_else(|| {
                        FaultsError(format!(
                            "`{key}` is a share of requests, from 0 to 1, not `{value}`"
                        ))
                    })
            };
            let integer = || {
                value
                    .parse::<u64>()
                    .map_err(|_| FaultsError(format!("`{key}` takes an integer, not `{value}`")))
            };
            match key {
                "throttle" => f.throttle = share()?,
                "error" => f.error = share()?,
                "reset" => {
                    let v = share()?;
                    f.reset_before = v / 2.0;
                    f.reset_after = v / 2.0;
                }
                "reset-before" => f.reset_before = share()?,
                "reset-after" => f.reset_after = share()?,
                "rate" => {
                    let r = value
                        .parse::<f64>()
                        .ok()
                        .filter(|r| r.is_finite() && *r > 0.0);
                    f.rate = Some(r.ok_or_else(|| {
                        FaultsError(format!(
                            "`rate` is requests per second, above 0, not `{value}`"
                        ))
                    })?);
                }
                "retry-after" => f.retry_after = integer()?,
                "seed" => f.seed = Some(integer()?),
                other => {
                    return Err(FaultsError(format!(
                        "unknown key `{other}` (throttle, error, reset, reset-before, \
                         reset-after, rate, retry-after, seed)"
                    )));
                }
            }
        }
        f.check()?;
        Ok(f)
    }
}

impl fmt::Display for Faults {
    /// The text [`FromStr`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "throttle={},error={},reset-before={},reset-after={},retry-after={}",
            self.throttle, self.error, self.reset_before, self.reset_after, self.retry_after
        )?;
        if let Some(r) = self.rate {
            write!(f, ",rate={r}")?;
        }
        if let Some(s) = self.seed {
            write!(f, ",seed={s}")?;
        }
        Ok(())
    }
}

/// How many requests got each fault, since the service started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FaultCounts {
    /// Requests the faults saw (every SCIM request of an authenticated tenant).
    pub requests: u64,
    /// Answered `429` by the `throttle` share.
    pub throttled: u64,
    /// Answered `429` by the rate limit.
    pub rate_limited: u64,
    /// Answered `500` or `503`.
    pub errors: u64,
    /// Connections dropped before the request ran.
    pub resets_before: u64,
    /// Connections dropped after the request ran.
    pub resets_after: u64,
}

/// A token bucket: `tokens` as of `at`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The faults a router injects, with their random state and counts.
#[derive(Debug)]
pub(crate) struct Injector {
    faults: Faults,
    rng: Mutex<u64>,
    buckets: Mutex<HashMap<String, Bucket>>,
    requests: AtomicU64,
    throttled: AtomicU64,
    rate_limited: AtomicU64,
    errors: AtomicU64,
    resets_before: AtomicU64,
    resets_after: AtomicU64,
}

/// What one request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    RateLimited(u64),
    Throttle,
    Error(StatusCode),
    ResetBefore,
    ResetAfter,
}

impl Injector {
    pub(crate) fn new(mut faults: Faults) -> Self {
        for s in [
            &mut faults.throttle,
            &mut faults.error,
            &mut faults.reset_before,
            &mut faults.reset_after,
        ] {
            *s = if s.is_nan() { 0.0 } else { s.clamp(0.0, 1.0) };
        }
        let seed = faults.seed.unwrap_or_else(|| {
            let mut b = [0_u8; 8];
            // Without randomness the draws are merely predictable; they are for tests.
            let _ = getrandom::fill(&mut b);
            u64::from_le_bytes(b)
        });
        Self {
            faults,
            rng: Mutex::new(splitmix(seed)),
            buckets: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            resets_before: AtomicU64::new(0),
            resets_after: AtomicU64::new(0),
        }
    }

    pub(crate) fn counts(&self) -> FaultCounts {
        let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
        FaultCounts {
            requests: n(&self.requests),
            throttled: n(&self.throttled),
            rate_limited: n(&self.rate_limited),
            errors: n(&self.errors),
            resets_before: n(&self.resets_before),
            resets_after: n(&self.resets_after),
        }
    }

    /// A uniform draw in `[0, 1)` (xorshift64*).
    fn draw(&self) -> f64 {
        let mut s = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let mut x = *s;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *s = x;
        let out = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        // The top 53 bits as a fraction.
        (out >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// Takes a token from `tenant`'s bucket, or says how many seconds until one is there.
    fn take(&self, tenant: &str, rate: f64) -> Result<(), u64> {
        let capacity = rate.max(1.0);
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let b = buckets.entry(tenant.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = Duration::from_secs_f64((1.0 - b.tokens) / rate);
            Err(wait
                .as_secs()
                .saturating_add(u64::from(wait.subsec_nanos() > 0))
                .max(1))
        }
    }

    fn choose(&self, tenant: &str) -> Fault {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let f = &self.faults;
        if let Some(rate) = f.rate
            && let Err(wait) = self.take(tenant, rate)
        {
            self.rate_limited.fetch_add(1, Ordering::Relaxed);
            return Fault::RateLimited(wait);
        }
        let u = self.draw();
        let error = if self.draw() < 0.5 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        let kinds = [
            (f.throttle, Fault::Throttle, &self.throttled),
            (f.error, Fault::Error(error), &self.errors),
            (f.reset_before, Fault::ResetBefore, &self.resets_before),
            (f.reset_after, Fault::ResetAfter, &self.resets_after),
        ];
        let mut edge = 0.0;
        for (share, fault, counter) in kinds {
            edge += share;
            if u < edge {
                counter.fetch_add(1, Ordering::Relaxed);
                return fault;
            }
        }
        Fault::None
    }
}

/// SplitMix64 of the seed, so that nearby seeds start far apart (and never at 0, which
/// xorshift cannot leave).
fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    if z == 0 { 1 } else { z }
}

/// A response whose body fails at once: hyper then aborts the connection, and the client
/// sees a connection error instead of an answer.
fn reset() -> Response {
    let failing = futures_util::stream::once(std::future::ready(Err::<Bytes, _>(
        std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset"),
    )));
    Response::new(Body::from_stream(failing))
}

fn retry_after(mut r: Response, seconds: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// The middleware, inside authentication (so it knows the tenant, and only SCIM routes of a
/// tenant get faults). Logs the fault, never the request's token, query or body.
pub(crate) async fn inject(
    State(injector): State<Arc<Injector>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(tenant) = request.extensions().get::<Arc<Tenant>>().cloned() else {
        return next.run(request).await;
    };
    let fault = injector.choose(&tenant.record.id);
    if fault != Fault::None {
        tracing::debug!(tenant = %tenant.record.id, ?fault, "fault injected");
    }
    let throttled = |seconds: u64| {
        let e = ScimError::with_status(429, "Rate exceeded");
        retry_after(crate::http::error_answer(&tenant, e), seconds)
    };
    match fault {
        Fault::None => next.run(request).await,
        Fault::RateLimited(wait) => throttled(wait),
        Fault::Throttle => throttled(injector.faults.retry_after),
        Fault::Error(status) => {
            let e = ScimError::with_status(status.as_u16(), "injected server failure");
            crate::http::error_answer(&tenant, e).into_response()
        }
        Fault::ResetBefore => reset(),
        Fault::ResetAfter => {
            let answered = next.run(request).await;
            // The request ran to its end (its transaction committed); its answer is lost.
            drop(answered);
            reset()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let f: Faults = "throttle=0.1, error=0.02,reset=0.02".parse().unwrap();
        assert_eq!(f.throttle, 0.1);
        assert_eq!(f.error, 0.02);
        assert_eq!(f.reset_before, 0.01);
        assert_eq!(f.reset_after, 0.01);
        assert_eq!(f.rate, None);
        assert!(!f.is_none());
        assert!("".parse::<Faults>().unwrap().is_none());
        let back: Faults = f.to_string().parse().unwrap();
        assert_eq!(back, f);
        let r: Faults = "rate=2.5,seed=9,retry-after=3,reset-after=1"
            .parse()
            .unwrap();
        assert_eq!((r.rate, r.seed, r.retry_after), (Some(2.5), Some(9), 3));
        assert_eq!((r.reset_before, r.reset_after), (0.0, 1.0));
        for (bad, says) in [
            ("throttle=1.5", "from 0 to 1"),
            ("error=-0.1", "from 0 to 1"),
            ("reset=x", "from 0 to 1"),
            ("bogus=1", "unknown key `bogus`"),
            ("throttle", "not key=value"),
            ("rate=0", "above 0"),
            ("rate=-3", "above 0"),
            ("seed=x", "integer"),
            ("throttle=0.6,error=0.6", "add up"),
        ] {
            let e = bad.parse::<Faults>().unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn draws_follow_the_shares() {
        let f: Faults = "throttle=0.1,error=0.05,reset=0.1,seed=1".parse().unwrap();
        let i = Injector::new(f.clone());
        let n = 100_000;
        for _ in 0..n {
            let _ = i.choose("t");
        }
        let c = i.counts();
        assert_eq!(c.requests, n);
        let near = |got: u64, share: f64| {
            let want = share * n as f64;
            (got as f64 - want).abs() < want * 0.05
        };
        assert!(near(c.throttled, 0.1), "{c:?}");
        assert!(near(c.errors, 0.05), "{c:?}");
        assert!(near(c.resets_before, 0.05), "{c:?}");
        assert!(near(c.resets_after, 0.05), "{c:?}");
        // The same seed, the same draws.
        let (a, b) = (Injector::new(f.clone()), Injector::new(f));
        for _ in 0..1000 {
            assert_eq!(a.choose("t"), b.choose("t"));
        }
    }

    #[test]
    fn the_bucket_holds_one_second() {
        let i = Injector::new("rate=10".parse().unwrap());
        let taken = (0..25).filter(|_| i.take("t", 10.0).is_ok()).count();
        assert_eq!(taken, 10);
        assert_eq!(i.take("t", 10.0), Err(1));
        // Buckets are per tenant.
        assert!(i.take("other", 10.0).is_ok());
    }
}
