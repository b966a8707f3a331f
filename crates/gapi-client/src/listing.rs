//! Which field of a response is "the list": the one rule for everything that shows or follows
//! the items of a list response (table rows and the columns of an empty table, one NDJSON line
//! per item, `--page-all`, an agent's `page_all`, [`crate::pagination::guess_items_field`]), so
//! they never disagree about it.
//!
//! The rule looks at the response itself: the list is its first top-level array (in key
//! order) whose elements are all objects (`files`, `items`, `buckets`, ...); a response with
//! none is a single resource. The method's schema only describes that field's items, for the
//! columns of a list that came back empty ([`item_schema`]).
//!
//! ```
//! use gapi_client::listing;
//! let page = serde_json::json!({"kind": "drive#fileList", "files": [{"id": "1"}]});
//! let (field, items) = listing::list_items(&page).unwrap();
//! assert_eq!((field, items.len()), ("files", 1));
//! assert!(listing::list_items(&serde_json::json!({"parents": ["a", "b"]})).is_none());
//! ```

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};
use serde_json::Value;

/// The items of a list response and the field holding them: the first top-level array
/// whose elements are all objects (an empty array included); `None` for a single resource.
pub fn list_items(page: &Value) -> Option<(&str, &[Value])> {
    page.as_object()?.iter().find_map(|(k, v)| match v {
        Value::Array(a) if a.iter().all(Value::is_object) => Some((k.as_str(), a.as_slice())),
        _ => None,
    })
}

/// The schema of one item of the list field `field` of the method's responses, when its
/// response schema declares that field as an array of objects: what the columns of an empty
/// list are made from.
pub fn item_schema(doc: &RestDescription, method: &RestMethod, field: &str) -> Option<JsonSchema> {
    let response = doc.schema(&method.response.as_ref()?.reference)?;
    let property = response.properties.get(field)?;
    let items = property
        .items
        .as_deref()
        .filter(|_| property.type_name() == "array")?;
    let item = match &items.reference {
        Some(reference) => doc.schema(reference)?,
        None => items.clone(),
    };
    (!item.properties.is_empty()).then_some(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_array_of_objects_is_the_list() {
        let page = json!({"b": [{"id": 1}], "a": [{"x": 1}], "kind": "k"});
        assert_eq!(list_items(&page).unwrap().0, "a", "key order decides");
        assert!(list_items(&json!({"parents": ["a", "b"]})).is_none());
        assert_eq!(list_items(&json!({"items": []})).unwrap().1.len(), 0);
        assert!(list_items(&json!([{"id": 1}])).is_none());
        assert!(list_items(&json!({"user": {"me": true}})).is_none());
    }

    #[test]
    fn the_schema_describes_the_items_of_the_field_the_rule_found() {
        let drive = crate::build("drive", "v3", crate::NoAuth).unwrap();
        let doc = drive.document();
        let list = doc.method("files.list").unwrap();
        let item = item_schema(doc, list, "files").unwrap();
        assert!(item.properties.contains_key("mimeType"));
        assert!(item_schema(doc, list, "incompleteSearch").is_none());
        assert!(item_schema(doc, list, "nothing").is_none());
    }
}
