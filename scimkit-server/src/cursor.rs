//! RFC 9865 cursors: where the next page starts, bound to the query that issued it and signed,
//! so that a client can neither forge one nor carry it to another query or tenant.
//!
//! # What a cursor holds
//!
//! A version byte, the issue time (seconds since the Unix epoch), and the position:
//!
//! - **keyset** (a request without `sortBy`, whose order is the id's, as every IdP lists): the
//!   last id of the page before. The next page is `WHERE id > last ORDER BY id`, so it costs
//!   the page whatever its depth, and a walk is exact under concurrent writes: every resource
//!   that exists for the whole walk is returned exactly once, a created one at most once, and
//!   none twice.
//! - **offset** (a request with `sortBy`): the 0-based index of the next page's first result,
//!   as `startIndex` is. Such a walk is exact only while the matched set does not change
//!   between pages (a write before the position shifts it by one), as index paging is, and a
//!   deep page costs its offset. Keyset paging on an arbitrary SCIM sort key (a kind rank, a
//!   number, an instant and folded text, nulls placed per dialect) is left for later.
//!
//! Then an HMAC-SHA256 tag (first 16 bytes) over the tenant, the resource type, `filter`,
//! `sortBy`, `sortOrder` and those bytes, keyed by the service's secret: a cursor altered, made
//! up, issued for another query, another type or another tenant fails the check and is
//! `400 invalidCursor`. The tenant always comes from the bearer token, which is checked on
//! every page; a cursor grants nothing. The text is base64url without padding, so only RFC 3986
//! unreserved characters. A cursor older than the timeout is `400 expiredCursor`.
//!
//! The secret is random per process unless the service is given one
//! ([`Service::with_cursor_secret`](crate::Service::with_cursor_secret)): servers behind one
//! load balancer need the same secret, and cursors issued before a restart are otherwise
//! invalid after it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use scimkit::{ScimError, ScimType, SortOrder};
use sha2::{Digest, Sha256};

const VERSION: u8 = 1;
const KEYSET: u8 = 1;
const OFFSET: u8 = 2;
/// Bytes of the tag kept (128 bits).
const TAG: usize = 16;
/// The longest cursor text read; anything longer is not one of ours.
const MAX_TEXT: usize = 1024;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Position {
    /// After this id (keyset paging, id order).
    After(String),
    /// At this 0-based index of the sorted matches.
    Offset(u64),
}

/// What a cursor is bound to: every parameter of the query but the cursor and `count`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binding<'a> {
    pub(crate) tenant: &'a str,
    pub(crate) resource_type: &'a str,
    pub(crate) filter: Option<&'a str>,
    pub(crate) sort_by: Option<&'a str>,
    pub(crate) sort_order: SortOrder,
}

impl Binding<'_> {
    /// Length-prefixed, so no two bindings write the same bytes.
    fn write(&self, mac: &mut Hmac<Sha256>) {
        let mut field = |v: Option<&str>| match v {
            Some(v) => {
                mac.update(&u32::try_from(v.len()).unwrap_or(u32::MAX).to_be_bytes());
                mac.update(v.as_bytes());
            }
            None => mac.update(&u32::MAX.to_be_bytes()),
        };
        field(Some(self.tenant));
        field(Some(self.resource_type));
        field(self.filter);
        field(self.sort_by);
        field(Some(self.sort_order.as_str()));
    }
}

/// The service's cursor key and timeout.
#[derive(Clone)]
pub(crate) struct Cursors {
    /// `None` if the system gave no randomness (cursor requests then fail with `503`).
    key: Option<[u8; 32]>,
    timeout: Duration,
}

impl std::fmt::Debug for Cursors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cursors")
            .field("key", &"…")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The default `cursorTimeout`: RFC 9865's example value.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

