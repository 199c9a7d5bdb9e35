//! The HTTP glue: an axum router over an in-memory store, with every SCIM decision taken by
//! `scimkit::provider::Provider`.
//!
//! Also compiled into `tests/provider.rs` (through `#[path]`), so the integration tests drive
//! exactly this router.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use scimkit::provider::{
    Memberships, PatchAnswer, Provider, check_if_match, is_not_modified, version,
};
use scimkit::{PatchOp, PatchOperation, ScimError, SearchRequest};
use serde_json::Value;

/// Stored resources by resource type name, then by id.
type Store = BTreeMap<String, BTreeMap<String, Value>>;

/// The store and the group-membership index that users' `groups` are answered from, under
/// one lock so that they never disagree.
#[derive(Default)]
struct Data {
    resources: Store,
    memberships: Memberships,
}

impl Data {
    /// Stores a written resource and keeps the index in step.
    fn put(&mut self, rt: &str, id: &str, resource: Value) {
        let table = self.resources.entry(rt.to_owned()).or_default();
        table.insert(id.to_owned(), resource);
        self.reindex(rt, id);
    }

    /// The answer for the stored resource `id`: its readOnly `groups` filled in, projected as
    /// the request asks.
    fn answer(
        &self,
        provider: &Provider,
        rt: &str,
        id: &str,
        request: &SearchRequest,
    ) -> Result<Value, ScimError> {
        let stored = get_one(&self.resources, rt, id)?;
        provider.respond_with(rt, stored, request, &self.memberships)
    }

    /// Keeps the index in step after a write to a resource of type `rt`.
    fn reindex(&mut self, rt: &str, id: &str) {
        if rt != "Group" {
            return;
        }
        match self.resources.get(rt).and_then(|t| t.get(id)) {
            Some(group) => self.memberships.insert(group),
            None => self.memberships.remove(id),
        }
    }
}

/// What every handler shares.
pub(crate) struct App {
    /// The request logic.
    pub(crate) provider: Provider,
    token: String,
    store: RwLock<Data>,
}

/// A shared [`App`].
pub(crate) type Shared = Arc<App>;

impl App {
    /// An app with an empty store, accepting `Authorization: Bearer {token}`.
    pub(crate) fn new(provider: Provider, token: impl Into<String>) -> Shared {
        Arc::new(Self {
            provider,
            token: token.into(),
            store: RwLock::new(Data::default()),
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Data> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Data> {
        self.store.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// A SCIM answer: the profile's content type, plus `ETag` and `Location` where they apply.
    fn answer(&self, status: StatusCode, body: &Value) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.provider.content_type()),
        );
        if let Some(v) = version(body).and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(header::ETAG, v);
        }
        if status == StatusCode::CREATED {
            let location = body["meta"]["location"].as_str().unwrap_or_default();
            if let Ok(v) = HeaderValue::from_str(location) {
                headers.insert(header::LOCATION, v);
            }
        }
        (status, headers, body.to_string()).into_response()
    }

    fn fail(&self, err: &ScimError) -> Response {
        let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = self.answer(status, &self.provider.error_body(err));
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }

    fn reply(&self, status: StatusCode, result: Result<Value, ScimError>) -> Response {
        match result {
            Ok(body) => self.answer(status, &body),
            Err(e) => self.fail(&e),
        }
    }

    fn resource_type(&self, segment: &str) -> Result<String, ScimError> {
        self.provider
            .resource_type_at(segment)
            .map(str::to_owned)
            .ok_or_else(|| ScimError::not_found(format!("no endpoint /{}", clip(segment))))
    }
}

fn clip(s: &str) -> &str {
    s.char_indices().nth(64).map_or(s, |(i, _)| &s[..i])
}

/// The router, to be served under the base URL's path (`/scim/v2`).
pub(crate) fn router(app: Shared) -> Router {
    let scim = Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema))
        .route("/.search", post(search_all))
        .route("/{endpoint}", get(list).post(create))
        .route("/{endpoint}/.search", post(search))
        .route(
            "/{endpoint}/{id}",
            get(read).put(replace).patch(patch).delete(delete),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(app.clone(), too_large))
        .layer(middleware::from_fn_with_state(app.clone(), authenticate))
        .with_state(app.clone());
    Router::new()
        .nest("/scim/v2", scim)
        .fallback(not_found)
        .with_state(app)
}

