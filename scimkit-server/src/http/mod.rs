//! The axum [`router`]: every tenant's SCIM endpoints under `/{tenant}/scim/v2`, bearer
//! authentication per tenant, limits, and SCIM error bodies for every failure.

mod identity_center;
mod reply;
mod resources;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use scimkit::ScimError;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub(crate) use identity_center::error_answer;
pub use reply::{Failure, Reply};

use crate::cursor::Cursors;
use crate::faults::{FaultCounts, Faults, Injector};
use crate::store::Store;
use crate::tenant::{Tenant, Tenants};

/// Limits on what one request may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes; past it the answer is `413` with a SCIM body.
    pub max_body: usize,
    /// How long a request may take, reading its body included; past it, `408`.
    pub request_timeout: Duration,
    /// Requests handled at once; the rest wait their turn.
    pub max_concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_concurrent: 256,
        }
    }
}

/// What the router's handlers share: the store and the tenants.
#[derive(Debug)]
pub struct Service<S> {
    store: S,
    tenants: Tenants,
    limits: Limits,
    cursors: Cursors,
    faults: Option<Arc<Injector>>,
}

impl<S: Store> Service<S> {
    /// A service over `store`, whose tenants' base URLs start with `public_url`
    /// (`https://scim.example.com`, or `http://127.0.0.1:8080`).
    pub fn new(store: S, public_url: impl Into<String>) -> Self {
        Self {
            store,
            tenants: Tenants::new(public_url),
            limits: Limits::default(),
            cursors: Cursors::random(),
            faults: None,
        }
    }

    /// Injects `faults` into every tenant's SCIM requests (never `/health`), for testing
    /// clients: throttling, a rate limit, 5xx answers, dropped connections. [`Faults`] with
    /// nothing to inject installs nothing. Shares outside `0..=1` are clamped
    /// ([`Faults::check`] says whether a value is sound).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::sync::Arc;
    /// use scimkit_server::{Faults, Service, SqlStore, router};
    ///
    /// let store = SqlStore::open("sqlite::memory:").await?;
    /// let faults: Faults = "throttle=0.1,error=0.02,reset=0.02,seed=1".parse()?;
    /// let service = Arc::new(Service::new(store, "http://127.0.0.1:8080").with_faults(faults));
    /// let app = router(service.clone());
    /// assert_eq!(service.faults_injected().map(|c| c.requests), Some(0));
    /// # drop(app);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = (!faults.is_none()).then(|| Arc::new(Injector::new(faults)));
        self
    }

    /// How many requests got each fault so far; `None` without faults.
    pub fn faults_injected(&self) -> Option<FaultCounts> {
        self.faults.as_ref().map(|f| f.counts())
    }

    /// Signs RFC 9865 cursors with a key derived from `secret` instead of one random to this
    /// process: servers behind one load balancer share it, and cursors then survive a
    /// restart. Keep it as secret as a token (at least 32 random bytes).
    #[must_use]
    pub fn with_cursor_secret(mut self, secret: &[u8]) -> Self {
        self.cursors.set_secret(secret);
        self
    }

    /// How long a cursor stays valid after its page was served (default 600 s), advertised as
    /// `cursorTimeout`; past it the answer is `400 expiredCursor`.
    #[must_use]
    pub fn with_cursor_timeout(mut self, timeout: Duration) -> Self {
        self.cursors.set_timeout(timeout);
        self
    }

    /// Sets the limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The tenants.
    pub fn tenants(&self) -> &Tenants {
        &self.tenants
    }

    /// The limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub(crate) fn cursors(&self) -> &Cursors {
        &self.cursors
    }
}