impl Cursors {
    /// A random key for this process.
    pub(crate) fn random() -> Self {
        let mut key = [0_u8; 32];
        let key = getrandom::fill(&mut key).ok().map(|()| key);
        Self {
            key,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The key derived from `secret` (SHA-256 of it), shared by servers that share it.
    pub(crate) fn set_secret(&mut self, secret: &[u8]) {
        self.key = Some(Sha256::digest(secret).into());
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    fn mac(&self, binding: &Binding<'_>) -> Result<Hmac<Sha256>, ScimError> {
        let key = self.key.ok_or_else(|| {
            ScimError::with_status(503, "cursor paging is unavailable: no key could be made")
        })?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key)
            .map_err(|_| ScimError::with_status(500, "bad cursor key"))?;
        binding.write(&mut mac);
        Ok(mac)
    }

    /// The cursor of `position` for the query `binding` names.
    pub(crate) fn issue(
        &self,
        binding: &Binding<'_>,
        position: &Position,
    ) -> Result<String, ScimError> {
        self.issue_at(binding, position, now())
    }

    fn issue_at(
        &self,
        binding: &Binding<'_>,
        position: &Position,
        issued: u64,
    ) -> Result<String, ScimError> {
        let mut payload = vec![VERSION];
        payload.extend(issued.to_be_bytes());
        match position {
            Position::After(id) => {
                payload.push(KEYSET);
                payload.extend(id.as_bytes());
            }
            Position::Offset(n) => {
                payload.push(OFFSET);
                payload.extend(n.to_be_bytes());
            }
        }
        let mut mac = self.mac(binding)?;
        mac.update(&payload);
        let tag = mac.finalize().into_bytes();
        payload.extend(&tag[..TAG]);
        Ok(URL_SAFE_NO_PAD.encode(payload))
    }

    /// The position `text` holds, if this service issued it for this very query (else
    /// `400 invalidCursor`) within the timeout (else `400 expiredCursor`).
    pub(crate) fn open(&self, binding: &Binding<'_>, text: &str) -> Result<Position, ScimError> {
        let invalid = || {
            ScimError::new(
                ScimType::InvalidCursor,
                "the cursor is not one this server issued for this query; send the `nextCursor` \
                 of the previous page with the same parameters, or an empty cursor for the \
                 first page",
            )
        };
        if text.len() > MAX_TEXT {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        if bytes.len() < 1 + 8 + 1 + TAG {
            return Err(invalid());
        }
        let (payload, tag) = bytes.split_at(bytes.len() - TAG);
        let mut mac = self.mac(binding)?;
        mac.update(payload);
        // Constant time.
        mac.verify_truncated_left(tag).map_err(|_| invalid())?;
        let (&version, rest) = payload.split_first().ok_or_else(invalid)?;
        if version != VERSION {
            return Err(invalid());
        }
        let (issued, rest) = rest.split_at(8);
        let issued = u64::from_be_bytes(issued.try_into().map_err(|_| invalid())?);
        if now().saturating_sub(issued) > self.timeout.as_secs() {
            return Err(ScimError::new(
                ScimType::ExpiredCursor,
                format!(
                    "the cursor has expired: ask for the next page within {} s (cursorTimeout), \
                     or start again with an empty cursor",
                    self.timeout.as_secs()
                ),
            ));
        }
        let (&kind, position) = rest.split_first().ok_or_else(invalid)?;
        match kind {
            KEYSET => String::from_utf8(position.to_vec())
                .map(Position::After)
                .map_err(|_| invalid()),
            OFFSET => Ok(Position::Offset(u64::from_be_bytes(
                position.try_into().map_err(|_| invalid())?,
            ))),
            _ => Err(invalid()),
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(tenant: &str) -> Binding<'_> {
        Binding {
            tenant,
            resource_type: "User",
            filter: Some("active eq true"),
            sort_by: None,
            sort_order: SortOrder::Ascending,
        }
    }

    #[test]
    fn round_trip_and_unreserved_text() {
        let c = Cursors::random();
        for pos in [Position::After("3f2a-x".into()), Position::Offset(40)] {
            let text = c.issue(&binding("a"), &pos).unwrap();
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)),
                "{text}"
            );
            assert_eq!(c.open(&binding("a"), &text).unwrap(), pos);
        }
    }

    #[test]
    fn bound_to_query_tenant_and_key() {
        let c = Cursors::random();
        let text = c
            .issue(&binding("a"), &Position::After("id-1".into()))
            .unwrap();
        let kind = |r: Result<Position, ScimError>| r.unwrap_err().scim_type;
        let invalid = Some(ScimType::InvalidCursor);
        assert_eq!(kind(c.open(&binding("b"), &text)), invalid);
        let mut other = binding("a");
        other.filter = Some("active eq false");
        assert_eq!(kind(c.open(&other, &text)), invalid);
        other = binding("a");
        other.sort_order = SortOrder::Descending;
        assert_eq!(kind(c.open(&other, &text)), invalid);
        other = binding("a");
        other.resource_type = "Group";
        assert_eq!(kind(c.open(&other, &text)), invalid);
        // Another process's key.
        assert_eq!(kind(Cursors::random().open(&binding("a"), &text)), invalid);
        // Every single-character change.
        for i in 0..text.len() {
            let mut t = text.clone().into_bytes();
            t[i] = if t[i] == b'A' { b'B' } else { b'A' };
            let t = String::from_utf8(t).unwrap();
            assert_eq!(kind(c.open(&binding("a"), &t)), invalid, "{t}");
        }
        for junk in ["", "x", "%%%", &"A".repeat(2000)] {
            assert_eq!(kind(c.open(&binding("a"), junk)), invalid, "{junk}");
        }
    }

    #[test]
    fn a_shared_secret_opens_across_processes() {
        let (mut one, mut two) = (Cursors::random(), Cursors::random());
        one.set_secret(b"shared");
        two.set_secret(b"shared");
        let text = one.issue(&binding("a"), &Position::Offset(7)).unwrap();
        assert_eq!(two.open(&binding("a"), &text).unwrap(), Position::Offset(7));
    }

    #[test]
    fn expires_after_the_timeout() {
        let mut c = Cursors::random();
        c.set_timeout(Duration::from_secs(60));
        let old = c
            .issue_at(&binding("a"), &Position::Offset(1), now() - 61)
            .unwrap();
        let err = c.open(&binding("a"), &old).unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::ExpiredCursor));
        let fresh = c
            .issue_at(&binding("a"), &Position::Offset(1), now() - 30)
            .unwrap();
        assert_eq!(c.open(&binding("a"), &fresh).unwrap(), Position::Offset(1));
    }
}
