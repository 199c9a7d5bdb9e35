//! Query messages (RFC 7644 §3.4): [`ListResponse`], [`SearchRequest`] and [`SortOrder`].

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema URN of a list response.
pub const LIST_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The schema URN of a search request (`POST …/.search`).
pub const SEARCH_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

fn list_schemas() -> Vec<String> {
    vec![LIST_RESPONSE_SCHEMA.to_owned()]
}

fn search_schemas() -> Vec<String> {
    vec![SEARCH_REQUEST_SCHEMA.to_owned()]
}

/// A query response (RFC 7644 §3.4.2): one page of resources and the paging counters.
///
/// `T` is the resource type: [`User`](super::User), [`Group`](super::Group), or the default
/// [`serde_json::Value`] for mixed results (a query at the server root returns both).
/// `Resources` is always written, as an empty array when there are no results, because many
/// clients index it without checking; `resources` in any case is accepted on input.
///
/// ```
/// use scimkit::{ListResponse, User};
///
/// let page = ListResponse::new(vec![User::new("bjensen"), User::new("jsmith")]);
/// let json = serde_json::to_value(&page)?;
/// assert_eq!(json["totalResults"], 2);
/// assert_eq!(json["Resources"][1]["userName"], "jsmith");
///
/// let back: ListResponse<User> = serde_json::from_value(json)?;
/// assert_eq!(back, page);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListResponse<T = Value> {
    /// The message's schema URNs (the ListResponse URN).
    #[serde(default = "list_schemas")]
    pub schemas: Vec<String>,
    /// The number of results the query matched, over all pages.
    pub total_results: u64,
    /// The number of resources on this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_per_page: Option<u64>,
    /// The 1-based index of this page's first result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_index: Option<u64>,
    /// The resources on this page.
    #[serde(
        rename = "Resources",
        alias = "resources",
        alias = "RESOURCES",
        default = "Vec::new"
    )]
    pub resources: Vec<T>,
    /// RFC 9865: the cursor of the next page, present on every cursor-paged page but the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// RFC 9865: the cursor of the previous page, if the service offers one (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_cursor: Option<String>,
}

impl<T> ListResponse<T> {
    /// A single page holding every result: `totalResults` and `itemsPerPage` are the count,
    /// `startIndex` is 1.
    pub fn new(resources: Vec<T>) -> Self {
        let n = resources.len() as u64;
        Self::page(resources, n, 1)
    }

    /// One page of a larger result: `total_results` over all pages, `start_index` (1-based) of
    /// this page's first resource.
    pub fn page(resources: Vec<T>, total_results: u64, start_index: u64) -> Self {
        Self {
            schemas: list_schemas(),
            total_results,
            items_per_page: Some(resources.len() as u64),
            start_index: Some(start_index),
            resources,
            next_cursor: None,
            previous_cursor: None,
        }
    }

    /// The resources on this page.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.resources.iter()
    }
}

impl<T> IntoIterator for ListResponse<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.resources.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ListResponse<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.resources.iter()
    }
}

/// The body of a query by POST (RFC 7644 §3.4.3), also the parsed form of the query
/// parameters of a GET.
///
/// `filter` stays text here; parse it with the crate's filter parser. `attributes` and
/// `excludedAttributes` are read from a JSON array or from a comma-separated string (the query
/// parameter form). `startIndex` and `count` keep what was sent;
/// [`start_index`](Self::start_index) and [`count`](Self::count) apply the RFC 7644 §3.4.2.4
/// rules for out-of-range values.
///
/// ```
/// use scimkit::SearchRequest;
/// use scimkit::model::SortOrder;
///
/// let req: SearchRequest = serde_json::from_str(r#"{
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
///     "attributes": ["displayName", "userName"],
///     "filter": "displayName sw \"smith\"",
///     "sortOrder": "Descending",
///     "startIndex": 0,
///     "count": 10
/// }"#)?;
/// assert_eq!(req.filter.as_deref(), Some("displayName sw \"smith\""));
/// assert_eq!(req.sort_order, Some(SortOrder::Descending));
/// assert_eq!((req.start_index(), req.count()), (1, Some(10)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SearchRequest {
    /// The message's schema URNs (the SearchRequest URN).
    #[serde(default = "search_schemas")]
    pub schemas: Vec<String>,
    /// The attributes to return, overriding the default set.
    #[serde(
        default,
        deserialize_with = "names",
        skip_serializing_if = "Option::is_none"
    )]
    pub attributes: Option<Vec<String>>,
    /// The attributes to leave out of the default set.
    #[serde(
        default,
        deserialize_with = "names",
        skip_serializing_if = "Option::is_none"
    )]
    pub excluded_attributes: Option<Vec<String>>,
    /// The filter expression (RFC 7644 §3.4.2.2), unparsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The attribute to sort by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<String>,
    /// The sort direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
    /// The 1-based index of the first result, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_index: Option<i64>,
    /// The maximum number of results per page, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// RFC 9865: the cursor of the page wanted, as sent. `Some("")` asks for the first page of
    /// a cursor-paged answer; `None` asks for index paging (or the server's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl Default for SearchRequest {
    fn default() -> Self {
        Self {
            schemas: search_schemas(),
            attributes: None,
            excluded_attributes: None,
            filter: None,
            sort_by: None,
            sort_order: None,
            start_index: None,
            count: None,
            cursor: None,
        }
    }
}

impl SearchRequest {
    /// A request with no parameter set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the filter.
    #[must_use]
    pub fn with_filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// Sets `startIndex` and `count`.
    #[must_use]
    pub fn with_page(mut self, start_index: i64, count: i64) -> Self {
        self.start_index = Some(start_index);
        self.count = Some(count);
        self
    }

    /// The 1-based start index to use: 1 when absent or less than 1 (RFC 7644 §3.4.2.4).
    pub fn start_index(&self) -> u64 {
        self.start_index
            .and_then(|i| u64::try_from(i).ok())
            .unwrap_or(1)
            .max(1)
    }

    /// The page size to use: `None` when absent (the server decides), 0 for a negative value
    /// (RFC 7644 §3.4.2.4).
    pub fn count(&self) -> Option<u64> {
        self.count.map(|c| u64::try_from(c).unwrap_or(0))
    }
}

/// Reads attribute names from an array or from one comma-separated string.
fn names<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Names {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Option::<Names>::deserialize(d)? {
        None => None,
        Some(Names::List(v)) => Some(v),
        Some(Names::Text(s)) => Some(
            s.split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
    })
}

/// A sort direction (RFC 7644 §3.4.2.3). Read ignoring ASCII case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortOrder {
    /// `ascending` (the default).
    #[default]
    Ascending,
    /// `descending`.
    Descending,
}

impl SortOrder {
    /// The keyword as written.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }
}

impl Serialize for SortOrder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SortOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        super::keyword(&[Self::Ascending, Self::Descending], Self::as_str, &s).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown sortOrder `{}`: expected `ascending` or `descending`",
                super::resource::truncate(&s)
            ))
        })
    }
}
