//! Drive v3 over plain HTTP: list (order, paging, fields, q), scopes, get, download ranges,
//! create/update/delete/copy, about.

use gapi_emulator::seeded_files;
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

async fn get_json(http: &reqwest::Client, url: String, token: &str) -> Value {
    let r = http.get(url).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn five_most_recently_modified_match_the_seed() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE_METADATA_READONLY).await;
    let v = get_json(
        &http,
        format!("{}/drive/v3/files?pageSize=5&orderBy=modifiedByMeTime%20desc&fields=files(id,name,modifiedByMeTime),nextPageToken", emu.base_url()),
        &token,
    )
    .await;
    let mut seeded = seeded_files("alice@example.com");
    seeded.sort_by(|a, b| b.modified_by_me_time.cmp(&a.modified_by_me_time));
    let got: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = seeded.iter().take(5).map(|f| f.id.as_str()).collect();
    assert_eq!(got, want);
    assert_eq!(
        v["files"][0]["modifiedByMeTime"],
        seeded[0].modified_by_me_time.as_str()
    );
    assert_eq!(
        v["files"][0].as_object().unwrap().len(),
        3,
        "only the selected fields: {v}"
    );
    assert!(v["nextPageToken"].as_str().is_some());
    assert!(v.get("kind").is_none(), "fields excluded kind");
    // modifiedTime order differs from modifiedByMeTime order for this seed.
    let by_modified = get_json(
        &http,
        format!(
            "{}/drive/v3/files?pageSize=5&orderBy=modifiedTime%20desc",
            emu.base_url()
        ),
        &token,
    )
    .await;
    assert_ne!(by_modified["files"][0]["id"], v["files"][0]["id"]);
    // Bob's drive is different.
    let bob = issued_token(&emu, "bob@example.com", DRIVE_METADATA_READONLY).await;
    let b = get_json(
        &http,
        format!(
            "{}/drive/v3/files?pageSize=5&orderBy=modifiedByMeTime%20desc",
            emu.base_url()
        ),
        &bob,
    )
    .await;
    assert_ne!(b["files"][0]["id"], v["files"][0]["id"]);
}

