//! The SCIM endpoints of one tenant: discovery, list and search, and the writes, each a
//! decision of the tenant's [`Provider`] and a transaction of the [`Store`].

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use scimkit::model::{Op, PaginationConfig};
use scimkit::provider::{PatchAnswer, Profile, Provider, check_if_match, is_not_modified, version};
use scimkit::query::Page;
use scimkit::sql::{ListRequest, fold};
use scimkit::{ListResponse, PatchOp, PatchPath, ScimError, ScimType, SearchRequest};
use serde_json::Value;

use super::{Failure, Reply, Service, identity_center};
use crate::cursor::{Binding, Position};
use crate::password;
use crate::store::{self, Modified, Store, Touch, clip};
use crate::tenant::Tenant;

type Svc<S> = State<Arc<Service<S>>>;
type Current = Extension<Arc<Tenant>>;

/// The answer, or the error in the tenant's profile's shape.
fn answer(tenant: &Tenant, result: Result<Reply, ScimError>) -> Response {
    let p = &tenant.provider;
    match result {
        Ok(r) if identity_center::is_identity_center(tenant) => identity_center::with_request_id(
            r.content_type(p.content_type()).into_response(),
            &uuid::Uuid::new_v4().to_string(),
        ),
        Ok(r) => r.content_type(p.content_type()).into_response(),
        Err(e) => {
            if e.status >= 500 {
                tracing::warn!(status = e.status, "request failed");
            }
            identity_center::error_answer(tenant, e)
        }
    }
}

pub(super) async fn not_found() -> Response {
    Failure::from(ScimError::not_found("no such endpoint")).into_response()
}

pub(super) async fn method_not_allowed(method: Method) -> Response {
    Failure::from(ScimError::with_status(
        405,
        format!("{method} is not allowed here"),
    ))
    .into_response()
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value, ScimError> {
    serde_json::to_value(v).map_err(ScimError::from)
}

pub(super) async fn service_provider_config<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
) -> Response {
    let mut config = t.provider.service_provider_config();
    config.pagination = Some(pagination(&s, &t.provider));
    answer(&t, to_json(config).map(Reply::ok))
}

pub(super) async fn resource_types(Extension(t): Current) -> Response {
    let r = t
        .provider
        .resource_types_list()
        .and_then(to_json)
        .map(Reply::ok);
    answer(&t, r)
}

pub(super) async fn resource_type(
    Extension(t): Current,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    answer(&t, t.provider.resource_type(&id).map(Reply::ok))
}

pub(super) async fn schemas(Extension(t): Current) -> Response {
    answer(
        &t,
        t.provider.schemas_list().and_then(to_json).map(Reply::ok),
    )
}

pub(super) async fn schema(
    Extension(t): Current,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    answer(&t, t.provider.schema_document(&id).map(Reply::ok))
}

fn resource_type_at(p: &Provider, endpoint: &str) -> Result<String, ScimError> {
    p.resource_type_at(endpoint)
        .map(str::to_owned)
        .ok_or_else(|| ScimError::not_found(format!("no endpoint /{}", clip(endpoint))))
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

/// Adds `$ref` to each member and group (the rows keep `value`, `type` and `display`).
fn with_refs(p: &Provider, rtype: &str, mut resource: Value) -> Value {
    let attr = match rtype {
        "Group" => "members",
        "User" => "groups",
        _ => return resource,
    };
    if let Some(Value::Array(items)) = resource.get_mut(attr) {
        for item in items {
            let Value::Object(o) = item else { continue };
            let Some(id) = o.get("value").and_then(Value::as_str) else {
                continue;
            };
            let target = match (rtype, o.get("type").and_then(Value::as_str)) {
                ("User", _) => "Group",
                (_, Some(t)) if t.eq_ignore_ascii_case("Group") => "Group",
                _ => "User",
            };
            let location = p.location_of(target, id);
            o.insert("$ref".to_owned(), Value::String(location));
        }
    }
    resource
}

/// Whether an answer shows a Group's members: Identity Center's never do, and a projection
/// may leave them out.
fn shows_members(p: &Provider, request: &SearchRequest) -> bool {
    if matches!(p.profile(), Profile::IdentityCenter(_)) {
        return false;
    }
    let named = |list: &Option<Vec<String>>| {
        list.as_ref().is_some_and(|l| {
            l.iter().any(|a| {
                let a = a.trim();
                let a = a.rsplit_once(':').map_or(a, |(_, n)| n);
                a.eq_ignore_ascii_case("members") || a.to_ascii_lowercase().starts_with("members.")
            })
        })
    };
    if named(&request.excluded_attributes) {
        return false;
    }
    match &request.attributes {
        Some(l) if !l.is_empty() => named(&request.attributes),
        _ => true,
    }
}

/// One resource of a list answer.
fn present(t: &Tenant, rtype: &str, query: &scimkit::query::Query, r: Value) -> Value {
    let p = &t.provider;
    let mut shown = p.present(rtype, query, &with_refs(p, rtype, r));
    identity_center::empty_members(t, rtype, &mut shown);
    shown
}

pub(super) async fn list<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let r = match query(raw.as_deref()) {
        Ok(request) => list_in(&s, &t, &endpoint, &request).await,
        Err(e) => Err(e),
    };
    answer(&t, r)
}

