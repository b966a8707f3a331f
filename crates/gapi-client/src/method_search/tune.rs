//! TEMPORARY tuning knobs (GAPI_TUNE="name=value,..."); removed before merge.
use std::collections::HashMap;
use std::sync::OnceLock;
pub fn knob(name: &str, default: f32) -> f32 {
    static K: OnceLock<HashMap<String, f32>> = OnceLock::new();
    K.get_or_init(|| {
        std::env::var("GAPI_TUNE")
            .unwrap_or_default()
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
            .collect()
    })
    .get(name)
    .copied()
    .unwrap_or(default)
}