#[tokio::test]
async fn default_list_shape_and_paging_covers_everything_once() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let mut seen = Vec::new();
    let mut page_token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut url = format!("{}/drive/v3/files?pageSize=7&orderBy=name", emu.base_url());
        if let Some(t) = &page_token {
            url.push_str(&format!("&pageToken={t}"));
        }
        let v = get_json(&http, url, &token).await;
        assert_eq!(v["kind"], "drive#fileList");
        assert_eq!(v["incompleteSearch"], false);
        for f in v["files"].as_array().unwrap() {
            assert_eq!(
                f.as_object().unwrap().len(),
                4,
                "default fields kind,id,name,mimeType: {f}"
            );
            seen.push(f["name"].as_str().unwrap().to_owned());
        }
        pages += 1;
        match v["nextPageToken"].as_str() {
            Some(t) => page_token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(
        seen.len(),
        30,
        "trashed files are listed unless q excludes them"
    );
    let mut sorted = seen.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(seen, sorted);
    // A token from another query is rejected, naming the parameter.
    let r = http
        .get(format!(
            "{}/drive/v3/files?pageSize=7&orderBy=createdTime&pageToken={}",
            emu.base_url(),
            page_token.unwrap_or_default()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let v = google_error(r, 400, "invalid").await;
    assert_eq!(v["error"]["errors"][0]["location"], "pageToken");
}

#[tokio::test]
async fn q_filters() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE_READONLY).await;
    let seeded = seeded_files("alice@example.com");
    let count = |q: &str| {
        let http = http.clone();
        let url = format!("{}/drive/v3/files", emu.base_url());
        let token = token.clone();
        let q = q.to_owned();
        async move {
            let r = http
                .get(url)
                .query(&[("q", q.as_str()), ("pageSize", "1000")])
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{q}");
            let v: Value = r.json().await.unwrap();
            v["files"].as_array().unwrap().len()
        }
    };
    assert_eq!(
        count("trashed = false").await,
        seeded.iter().filter(|f| !f.trashed).count()
    );
    assert_eq!(
        count("mimeType = 'application/vnd.google-apps.folder'").await,
        seeded
            .iter()
            .filter(|f| f.mime_type == "application/vnd.google-apps.folder")
            .count()
    );
    assert_eq!(
        count("name contains 'report'").await,
        3,
        "two reports and the Reports folder"
    );
    assert_eq!(count("name = 'hello world.txt'").await, 1);
    assert_eq!(count("name = 'it\\'s quoted.txt'").await, 1);
    let photos = seeded.iter().find(|f| f.name == "Photos").unwrap();
    assert_eq!(count(&format!("'{}' in parents", photos.id)).await, 3);
    assert_eq!(
        count("'root' in parents and trashed = false").await,
        seeded
            .iter()
            .filter(|f| f.parent_id.is_none() && !f.trashed)
            .count()
    );
    assert_eq!(count("starred = true or name = 'notes.txt'").await, 4);
    assert_eq!(count("not trashed = false").await, 2);
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .query(&[("q", "name contans 'x'")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let v = google_error(r, 400, "invalid").await;
    assert_eq!(v["error"]["errors"][0]["location"], "q");
}

#[tokio::test]
async fn bad_parameters_name_themselves() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    for (query, location) in [
        ("pageSize=0", "pageSize"),
        ("pageSize=abc", "pageSize"),
        ("pageSize=1001", "pageSize"),
        ("orderBy=size", "orderBy"),
        ("fields=files(id", "fields"),
        ("fields=nope", "fields"),
        ("fields=files(nope)", "fields"),
        ("alt=xml", "alt"),
    ] {
        let r = http
            .get(format!("{}/drive/v3/files?{query}", emu.base_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let v = google_error(r, 400, "invalid").await;
        assert_eq!(
            v["error"]["errors"][0]["location"], location,
            "{query}: {v}"
        );
    }
}

#[tokio::test]
async fn missing_token_and_insufficient_scope() {
    let emu = start(true).await;
    let http = http();
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .send()
        .await
        .unwrap();
    google_error(r, 401, "required").await;
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth("ya29.bogus")
        .send()
        .await
        .unwrap();
    google_error(r, 401, "authError").await;
    let profile = issued_token(
        &emu,
        "alice@example.com",
        "https://www.googleapis.com/auth/userinfo.email",
    )
    .await;
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(&profile)
        .send()
        .await
        .unwrap();
    let v = google_error(r, 403, "insufficientPermissions").await;
    assert_eq!(v["error"]["status"], "PERMISSION_DENIED");
    // Metadata scope cannot download or create.
    let meta = issued_token(&emu, "alice@example.com", DRIVE_METADATA_READONLY).await;
    let notes = seeded_files("alice@example.com")
        .into_iter()
        .find(|f| f.name == "notes.txt")
        .unwrap();
    let r = http
        .get(format!(
            "{}/drive/v3/files/{}?alt=media",
            emu.base_url(),
            notes.id
        ))
        .bearer_auth(&meta)
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
    let r = http
        .post(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(&meta)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
    // access_token query parameter works too.
    let r = http
        .get(format!(
            "{}/drive/v3/files?access_token={meta}",
            emu.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Alice cannot see Bob's files.
    let bob_file = &seeded_files("bob@example.com")[0];
    let r = http
        .get(format!("{}/drive/v3/files/{}", emu.base_url(), bob_file.id))
        .bearer_auth(&meta)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
}

#[tokio::test]
async fn get_and_ranged_download() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE_READONLY).await;
    let zip = seeded_files("alice@example.com")
        .into_iter()
        .find(|f| f.name == "backup.zip")
        .unwrap();
    let content = zip.content.clone().unwrap();
    let meta = get_json(
        &http,
        format!("{}/drive/v3/files/{}?fields=*", emu.base_url(), zip.id),
        &token,
    )
    .await;
    assert_eq!(meta["size"], content.len().to_string());
    assert_eq!(meta["parents"][0], zip.parent_id.clone().unwrap());
    assert_eq!(meta["owners"][0]["emailAddress"], "alice@example.com");
    let r = http
        .get(format!(
            "{}/drive/v3/files/{}?alt=media",
            emu.base_url(),
            zip.id
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    assert_eq!(r.bytes().await.unwrap().as_ref(), content.as_slice());
    let r = http
        .get(format!(
            "{}/drive/v3/files/{}?alt=media",
            emu.base_url(),
            zip.id
        ))
        .bearer_auth(&token)
        .header("Range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 1000-1999/{}", content.len())
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), &content[1000..2000]);
    let r = http
        .get(format!(
            "{}/drive/v3/files/{}?alt=media",
            emu.base_url(),
            zip.id
        ))
        .bearer_auth(&token)
        .header("Range", format!("bytes={}-", content.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{}", content.len())
    );
    let doc = seeded_files("alice@example.com")
        .into_iter()
        .find(|f| f.name == "Roadmap")
        .unwrap();
    let r = http
        .get(format!(
            "{}/drive/v3/files/{}?alt=media",
            emu.base_url(),
            doc.id
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 403, "fileNotDownloadable").await;
    let root = get_json(
        &http,
        format!(
            "{}/drive/v3/files/root?fields=id,name,mimeType",
            emu.base_url()
        ),
        &token,
    )
    .await;
    assert_eq!(root["name"], "My Drive");
    let r = http
        .get(format!("{}/drive/v3/files/doesnotexist", emu.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
}

#[tokio::test]
async fn create_update_copy_delete() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "carol@example.com", DRIVE).await;
    let base = emu.base_url();
    let folder: Value = http
        .post(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .json(&json!({"name": "Work", "mimeType": "application/vnd.google-apps.folder"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(folder["kind"], "drive#file");
    let folder_id = folder["id"].as_str().unwrap();
    let r = http
        .post(format!(
            "{base}/drive/v3/files?fields=id,name,parents,starred"
        ))
        .bearer_auth(&token)
        .json(&json!({"name": "plan.txt", "parents": [folder_id], "starred": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let file: Value = r.json().await.unwrap();
    assert_eq!(file["parents"], json!([folder_id]));
    assert_eq!(file["starred"], true);
    let id = file["id"].as_str().unwrap().to_owned();

    let r = http
        .patch(format!(
            "{base}/drive/v3/files/{id}?fields=name,description,version,trashed"
        ))
        .bearer_auth(&token)
        .json(&json!({"name": "plan-v2.txt", "description": "d", "trashed": true}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v,
        json!({"name": "plan-v2.txt", "description": "d", "version": "2", "trashed": true})
    );
    // Read-only and unknown fields are refused.
    let r = http
        .patch(format!("{base}/drive/v3/files/{id}"))
        .bearer_auth(&token)
        .json(&json!({"size": "3"}))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "fieldNotWritable").await;
    let r = http
        .patch(format!("{base}/drive/v3/files/{id}"))
        .bearer_auth(&token)
        .json(&json!({"nmae": "x"}))
        .send()
        .await
        .unwrap();
    google_error(r, 400, "badRequest").await;
    let r = http
        .patch(format!("{base}/drive/v3/files/{id}"))
        .bearer_auth(&token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    google_error(r, 400, "badRequest").await;
    // Move to root with addParents/removeParents.
    let v: Value = http
        .patch(format!(
            "{base}/drive/v3/files/{id}?addParents=root&removeParents={folder_id}&fields=parents"
        ))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let root: Value = get_json(
        &http,
        format!("{base}/drive/v3/files/root?fields=id"),
        &token,
    )
    .await;
    assert_eq!(v["parents"], json!([root["id"]]));

    let copy: Value = http
        .post(format!("{base}/drive/v3/files/{id}/copy?fields=id,name"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(copy["name"], "Copy of plan-v2.txt");
    assert_ne!(copy["id"], file["id"]);

    let r = http
        .delete(format!("{base}/drive/v3/files/{folder_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = http
        .get(format!("{base}/drive/v3/files/{folder_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
    let list = get_json(&http, format!("{base}/drive/v3/files"), &token).await;
    assert_eq!(
        list["files"].as_array().unwrap().len(),
        2,
        "the file and its copy remain: {list}"
    );
    let r = http
        .post(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .json(&json!({"name": "orphan", "parents": ["nope"]}))
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
}

#[tokio::test]
async fn drive_file_scope_sees_only_its_apps_files() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE_FILE).await;
    let base = emu.base_url();
    let v = get_json(&http, format!("{base}/drive/v3/files"), &token).await;
    assert_eq!(v["files"].as_array().unwrap().len(), 0);
    let r = http
        .post(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .json(&json!({"name": "mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = get_json(&http, format!("{base}/drive/v3/files"), &token).await;
    assert_eq!(v["files"][0]["name"], "mine");
    let seeded = &seeded_files("alice@example.com")[9];
    let r = http
        .get(format!("{base}/drive/v3/files/{}", seeded.id))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
}

#[tokio::test]
async fn about_requires_fields() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "bob@example.com", DRIVE_METADATA_READONLY).await;
    let r = http
        .get(format!("{}/drive/v3/about", emu.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 400, "required").await;
    let v = get_json(
        &http,
        format!(
            "{}/drive/v3/about?fields=user(displayName,emailAddress),storageQuota/usage",
            emu.base_url()
        ),
        &token,
    )
    .await;
    assert_eq!(
        v["user"],
        json!({"displayName": "Bob Example", "emailAddress": "bob@example.com"})
    );
    let usage: u64 = v["storageQuota"]["usage"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let expected: usize = seeded_files("bob@example.com")
        .iter()
        .filter_map(|f| f.content.as_ref())
        .map(|c| c.len())
        .sum();
    assert_eq!(usage, expected as u64);
}
