//! Protocol messages: what peers send beyond the RFC examples.

use scimkit::model::{BulkMethod, BulkOperationResponse, BulkResponse, SortOrder};
use scimkit::{ListResponse, Op, PatchOp, PatchOperation, ScimError, SearchRequest, User};
use serde_json::{Value, json};

#[test]
fn op_is_read_ignoring_case_and_written_lowercase() {
    for (text, op) in [
        ("add", Op::Add),
        ("Add", Op::Add),
        ("Replace", Op::Replace),
        ("REMOVE", Op::Remove),
    ] {
        assert_eq!(serde_json::from_value::<Op>(json!(text)).unwrap(), op);
        assert_eq!(serde_json::to_value(op).unwrap(), json!(op.as_str()));
        assert_eq!(text.parse::<Op>().unwrap(), op);
    }
    for bad in ["move", "", "adds"] {
        assert!(serde_json::from_value::<Op>(json!(bad)).is_err(), "{bad}");
        let err = ScimError::from(bad.parse::<Op>().unwrap_err());
        assert_eq!(err.status, 400);
    }
}

#[test]
fn entra_style_patch_body() {
    // Entra ID: capitalised op, string booleans left for the applier to judge.
    let body: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "a@example.com"}
        ]
    }))
    .unwrap();
    assert_eq!(body.operations[0].op, Op::Replace);
    assert_eq!(body.operations[0].value, Some(json!("False")));
    assert_eq!(
        serde_json::to_value(&body).unwrap()["Operations"][0]["op"],
        "replace"
    );
}

#[test]
fn patch_paths_stay_raw_and_null_values_stay_null() {
    // A malformed path is the applier's `invalidPath`, not a body syntax error.
    let body: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "operations": [
            {"op": "remove", "path": "members[value eq"},
            {"op": "replace", "path": "displayName", "value": null},
            {"op": "remove", "path": "members", "value": [{"value": "u1"}]},
        ]
    }))
    .unwrap();
    assert_eq!(body.operations[0].path.as_deref(), Some("members[value eq"));
    assert_eq!(body.operations[0].value, None);
    assert_eq!(body.operations[1].value, Some(Value::Null));
    assert_eq!(body.operations[2].value, Some(json!([{"value": "u1"}])));
    let out = serde_json::to_value(&body).unwrap();
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:PatchOp"])
    );
    assert_eq!(
        out["Operations"][1],
        json!({"op": "replace", "path": "displayName", "value": null})
    );
    assert!(out["Operations"][0].get("value").is_none());
}

#[test]
fn jumpcloud_patch_shapes() {
    // Rules 83–84: pathed single-attribute ops, JSON booleans, member objects with only `value`.
    let body = PatchOp::new(vec![
        PatchOperation::replace("name.givenName", "Ada"),
        PatchOperation::replace("active", false),
        PatchOperation::add("members", json!([{"value": "u1"}])),
        PatchOperation::remove("members[value eq \"u2\"]"),
    ]);
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(
        json["Operations"][1],
        json!({"op": "replace", "path": "active", "value": false})
    );
    assert_eq!(
        json["Operations"][3],
        json!({"op": "remove", "path": "members[value eq \"u2\"]"})
    );
    assert_eq!(serde_json::from_value::<PatchOp>(json).unwrap(), body);
    let collected: PatchOp = body.operations.iter().cloned().collect();
    assert_eq!(collected, body);
    assert!(serde_json::from_value::<PatchOp>(json!({"Operations": [{"path": "x"}]})).is_err());
}

#[test]
fn search_request_forms() {
    let req: SearchRequest = serde_json::from_value(json!({
        "attributes": "userName, emails",
        "excludedAttributes": ["groups"],
        "sortBy": "userName",
        "sortOrder": "DESCENDING",
        "startIndex": -5,
        "count": -1
    }))
    .unwrap();
    assert_eq!(
        req.attributes,
        Some(vec!["userName".into(), "emails".into()])
    );
    assert_eq!(req.sort_order, Some(SortOrder::Descending));
    assert_eq!((req.start_index(), req.count()), (1, Some(0)));
    assert!(serde_json::from_value::<SearchRequest>(json!({"sortOrder": "sideways"})).is_err());
    let built = SearchRequest::new()
        .with_filter("userName eq \"x\"")
        .with_page(11, 10);
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": "userName eq \"x\"", "startIndex": 11, "count": 10
        })
    );
}

#[test]
fn empty_list_responses_still_carry_resources() {
    let empty: ListResponse<User> = ListResponse::new(vec![]);
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 0, "itemsPerPage": 0, "startIndex": 1, "Resources": []
        })
    );
    let read: ListResponse<User> =
        serde_json::from_value(json!({"totalResults": 0, "resources": []})).unwrap();
    assert!(read.resources.is_empty());
    let absent: ListResponse<User> = serde_json::from_value(json!({"totalResults": 0})).unwrap();
    assert!(absent.resources.is_empty());
    let page = ListResponse::page(vec![json!({"id": "a"})], 50, 11);
    assert_eq!(
        (page.total_results, page.start_index, page.items_per_page),
        (50, Some(11), Some(1))
    );
    assert_eq!(page.iter().count(), 1);
}

#[test]
fn bulk_statuses_and_methods_are_tolerant() {
    let resp: BulkResponse = serde_json::from_value(json!({
        "Operations": [{"method": "post", "status": 201}]
    }))
    .unwrap();
    assert_eq!(resp.operations[0].method, BulkMethod::Post);
    assert_eq!(resp.operations[0].status, 201);
    let out = serde_json::to_value(&resp).unwrap();
    assert_eq!(
        out["Operations"][0],
        json!({"method": "POST", "status": "201"})
    );
    assert!(
        serde_json::from_value::<BulkResponse>(
            json!({"Operations": [{"method": "GET", "status": "200"}]})
        )
        .is_err()
    );
    assert!(
        serde_json::from_value::<BulkResponse>(
            json!({"Operations": [{"method": "PUT", "status": "abc"}]})
        )
        .is_err()
    );
    assert!(
        BulkOperationResponse::new(BulkMethod::Delete, 204)
            .error()
            .is_none()
    );
}
