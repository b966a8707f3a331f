//! `documents.batchUpdate` requests: insertText, deleteContentRange, updateTextStyle,
//! updateParagraphStyle, createParagraphBullets (nesting from leading tabs, which are
//! removed, as Docs does) and deleteParagraphBullets. Indices are UTF-16 code units; the
//! requests apply in order, all or none.

use serde_json::{Map, Value};

use super::model::{Document, ParaStyle, TextStyle, Unit, end_index, flatten, position, unflatten};
use crate::framework::api_error::ApiError;
use crate::framework::random;

const TEXT_FIELDS: &[&str] = &[
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "smallCaps",
    "backgroundColor",
    "foregroundColor",
    "fontSize",
    "weightedFontFamily",
    "baselineOffset",
    "link",
];

const NAMED_STYLES: &[&str] = &[
    "NORMAL_TEXT",
    "TITLE",
    "SUBTITLE",
    "HEADING_1",
    "HEADING_2",
    "HEADING_3",
    "HEADING_4",
    "HEADING_5",
    "HEADING_6",
];

const PRESETS: &[&str] = &[
    "BULLET_DISC_CIRCLE_SQUARE",
    "BULLET_DIAMONDX_ARROW3D_SQUARE",
    "BULLET_CHECKBOX",
    "BULLET_ARROW_DIAMOND_DISC",
    "BULLET_STAR_CIRCLE_SQUARE",
    "BULLET_ARROW3D_CIRCLE_SQUARE",
    "BULLET_LEFTTRIANGLE_DIAMOND_DISC",
    "BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE",
    "BULLET_DIAMOND_CIRCLE_SQUARE",
    "NUMBERED_DECIMAL_ALPHA_ROMAN",
    "NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS",
    "NUMBERED_DECIMAL_NESTED",
    "NUMBERED_UPPERALPHA_ALPHA_ROMAN",
    "NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL",
    "NUMBERED_ZERODECIMAL_ALPHA_ROMAN",
];

struct Ctx {
    i: usize,
    kind: String,
}

impl Ctx {
    fn bad(&self, message: impl std::fmt::Display) -> ApiError {
        ApiError::bad_request(format!(
            "Invalid requests[{}].{}: {message}",
            self.i, self.kind
        ))
    }
}

fn index_of(v: &Value, key: &str, ctx: &Ctx) -> Result<usize, ApiError> {
    v.get(key)
        .and_then(Value::as_u64)
        .map(|n| n as usize)
        .ok_or_else(|| ctx.bad(format!("{key} is required.")))
}

fn segment_ok(v: &Value, ctx: &Ctx) -> Result<(), ApiError> {
    match v.get("segmentId").and_then(Value::as_str) {
        None | Some("") => Ok(()),
        Some(_) => {
            Err(ctx.bad("The emulator serves the body only (no headers, footers or footnotes)."))
        }
    }
}

/// `range` → positions in `units` (start < end, inside the body).
fn range(
    req: &Value,
    units: &[Unit],
    ctx: &Ctx,
    allow_last_newline: bool,
) -> Result<(usize, usize), ApiError> {
    let r = req
        .get("range")
        .ok_or_else(|| ctx.bad("range is required."))?;
    segment_ok(r, ctx)?;
    let (s, e) = (
        index_of(r, "startIndex", ctx)?,
        index_of(r, "endIndex", ctx)?,
    );
    if s >= e {
        return Err(ctx.bad("The range should not be empty."));
    }
    let end = end_index(units);
    if s < 1 || e > end {
        return Err(ctx.bad(format!(
            "Index {} must be less than the end index of the referenced segment, {end}.",
            e.max(s)
        )));
    }
    if !allow_last_newline && e == end {
        return Err(
            ctx.bad("The range cannot include the newline character at the end of the segment.")
        );
    }
    let ps = position(units, s)
        .ok_or_else(|| ctx.bad(format!("The index {s} splits a surrogate pair.")))?;
    let pe = position(units, e)
        .ok_or_else(|| ctx.bad(format!("The index {e} splits a surrogate pair.")))?;
    Ok((ps, pe))
}

