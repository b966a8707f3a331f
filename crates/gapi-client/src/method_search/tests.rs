use super::*;

#[test]
fn search_finds_drive_files_list_first() {
    let hits = search("drive files list", None, 5);
    assert_eq!(hits[0].id, "drive.files.list", "{hits:?}");
    assert_eq!(hits[0].api, "drive:v3");
    let only = search("list", Some("drive"), 50);
    assert!(!only.is_empty() && only.iter().all(|h| h.api == "drive:v3"));
    assert!(search("zzzqqq", None, 5).is_empty());
}