/// The router: `GET /health`, and for each tenant `/{tenant}/scim/v2/…` with every RFC 7644
/// endpoint (`/Users`, `/Groups`, their `/.search`, `/.search`, `/ServiceProviderConfig`,
/// `/ResourceTypes`, `/Schemas`). A service mounts it with `Router::nest`.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use scimkit_server::{Service, SqlStore, router};
///
/// let store = SqlStore::open("sqlite::memory:").await?;
/// let app = axum::Router::new().nest("/identity", router(Arc::new(Service::new(
///     store, "https://example.com/identity"))));
/// # drop(app);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn router<S: Store>(service: Arc<Service<S>>) -> Router {
    let limits = service.limits;
    // Routed in full (`/{tenant}/scim/v2/Users`), not nested: axum cannot nest a router with
    // its own fallback under a path parameter. Authentication is a route layer, so a path no
    // route matches is a plain 404 that names no tenant.
    let at = |path: &str| format!("/{{tenant}}/scim/v2{path}");
    let app = Router::new()
        .route(
            &at("/ServiceProviderConfig"),
            get(resources::service_provider_config::<S>),
        )
        .route(&at("/ResourceTypes"), get(resources::resource_types))
        .route(&at("/ResourceTypes/{id}"), get(resources::resource_type))
        .route(&at("/Schemas"), get(resources::schemas))
        .route(&at("/Schemas/{id}"), get(resources::schema))
        .route(&at("/.search"), post(resources::search_all::<S>))
        .route(
            &at("/{endpoint}"),
            get(resources::list::<S>).post(resources::create::<S>),
        )
        .route(&at("/{endpoint}/.search"), post(resources::search::<S>))
        .route(
            &at("/{endpoint}/{id}"),
            get(resources::read::<S>)
                .put(resources::replace::<S>)
                .patch(resources::patch::<S>)
                .delete(resources::delete::<S>),
        );
    // Faults inside authentication: they know the tenant, and hit only its SCIM routes.
    let app = match &service.faults {
        Some(f) => app.route_layer(middleware::from_fn_with_state(
            f.clone(),
            crate::faults::inject,
        )),
        None => app,
    };
    app.route_layer(middleware::from_fn_with_state(
        service.clone(),
        authenticate::<S>,
    ))
    // After the route layer: health needs no token.
    .route("/health", get(health))
    .fallback(resources::not_found)
    .method_not_allowed_fallback(resources::method_not_allowed)
    .with_state(service)
    .layer(DefaultBodyLimit::max(limits.max_body))
    // Inside the timeout, so a request waiting for a slot is bounded by it too.
    .layer(GlobalConcurrencyLimitLayer::new(limits.max_concurrent))
    .layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ))
    // Outermost: the timeout's bare 408 gets a SCIM body too.
    .layer(middleware::from_fn(scim_errors))
}

async fn health() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"status":"ok"}"#,
    )
        .into_response()
}

/// Answers axum's and tower's own bare failures (an over-long body, a timeout) with a SCIM
/// error body, as a SCIM client expects (RFC 7644 §3.12).
async fn scim_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let bare = !response.headers().contains_key(header::CONTENT_TYPE)
        || response.headers()[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !bare {
        return response;
    }
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "the request body exceeds this server's limit",
        StatusCode::REQUEST_TIMEOUT => "the request took longer than this server allows",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "the request body must be JSON",
        _ => status.canonical_reason().unwrap_or("the request failed"),
    };
    Failure::from(ScimError::with_status(status.as_u16(), detail)).into_response()
}

/// The tenant named by the path, if the bearer token opens it; every other case is the same
/// `401`, so a token never learns whether another tenant exists.
async fn authenticate<S: Store>(
    State(service): State<Arc<Service<S>>>,
    mut request: Request,
    next: Next,
) -> Response {
    let deny = || {
        Failure::from(ScimError::with_status(
            401,
            "a valid bearer token is required",
        ))
        .into_response()
    };
    let Some(tenant_id) = tenant_segment(&request) else {
        return deny();
    };
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, t)| t.trim().to_owned());
    let Some(token) = token else {
        return deny();
    };
    let tenant = match service
        .tenants
        .authorize(&service.store, &tenant_id, &token)
        .await
    {
        Ok(true) => service.tenants.get(&service.store, &tenant_id).await,
        Ok(false) => return deny(),
        Err(e) => return Failure::from(e).into_response(),
    };
    match tenant {
        Ok(Some(t)) => {
            request.extensions_mut().insert::<Arc<Tenant>>(t);
            next.run(request).await
        }
        Ok(None) => deny(),
        Err(e) => Failure::from(e).into_response(),
    }
}

/// The `{tenant}` path segment: the one before `/scim/v2` in the original URI (the router
/// may be nested under a service's own prefix, which axum strips from the URI it routes).
fn tenant_segment(request: &Request) -> Option<String> {
    let path = request
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| request.uri().path(), |o| o.0.path());
    let (before, _) = path.split_once("/scim/v2")?;
    let segment = before.rsplit('/').next()?;
    (!segment.is_empty()).then(|| segment.to_owned())
}
