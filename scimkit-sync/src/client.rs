//! The target as an HTTP client: the bearer token (never shown), every request counted,
//! paced by the [`Pacer`], and retried on 429, 5xx and connection errors.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::Error;
use crate::pace::{Pacer, backoff};

/// A bearer token. Its `Debug` and `Display` print `Token(***)`: it never reaches an error, a
/// log line or a report.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The token as given (surrounding whitespace, as a token file's final newline, removed).
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into().trim().to_owned())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Whether a request reads or writes: the report counts them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Read,
    Write,
}

/// How many times to send a request before reporting it failed.
#[derive(Debug, Clone)]
pub(crate) struct RetryPolicy {
    /// Attempts for 5xx and connection errors.
    pub(crate) attempts: u32,
    /// Attempts for 429s (they cost the target little, and a `Retry-After` says when to come).
    pub(crate) throttle_attempts: u32,
    pub(crate) base: Duration,
    pub(crate) cap: Duration,
}

/// The requests sent, counted as they go.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) reads: AtomicU64,
    pub(crate) writes: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) throttled: AtomicU64,
}

/// An answer read whole: the final status and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Answer {
    pub(crate) fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The SCIM error's `detail`, else the status.
    pub(crate) fn detail(&self) -> String {
        self.body
            .get("detail")
            .and_then(Value::as_str)
            .map_or_else(|| format!("HTTP {}", self.status), str::to_owned)
    }
}

/// A SCIM endpoint: base URL, token, pacing and retries.
#[derive(Debug)]
pub(crate) struct Client {
    http: reqwest::Client,
    base: String,
    token: Token,
    pub(crate) pacer: Pacer,
    pub(crate) counters: Counters,
    retry: RetryPolicy,
}

impl Client {
    pub(crate) fn new(
        base: &str,
        token: Token,
        concurrency: usize,
        retry: RetryPolicy,
        timeout: Duration,
    ) -> Result<Self, Error> {
        let base = base.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::Options(format!(
                "the base URL must start with http:// or https://, not `{base}`"
            )));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Options(format!("HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            token,
            pacer: Pacer::new(concurrency.min(8), concurrency),
            counters: Counters::default(),
            retry,
        })
    }

    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// Sends `method {base}{path}` until it gets an answer that is not a 429 or a 5xx, or runs
    /// out of attempts. Any final answer (a 404, a 409) is returned for the caller to read;
    /// running out of attempts is [`Error::Target`].
    pub(crate) async fn send(
        &self,
        kind: Kind,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, Error> {
        let (mut failures, mut throttles) = (0u32, 0u32);
        loop {
            let result = {
                let _permit = self.pacer.acquire().await;
                match kind {
                    Kind::Read => &self.counters.reads,
                    Kind::Write => &self.counters.writes,
                }
                .fetch_add(1, Ordering::Relaxed);
                self.once(method.clone(), path, body).await
            };
            let fail = |status: Option<u16>, message: String| Error::Target {
                method: method.to_string(),
                path: path.to_owned(),
                status,
                message,
            };
            let wait = match result {
                Ok((a, _)) if a.status != 429 && a.status < 500 => {
                    self.pacer.success();
                    return Ok(a);
                }
                Ok((a, retry_after)) if a.status == 429 => {
                    self.counters.throttled.fetch_add(1, Ordering::Relaxed);
                    self.pacer.throttled();
                    throttles += 1;
                    if throttles >= self.retry.throttle_attempts {
                        return Err(fail(
                            Some(429),
                            format!("still throttled after {throttles} attempts"),
                        ));
                    }
                    // The request waits what `Retry-After` says (a little jitter spreads the
                    // requests of one burst), else backs off.
                    match retry_after {
                        Some(d) => d + backoff(0, self.retry.base, self.retry.cap),
                        None => backoff(throttles, self.retry.base, self.retry.cap),
                    }
                }
                Ok((a, _)) => {
                    failures += 1;
                    if failures >= self.retry.attempts {
                        return Err(fail(
                            Some(a.status),
                            format!("{} after {failures} attempts", a.detail()),
                        ));
                    }
                    backoff(failures, self.retry.base, self.retry.cap)
                }
                Err(e) => {
                    failures += 1;
                    if failures >= self.retry.attempts {
                        return Err(fail(None, format!("{e} after {failures} attempts")));
                    }
                    backoff(failures, self.retry.base, self.retry.cap)
                }
            };
            self.counters.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: the answer and its `Retry-After` (seconds), or the transport error's text
    /// (reqwest's messages name the URL, never a header).
    async fn once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(Answer, Option<Duration>), String> {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token.0)
            .header("accept", "application/scim+json, application/json");
        if let Some(b) = body {
            r = r
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        let response = r.send().await.map_err(|e| error_text(&e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(300.0)));
        let bytes = response.bytes().await.map_err(|e| error_text(&e))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((Answer { status, body }, retry_after))
    }
}

/// A transport error with its causes, without the URL's query (which may hold a filter value).
fn error_text(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        "connection error".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// A query value percent-encoded (by the `percent-encoding` crate, which reqwest's `url`
/// already builds): every byte but ASCII letters and digits is `%XX`, so Identity Center's
/// cursors, which hold `+ = / :` (rule 57), arrive unchanged.
pub(crate) fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// `attr eq "value"` with the value as a JSON string.
pub(crate) fn eq_filter(attr: &str, value: &str) -> String {
    format!("{attr} eq {}", Value::String(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_never_shown() {
        let t = Token::new("secret-value\n");
        assert_eq!(format!("{t:?} {t}"), "Token(***) ***");
        assert_eq!(t.0, "secret-value");
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("a+b/c= d"), "a%2Bb%2Fc%3D%20d");
        assert_eq!(eq_filter("userName", "a\"b"), r#"userName eq "a\"b""#);
    }
}
