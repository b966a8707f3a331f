//! Sheets v4 over plain HTTP: create/get, values get/update/append (table detection,
//! `insertDataOption`, RAW vs USER_ENTERED), clear, batchGet/batchUpdate, A1 notation with
//! quoted sheet names, and Google's errors.

use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const SHEETS: &str = "https://www.googleapis.com/auth/spreadsheets";
const READONLY: &str = "https://www.googleapis.com/auth/spreadsheets.readonly";

struct S {
    emu: RunningEmulator,
    http: reqwest::Client,
    token: String,
}

fn enc(range: &str) -> String {
    url::form_urlencoded::byte_serialize(range.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

impl S {
    async fn new() -> Self {
        let emu = start(true).await;
        let http = http();
        let token = issued_token(&emu, "alice@example.com", SHEETS).await;
        Self { emu, http, token }
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/v4/spreadsheets{rest}", self.emu.base_url())
    }

    async fn create(&self, body: Value) -> Value {
        let r = self
            .http
            .post(self.url(""))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    async fn values(&self, id: &str, range: &str, query: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .get(self.url(&format!("/{id}/values/{}", enc(range))))
            .query(query)
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    async fn values_ok(&self, id: &str, range: &str, query: &[(&str, &str)]) -> Value {
        let r = self.values(id, range, query).await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    async fn put(&self, id: &str, range: &str, option: &str, values: Value) -> reqwest::Response {
        self.http
            .put(self.url(&format!("/{id}/values/{}", enc(range))))
            .query(&[("valueInputOption", option)])
            .bearer_auth(&self.token)
            .json(&json!({"values": values}))
            .send()
            .await
            .unwrap()
    }

    async fn append(
        &self,
        id: &str,
        range: &str,
        query: &[(&str, &str)],
        values: Value,
    ) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/{id}/values/{}:append", enc(range))))
            .query(query)
            .bearer_auth(&self.token)
            .json(&json!({"values": values}))
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn create_and_get_answer_googles_shape() {
    let s = S::new().await;
    let book = s.create(json!({"properties": {"title": "Budget"}})).await;
    let id = book["spreadsheetId"].as_str().unwrap();
    assert_eq!(id.len(), 44);
    assert_eq!(book["properties"]["title"], "Budget");
    assert_eq!(book["properties"]["locale"], "en_US");
    assert_eq!(
        book["spreadsheetUrl"],
        format!("https://docs.google.com/spreadsheets/d/{id}/edit")
    );
    let p = &book["sheets"][0]["properties"];
    assert_eq!(
        *p,
        json!({"sheetId": 0, "title": "Sheet1", "index": 0, "sheetType": "GRID", "gridProperties": {"rowCount": 1000, "columnCount": 26}})
    );
    let got: Value = s
        .http
        .get(s.url(&format!("/{id}")))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["spreadsheetId"], id);
    let two = s
        .create(json!({"sheets": [{"properties": {"title": "Data"}}, {"properties": {"title": "It's Q1", "gridProperties": {"rowCount": 10, "columnCount": 3}}}]}))
        .await;
    assert_eq!(two["properties"]["title"], "Untitled spreadsheet");
    assert_eq!(two["sheets"][1]["properties"]["title"], "It's Q1");
    assert_eq!(two["sheets"][1]["properties"]["index"], 1);
    assert_eq!(
        two["sheets"][1]["properties"]["gridProperties"]["rowCount"],
        10
    );
    // fields
    let r: Value = s
        .http
        .get(s.url(&format!("/{id}")))
        .query(&[("fields", "spreadsheetId,sheets(properties(title))")])
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        r,
        json!({"spreadsheetId": id, "sheets": [{"properties": {"title": "Sheet1"}}]})
    );
    // someone else's spreadsheet, an unknown one, a read-only token
    let bob = issued_token(&s.emu, "bob@example.com", SHEETS).await;
    let r = s
        .http
        .get(s.url(&format!("/{id}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    google_error(r, 403, "forbidden").await;
    let r = s
        .http
        .get(s.url("/nope"))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
    let ro = issued_token(&s.emu, "alice@example.com", READONLY).await;
    let r = s
        .http
        .put(s.url(&format!("/{id}/values/A1")))
        .query(&[("valueInputOption", "RAW")])
        .bearer_auth(&ro)
        .json(&json!({"values": [["x"]]}))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
    let r = s
        .http
        .get(s.url(&format!("/{id}/values/A1")))
        .bearer_auth(&ro)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn update_parses_user_entered_and_keeps_raw() {
    let s = S::new().await;
    let id = s.create(json!({})).await["spreadsheetId"]
        .as_str()
        .unwrap()
        .to_owned();
    let row = json!([[
        "12",
        "1,234",
        "50%",
        "TRUE",
        "=A1*2",
        "'007",
        "2026-03-01",
        3.5,
        false,
        "=SUM(A1:B1)"
    ]]);
    let r = s.put(&id, "Sheet1!A1", "USER_ENTERED", row.clone()).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v,
        json!({"spreadsheetId": id, "updatedRange": "Sheet1!A1:J1", "updatedRows": 1, "updatedColumns": 10, "updatedCells": 10})
    );
    let f = s.values_ok(&id, "Sheet1!A1:J1", &[]).await;
    assert_eq!(f["range"], "Sheet1!A1:J1");
    assert_eq!(f["majorDimension"], "ROWS");
    assert_eq!(
        f["values"],
        json!([[
            "12",
            "1,234",
            "50%",
            "TRUE",
            "24",
            "007",
            "2026-03-01",
            "3.5",
            "FALSE",
            "1246"
        ]])
    );
    let u = s
        .values_ok(
            &id,
            "Sheet1!A1:J1",
            &[("valueRenderOption", "UNFORMATTED_VALUE")],
        )
        .await;
    assert_eq!(
        u["values"],
        json!([[
            12,
            1234,
            0.5,
            true,
            24,
            "007",
            "2026-03-01",
            3.5,
            false,
            1246
        ]])
    );
    let fm = s
        .values_ok(&id, "A1:J1", &[("valueRenderOption", "FORMULA")])
        .await;
    assert_eq!(fm["values"][0][4], "=A1*2");
    // RAW keeps strings as typed
    s.put(&id, "A2", "RAW", json!([["12", "=A1*2", "TRUE"]]))
        .await;
    let u = s
        .values_ok(&id, "A2:C2", &[("valueRenderOption", "UNFORMATTED_VALUE")])
        .await;
    assert_eq!(u["values"], json!([["12", "=A1*2", "TRUE"]]));
    // columns
    let c = s
        .values_ok(&id, "A1:B2", &[("majorDimension", "COLUMNS")])
        .await;
    assert_eq!(c["values"], json!([["12", "12"], ["1,234", "=A1*2"]]));
    // whole sheet range is written back bounded by the grid; empty cells inside are ""
    s.put(&id, "A4", "RAW", json!([["x", "", "z"]])).await;
    let all = s.values_ok(&id, "Sheet1", &[]).await;
    assert_eq!(all["range"], "Sheet1!A1:Z1000");
    assert_eq!(all["values"][2], json!([]));
    assert_eq!(all["values"][3], json!(["x", "", "z"]));
    // errors: no valueInputOption, out of the grid, too much for the range, bad range
    let r = s
        .http
        .put(s.url(&format!("/{id}/values/A1")))
        .bearer_auth(&s.token)
        .json(&json!({"values": [["x"]]}))
        .send()
        .await
        .unwrap();
    let e = google_error(r, 400, "badRequest").await;
    assert_eq!(
        e["error"]["message"],
        "'valueInputOption' is required but not specified"
    );
    let e = google_error(
        s.put(&id, "A1000", "RAW", json!([["a"], ["b"]])).await,
        400,
        "badRequest",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "Range (Sheet1!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    );
    let e = google_error(
        s.put(&id, "A1:B1", "RAW", json!([["a", "b", "c"]])).await,
        400,
        "badRequest",
    )
    .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tried writing to column [C]"),
        "{e}"
    );
    let e = google_error(s.values(&id, "Nope!A1", &[]).await, 400, "badRequest").await;
    assert_eq!(e["error"]["message"], "Unable to parse range: Nope!A1");
    // huge positions: Google's cell limit, never an allocation of the whole grid
    let r = s
        .append(
            &id,
            "Sheet1!A4000000000",
            &[("valueInputOption", "RAW")],
            json!([["x"]]),
        )
        .await;
    let e = google_error(r, 400, "badRequest").await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("above the limit of 10000000 cells"),
        "{e}"
    );
    let r = s.http.post(s.url("")).bearer_auth(&s.token).json(&json!({"sheets": [{"properties": {"gridProperties": {"rowCount": 4000000000u64, "columnCount": 26}}}]})).send().await.unwrap();
    google_error(r, 400, "badRequest").await;
    let e = google_error(
        s.put(&id, "A4294967295", "RAW", json!([["a"], ["b"]]))
            .await,
        400,
        "badRequest",
    )
    .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("exceeds grid limits"),
        "{e}"
    );
    // empty range: no `values` member
    let empty = s.values_ok(&id, "Sheet1!M10:N12", &[]).await;
    assert_eq!(
        empty,
        json!({"range": "Sheet1!M10:N12", "majorDimension": "ROWS"})
    );
}

#[tokio::test]
async fn append_finds_the_table_and_round_trips_text() {
    let s = S::new().await;
    let book = s
        .create(json!({"sheets": [{"properties": {"title": "It's Q1"}}]}))
        .await;
    let id = book["spreadsheetId"].as_str().unwrap().to_owned();
    // An empty sheet: written at the range's start; no tableRange.
    let r = s
        .append(
            &id,
            "'It''s Q1'!A1",
            &[("valueInputOption", "USER_ENTERED")],
            json!([["name", "qty", "note"], ["apple", "3", "a, \"b\"\nc"]]),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v.get("tableRange").is_none(), "{v}");
    assert_eq!(v["updates"]["updatedRange"], "'It''s Q1'!A1:C2");
    assert_eq!(v["updates"]["updatedRows"], 2);
    // After the table, from its first column, whatever cell of it the range names.
    let r = s
        .append(
            &id,
            "'It''s Q1'!B1",
            &[("valueInputOption", "USER_ENTERED")],
            json!([["pear", "10", "Grüße 🍐"]]),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["tableRange"], "'It''s Q1'!A1:C2");
    assert_eq!(v["updates"]["updatedRange"], "'It''s Q1'!A3:C3");
    let r = s
        .append(
            &id,
            "'It''s Q1'",
            &[("valueInputOption", "RAW")],
            json!([["plum", "007", "=1+1"]]),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["updates"]["updatedRange"], "'It''s Q1'!A4:C4");
    let got = s
        .values_ok(
            &id,
            "'It''s Q1'!A:C",
            &[("valueRenderOption", "UNFORMATTED_VALUE")],
        )
        .await;
    assert_eq!(
        got["values"],
        json!([
            ["name", "qty", "note"],
            ["apple", 3, "a, \"b\"\nc"],
            ["pear", 10, "Grüße 🍐"],
            ["plum", "007", "=1+1"]
        ])
    );
    assert_eq!(got["range"], "'It''s Q1'!A1:C1000");
    // OVERWRITE writes over what follows the table; INSERT_ROWS pushes it down.
    s.put(&id, "'It''s Q1'!A7", "RAW", json!([["below"]])).await;
    let r = s
        .append(
            &id,
            "'It''s Q1'!A1:C1",
            &[
                ("valueInputOption", "RAW"),
                ("insertDataOption", "INSERT_ROWS"),
            ],
            json!([["fig", "1", ""]]),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["updates"]["updatedRange"], "'It''s Q1'!A5:C5");
    let moved = s.values_ok(&id, "'It''s Q1'!A8", &[]).await;
    assert_eq!(moved["values"], json!([["below"]]));
    let props: Value = s
        .http
        .get(s.url(&format!("/{id}")))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        props["sheets"][0]["properties"]["gridProperties"]["rowCount"],
        1001
    );
    let r = s.append(&id, "'It''s Q1'!A1", &[], json!([["x"]])).await;
    google_error(r, 400, "badRequest").await;

    // batchGet, clear, batchUpdate
    let bg: Value = s
        .http
        .get(s.url(&format!("/{id}/values:batchGet")))
        .query(&[("ranges", "'It''s Q1'!A1:A2"), ("ranges", "'It''s Q1'!C3")])
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bg["valueRanges"][0]["values"], json!([["name"], ["apple"]]));
    assert_eq!(bg["valueRanges"][1]["values"], json!([["Grüße 🍐"]]));
    let r: Value = s
        .http
        .post(s.url(&format!("/{id}/values/{}:clear", enc("'It''s Q1'!A2:C3"))))
        .bearer_auth(&s.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["clearedRange"], "'It''s Q1'!A2:C3");
    let after = s.values_ok(&id, "'It''s Q1'!A1:C3", &[]).await;
    assert_eq!(after["values"], json!([["name", "qty", "note"]]));
    let r: Value = s
        .http
        .post(s.url(&format!("/{id}/values:batchUpdate")))
        .bearer_auth(&s.token)
        .json(&json!({"valueInputOption": "USER_ENTERED", "data": [{"range": "'It''s Q1'!E1", "values": [["1"], ["2"]]}, {"range": "'It''s Q1'!F1", "values": [["=E1+E2"]]}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["totalUpdatedCells"], 3);
    assert_eq!(r["responses"][1]["updatedRange"], "'It''s Q1'!F1");
    assert_eq!(
        s.values_ok(&id, "'It''s Q1'!F1", &[]).await["values"],
        json!([["3"]])
    );
}
