//! Docs v1 over plain HTTP: create, get (section break, paragraphs, runs, styles, bullets and
//! lists with UTF-16 indices) and batchUpdate with the text, style and bullet requests.

use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const DOCS: &str = "https://www.googleapis.com/auth/documents";
const READONLY: &str = "https://www.googleapis.com/auth/documents.readonly";

fn paragraphs(doc: &Value) -> Vec<Value> {
    doc["body"]["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("paragraph").is_some())
        .cloned()
        .collect()
}

fn text(p: &Value) -> String {
    p["paragraph"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["textRun"]["content"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn create_write_markdown_like_content_and_read_it_back() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DOCS).await;
    let r = http
        .post(format!("{base}/v1/documents"))
        .bearer_auth(&token)
        .json(&json!({"title": "Notes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    let id = doc["documentId"].as_str().unwrap().to_owned();
    assert_eq!(doc["title"], "Notes");
    let content = doc["body"]["content"].as_array().unwrap();
    assert_eq!(content[0]["endIndex"], 1);
    assert!(content[0]["sectionBreak"].is_object());
    assert_eq!(content[1]["startIndex"], 1);
    assert_eq!(content[1]["endIndex"], 2);
    assert_eq!(
        content[1]["paragraph"]["elements"][0]["textRun"]["content"],
        "\n"
    );
    assert_eq!(
        content[1]["paragraph"]["paragraphStyle"]["namedStyleType"],
        "NORMAL_TEXT"
    );

    // "# Plan 😀\nSee docs and run `cargo`.\nfirst\n\tnested\nstep one\n"
    let text_in = "Plan 😀\nSee docs and run cargo.\nfirst\n\tnested\nstep one\n";
    let requests = json!([
        {"insertText": {"location": {"index": 1}, "text": text_in}},
        {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 8}, "paragraphStyle": {"namedStyleType": "HEADING_1"}, "fields": "namedStyleType"}},
        // "See docs and run cargo." starts at 9 (the emoji counts 2)
        {"updateTextStyle": {"range": {"startIndex": 13, "endIndex": 17}, "textStyle": {"link": {"url": "https://example.com/docs"}}, "fields": "link"}},
        {"updateTextStyle": {"range": {"startIndex": 9, "endIndex": 12}, "textStyle": {"bold": true, "italic": true}, "fields": "bold,italic"}},
        {"updateTextStyle": {"range": {"startIndex": 26, "endIndex": 31}, "textStyle": {"weightedFontFamily": {"fontFamily": "Courier New", "weight": 400}}, "fields": "weightedFontFamily"}},
        {"createParagraphBullets": {"range": {"startIndex": 33, "endIndex": 46}, "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}},
        // after the tab went, "step one\n" spans 46..55
        {"createParagraphBullets": {"range": {"startIndex": 46, "endIndex": 54}, "bulletPreset": "NUMBERED_DECIMAL_ALPHA_ROMAN"}},
    ]);
    let r = http
        .post(format!("{base}/v1/documents/{id}:batchUpdate"))
        .bearer_auth(&token)
        .json(&json!({"requests": requests}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let reply: Value = r.json().await.unwrap();
    assert_eq!(reply["documentId"], id.as_str());
    assert_eq!(reply["replies"].as_array().unwrap().len(), 7);
    let revision = reply["writeControl"]["requiredRevisionId"]
        .as_str()
        .unwrap()
        .to_owned();

    let doc: Value = http
        .get(format!("{base}/v1/documents/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["revisionId"], revision.as_str());
    let ps = paragraphs(&doc);
    let texts: Vec<String> = ps.iter().map(text).collect();
    assert_eq!(
        texts,
        vec![
            "Plan 😀\n",
            "See docs and run cargo.\n",
            "first\n",
            "nested\n",
            "step one\n",
            "\n"
        ]
    );
    assert_eq!(
        ps[0]["paragraph"]["paragraphStyle"]["namedStyleType"],
        "HEADING_1"
    );
    assert_eq!(
        (ps[0]["startIndex"].as_u64(), ps[0]["endIndex"].as_u64()),
        (Some(1), Some(9))
    );
    let runs = ps[1]["paragraph"]["elements"].as_array().unwrap();
    let run_texts: Vec<&str> = runs
        .iter()
        .map(|r| r["textRun"]["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        run_texts,
        vec!["See", " ", "docs", " and run ", "cargo", ".\n"]
    );
    assert_eq!(
        runs[0]["textRun"]["textStyle"],
        json!({"bold": true, "italic": true})
    );
    assert_eq!(
        runs[2]["textRun"]["textStyle"]["link"]["url"],
        "https://example.com/docs"
    );
    assert_eq!(
        (runs[2]["startIndex"].as_u64(), runs[2]["endIndex"].as_u64()),
        (Some(13), Some(17))
    );
    assert_eq!(
        runs[4]["textRun"]["textStyle"]["weightedFontFamily"]["fontFamily"],
        "Courier New"
    );
    let b0 = &ps[2]["paragraph"]["bullet"];
    let b1 = &ps[3]["paragraph"]["bullet"];
    let b2 = &ps[4]["paragraph"]["bullet"];
    assert_eq!(b0["listId"], b1["listId"]);
    assert!(b0.get("nestingLevel").is_none());
    assert_eq!(b1["nestingLevel"], 1, "a leading tab is one nesting level");
    assert_ne!(b2["listId"], b0["listId"]);
    assert!(ps[5]["paragraph"].get("bullet").is_none());
    let lists = doc["lists"].as_object().unwrap();
    let bullets = &lists[b0["listId"].as_str().unwrap()]["listProperties"]["nestingLevels"];
    assert_eq!(bullets[0]["glyphSymbol"], "●");
    let numbers = &lists[b2["listId"].as_str().unwrap()]["listProperties"]["nestingLevels"];
    assert_eq!(numbers[0]["glyphType"], "DECIMAL");
    assert_eq!(
        doc["body"]["content"].as_array().unwrap().last().unwrap()["endIndex"],
        56
    );

    // deleteParagraphBullets, deleteContentRange; stale revision and bad indices are 400s
    let r = http
        .post(format!("{base}/v1/documents/{id}:batchUpdate"))
        .bearer_auth(&token)
        .json(&json!({"requests": [
            {"deleteParagraphBullets": {"range": {"startIndex": 33, "endIndex": 34}}},
            {"deleteContentRange": {"range": {"startIndex": 9, "endIndex": 33}}},
        ], "writeControl": {"requiredRevisionId": revision}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = http
        .get(format!("{base}/v1/documents/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ps = paragraphs(&doc);
    assert_eq!(text(&ps[1]), "first\n");
    assert!(ps[1]["paragraph"].get("bullet").is_none());
    for (body, code) in [
        (
            json!({"requests": [{"insertText": {"location": {"index": 0}, "text": "x"}}]}),
            400,
        ),
        (
            json!({"requests": [{"insertText": {"location": {"index": 3}, "text": "x"}}, {"deleteContentRange": {"range": {"startIndex": 5, "endIndex": 500}}}]}),
            400,
        ),
        (
            json!({"requests": [{"insertText": {"location": {"index": 1}, "text": "x"}}], "writeControl": {"requiredRevisionId": revision}}),
            400,
        ),
        (
            json!({"requests": [{"replaceAllText": {"containsText": {"text": "a"}, "replaceText": "b"}}]}),
            501,
        ),
    ] {
        let r = http
            .post(format!("{base}/v1/documents/{id}:batchUpdate"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), code, "{body}");
    }
    let after: Value = http
        .get(format!("{base}/v1/documents/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["body"], doc["body"], "failed batches change nothing");
    // scopes and owners
    let ro = issued_token(&emu, "alice@example.com", READONLY).await;
    assert_eq!(
        http.get(format!("{base}/v1/documents/{id}"))
            .bearer_auth(&ro)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = http
        .post(format!("{base}/v1/documents/{id}:batchUpdate"))
        .bearer_auth(&ro)
        .json(&json!({"requests": []}))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
    let bob = issued_token(&emu, "bob@example.com", DOCS).await;
    let r = http
        .get(format!("{base}/v1/documents/{id}"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    google_error(r, 403, "forbidden").await;
    let r = http
        .get(format!("{base}/v1/documents/missing"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
}
