//! The typed Drive module checked in under `crates/gapi/examples/typed/drive.rs` is what the
//! generator makes today (byte for byte), so it cannot drift from the generator. Set
//! `GAPI_UPDATE_GENERATED=1` to write it again after changing the generator.

const COMMAND: &str = "gapi codegen drive:v3 files.list files.get files.create -o crates/gapi/examples/typed/drive.rs";

fn generated() -> String {
    gapi_codegen::Builder::new("drive:v3")
        .methods(["files.list", "files.get", "files.create"])
        .command(COMMAND)
        .generate()
        .expect("the Drive module is generated")
}

#[test]
fn the_checked_in_drive_module_is_current() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gapi/examples/typed/drive.rs");
    let text = generated();
    if std::env::var_os("GAPI_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &text).expect("the module is written");
    }
    let checked_in = std::fs::read_to_string(&path).expect("the checked-in module is readable");
    assert!(
        checked_in == text,
        "{} is not what `{COMMAND}` makes now: run this test with GAPI_UPDATE_GENERATED=1",
        path.display()
    );
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    assert_eq!(generated(), generated());
}

#[test]
fn unknown_methods_are_named_with_suggestions() {
    let err = gapi_codegen::Builder::new("drive:v3")
        .methods(["files.lst"])
        .generate()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("files.lst") && err.contains("files.list"),
        "{err}"
    );
    let err = gapi_codegen::Builder::new("nosuchapi:v1")
        .methods(["x.y"])
        .generate()
        .unwrap_err()
        .to_string();
    assert!(err.contains("nosuchapi"), "{err}");
    assert!(gapi_codegen::Builder::new("drive:v3").generate().is_err());
}

#[test]
fn write_to_writes_the_module_and_out_dir_needs_a_build_script() {
    let builder = gapi_codegen::Builder::new("drive").methods(["files.*"]);
    let dir = std::env::temp_dir().join(format!("gapi-codegen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("drive.rs");
    builder.write_to(&path).expect("written");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, builder.generate().unwrap());
    assert!(
        text.contains("pub fn list(&self) -> FilesListCall"),
        "files.* takes files.list"
    );
    assert!(text.contains("pub fn permissions") || !text.contains("PermissionsResource"));
    std::fs::remove_dir_all(&dir).unwrap();
    if std::env::var_os("OUT_DIR").is_none() {
        let err = builder
            .write_to_out_dir("drive.rs")
            .unwrap_err()
            .to_string();
        assert!(err.contains("build script"), "{err}");
    }
}

#[test]
fn a_document_file_works_like_a_bundled_document() {
    let json = gapi_discovery::bundle::document_json("tasks", "v1")
        .unwrap()
        .expect("tasks:v1 is bundled");
    let from_json = gapi_codegen::Builder::document_json(json)
        .methods(["tasks.list"])
        .command("x")
        .generate()
        .unwrap();
    let bundled = gapi_codegen::Builder::new("tasks:v1")
        .methods(["tasks.list"])
        .command("x")
        .generate()
        .unwrap();
    assert_eq!(from_json, bundled);
    assert!(
        bundled.contains("pub struct Tasks {"),
        "the hub is named after the API"
    );
}