pub(super) async fn search<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let request = body_json(&body).and_then(|b| Ok(serde_json::from_value::<SearchRequest>(b)?));
    let r = match request {
        Ok(request) => list_in(&s, &t, &endpoint, &request).await,
        Err(e) => Err(e),
    };
    answer(&t, r)
}

async fn list_in<S: Store>(
    s: &Service<S>,
    t: &Tenant,
    endpoint: &str,
    request: &SearchRequest,
) -> Result<Reply, ScimError> {
    let p = &t.provider;
    let rtype = resource_type_at(p, endpoint)?;
    let identity_center = matches!(p.profile(), Profile::IdentityCenter(_));
    let mut request = std::borrow::Cow::Borrowed(request);
    if identity_center && request.start_index.is_some() {
        // Identity Center does not support `startIndex` (its ListUsers ignores it): every
        // index-paged answer is the first page.
        request.to_mut().start_index = None;
    }
    let mut query = p.query(&rtype, &request)?;
    if let Some(f) = query
        .filter()
        .and_then(|f| identity_center::member_alias(t, &rtype, f))
    {
        request.to_mut().filter = Some(f.to_string());
        query = p.query(&rtype, &request)?;
    }
    identity_center::check_named_members(s.store(), t, &rtype, query.filter()).await?;
    let schemas = p
        .schemas()
        .scoped(&rtype)
        .unwrap_or_else(|| p.schemas().clone());
    let mut lr = ListRequest::new(&t.record.id, &rtype);
    lr.filter = query.filter();
    lr.sort_by = request
        .sort_by
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && query.sort_by().is_some());
    lr.sort_order = query.sort_order();
    lr.page = query.page();
    let members = shows_members(p, &request);
    if identity_center {
        // Identity Center's `count` runs 1 to 100, with or without a cursor.
        page_size(p, request.count, true)?;
    }
    let Some(cursor) = request.cursor.as_deref() else {
        let listed = s.store().list(&lr, &schemas, members).await?;
        let resources: Vec<Value> = listed
            .resources
            .into_iter()
            .map(|r| present(t, &rtype, &query, r))
            .collect();
        let page = query.page();
        let mut out = ListResponse::new(resources);
        out.total_results = listed.total;
        out.start_index = Some(u64::try_from(page.start_index()).unwrap_or(1));
        return to_json(out).map(Reply::ok);
    };

    // RFC 9865 cursor paging.
    if !identity_center && request.start_index.is_some_and(|i| i > 1) {
        return Err(ScimError::invalid_value(
            "`startIndex` and `cursor` name two paging methods; send one of them",
        ));
    }
    let count = page_size(p, request.count, identity_center)?;
    let binding = Binding {
        tenant: &t.record.id,
        resource_type: &rtype,
        filter: request
            .filter
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty()),
        sort_by: lr.sort_by,
        sort_order: lr.sort_order,
    };
    let keyset = lr.sort_by.is_none();
    let position = match cursor {
        "" if keyset => None,
        "" => Some(Position::Offset(0)),
        text => Some(s.cursors().open(&binding, text)?),
    };
    // One more than the page, to learn whether another page follows.
    let window = i64::try_from(count).unwrap_or(i64::MAX).saturating_add(1);
    let offset = match (&position, keyset) {
        (None, true) => 0,
        (Some(Position::After(id)), true) => {
            lr.after = Some(id.as_str());
            0
        }
        (Some(Position::Offset(n)), false) => *n,
        // Bound to the query, so unreachable unless the key was shared with another build.
        _ => {
            return Err(ScimError::new(
                ScimType::InvalidCursor,
                "the cursor does not fit this query",
            ));
        }
    };
    lr.page = Page::new(
        Some(i64::try_from(offset).unwrap_or(i64::MAX).saturating_add(1)),
        Some(window),
    );
    let mut listed = s.store().list(&lr, &schemas, members).await?;
    let more = listed.resources.len() > count;
    listed.resources.truncate(count);
    let next = match (more, keyset) {
        (false, _) => None,
        (true, true) => listed
            .resources
            .last()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_str)
            .map(|id| Position::After(id.to_owned())),
        (true, false) => Some(Position::Offset(offset.saturating_add(count as u64))),
    };
    let previous =
        (!keyset && offset > 0).then(|| Position::Offset(offset.saturating_sub(count as u64)));
    let resources: Vec<Value> = listed
        .resources
        .into_iter()
        .map(|r| present(t, &rtype, &query, r))
        .collect();
    let mut out = ListResponse::new(resources);
    out.total_results = listed.total;
    out.start_index = None;
    out.next_cursor = next.map(|n| s.cursors().issue(&binding, &n)).transpose()?;
    out.previous_cursor = previous
        .map(|n| s.cursors().issue(&binding, &n))
        .transpose()?;
    let mut json = to_json(out)?;
    if let (true, Value::Object(o)) = (identity_center, &mut json) {
        // Identity Center's cursor answers carry `itemsPerPage` and `nextCursor`, no
        // `totalResults` or `startIndex`.
        o.remove("totalResults");
    }
    Ok(Reply::ok(json))
}

