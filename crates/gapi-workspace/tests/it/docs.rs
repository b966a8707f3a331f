//! Docs: Markdown written through the emulator's Docs (UTF-16 indices, styles, lists, code)
//! reads back as the same Markdown, and as plain text.

use gapi_workspace::docs;

use crate::common::{service, start};

const MD: &str = "# Quarterly plan 📈

Intro with **bold**, *italic*, ~~gone~~, a [link](https://example.com/x?a=1) and `code` — Zoë’s 👍🏽 notes.

## Steps

- first
- second with **Zoë**
    - nested *deeper*
- third

1. one
2. two

> a quote

```
fn main() {}

let x = \"😀\";
```

Last line\\
with a break
";

#[tokio::test]
async fn markdown_round_trips_through_docs() {
    let emu = start().await;
    let svc = service(&emu, "docs", "v1", "alice@example.com").await;
    let id = docs::create_from_markdown(&svc, "Plan", MD).await.unwrap();
    let doc = docs::get(&svc, &id).await.unwrap();
    assert_eq!(doc["title"], "Plan");
    assert_eq!(docs::to_markdown(&doc), MD);
    // The styles sit exactly on their words (UTF-16 indices after emoji).
    let runs: Vec<(String, bool)> = doc["body"]["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.get("paragraph"))
        .flat_map(|p| p["elements"].as_array().unwrap().clone())
        .map(|e| {
            (
                e["textRun"]["content"].as_str().unwrap().to_string(),
                e["textRun"]["textStyle"]["bold"].as_bool().unwrap_or(false),
            )
        })
        .filter(|(_, bold)| *bold)
        .collect();
    assert_eq!(
        runs.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        ["bold", "Zoë"]
    );
    let text = docs::to_text(&doc);
    assert!(
        text.starts_with("Quarterly plan 📈\nIntro with bold, italic, gone, a link and code"),
        "{text}"
    );
    assert!(
        text.contains(
            "\n• first\n• second with Zoë\n    • nested deeper\n• third\n1. one\n2. two\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("Last line\nwith a break\n"), "{text}");

    // Appending after existing text starts a new paragraph and keeps what was there.
    docs::append_markdown(&svc, &id, "## Appendix\n\nMore **text**.")
        .await
        .unwrap();
    let doc = docs::get(&svc, &id).await.unwrap();
    assert_eq!(
        docs::to_markdown(&doc),
        format!("{MD}\n## Appendix\n\nMore **text**.\n")
    );

    // A stale revision is refused, not written at the wrong place.
    let stale = doc["revisionId"].as_str().unwrap().to_string();
    docs::append_markdown(&svc, &id, "x").await.unwrap();
    let err = svc
        .method("documents.batchUpdate")
        .unwrap()
        .param("documentId", id.as_str())
        .body(serde_json::json!({"requests": [{"insertText": {"location": {"index": 1}, "text": "y"}}], "writeControl": {"requiredRevisionId": stale}}))
        .execute()
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(400), "{err}");
    assert!(docs::append_markdown(&svc, &id, "   ").await.is_err());
}
