//! A document as `documents.get` answers it: the section break at index 0, paragraphs with
//! their text runs, styles and bullets (UTF-16 indices), the lists their bullets use, and the
//! document's named styles.

use serde_json::{Value, json};

use super::model::{BODY_START, Document};

fn nesting_levels(preset: &str) -> Value {
    let numbered = preset.starts_with("NUMBERED_");
    let levels: Vec<Value> = (0..9)
        .map(|level| {
            let indent = json!({
                "indentFirstLine": {"magnitude": 18 + 36 * level, "unit": "PT"},
                "indentStart": {"magnitude": 36 + 36 * level, "unit": "PT"},
                "bulletAlignment": "START",
                "textStyle": {"underline": false},
                "startNumber": 1,
            });
            let mut v = indent;
            if numbered {
                let (glyph, suffix) = match level % 3 {
                    0 => ("DECIMAL", "."),
                    1 => ("ALPHA", "."),
                    _ => ("ROMAN", "."),
                };
                v["glyphType"] = json!(glyph);
                v["glyphFormat"] = json!(format!("%{level}{suffix}"));
            } else {
                let symbol = match level % 3 {
                    0 => "●",
                    1 => "○",
                    _ => "■",
                };
                v["glyphSymbol"] = json!(symbol);
                v["glyphFormat"] = json!(format!("%{level}"));
            }
            v
        })
        .collect();
    json!({"listProperties": {"nestingLevels": levels}})
}

fn named_styles() -> Value {
    let style = |name: &str, size: f64, bold: bool| {
        json!({
            "namedStyleType": name,
            "textStyle": {"bold": bold, "fontSize": {"magnitude": size, "unit": "PT"}, "weightedFontFamily": {"fontFamily": "Arial", "weight": 400}},
            "paragraphStyle": {"namedStyleType": name, "direction": "LEFT_TO_RIGHT"},
        })
    };
    json!({"styles": [
        style("NORMAL_TEXT", 11.0, false),
        style("HEADING_1", 20.0, false),
        style("HEADING_2", 16.0, false),
        style("HEADING_3", 14.0, false),
        style("HEADING_4", 12.0, false),
        style("HEADING_5", 11.0, false),
        style("HEADING_6", 11.0, false),
        style("TITLE", 26.0, false),
        style("SUBTITLE", 15.0, false),
    ]})
}

/// The document resource.
pub(crate) fn document_json(doc: &Document) -> Value {
    let mut content = vec![json!({
        "endIndex": BODY_START,
        "sectionBreak": {"sectionStyle": {
            "columnSeparatorStyle": "NONE",
            "contentDirection": "LEFT_TO_RIGHT",
            "sectionType": "CONTINUOUS",
        }},
    })];
    let mut at = BODY_START;
    for (n, p) in doc.paragraphs.iter().enumerate() {
        let start = at;
        let mut elements = Vec::new();
        for run in &p.runs {
            let len: usize = run.text.encode_utf16().count();
            elements.push(json!({
                "startIndex": at,
                "endIndex": at + len,
                "textRun": {"content": run.text, "textStyle": run.style},
            }));
            at += len;
        }
        let mut style = json!({"namedStyleType": p.style.named, "direction": "LEFT_TO_RIGHT"});
        for (k, v) in &p.style.extra {
            style[k] = v.clone();
        }
        if p.style.named.starts_with("HEADING_") {
            style["headingId"] = json!(format!("h.emu{n:08}"));
        }
        let mut paragraph = json!({"elements": elements, "paragraphStyle": style});
        if let Some((list, level)) = &p.style.bullet {
            let mut b = json!({"listId": list, "textStyle": {"underline": false}});
            if *level > 0 {
                b["nestingLevel"] = json!(level);
            }
            paragraph["bullet"] = b;
        }
        content.push(json!({"startIndex": start, "endIndex": at, "paragraph": paragraph}));
    }
    let lists: serde_json::Map<String, Value> = doc
        .lists
        .iter()
        .map(|(id, preset)| (id.clone(), nesting_levels(preset)))
        .collect();
    let mut v = json!({
        "title": doc.title,
        "body": {"content": content},
        "documentStyle": {
            "background": {"color": {}},
            "pageNumberStart": 1,
            "marginTop": {"magnitude": 72, "unit": "PT"},
            "marginBottom": {"magnitude": 72, "unit": "PT"},
            "marginRight": {"magnitude": 72, "unit": "PT"},
            "marginLeft": {"magnitude": 72, "unit": "PT"},
            "pageSize": {"height": {"magnitude": 792, "unit": "PT"}, "width": {"magnitude": 612, "unit": "PT"}},
        },
        "namedStyles": named_styles(),
        "revisionId": doc.revision,
        "suggestionsViewMode": "SUGGESTIONS_INLINE",
        "documentId": doc.id,
    });
    if !lists.is_empty() {
        v["lists"] = Value::Object(lists);
    }
    v
}
