//! Fuzzes the path template expander: any template and any values, never a panic, and a
//! successful expansion never contains a raw space, `{` or `}`.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (template, value) = text.split_once('\u{0}').unwrap_or((&text, "v/a l%ue"));
    if let Ok(out) = gapi_client::uri_template::expand(template, |_| Some(Cow::Borrowed(value))) {
        assert!(!out.contains(' ') && !out.contains('{') && !out.contains('}'), "{out}");
    }
    let _ = gapi_client::uri_template::variables(template);
});