/// The page size of a cursor-paged request: `count`, or the tenant's default (its
/// `maxResults`) when absent. Below 1 is `400 invalidCount` (RFC 9865: a positive integer);
/// above the maximum it is capped (RFC 9865's `maxPageSize` holds "regardless of what is
/// specified for the count"), except under Identity Center, whose `count` runs 1 to 100 and
/// refuses more.
fn page_size(p: &Provider, count: Option<i64>, identity_center: bool) -> Result<usize, ScimError> {
    let max = p.max_results().max(1);
    let invalid = || {
        ScimError::new(
            ScimType::InvalidCount,
            format!("`count` must be between 1 and {max} (maxPageSize)"),
        )
    };
    match count {
        None => Ok(max),
        Some(c) if c < 1 => Err(invalid()),
        Some(c) => match usize::try_from(c) {
            Ok(c) if c <= max => Ok(c),
            _ if identity_center => Err(invalid()),
            _ => Ok(max),
        },
    }
}

/// The `pagination` block of a tenant's `/ServiceProviderConfig` (RFC 9865 §4).
fn pagination<S: Store>(s: &Service<S>, p: &Provider) -> PaginationConfig {
    let max = u64::try_from(p.max_results()).unwrap_or(u64::MAX);
    let timeout = s.cursors().timeout().as_secs();
    let mut block = if matches!(p.profile(), Profile::IdentityCenter(_)) {
        // Cursor paging only; a request without a cursor gets the first page, as Identity
        // Center answers it.
        let mut b = PaginationConfig::new(true, false);
        b.default_pagination_method = None;
        b
    } else {
        PaginationConfig::new(true, true)
    };
    block = block.with_page_sizes(max, max).with_cursor_timeout(timeout);
    block
}

/// `POST /.search` over every resource type, merged and paged in memory as RFC 7644 §3.4.3
/// reads; refused past [`SEARCH_ALL_LIMIT`] matches (narrow the filter or search one type).
pub(super) async fn search_all<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    body: Bytes,
) -> Response {
    let r = search_all_in(&s, &t, &body).await;
    answer(&t, r)
}

/// The most resources `POST /.search` at the root gathers before answering `400 tooMany`.
const SEARCH_ALL_LIMIT: u64 = 10_000;

