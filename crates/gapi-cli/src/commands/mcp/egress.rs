//! `gapi mcp` under a policy (`--read-only`, `--allow`, or one stored with the profile)
//! refuses `call_method` calls that carry an `http://` or `https://` URL in their parameters
//! or body unless `--allow-egress` is given: a method that makes Google fetch a URL the
//! caller chooses (an import, a webhook, a watch channel's address) is a way out for data a
//! prompt-injected agent should not send anywhere. Media is refused separately (the tool
//! returns JSON only).

use serde_json::Value;

/// The first URL-looking string in `v` (searched through objects and arrays), with where it is.
pub fn find_url(v: &Value, at: &str) -> Option<(String, String)> {
    match v {
        Value::String(s) => {
            let t = s.trim_start().to_ascii_lowercase();
            (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("//"))
                .then(|| (at.to_string(), s.clone()))
        }
        Value::Object(m) => m
            .iter()
            .find_map(|(k, x)| find_url(x, &format!("{at}.{k}"))),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| find_url(x, &format!("{at}[{i}]"))),
        _ => None,
    }
}

/// Refuses `call_method` arguments that carry a URL (see the module's doc).
pub fn check(args: &serde_json::Map<String, Value>) -> anyhow::Result<()> {
    for part in ["params", "body"] {
        if let Some((at, url)) = args.get(part).and_then(|v| find_url(v, part)) {
            let shown: String = url.chars().take(80).collect();
            return Err(crate::exit::usage(format!(
                "refused by the policy: {at} is a URL ({shown:?}), and under a policy gapi mcp \
                 does not send URLs that Google may fetch (a way out for data). Nothing was \
                 sent. A person who wants this runs the server with --allow-egress"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_are_found_anywhere() {
        let v = json!({"a": [1, {"b": " HTTPS://x.example/?d=secret"}]});
        assert_eq!(find_url(&v, "body").unwrap().0, "body.a[1].b");
        assert!(find_url(&json!({"q": "name contains 'http'"}), "params").is_none());
    }
}