/// `fields` as a list (`*` = every one of `all`).
fn fields(req: &Value, all: &[&str], ctx: &Ctx) -> Result<Vec<String>, ApiError> {
    let text = req
        .get("fields")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    if text.is_empty() {
        return Err(ctx.bad(
            "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)",
        ));
    }
    if text == "*" {
        return Ok(all.iter().map(|s| (*s).to_owned()).collect());
    }
    Ok(text
        .split(',')
        .map(|f| f.trim().split('.').next().unwrap_or("").to_owned())
        .filter(|f| !f.is_empty())
        .collect())
}

/// The paragraphs (as positions of their newlines) that overlap `ps..pe`.
fn paragraph_ends(units: &[Unit], ps: usize, pe: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, u) in units.iter().enumerate() {
        if u.ch == '\n' {
            if start < pe.max(ps + 1) && ps <= i {
                out.push(i);
            }
            start = i + 1;
        }
    }
    out
}

fn insert_text(req: &Value, units: &mut Vec<Unit>, ctx: &Ctx) -> Result<(), ApiError> {
    let text = req
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| ctx.bad("text is required."))?;
    let end = end_index(units);
    let index = if let Some(loc) = req.get("location") {
        segment_ok(loc, ctx)?;
        index_of(loc, "index", ctx)?
    } else if let Some(loc) = req.get("endOfSegmentLocation") {
        segment_ok(loc, ctx)?;
        end - 1
    } else {
        return Err(ctx.bad("location or endOfSegmentLocation is required."));
    };
    if index < 1 || index >= end {
        return Err(ctx.bad("The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines."));
    }
    let pos = position(units, index)
        .ok_or_else(|| ctx.bad(format!("The index {index} splits a surrogate pair.")))?;
    // The style of the character before, in the same paragraph, else of the one after.
    let style: TextStyle = match pos.checked_sub(1).map(|p| &units[p]) {
        Some(prev) if prev.ch != '\n' => prev.style.clone(),
        _ => units.get(pos).map(|u| u.style.clone()).unwrap_or_default(),
    };
    let para = units[pos..]
        .iter()
        .find(|u| u.ch == '\n')
        .and_then(|u| u.para.clone())
        .unwrap_or_else(ParaStyle::normal);
    let new: Vec<Unit> = text
        .chars()
        .filter(|c| *c != '\r')
        .map(|ch| Unit {
            ch,
            style: style.clone(),
            para: (ch == '\n').then(|| para.clone()),
        })
        .collect();
    units.splice(pos..pos, new);
    Ok(())
}

fn delete_range(req: &Value, units: &mut Vec<Unit>, ctx: &Ctx) -> Result<(), ApiError> {
    let (ps, pe) = range(req, units, ctx, false)?;
    let at_para_start = ps == 0 || units[ps - 1].ch == '\n';
    let first_para = units[ps..pe]
        .iter()
        .find(|u| u.ch == '\n')
        .and_then(|u| u.para.clone());
    units.drain(ps..pe);
    // Paragraphs merged: the merged one keeps the style of the paragraph the deletion started
    // in (unless whole paragraphs went).
    if let Some(style) = first_para
        && !at_para_start
        && let Some(next) = units[ps..].iter_mut().find(|u| u.ch == '\n')
    {
        next.para = Some(style);
    }
    Ok(())
}

fn update_text_style(req: &Value, units: &mut [Unit], ctx: &Ctx) -> Result<(), ApiError> {
    let (ps, pe) = range(req, units, ctx, true)?;
    let style = req
        .get("textStyle")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let fields = fields(req, TEXT_FIELDS, ctx)?;
    for f in &fields {
        if !TEXT_FIELDS.contains(&f.as_str()) {
            return Err(ctx.bad(format!("Invalid field: {f}")));
        }
    }
    if let Some(url) = style
        .get("link")
        .and_then(|l| l.get("url"))
        .and_then(Value::as_str)
        && url.trim().is_empty()
    {
        return Err(ctx.bad("The link URL must not be empty."));
    }
    for u in &mut units[ps..pe] {
        for f in &fields {
            match style.get(f) {
                Some(v) if !v.is_null() => {
                    u.style.insert(f.clone(), v.clone());
                }
                _ => {
                    u.style.remove(f);
                }
            }
        }
    }
    Ok(())
}