async fn search_all_in<S: Store>(
    s: &Service<S>,
    t: &Tenant,
    body: &[u8],
) -> Result<Reply, ScimError> {
    let request: SearchRequest = serde_json::from_value(body_json(body)?)?;
    if request.cursor.is_some() {
        return Err(ScimError::new(
            ScimType::InvalidCursor,
            "cursor paging is offered per resource type (`/Users/.search`), not at the root",
        ));
    }
    let p = &t.provider;
    // Checked as a whole first (a filter no type can answer is 400 as in memory).
    p.search_all(&request, [])?;
    let mut all = Vec::new();
    for rtype in ["User", "Group"] {
        let mut scoped = SearchRequest::new();
        scoped.filter.clone_from(&request.filter);
        let query = p.query(rtype, &scoped);
        // A filter on attributes only another type has selects nothing of this type.
        let Ok(query) = query else { continue };
        let schemas = p
            .schemas()
            .scoped(rtype)
            .unwrap_or_else(|| p.schemas().clone());
        let mut lr = ListRequest::new(&t.record.id, rtype);
        lr.filter = query.filter();
        // At most what is left of the limit: `totalResults` says whether more matched.
        let left = SEARCH_ALL_LIMIT.saturating_sub(u64::try_from(all.len()).unwrap_or(u64::MAX));
        lr.page = Page::new(None, Some(i64::try_from(left).unwrap_or(i64::MAX)));
        let listed = s.store().list(&lr, &schemas, true).await?;
        if listed.total > left {
            return Err(ScimError::too_many(format!(
                "more than {SEARCH_ALL_LIMIT} resources match; search one resource type, which pages"
            )));
        }
        all.extend(listed.resources.into_iter().map(|r| with_refs(p, rtype, r)));
    }
    to_json(p.search_all(&request, &all)?).map(Reply::ok)
}

pub(super) async fn create<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let r = create_in(&s, &t, &endpoint, raw.as_deref(), &body).await;
    answer(&t, r)
}

async fn create_in<S: Store>(
    s: &Service<S>,
    t: &Tenant,
    endpoint: &str,
    raw: Option<&str>,
    body: &[u8],
) -> Result<Reply, ScimError> {
    let p = &t.provider;
    let rtype = resource_type_at(p, endpoint)?;
    let request = query(raw)?;
    let body = body_json(body)?;
    let id = uuid::Uuid::new_v4().to_string();
    let written = p.create_written(&rtype, &body, &id, chrono::Utc::now(), [])?;
    let hash = match written.password {
        Some(pw) => Some(password::hash_for(t, pw).await?),
        None => None,
    };
    s.store()
        .insert(&t.record.id, &rtype, &written.value, p.schemas(), hash)
        .await?;
    let shown = with_refs(p, &rtype, written.value);
    p.respond(&rtype, &shown, &request).map(Reply::created)
}

pub(super) async fn read<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint, id)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let r = async {
        let p = &t.provider;
        let rtype = resource_type_at(p, &endpoint)?;
        let request = query(raw.as_deref())?;
        let found = s
            .store()
            .get(&t.record.id, &rtype, &id)
            .await?
            .ok_or_else(|| store::not_found(&rtype, &id))?;
        let none_match = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok());
        if is_not_modified(none_match, &found) {
            return Ok(None);
        }
        p.respond(&rtype, &with_refs(p, &rtype, found), &request)
            .map(Some)
    }
    .await;
    match r {
        Ok(Some(body)) => answer(&t, Ok(Reply::ok(body))),
        Ok(None) => StatusCode::NOT_MODIFIED.into_response(),
        Err(e) => answer(&t, Err(e)),
    }
}

pub(super) async fn replace<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint, id)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let r = async {
        let p = &t.provider;
        let rtype = resource_type_at(p, &endpoint)?;
        let request = query(raw.as_deref())?;
        let body = body_json(&body)?;
        let pre = password::prepare(&t, password::in_body(&body)).await?;
        let expected = if_match(&headers).map(str::to_owned);
        let (stored, ()) = s
            .store()
            .modify(
                &t.record.id,
                &rtype,
                &id,
                Touch::All,
                p.schemas(),
                shows_members(p, &request),
                |current| {
                    check_if_match(expected.as_deref(), current)?;
                    let new = p.replace_written(&rtype, current, &body, chrono::Utc::now(), [])?;
                    let password_hash = pre.settle(&t, new.password)?;
                    *current = new.value;
                    Ok(Modified {
                        changed: true,
                        password_hash,
                        value: (),
                    })
                },
            )
            .await?;
        p.respond(&rtype, &with_refs(p, &rtype, stored), &request)
            .map(Reply::ok)
    }
    .await;
    answer(&t, r)
}