/// The largest request body accepted, in bytes.
pub(crate) const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// axum answers an over-long body with a plain-text 413 before any handler runs; a SCIM
/// client expects the error JSON (RFC 7644 §3.12), so that answer is replaced.
async fn too_large(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    app.fail(&ScimError::with_status(
        413,
        format!("the request body exceeds this server's limit of {BODY_LIMIT} bytes"),
    ))
}

async fn authenticate(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let ok = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("Bearer") && token.trim() == app.token
        });
    if ok {
        next.run(request).await
    } else {
        app.fail(&ScimError::with_status(
            401,
            "a valid bearer token is required",
        ))
    }
}

async fn not_found(State(app): State<Shared>) -> Response {
    app.fail(&ScimError::not_found("no such endpoint"))
}

async fn method_not_allowed(State(app): State<Shared>, method: Method) -> Response {
    app.fail(&ScimError::with_status(
        405,
        format!("{method} is not allowed here"),
    ))
}

async fn service_provider_config(State(app): State<Shared>) -> Response {
    let spc = serde_json::to_value(app.provider.service_provider_config()).map_err(ScimError::from);
    app.reply(StatusCode::OK, spc)
}

async fn resource_types(State(app): State<Shared>) -> Response {
    let list = app.provider.resource_types_list().and_then(to_json);
    app.reply(StatusCode::OK, list)
}

async fn resource_type(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    app.reply(StatusCode::OK, app.provider.resource_type(&id))
}

async fn schemas(State(app): State<Shared>) -> Response {
    let list = app.provider.schemas_list().and_then(to_json);
    app.reply(StatusCode::OK, list)
}

async fn schema(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    app.reply(StatusCode::OK, app.provider.schema_document(&id))
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value, ScimError> {
    serde_json::to_value(v).map_err(ScimError::from)
}

fn query(raw: Option<&str>) -> Result<SearchRequest, ScimError> {
    SearchRequest::from_query_string(raw.unwrap_or_default())
}

fn body_json(body: &[u8]) -> Result<Value, ScimError> {
    Ok(serde_json::from_slice(body)?)
}

fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok())
}

async fn list(
    State(app): State<Shared>,
    Path(endpoint): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = query(raw.as_deref()).and_then(|r| list_in(&app, &endpoint, &r));
    app.reply(StatusCode::OK, result)
}

async fn search(State(app): State<Shared>, Path(endpoint): Path<String>, body: Bytes) -> Response {
    let result = body_json(&body)
        .and_then(|b| Ok(serde_json::from_value::<SearchRequest>(b)?))
        .and_then(|r| list_in(&app, &endpoint, &r));
    app.reply(StatusCode::OK, result)
}

/// `GET /{endpoint}` and `POST /{endpoint}/.search`.
fn list_in(app: &App, endpoint: &str, request: &SearchRequest) -> Result<Value, ScimError> {
    let rt = app.resource_type(endpoint)?;
    let data = app.read();
    let all = data.resources.get(&rt).into_iter().flat_map(|m| m.values());
    to_json(
        app.provider
            .list_with(&rt, request, all, &data.memberships)?,
    )
}

async fn search_all(State(app): State<Shared>, body: Bytes) -> Response {
    let result = (|| {
        let request: SearchRequest = serde_json::from_value(body_json(&body)?)?;
        let data = app.read();
        let all = data.resources.values().flat_map(|m| m.values());
        to_json(app.provider.search_all(&request, all)?)
    })();
    app.reply(StatusCode::OK, result)
}

async fn create(
    State(app): State<Shared>,
    Path(endpoint): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let result = (|| {
        let rt = app.resource_type(&endpoint)?;
        let request = query(raw.as_deref())?;
        let body = body_json(&body)?;
        let id = uuid::Uuid::new_v4().to_string();
        let mut data = app.write();
        let table = data.resources.entry(rt.clone()).or_default();
        let created = app
            .provider
            .create(&rt, &body, &id, chrono::Utc::now(), table.values())?;
        data.put(&rt, &id, created);
        data.answer(&app.provider, &rt, &id, &request)
    })();
    app.reply(StatusCode::CREATED, result)
}

async fn read(
    State(app): State<Shared>,
    Path((endpoint, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let rt = app.resource_type(&endpoint)?;
        let request = query(raw.as_deref())?;
        let data = app.read();
        let found = get_one(&data.resources, &rt, &id)?;
        let none_match = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok());
        if is_not_modified(none_match, found) {
            return Ok(None);
        }
        app.provider
            .respond_with(&rt, found, &request, &data.memberships)
            .map(Some)
    })();
    match result {
        Ok(Some(body)) => app.answer(StatusCode::OK, &body),
        Ok(None) => StatusCode::NOT_MODIFIED.into_response(),
        Err(e) => app.fail(&e),
    }
}