fn update_paragraph_style(req: &Value, units: &mut [Unit], ctx: &Ctx) -> Result<(), ApiError> {
    let (ps, pe) = range(req, units, ctx, true)?;
    let style = req
        .get("paragraphStyle")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let fields = fields(
        req,
        &[
            "namedStyleType",
            "alignment",
            "lineSpacing",
            "direction",
            "spaceAbove",
            "spaceBelow",
            "indentStart",
            "indentEnd",
            "indentFirstLine",
        ],
        ctx,
    )?;
    if let Some(named) = style.get("namedStyleType").and_then(Value::as_str)
        && !NAMED_STYLES.contains(&named)
    {
        return Err(ctx.bad(format!("Invalid value for namedStyleType: {named}")));
    }
    for end in paragraph_ends(units, ps, pe) {
        let para = units[end].para.get_or_insert_with(ParaStyle::normal);
        for f in &fields {
            if f == "namedStyleType" {
                para.named = style
                    .get(f)
                    .and_then(Value::as_str)
                    .unwrap_or("NORMAL_TEXT")
                    .to_owned();
            } else {
                match style.get(f) {
                    Some(v) if !v.is_null() => {
                        para.extra.insert(f.clone(), v.clone());
                    }
                    _ => {
                        para.extra.remove(f);
                    }
                }
            }
        }
    }
    Ok(())
}

fn create_bullets(
    req: &Value,
    doc: &mut Document,
    units: &mut Vec<Unit>,
    ctx: &Ctx,
) -> Result<(), ApiError> {
    let (ps, pe) = range(req, units, ctx, true)?;
    let preset = req
        .get("bulletPreset")
        .and_then(Value::as_str)
        .unwrap_or("BULLET_DISC_CIRCLE_SQUARE");
    if !PRESETS.contains(&preset) {
        return Err(ctx.bad(format!("Invalid value for bulletPreset: {preset}")));
    }
    let list_id = format!(
        "kix.{}",
        random::token(9)
            .to_ascii_lowercase()
            .replace(['-', '_'], "x")
    );
    doc.lists.insert(list_id.clone(), preset.to_owned());
    // Last paragraph first, so removing tabs does not move the ones still to do.
    for end in paragraph_ends(units, ps, pe).into_iter().rev() {
        let start = units[..end]
            .iter()
            .rposition(|u| u.ch == '\n')
            .map(|p| p + 1)
            .unwrap_or(0);
        let tabs = units[start..end]
            .iter()
            .take_while(|u| u.ch == '\t')
            .count();
        units.drain(start..start + tabs);
        let newline = end - tabs;
        let para = units[newline].para.get_or_insert_with(ParaStyle::normal);
        para.bullet = Some((list_id.clone(), tabs.min(8) as u32));
    }
    Ok(())
}

fn delete_bullets(req: &Value, units: &mut [Unit], ctx: &Ctx) -> Result<(), ApiError> {
    let (ps, pe) = range(req, units, ctx, true)?;
    for end in paragraph_ends(units, ps, pe) {
        if let Some(p) = units[end].para.as_mut() {
            p.bullet = None;
        }
    }
    Ok(())
}

/// Applies `requests` to a copy of `doc`; the new document and the replies, or the first
/// error (and `doc` untouched).
pub(crate) fn apply(
    doc: &Document,
    requests: &[Value],
) -> Result<(Document, Vec<Value>), ApiError> {
    let mut doc = doc.clone();
    let mut units = flatten(&doc.paragraphs);
    let mut replies = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        let Some((kind, req)) = request.as_object().and_then(|m| m.iter().next()) else {
            return Err(ApiError::bad_request(format!(
                "Invalid requests[{i}]: a request has exactly one kind."
            )));
        };
        let ctx = Ctx {
            i,
            kind: kind.clone(),
        };
        match kind.as_str() {
            "insertText" => insert_text(req, &mut units, &ctx)?,
            "deleteContentRange" => delete_range(req, &mut units, &ctx)?,
            "updateTextStyle" => update_text_style(req, &mut units, &ctx)?,
            "updateParagraphStyle" => update_paragraph_style(req, &mut units, &ctx)?,
            "createParagraphBullets" => create_bullets(req, &mut doc, &mut units, &ctx)?,
            "deleteParagraphBullets" => delete_bullets(req, &mut units, &ctx)?,
            other => {
                return Err(ApiError::new(
                    501,
                    "UNIMPLEMENTED",
                    "notImplemented",
                    format!(
                        "The emulator's docs service does not implement the {other} request (requests[{i}])."
                    ),
                ));
            }
        }
        replies.push(Value::Object(Map::new()));
    }
    doc.paragraphs = unflatten(units);
    // Lists no paragraph uses any more are dropped, as Docs does.
    let used: std::collections::BTreeSet<String> = doc
        .paragraphs
        .iter()
        .filter_map(|p| p.style.bullet.as_ref().map(|(l, _)| l.clone()))
        .collect();
    doc.lists.retain(|id, _| used.contains(id));
    Ok((doc, replies))
}