pub(super) async fn patch<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint, id)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let r = async {
        let p = &t.provider;
        let rtype = resource_type_at(p, &endpoint)?;
        let request = query(raw.as_deref())?;
        let op: PatchOp = serde_json::from_value(body_json(&body)?)?;
        let pre = password::prepare(&t, password::in_patch(&op)).await?;
        let expected = if_match(&headers).map(str::to_owned);
        let touch = if rtype == "Group" {
            touched_members(p, &op)
        } else {
            Touch::All
        };
        let answer = p.patch_answer(&rtype);
        let members = !matches!(answer, PatchAnswer::NoContent) && shows_members(p, &request);
        let (stored, ()) = s
            .store()
            .modify(
                &t.record.id,
                &rtype,
                &id,
                touch,
                p.schemas(),
                members,
                |current| {
                    check_if_match(expected.as_deref(), current)?;
                    let written = p.patch_written(&rtype, current, &op, chrono::Utc::now(), [])?;
                    let password_hash = pre.settle(&t, written.password)?;
                    Ok(Modified {
                        changed: written.value.changed,
                        password_hash,
                        value: (),
                    })
                },
            )
            .await?;
        match answer {
            PatchAnswer::NoContent => Ok(Reply::no_content(version(&stored).map(str::to_owned))),
            _ => p
                .respond(&rtype, &with_refs(p, &rtype, stored), &request)
                .map(Reply::ok),
        }
    }
    .await;
    answer(&t, r)
}

/// The members a Group PATCH reads. Adding members, and removing members named by
/// `value eq` (`members[value eq "…"]`, or `or`s of those), touch only those values: the
/// provider answers such a PATCH on the group holding just the touched members exactly as on
/// the whole group (what it adds or removes depends only on them), so the cost follows the
/// change. Anything else on `members` reads every member.
fn touched_members(p: &Provider, op: &PatchOp) -> Touch {
    let is_members = |name: &str| {
        let name = name.rsplit_once(':').map_or(name, |(_, n)| n);
        name.eq_ignore_ascii_case("members")
    };
    let mut values = Vec::new();
    for o in &op.operations {
        let Some(path) = o.path.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
            // A no-path operation names attributes in its value.
            let names = o.value.as_ref().and_then(Value::as_object);
            if names.is_some_and(|v| v.keys().any(|k| is_members(k))) {
                return Touch::All;
            }
            continue;
        };
        // Read with the core's grammar: a `:` or `members` inside a filter literal is no name.
        let Ok(parsed) = path.parse::<PatchPath>() else {
            return Touch::All;
        };
        let attr = parsed.attr();
        if !attr.name().eq_ignore_ascii_case("members") {
            continue;
        }
        let listed = match (o.op, parsed.value_filter(), attr.sub_attribute()) {
            (Op::Add, None, None) => o.value.as_ref(),
            // Entra's form: the members to remove listed in `value`.
            (Op::Remove, None, None) if p.compat().remove_with_value => o.value.as_ref(),
            (Op::Remove, Some(filter), None) => {
                let mut named = Vec::new();
                if !collect_value_eq(filter, &mut named) {
                    return Touch::All;
                }
                values.extend(named.iter().map(|v| fold(v)));
                continue;
            }
            _ => return Touch::All,
        };
        let Some(items) = listed.and_then(Value::as_array) else {
            return Touch::All;
        };
        for item in items {
            match item.get("value").and_then(Value::as_str) {
                Some(v) => values.push(fold(v)),
                None => return Touch::All,
            }
        }
    }
    Touch::Values(values)
}

/// Collects the values of `value eq "a" or value eq "b"`; `false` for any other filter.
fn collect_value_eq(f: &scimkit::Filter, out: &mut Vec<String>) -> bool {
    use scimkit::{CompValue, CompareOp, Filter};
    match f {
        Filter::Or(a, b) => collect_value_eq(a, out) && collect_value_eq(b, out),
        Filter::Compare(path, CompareOp::Eq, CompValue::String(v))
            if path.name().eq_ignore_ascii_case("value") && path.sub_attribute().is_none() =>
        {
            out.push(v.clone());
            true
        }
        _ => false,
    }
}

pub(super) async fn delete<S: Store>(
    State(s): Svc<S>,
    Extension(t): Current,
    Path((_, endpoint, id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let r = async {
        let rtype = resource_type_at(&t.provider, &endpoint)?;
        let expected = if_match(&headers).map(str::to_owned);
        let now = chrono::Utc::now();
        s.store()
            .remove(
                &t.record.id,
                &rtype,
                &id,
                t.provider.schemas(),
                |current| check_if_match(expected.as_deref(), current),
                |group| t.provider.touch("Group", group, now),
            )
            .await
    }
    .await;
    match r {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => answer(&t, Err(e)),
    }
}