fn get_one<'s>(store: &'s Store, rt: &str, id: &str) -> Result<&'s Value, ScimError> {
    store
        .get(rt)
        .and_then(|m| m.get(id))
        .ok_or_else(|| ScimError::not_found(format!("{rt} {} not found", clip(id))))
}

async fn replace(
    State(app): State<Shared>,
    Path((endpoint, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let rt = app.resource_type(&endpoint)?;
        let request = query(raw.as_deref())?;
        let body = body_json(&body)?;
        let mut data = app.write();
        let current = get_one(&data.resources, &rt, &id)?;
        check_if_match(if_match(&headers), current)?;
        let table = data.resources.get(&rt).into_iter().flat_map(|m| m.values());
        let new = app
            .provider
            .replace(&rt, current, &body, chrono::Utc::now(), table)?;
        data.put(&rt, &id, new);
        data.answer(&app.provider, &rt, &id, &request)
    })();
    app.reply(StatusCode::OK, result)
}

async fn patch(
    State(app): State<Shared>,
    Path((endpoint, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let rt = app.resource_type(&endpoint)?;
        let request = query(raw.as_deref())?;
        let op: PatchOp = serde_json::from_value(body_json(&body)?)?;
        let mut data = app.write();
        let table = data.resources.entry(rt.clone()).or_default();
        let mut current = table
            .remove(&id)
            .ok_or_else(|| ScimError::not_found(format!("{rt} {} not found", clip(&id))))?;
        // The resource is out of the table while it is patched, so the others can be lent to
        // the uniqueness check; it goes back whatever happens.
        let done = check_if_match(if_match(&headers), &current).and_then(|()| {
            app.provider
                .patch(&rt, &mut current, &op, chrono::Utc::now(), table.values())
        });
        table.insert(id.clone(), current);
        let changed = done?.changed;
        if changed {
            data.reindex(&rt, &id);
        }
        match app.provider.patch_answer(&rt) {
            PatchAnswer::NoContent => {
                let stored = get_one(&data.resources, &rt, &id)?;
                Ok(PatchReply::NoContent(version(stored).map(str::to_owned)))
            }
            _ => data
                .answer(&app.provider, &rt, &id, &request)
                .map(PatchReply::Resource),
        }
    })();
    match result {
        Ok(PatchReply::Resource(body)) => app.answer(StatusCode::OK, &body),
        Ok(PatchReply::NoContent(etag)) => {
            // RFC 7644 §3.5.2: 204 "and the appropriate response headers": the new version.
            let mut r = StatusCode::NO_CONTENT.into_response();
            if let Some(v) = etag.and_then(|v| HeaderValue::from_str(&v).ok()) {
                r.headers_mut().insert(header::ETAG, v);
            }
            r
        }
        Err(e) => app.fail(&e),
    }
}

/// A successful PATCH's answer, as [`Provider::patch_answer`] chooses it.
enum PatchReply {
    Resource(Value),
    /// The new entity tag, if any.
    NoContent(Option<String>),
}

async fn delete(
    State(app): State<Shared>,
    Path((endpoint, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let rt = app.resource_type(&endpoint)?;
        let mut data = app.write();
        check_if_match(if_match(&headers), get_one(&data.resources, &rt, &id)?)?;
        data.resources.entry(rt.clone()).or_default().remove(&id);
        data.reindex(&rt, &id);
        if rt == "User" {
            // A deleted user leaves its groups (the index names them), through the same PATCH
            // a client would send.
            let leave = PatchOp::new(vec![PatchOperation::remove(format!(
                "members[value eq {}]",
                Value::String(id.clone())
            ))]);
            let now = chrono::Utc::now();
            let groups: Vec<String> = data
                .memberships
                .groups_of(&id)
                .map(|(g, _)| g.to_owned())
                .collect();
            for gid in groups {
                if let Some(group) = data
                    .resources
                    .get_mut("Group")
                    .and_then(|t| t.get_mut(&gid))
                {
                    app.provider.patch("Group", group, &leave, now, [])?;
                }
                data.reindex("Group", &gid);
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => app.fail(&e),
    }
}
