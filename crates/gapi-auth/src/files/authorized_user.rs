//! Reading the `authorized_user` JSON of a stored profile without ever quoting it: a secret in
//! a field of the wrong type must not reach an error message.

use crate::credentials::authorized_user::AuthorizedUser;
use crate::credentials::{AUTHORIZED_USER_TYPE, Credentials};

/// Parses `authorized_user` JSON; the error text never quotes the file's content (a secret
/// in a field of the wrong type must not reach a message).
pub(crate) fn parse_authorized_user(
    text: &str,
    http: Option<gapi_retry::HttpClient>,
) -> std::result::Result<Credentials, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| safe_json_error(&e))?;
    let found = match &value {
        serde_json::Value::Object(map) => {
            let other_type = map
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t != AUTHORIZED_USER_TYPE);
            // Checked first so "type service_account" beats "missing field client_id".
            if !other_type && let Err(e) = serde_json::from_value::<AuthorizedUser>(value) {
                return Err(safe_json_error(&e));
            }
            None
        }
        serde_json::Value::Array(_) => Some("a list"),
        serde_json::Value::String(_) => Some("a string"),
        serde_json::Value::Number(_) => Some("a number"),
        serde_json::Value::Bool(_) => Some("a boolean"),
        serde_json::Value::Null => Some("null"),
    };
    if let Some(found) = found {
        return Err(format!("expected a JSON object, found {found}"));
    }
    Credentials::from_authorized_user_json(text, http).map_err(|e| e.message().to_string())
}

/// A serde_json error described without the values it may quote.
pub(crate) fn safe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {} column {}", e.line(), e.column());
    match e.classify() {
        Category::Eof if e.line() <= 1 && e.column() == 0 => "the file is empty".to_string(),
        Category::Eof => format!("the file ends early (truncated?) at {at}"),
        Category::Syntax => format!("not valid JSON at {at}"),
        Category::Io => "the file could not be read".to_string(),
        Category::Data => {
            let text = e.to_string();
            let text = text.strip_suffix(" at line 0 column 0").unwrap_or(&text);
            match text.split_once(", expected ") {
                Some((_, expected)) => format!("a field has the wrong type (expected {expected})"),
                None => text.to_string(),
            }
        }
    }
}
