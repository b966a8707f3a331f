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
