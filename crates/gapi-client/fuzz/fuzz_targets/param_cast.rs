//! Fuzzes parameter casting: arbitrary schema fields (type, format, pattern, enum, bounds)
//! and values never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}');
    let ty = parts.next().unwrap_or("string");
    let format = parts.next().unwrap_or("");
    let pattern = parts.next().unwrap_or("");
    let min = parts.next().unwrap_or("");
    let value = parts.next().unwrap_or("");
    let schema = serde_json::json!({
        "type": ty, "format": format, "pattern": pattern, "minimum": min, "maximum": min,
        "repeated": value.len() % 2 == 0, "enum": if value.len() % 3 == 0 { vec![value] } else { vec![] },
    });
    if let Ok(schema) = serde_json::from_value::<gapi_discovery::JsonSchema>(schema) {
        let _ = gapi_client::params::cast("p", &schema, &value.into());
        let _ = gapi_client::params::cast("p", &schema, &vec![value, ty].into());
    }
});