#[cfg(test)]
mod tests {
    use super::super::model::empty_body;
    use super::*;
    use serde_json::json;

    fn doc() -> Document {
        Document {
            id: "d".into(),
            owner: "a".into(),
            title: "t".into(),
            revision: "r".into(),
            paragraphs: empty_body(),
            lists: Default::default(),
        }
    }

    fn text(d: &Document) -> String {
        d.paragraphs
            .iter()
            .flat_map(|p| p.runs.iter().map(|r| r.text.clone()))
            .collect()
    }

    #[test]
    fn edits_in_utf16_indices() {
        let (d, _) = apply(
            &doc(),
            &[
                json!({"insertText": {"location": {"index": 1}, "text": "Title\n😀 one\n\ttwo\n"}}),
                json!({"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 6}, "paragraphStyle": {"namedStyleType": "HEADING_1"}, "fields": "namedStyleType"}}),
                // "😀" is 2 UTF-16 units: " one" starts at 7+2 = 9.
                json!({"updateTextStyle": {"range": {"startIndex": 10, "endIndex": 13}, "textStyle": {"bold": true}, "fields": "bold"}}),
                json!({"createParagraphBullets": {"range": {"startIndex": 7, "endIndex": 18}, "bulletPreset": "NUMBERED_DECIMAL_ALPHA_ROMAN"}}),
            ],
        )
        .unwrap();
        assert_eq!(text(&d), "Title\n😀 one\ntwo\n\n");
        assert_eq!(d.paragraphs[0].style.named, "HEADING_1");
        assert_eq!(d.paragraphs[1].runs[1].text, "one");
        assert_eq!(d.paragraphs[1].runs[1].style["bold"], true);
        let (l1, n1) = d.paragraphs[1].style.bullet.clone().unwrap();
        let (l2, n2) = d.paragraphs[2].style.bullet.clone().unwrap();
        assert_eq!(
            (l1 == l2, n1, n2),
            (true, 0, 1),
            "the tab became nesting level 1"
        );
        assert!(d.paragraphs[3].style.bullet.is_none());
        assert_eq!(d.lists.len(), 1);
        // delete across the paragraph boundary: merged, keeping the heading
        let (d2, _) = apply(
            &d,
            &[json!({"deleteContentRange": {"range": {"startIndex": 3, "endIndex": 9}}})],
        )
        .unwrap();
        assert_eq!(text(&d2), "Ti one\ntwo\n\n");
        assert_eq!(d2.paragraphs[0].style.named, "HEADING_1");
        assert!(d2.paragraphs[0].style.bullet.is_none());
        // errors leave the document alone
        assert!(
            apply(
                &d,
                &[json!({"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 100}}})]
            )
            .is_err()
        );
        let end = end_index(&flatten(&d.paragraphs));
        let e = apply(
            &d,
            &[json!({"deleteContentRange": {"range": {"startIndex": end - 1, "endIndex": end}}})],
        )
        .unwrap_err();
        assert!(
            e.message.contains("newline character at the end"),
            "{}",
            e.message
        );
        assert!(
            apply(
                &d,
                &[json!({"insertText": {"location": {"index": 0}, "text": "x"}})]
            )
            .is_err()
        );
        assert!(apply(&d, &[json!({"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 2}, "textStyle": {"bold": true}}})]).is_err());
        assert!(
            apply(
                &d,
                &[json!({"insertText": {"location": {"index": 8}, "text": "x"}})]
            )
            .is_err(),
            "inside the emoji"
        );
    }
}
